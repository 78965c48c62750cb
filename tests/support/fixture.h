// Shared test fixtures: the real dialog data and Hunspell dictionaries, loaded
// once per test run, and a fresh SQLite file per test.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "dialog/dialog_data.h"

namespace wegwijs::test {

const dialog::DialogData& data();  // fails the test run when the data has problems
std::string source_dir();

// A temporary directory removed when it goes out of scope.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

// Waits until `done()` holds, or the time is up; returns whether it holds.
// Background work (a checkpoint, a purge round) ends in milliseconds on a
// calm machine, but a disk that other programs load can stall an fsync for
// seconds: the bound is generous, and costs nothing when the work is quick.
template <typename Done>
bool eventually(const Done& done, std::chrono::seconds limit = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

}  // namespace wegwijs::test

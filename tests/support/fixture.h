// Shared test fixtures: the real dialog data and Hunspell dictionaries, loaded
// once per test run, and a fresh SQLite file per test.
#pragma once

#include <filesystem>
#include <string>

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

}  // namespace wegwijs::test

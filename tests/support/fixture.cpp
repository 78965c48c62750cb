#include "support/fixture.h"

#include <catch2/catch.hpp>
#include <random>

namespace wegwijs::test {

std::string source_dir() {
    return WEGWIJS_SOURCE_DIR;
}

const dialog::DialogData& data() {
    static const dialog::DialogData d = [] {
        std::vector<std::string> problems;
        auto dicts =
            std::make_shared<language::Dictionaries>(language::Dictionaries::debian_defaults());
        auto loaded = dialog::DialogData::load(source_dir(), dicts, problems);
        for (const auto& p : problems) FAIL(p);
        return loaded;
    }();
    return d;
}

TempDir::TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("wegwijs-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

}  // namespace wegwijs::test

#include "language/examples.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "text/normalizer.h"

namespace wegwijs::language {

std::vector<Example> load_examples(const std::string& dir, std::vector<std::string>& problems) {
    namespace fs = std::filesystem;
    std::vector<Example> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        problems.push_back(dir + ": missing (the topic classifier's training examples)");
        return out;
    }
    std::vector<fs::path> files;
    for (const auto& locale_dir : fs::directory_iterator(dir, ec)) {
        if (!locale_dir.is_directory()) continue;
        for (const auto& f : fs::directory_iterator(locale_dir.path(), ec))
            if (f.is_regular_file() && f.path().extension() == ".txt") files.push_back(f.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
        std::ifstream in(path);
        if (!in) {
            problems.push_back(path.string() + ": cannot read");
            continue;
        }
        const std::string locale = path.parent_path().filename().string();
        const std::string label = path.stem().string();
        std::string line;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            const auto first = line.find_first_not_of(" \t");
            if (first == std::string::npos || line[first] == '#') continue;
            if (!text::is_valid_utf8(line)) {
                problems.push_back(path.string() + ":" + std::to_string(number) +
                                   ": not valid UTF-8");
                continue;
            }
            out.push_back({locale, label, line.substr(first)});
        }
    }
    return out;
}

}  // namespace wegwijs::language

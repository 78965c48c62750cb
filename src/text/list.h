// "a, b,c" as {"a", "b", "c"}: the comma-separated lists of the command line
// (origins, proxies). Items are trimmed of spaces and tabs; empty ones are
// dropped.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace wegwijs::text {

inline std::vector<std::string> split_list(const std::string& list) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        std::string item = list.substr(start, comma - start);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty()) out.push_back(std::move(item));
        start = comma + 1;
    }
    return out;
}

}  // namespace wegwijs::text

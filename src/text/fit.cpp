// Fitting text into limits; see fit.h.
#include "text/fit.h"

#include "text/utf8.h"

namespace wegwijs::text {

std::string fit(const std::string& utf8, std::size_t n) {
    if (characters(utf8) <= n) return utf8;
    std::string cut = utf8.substr(0, offset_of(utf8, n - 1));
    const std::size_t space = cut.rfind(' ');
    if (space != std::string::npos && space > cut.size() / 2) cut = cut.substr(0, space);
    while (!cut.empty() && (cut.back() == ' ' || cut.back() == ',' || cut.back() == '('))
        cut.pop_back();
    return cut + "\u2026";
}

std::vector<std::string> split_to_fit(const std::string& utf8, std::size_t n) {
    std::vector<std::string> out;
    std::string rest = utf8;
    while (characters(rest) > n) {
        std::size_t cut = offset_of(rest, n);
        const std::size_t line = rest.rfind('\n', cut);
        const std::size_t space = rest.rfind(' ', cut);
        if (line != std::string::npos && line > cut / 2)
            cut = line;
        else if (space != std::string::npos && space > cut / 2)
            cut = space;
        out.push_back(rest.substr(0, cut));
        rest = rest.substr(cut);
        while (!rest.empty() && (rest[0] == '\n' || rest[0] == ' ')) rest.erase(0, 1);
    }
    if (!rest.empty()) out.push_back(rest);
    return out;
}

}  // namespace wegwijs::text

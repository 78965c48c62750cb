// Counting UTF-8 text as people and messaging platforms count it: in
// characters (code points), not bytes. The text is taken as valid UTF-8
// (the analyser and the JSON readers check that at the edge).
#pragma once

#include <cstddef>
#include <string>

namespace wegwijs::text {

inline std::size_t characters(const std::string& utf8) {
    std::size_t n = 0;
    for (const unsigned char c : utf8)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

// The byte offset where the n-th character (from 0) starts, or the size.
inline std::size_t offset_of(const std::string& utf8, std::size_t n) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < utf8.size(); ++i)
        if ((static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80 && seen++ == n) return i;
    return utf8.size();
}

}  // namespace wegwijs::text

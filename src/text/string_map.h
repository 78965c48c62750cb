// Unordered maps keyed by std::string that can be searched with a
// std::string_view: a lookup of a word cut out of a message builds no string.
//
// Guarantees: the same hashing and equality as std::unordered_map<std::string,
// V>; find(), count() and contains() take any string_view-convertible key.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace wegwijs::text {

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

}  // namespace wegwijs::text

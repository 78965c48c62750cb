// Snowball stemming (libstemmer) for Dutch and English.
//
// Guarantees: stem() is thread-safe (one stemmer per thread and language, freed
// with the thread) and returns the input unchanged for an unknown language.
#pragma once

#include <string>
#include <string_view>

namespace wegwijs::language {

std::string stem(std::string_view language, std::string_view folded_word);

}  // namespace wegwijs::language

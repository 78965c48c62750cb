// Fitting text into a messaging platform's limits, counted in characters
// (code points, text/utf8.h): a label cut at a word with an ellipsis, and a
// long text split at lines or spaces into pieces that each fit.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace wegwijs::text {

// The text cut to at most n characters (n >= 2) at a word, with an ellipsis.
std::string fit(const std::string& utf8, std::size_t n);

// Pieces of at most n characters each, cut at a line break or a space in the
// second half of a piece where there is one; nothing lost but the breaks.
std::vector<std::string> split_to_fit(const std::string& utf8, std::size_t n);

}  // namespace wegwijs::text

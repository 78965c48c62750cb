// What staff take away: conversations as CSV or JSONL (one row per
// conversation with its outcome, or one per turn), and annotations as
// regression data (lines in the routing eval's format, and a conversation
// test file for tests/conversations/).
//
// Guarantees: every export is made from a conversation's JSON as
// review_json.h renders it, so it never shows more than the staff pages do:
// masked unless an admin revealed it. CSV follows RFC 4180 (CRLF, quotes
// doubled) and a cell a spreadsheet would read as a formula (=, +, -, @,
// tab, CR) is prefixed with an apostrophe. Times are ISO 8601 in the
// service's zone.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calendar/zone.h"

namespace wegwijs::staff {

enum class ExportRows { conversation, turn };

// The columns of each kind of row, in order (CSV's header, JSONL's keys).
const std::vector<std::string>& export_columns(ExportRows rows);

// The rows of one conversation (conversation_json's output).
std::vector<nlohmann::json> export_rows(const nlohmann::json& conversation, ExportRows rows,
                                        const calendar::Zone& zone);

std::string csv_header(const std::vector<std::string>& columns);
std::string csv_line(const std::vector<std::string>& columns, const nlohmann::json& row);
std::string jsonl_line(const nlohmann::json& row);

// Routing eval lines ({"text", "lang", "expect": [product or null]}) of a
// conversation's annotated citizen turns that have words: an annotated
// product is what the words should reach, an intent alone means no product.
std::vector<nlohmann::json> route_eval_lines(const nlohmann::json& conversation);

// A conversation script (tests/conversation_test.cpp's format) that replays
// the citizen's turns up to the last annotated one and expects each
// annotation: the product, or the intent read. Null without an annotation.
nlohmann::json conversation_script(const nlohmann::json& conversation, const calendar::Zone& zone);

}  // namespace wegwijs::staff

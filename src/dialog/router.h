// Routing one sentence without a conversation (POST /v1/route, `wegwijs route`).
//
// It uses the same understanding, inference and product resolution as the
// dialog, so a sentence that would make the dialog ask a question gives a null
// product here. Guarantees: thread-safe; candidates are sorted by score, and
// the scores sum to 1 when there are any.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dialog/dialog_data.h"

namespace wegwijs::dialog {

struct Candidate {
    std::string product;
    double score = 0;
};

struct RouteResult {
    std::string locale;
    std::optional<std::string> desk;
    std::optional<std::string> product;
    double confidence = 0;
    std::vector<Candidate> candidates;
    std::optional<std::string> appointment;  // required | optional | not_needed

    nlohmann::json to_json() const;
};

RouteResult route(const DialogData& d, const std::string& text,
                  const std::optional<std::string>& locale);
// The same, for a sentence already analysed (evaluation with another model).
RouteResult route(const DialogData& d, const language::Analysis& a,
                  const std::optional<std::string>& locale);

}  // namespace wegwijs::dialog

// Scoring the understanding, as `rasa test nlu` does: `wegwijs eval FILE`
// routes every sentence of a JSONL file (the route-eval format:
// {"text", "lang", "expect": [product id or null, ...]}), and
// `wegwijs eval --cross-validate K` trains K models on the examples, each
// without one fold, and routes the fold it did not see.
//
// Guarantees: the same data gives the same report (folds are stratified by
// language and label, in file order; training is deterministic); a null
// expectation means the assistant must ask, not commit to a product.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dialog/dialog_data.h"

namespace wegwijs::dialog {

struct EvalItem {
    std::string text;
    std::string locale;
    std::vector<std::optional<std::string>> expect;  // nullopt: no product yet, ask
};

struct EvalReport {
    struct Count {
        std::size_t total = 0;
        std::size_t correct = 0;
        double accuracy() const { return total ? double(correct) / double(total) : 0; }
    };
    struct LabelCount {
        std::size_t true_positive = 0, false_positive = 0, false_negative = 0;
    };
    struct Miss {
        std::string text, locale, expected, got;
    };
    Count all;
    std::map<std::string, Count> by_locale;
    std::map<std::string, LabelCount> by_label;  // product id, or "(ask)" for null
    std::map<std::pair<std::string, std::string>, std::size_t> confusions;  // expected, got
    std::vector<Miss> misses;

    void add(const EvalItem& item, const std::optional<std::string>& got);
    nlohmann::json to_json() const;
    std::string to_text(std::size_t max_misses = 50) const;
};

// Reads the JSONL file; throws std::invalid_argument naming the line.
std::vector<EvalItem> read_eval_file(const std::string& path);

EvalReport evaluate(const DialogData& d, const std::vector<EvalItem>& items);

// k >= 2; throws std::invalid_argument otherwise.
EvalReport cross_validate(const DialogData& d, int k);

}  // namespace wegwijs::dialog

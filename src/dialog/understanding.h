// What one message says about the citizen's topic: the lexicon's facts, with
// the subject and the desk decided by the topic classifier.
//
// The lexicon reads words ("verloren", "bijlage 12", "Gentbrugge"); the
// classifier reads the sentence. A product is committed only when the
// classifier is sure of it, or when the lexicon's facts select the same
// product the classifier ranks among its first; a vague sentence keeps only
// its desk, so the dialog asks instead of guessing. Facts the lexicon found
// are kept when they still select the classifier's product.
//
// Guarantees: depends only on the analysis and the data; without a
// classifier (topics empty) the facts are the lexicon's, unchanged.
#pragma once

#include <map>
#include <string>

#include "dialog/dialog_data.h"

namespace wegwijs::dialog {

// A product is taken on the classifier's word alone from this probability on
// (measured with `wegwijs eval --cross-validate`: below it, most first labels
// were wrong or the sentence was vague).
inline constexpr double kTopicCommit = 0.5;
// ... or from this probability on, when it is at least twice the runner-up's.
inline constexpr double kTopicLead = 0.3;
// The lexicon's product is taken when the classifier gives it at least this
// among its first three.
inline constexpr double kTopicAgree = 0.1;

// In a conversation that has a topic, a sentence changes it only when the
// classifier is this sure of another product and the lexicon names a topic or
// a desk too ("actually it is about my orange card").
inline constexpr double kTopicCorrect = 0.8;

struct Understanding {
    std::map<std::string, language::SlotGuess> facts;
    std::string topic;  // a product id, "vague", "out_of_scope", or "" without a classifier
    double confidence = 0;
    bool product_committed = false;  // facts select `topic`
    bool out_of_scope = false;
};

Understanding understand(const DialogData& d, const language::Analysis& a);

}  // namespace wegwijs::dialog

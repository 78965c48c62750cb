// Language understanding: from one message to facts the dialog can use.
//
// analyse() folds and splits the text, matches every lexicon term against the
// words (exact, same Snowball stem in Dutch or English, split compounds such
// as "verblijfs kaart", and typos within a small edit distance for words that
// no dictionary knows), resolves overlapping matches of the same slot in
// favour of the longer term, and detects the language. Guarantees: the result
// depends only on the text and the loaded data; analyse() is thread-safe.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "language/dictionary.h"
#include "language/lexicon.h"
#include "language/topic_classifier.h"
#include "text/normalizer.h"

namespace wegwijs::language {

struct Match {
    std::string intent;  // empty for slot matches
    std::string slot;
    std::string value;
    std::string term;
    double weight = 0;
    bool fuzzy = false;
};

struct SlotGuess {
    std::string value;
    double score = 0;       // summed weight of the terms for this value
    double confidence = 0;  // score / (score + best rival's score)
};

struct Analysis {
    std::vector<std::string> words;
    std::optional<std::string> locale;  // "nl" or "en" when the text says so
    bool unsupported_language = false;  // written in a language we do not speak
    std::vector<Match> matches;
    std::map<std::string, std::map<std::string, double>> slot_scores;
    std::set<std::string> intents;
    std::vector<Topic> topics;  // the topic classifier's most likely labels, when one is loaded

    bool has(const std::string& intent) const { return intents.count(intent) > 0; }
    std::optional<SlotGuess> best(const std::string& slot) const;
    std::map<std::string, SlotGuess> facts() const;  // best guess for every slot matched
    std::string to_json_text() const;                // what staff see in a transcript
};

class Analyzer {
  public:
    Analyzer(Lexicon lexicon, const Dictionaries* dictionaries);
    ~Analyzer();
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;

    Analysis analyse(const std::string& utf8) const;
    const Lexicon& lexicon() const { return lexicon_; }

  private:
    struct Index;
    Lexicon lexicon_;
    const Dictionaries* dictionaries_;  // may be null: no typo guard, no dictionary votes
    text::Normalizer normalizer_;
    std::unique_ptr<Index> index_;
};

}  // namespace wegwijs::language

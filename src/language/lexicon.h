// The vocabulary of the assistant, loaded from dialogs/lexicon.json.
//
// A lexicon entry ties terms in Dutch and English to either a slot value
// ("subject" = "annex_35") or an intent ("restart", "yes", "greeting"). A term
// is a phrase ("bijlage 35"), or several phrases joined by " + " that must all
// occur somewhere in the message ("naam + veranderd"). Its weight defaults to
// the number of words in it, so a longer, more specific term outweighs a
// shorter one. Invariant kept by load(): every term has at least one word.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "text/normalizer.h"

namespace wegwijs::language {

struct Term {
    std::string source;                           // as written in the data
    std::string language;                         // "nl" or "en"
    std::vector<std::vector<std::string>> parts;  // folded words of each phrase
    double weight = 1.0;
};

struct LexiconEntry {
    enum class Kind { slot, intent };
    Kind kind = Kind::slot;
    std::string slot;   // for slot entries
    std::string value;  // slot value, or the intent name
    std::vector<Term> terms;
};

struct Lexicon {
    std::vector<text::Rewrite> rewrites;
    // language code -> words typical of it ("de", "the", "bonjour"); nl and en
    // are the supported languages, any other code marks an unsupported one.
    std::map<std::string, std::set<std::string>> language_words;
    std::vector<LexiconEntry> entries;
    // a one-word command ("terug", "help") only counts in a message this short
    int command_max_words = 3;
    std::set<std::string> commands;  // intents that are commands

    // Parses the JSON; terms are folded with the normaliser built from its
    // rewrites. Throws std::invalid_argument with the place of the problem.
    static Lexicon from_json(const nlohmann::json& data);
};

}  // namespace wegwijs::language

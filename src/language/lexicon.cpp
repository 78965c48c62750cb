#include "language/lexicon.h"

#include <stdexcept>

namespace wegwijs::language {
namespace {

std::vector<std::string> split_parts(const std::string& term) {
    std::vector<std::string> parts;
    std::string::size_type start = 0;
    while (true) {
        const auto plus = term.find(" + ", start);
        parts.push_back(term.substr(start, plus == std::string::npos ? plus : plus - start));
        if (plus == std::string::npos) break;
        start = plus + 3;
    }
    return parts;
}

void add_terms(LexiconEntry& entry, const nlohmann::json& by_language,
               const text::Normalizer& normalizer, const std::string& where) {
    if (!by_language.is_object())
        throw std::invalid_argument(where + ": expected {nl: [...], en: [...]}");
    for (const auto& [language, list] : by_language.items()) {
        if (language != "nl" && language != "en")
            throw std::invalid_argument(where + ": unknown language '" + language + "'");
        for (const auto& item : list) {
            Term term;
            term.language = language;
            double weight = -1;
            if (item.is_string()) {
                term.source = item.get<std::string>();
            } else {
                term.source = item.at("term").get<std::string>();
                weight = item.value("weight", -1.0);
            }
            std::size_t words = 0;
            for (const std::string& phrase : split_parts(term.source)) {
                auto folded = normalizer.words(normalizer.fold(phrase));
                if (folded.empty())
                    throw std::invalid_argument(where + ": term '" + term.source +
                                                "' has no words");
                words += folded.size();
                term.parts.push_back(std::move(folded));
            }
            term.weight = weight > 0 ? weight : static_cast<double>(words);
            entry.terms.push_back(std::move(term));
        }
    }
}

}  // namespace

Lexicon Lexicon::from_json(const nlohmann::json& data) {
    Lexicon lex;
    for (const auto& r : data.value("rewrites", nlohmann::json::array()))
        lex.rewrites.push_back(
            {r.at("pattern").get<std::string>(), r.at("replace").get<std::string>()});
    const text::Normalizer normalizer(lex.rewrites);

    for (const auto& [language, words] : data.at("languages").items())
        for (const auto& w : words)
            lex.language_words[language].insert(text::Normalizer::fold_plain(w.get<std::string>()));

    lex.command_max_words = data.value("command_max_words", 3);
    for (const auto& c : data.value("commands", nlohmann::json::array()))
        lex.commands.insert(c.get<std::string>());

    for (const auto& [intent, terms] : data.at("intents").items()) {
        LexiconEntry entry{LexiconEntry::Kind::intent, "", intent, {}};
        add_terms(entry, terms, normalizer, "intents." + intent);
        lex.entries.push_back(std::move(entry));
    }
    for (const auto& [slot, values] : data.at("slots").items()) {
        for (const auto& [value, terms] : values.items()) {
            LexiconEntry entry{LexiconEntry::Kind::slot, slot, value, {}};
            add_terms(entry, terms, normalizer, "slots." + slot + "." + value);
            lex.entries.push_back(std::move(entry));
        }
    }
    return lex;
}

}  // namespace wegwijs::language

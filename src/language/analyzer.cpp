#include "language/analyzer.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <string_view>
#include <utility>

#include "language/stemmer.h"
#include "text/json_dump.h"
#include "text/string_map.h"

namespace wegwijs::language {
namespace {

const char* const kSupported[] = {"nl", "en"};

// Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps),
// on bytes: folded words are ASCII but for rare letters, which then cost 2.
// Returns limit + 1 as soon as the distance must exceed the limit. Words
// longer than kMaxTypoWord are never compared (no allocation per call).
constexpr int kMaxTypoWord = 40;

int edit_distance(std::string_view a, std::string_view b, int limit) {
    const int n = static_cast<int>(a.size());
    const int m = static_cast<int>(b.size());
    if (std::abs(n - m) > limit) return limit + 1;
    if (n > kMaxTypoWord || m > kMaxTypoWord) return limit + 1;
    // Three rows: two back (for the swap), one back, and the current one.
    int rows[3][kMaxTypoWord + 1];
    int* before = rows[0];
    int* previous = rows[1];
    int* current = rows[2];
    for (int j = 0; j <= m; ++j) previous[j] = j;
    for (int i = 1; i <= n; ++i) {
        current[0] = i;
        int row_min = i;
        for (int j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int d = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d = std::min(d, before[j - 2] + 1);
            current[j] = d;
            row_min = std::min(row_min, d);
        }
        if (row_min > limit) return limit + 1;
        std::swap(before, previous);  // rotate: before <- previous <- current
        std::swap(previous, current);
    }
    return previous[m];
}

int allowed_typos(std::string_view word) {
    if (word.size() >= 8) return 2;
    if (word.size() >= 5) return 1;
    return 0;
}

bool is_number(std::string_view w) {
    return !w.empty() &&
           std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

// Every distinct folded word of the lexicon, with the forms it is found by,
// and every term compiled to word ids. Built once; read-only afterwards.
struct Analyzer::Index {
    struct Word {
        std::string form;
        std::set<std::string> languages;  // languages of the terms it appears in
    };
    // A term of the lexicon with its phrases as word ids; terms keep the
    // order of the lexicon, which breaks ties between equally long terms.
    struct CompiledTerm {
        const LexiconEntry* entry;
        const Term* term;
        std::vector<std::vector<int>> parts;
    };
    std::vector<Word> words;
    text::StringMap<int> id_of;
    // exact form -> word ids; and per language (in kSupported's order), the
    // Snowball stem -> ids of the words with that stem
    text::StringMap<std::vector<int>> by_form;
    std::array<text::StringMap<std::vector<int>>, std::size(kSupported)> by_stem;
    std::vector<CompiledTerm> terms;
    // word id -> the terms whose first word it is: a term can only match when
    // its first word is among a message's candidates.
    std::vector<std::vector<int>> terms_starting_with;
    // word length -> ids of the words of that length that typos may stand for
    std::vector<std::vector<int>> typo_targets_by_length;
    // typical word -> the languages it is typical of
    text::StringMap<std::vector<std::string>> typical;

    int add(const std::string& form, const std::string& language) {
        auto [it, inserted] = id_of.emplace(form, static_cast<int>(words.size()));
        if (inserted) {
            words.push_back({form, {}});
            by_form[form].push_back(it->second);
            if (!is_number(form))
                for (std::size_t l = 0; l < std::size(kSupported); ++l)
                    by_stem[l][stem(kSupported[l], form)].push_back(it->second);
        }
        words[it->second].languages.insert(language);
        return it->second;
    }

    void compile(const Lexicon& lexicon) {
        for (const auto& entry : lexicon.entries)
            for (const auto& term : entry.terms) {
                CompiledTerm compiled{&entry, &term, {}};
                for (const auto& part : term.parts) {
                    std::vector<int> ids;
                    for (const auto& w : part) ids.push_back(add(w, term.language));
                    compiled.parts.push_back(std::move(ids));
                }
                terms.push_back(std::move(compiled));
            }
        terms_starting_with.resize(words.size());
        for (int t = 0; t < static_cast<int>(terms.size()); ++t)
            terms_starting_with[terms[t].parts.front().front()].push_back(t);
        for (int id = 0; id < static_cast<int>(words.size()); ++id) {
            const std::size_t length = words[id].form.size();
            if (length < 5 || length > static_cast<std::size_t>(kMaxTypoWord)) continue;
            if (typo_targets_by_length.size() <= length) typo_targets_by_length.resize(length + 1);
            typo_targets_by_length[length].push_back(id);
        }
        for (const auto& [language, list] : lexicon.language_words)
            for (const auto& w : list) typical[w].push_back(language);
    }
};

// One message word and the lexicon words it can stand for; span 2 marks a
// compound written as two words ("verblijfs kaart").
struct Candidate {
    int word_id;
    int span;
    bool fuzzy;
};

Analyzer::Analyzer(Lexicon lexicon, const Dictionaries* dictionaries)
    : lexicon_(std::move(lexicon)),
      dictionaries_(dictionaries),
      normalizer_(lexicon_.rewrites),
      index_(std::make_unique<Index>()) {
    index_->compile(lexicon_);
}

Analyzer::~Analyzer() = default;

std::optional<SlotGuess> Analysis::best(const std::string& slot) const {
    const auto it = slot_scores.find(slot);
    if (it == slot_scores.end() || it->second.empty()) return std::nullopt;
    SlotGuess top;
    double rival = 0;
    for (const auto& [value, score] : it->second) {
        if (score > top.score) {
            rival = top.score;
            top = {value, score, 0};
        } else {
            rival = std::max(rival, score);
        }
    }
    top.confidence = top.score / (top.score + rival);
    return top;
}

std::map<std::string, SlotGuess> Analysis::facts() const {
    std::map<std::string, SlotGuess> out;
    for (const auto& [slot, _] : slot_scores)
        if (auto g = best(slot)) out.emplace(slot, *g);
    return out;
}

std::string Analysis::to_json_text() const {
    nlohmann::json facts_json = nlohmann::json::object();
    for (const auto& [slot, g] : facts())
        facts_json[slot] = {{"value", g.value}, {"score", g.score}, {"confidence", g.confidence}};
    nlohmann::json match_list = nlohmann::json::array();
    for (const auto& x : matches) {
        nlohmann::json m = {{"term", x.term}, {"weight", x.weight}};
        if (!x.intent.empty())
            m["intent"] = x.intent;
        else
            m[x.slot] = x.value;
        if (x.fuzzy) m["fuzzy"] = true;
        match_list.push_back(std::move(m));
    }
    nlohmann::json topic_list = nlohmann::json::array();
    for (const auto& t : topics) topic_list.push_back({{"label", t.label}, {"p", t.probability}});
    return text::dump({{"locale", locale ? nlohmann::json(*locale) : nlohmann::json()},
                       {"unsupported_language", unsupported_language},
                       {"intents", intents},
                       {"facts", std::move(facts_json)},
                       {"matches", std::move(match_list)},
                       {"topics", std::move(topic_list)}});
}

Analysis Analyzer::analyse(const std::string& utf8) const {
    Analysis out;
    out.words = normalizer_.words(normalizer_.fold(utf8));
    const auto& words = out.words;
    const int n = static_cast<int>(words.size());

    // 1. Candidates per position.
    std::vector<std::vector<Candidate>> cands(n);
    auto lookup = [&](const std::string& form, int pos, int span) {
        bool found = false;
        auto add = [&](const text::StringMap<std::vector<int>>& map, std::string_view key) {
            const auto it = map.find(key);
            if (it == map.end()) return;
            for (int id : it->second) {
                cands[pos].push_back({id, span, false});
                found = true;
            }
        };
        add(index_->by_form, form);
        if (!is_number(form))
            for (std::size_t l = 0; l < std::size(kSupported); ++l)
                add(index_->by_stem[l], stem(kSupported[l], form));
        return found;
    };
    auto known_word = [&](const std::string& w) {
        if (dictionaries_ == nullptr) return false;
        return dictionaries_->knows("nl", w) || dictionaries_->knows("en", w);
    };
    // A Dutch compound names a kind of its last part ("familienaam" is a
    // "naam"): a word the lexicon lacks stands, less surely, for the longest
    // lexicon word it ends with (at least 4 letters, after at least 3). When
    // the first part is a lexicon word too ("asiel" in "asielaanvraag", with
    // or without a linking s or e), the word stands for that as well.
    auto word_id = [&](std::string_view form) {
        const auto it = index_->id_of.find(form);
        return it == index_->id_of.end() || is_number(it->first) ? -1 : it->second;
    };
    auto compound_head = [&](std::string_view w, int pos) {
        if (w.size() < 7 || is_number(w)) return false;
        for (std::size_t k = 3; k + 4 <= w.size(); ++k) {
            const int head = word_id(w.substr(k));
            if (head < 0) continue;
            cands[pos].push_back({head, 1, true});
            std::string_view modifier = w.substr(0, k);
            for (int strip = 0; strip < 2 && modifier.size() >= 4; ++strip) {
                if (const int id = word_id(modifier); id >= 0) {
                    cands[pos].push_back({id, 1, true});
                    break;
                }
                if (modifier.back() != 's' && modifier.back() != 'e') break;
                modifier.remove_suffix(1);
            }
            return true;
        }
        return false;
    };
    std::string pair;  // two words written as one, reused
    for (int i = 0; i < n; ++i) {
        const bool found = lookup(words[i], i, 1);
        if (i + 1 < n) {
            pair.assign(words[i]).append(words[i + 1]);
            lookup(pair, i, 2);
        }
        if (!found && compound_head(words[i], i)) continue;
        const int limit = allowed_typos(words[i]);
        if (found || limit == 0 || is_number(words[i]) || known_word(words[i])) continue;
        int best = limit + 1;
        std::vector<int> best_ids;
        const int length = static_cast<int>(words[i].size());
        const int longest = static_cast<int>(index_->typo_targets_by_length.size()) - 1;
        for (int l = std::max(5, length - limit); l <= std::min(longest, length + limit); ++l) {
            for (int id : index_->typo_targets_by_length[l]) {
                const std::string& form = index_->words[id].form;
                const int d = edit_distance(words[i], form, std::min(limit, allowed_typos(form)));
                if (d < best) {
                    best = d;
                    best_ids = {id};
                } else if (d == best) {
                    best_ids.push_back(id);
                }
            }
        }
        if (best <= limit && best_ids.size() == 1) cands[i].push_back({best_ids[0], 1, true});
    }

    // 2. Phrase matching: each word of a phrase at the next position, allowing
    //    one filler word between ("verblijfskaart is verloren").
    struct PhraseHit {
        int start;
        int end;  // exclusive
        bool fuzzy;
    };
    // Where each word id is a candidate, in order of position: a phrase can
    // only start where its first word is.
    std::vector<std::pair<int, int>> where;  // (word id, position)
    for (int p = 0; p < n; ++p)
        for (const auto& c : cands[p]) where.emplace_back(c.word_id, p);
    std::sort(where.begin(), where.end());
    where.erase(std::unique(where.begin(), where.end()), where.end());
    // The first place (by start) where the phrase occurs, if any.
    auto find_phrase = [&](const std::vector<int>& ids) -> std::optional<PhraseHit> {
        const auto starts =
            std::equal_range(where.begin(), where.end(), std::pair{ids[0], 0},
                             [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto s = starts.first; s != starts.second; ++s) {
            const int start = s->second;
            int pos = start;
            bool fuzzy = false;
            bool ok = true;
            for (std::size_t k = 0; k < ids.size() && ok; ++k) {
                ok = false;
                const int max_gap = (k == 0 || ids.size() == 1) ? 0 : 1;
                for (int gap = 0; gap <= max_gap && !ok; ++gap) {
                    const int p = pos + gap;
                    if (p >= n) break;
                    for (const auto& c : cands[p]) {
                        if (c.word_id != ids[k]) continue;
                        ok = true;
                        fuzzy = fuzzy || c.fuzzy;
                        pos = p + c.span;
                        break;
                    }
                }
            }
            if (ok) return PhraseHit{start, pos, fuzzy};
        }
        return std::nullopt;
    };

    struct TermHit {
        const LexiconEntry* entry;
        const Term* term;
        std::vector<bool> covered;
        int words;
        bool fuzzy;
    };
    // Only the terms whose first word is a candidate somewhere can match.
    std::vector<int> possible;
    for (const auto& [id, _] : where)
        for (int t : index_->terms_starting_with[id]) possible.push_back(t);
    std::sort(possible.begin(), possible.end());
    possible.erase(std::unique(possible.begin(), possible.end()), possible.end());

    std::vector<TermHit> hits;
    std::vector<PhraseHit> parts_found;
    for (int t : possible) {
        const Index::CompiledTerm& compiled = index_->terms[t];
        const LexiconEntry& entry = *compiled.entry;
        parts_found.clear();
        for (const auto& part : compiled.parts) {
            const auto found = find_phrase(part);
            if (!found) break;
            parts_found.push_back(*found);
        }
        if (parts_found.size() != compiled.parts.size()) continue;
        TermHit hit{&entry, compiled.term, std::vector<bool>(n, false), 0, false};
        for (std::size_t k = 0; k < parts_found.size(); ++k) {
            for (int p = parts_found[k].start; p < parts_found[k].end; ++p) hit.covered[p] = true;
            hit.fuzzy = hit.fuzzy || parts_found[k].fuzzy;
            hit.words += static_cast<int>(compiled.parts[k].size());
        }
        if (entry.kind == LexiconEntry::Kind::intent && lexicon_.commands.count(entry.value) &&
            hit.words == 1 && n > lexicon_.command_max_words)
            continue;
        hits.push_back(std::move(hit));
    }

    // 3. Within one slot (or intent), the longer term takes the words it covers.
    std::stable_sort(hits.begin(), hits.end(), [](const TermHit& a, const TermHit& b) {
        return a.words != b.words ? a.words > b.words : a.term->weight > b.term->weight;
    });
    // per slot, or per intent: (is a slot, its name)
    std::map<std::pair<bool, std::string_view>, std::vector<bool>> taken;
    for (const auto& hit : hits) {
        const bool slot = hit.entry->kind == LexiconEntry::Kind::slot;
        const std::pair<bool, std::string_view> group{slot,
                                                      slot ? hit.entry->slot : hit.entry->value};
        auto& used = taken.try_emplace(group, std::vector<bool>(n, false)).first->second;
        bool overlap = false;
        for (int p = 0; p < n; ++p) overlap = overlap || (hit.covered[p] && used[p]);
        if (overlap) continue;
        for (int p = 0; p < n; ++p) used[p] = used[p] || hit.covered[p];
        const double weight = hit.fuzzy ? hit.term->weight * 0.8 : hit.term->weight;
        Match m;
        m.term = hit.term->source;
        m.weight = weight;
        m.fuzzy = hit.fuzzy;
        if (hit.entry->kind == LexiconEntry::Kind::intent) {
            m.intent = hit.entry->value;
            out.intents.insert(hit.entry->value);
        } else {
            m.slot = hit.entry->slot;
            m.value = hit.entry->value;
            out.slot_scores[m.slot][m.value] += weight;
        }
        out.matches.push_back(std::move(m));
    }

    // 4. Language: typical words, lexicon words of one language, and words
    //    that exactly one of the two dictionaries knows.
    std::map<std::string, double> votes;
    for (int i = 0; i < n; ++i) {
        const std::string& w = words[i];
        bool typical = false;
        if (const auto it = index_->typical.find(w); it != index_->typical.end()) {
            for (const auto& language : it->second) votes[language] += 1.0;
            typical = true;
        }
        if (typical || is_number(w)) continue;
        const auto id = index_->id_of.find(w);
        if (id != index_->id_of.end() && index_->words[id->second].languages.size() == 1) {
            votes[*index_->words[id->second].languages.begin()] += 1.0;
            continue;
        }
        if (dictionaries_ != nullptr && w.size() >= 3) {
            const bool nl = dictionaries_->knows("nl", w);
            const bool en = dictionaries_->knows("en", w);
            if (nl != en) votes[nl ? "nl" : "en"] += 0.5;
        }
    }
    double supported = 0;
    double foreign = 0;
    for (const auto& [language, v] : votes) {
        if (language == "nl" || language == "en")
            supported = std::max(supported, v);
        else
            foreign = std::max(foreign, v);
    }
    if (votes["nl"] > votes["en"])
        out.locale = "nl";
    else if (votes["en"] > votes["nl"])
        out.locale = "en";
    out.unsupported_language =
        text::non_latin_share(utf8) > 0.5 || (foreign >= 1.0 && foreign > supported);
    if (out.unsupported_language) out.locale.reset();
    return out;
}

}  // namespace wegwijs::language

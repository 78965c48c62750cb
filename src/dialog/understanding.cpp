#include "dialog/understanding.h"

namespace wegwijs::dialog {
namespace {

const Product* resolved(const DialogData& d, const std::map<std::string, language::SlotGuess>& f) {
    Slots s;
    for (const auto& [slot, g] : f) s[slot] = g.value;
    d.catalog.infer(d.schema, s);
    return d.catalog.resolve(d.schema, s);
}

// The product's own facts, and the lexicon's others that keep selecting it.
std::map<std::string, language::SlotGuess> facts_for(
    const DialogData& d, const Product& p,
    const std::map<std::string, language::SlotGuess>& lexicon, double confidence) {
    std::map<std::string, language::SlotGuess> out;
    out["desk"] = {p.desk, confidence, confidence};
    const auto subject = p.when.find("subject");
    if (subject != p.when.end() && !subject->second.empty()) {
        out["subject"] = {subject->second.front(), confidence, confidence};
        // a finer subject the lexicon read ("ukraine" within "protection")
        const auto lex = lexicon.find("subject");
        if (lex != lexicon.end() &&
            d.schema.is_a("subject", lex->second.value, subject->second.front())) {
            auto finer = out;
            finer["subject"] = lex->second;
            if (resolved(d, finer) == &p) out = finer;
        }
    }
    for (const auto& [slot, guess] : lexicon) {
        if (slot == "desk" || slot == "subject") continue;
        auto with = out;
        with[slot] = guess;
        if (resolved(d, with) == &p) out = std::move(with);
    }
    return out;
}

}  // namespace

Understanding understand(const DialogData& d, const language::Analysis& a) {
    Understanding u;
    u.facts = a.facts();
    u.out_of_scope = a.has("out_of_scope");
    if (a.topics.empty()) {
        u.product_committed = resolved(d, u.facts) != nullptr;
        return u;
    }
    const language::Topic& top = a.topics.front();
    u.topic = top.label;
    u.confidence = top.probability;

    auto commit = [&](const Product& product, double probability) {
        u.facts = facts_for(d, product, u.facts, probability);
        u.product_committed = true;
        u.out_of_scope = false;
        return u;
    };
    const Product* lexicon_product = resolved(d, u.facts);
    const Product* p = d.catalog.find(top.label);
    const double second = a.topics.size() > 1 ? a.topics[1].probability : 0;
    const bool sure = top.probability >= kTopicCommit ||
                      (top.probability >= kTopicLead && top.probability >= 2 * second);
    if (p != nullptr && (sure || lexicon_product == p)) return commit(*p, top.probability);
    // The lexicon's product, when the classifier ranks it among its first.
    const bool sure_vague = top.label == language::kVague && top.probability >= kTopicCommit;
    if (lexicon_product != nullptr && top.label != language::kOutOfScope && !sure_vague)
        for (const auto& t : a.topics)
            if (t.label == lexicon_product->id && t.probability >= kTopicAgree)
                return commit(*lexicon_product, t.probability);
    // Vague, out of scope, or unsure: the lexicon's facts help the question
    // that follows ("asiel": which desk?), but never select a product alone
    // ("verblijfskaart": a question, not the residence-card counter).
    if (top.label == language::kOutOfScope && top.probability >= kTopicCommit) {
        u.out_of_scope = true;
        u.facts.clear();
        return u;
    }
    if (lexicon_product != nullptr) {
        std::map<std::string, language::SlotGuess> kept;
        const auto desk = u.facts.find("desk");
        if (desk != u.facts.end()) kept["desk"] = desk->second;
        u.facts = std::move(kept);
    }
    return u;
}

}  // namespace wegwijs::dialog

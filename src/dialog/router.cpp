#include "dialog/router.h"

#include <algorithm>

#include "dialog/understanding.h"

namespace wegwijs::dialog {

nlohmann::json RouteResult::to_json() const {
    nlohmann::json c = nlohmann::json::array();
    for (const auto& x : candidates) c.push_back({{"product", x.product}, {"score", x.score}});
    auto opt = [](const std::optional<std::string>& v) {
        return v ? nlohmann::json(*v) : nlohmann::json();
    };
    return {{"locale", locale},         {"desk", opt(desk)}, {"product", opt(product)},
            {"confidence", confidence}, {"candidates", c},   {"appointment", opt(appointment)}};
}

RouteResult route(const DialogData& d, const std::string& text,
                  const std::optional<std::string>& locale) {
    return route(d, d.analyse(text), locale);
}

RouteResult route(const DialogData& d, const language::Analysis& a,
                  const std::optional<std::string>& locale) {
    RouteResult out;
    out.locale = locale.value_or(a.locale.value_or("nl"));
    if (a.unsupported_language && !a.locale) return out;

    const Understanding u = understand(d, a);
    const auto& facts = u.facts;
    Slots s;
    for (const auto& [slot, guess] : facts) s[slot] = guess.value;
    d.catalog.infer(d.schema, s);

    // A candidate is a product no fact contradicts and some fact supports;
    // its score is the evidence for its desk and for the facts that select it.
    double total = 0;
    for (const auto& p : d.catalog.products()) {
        if (!d.schema.consistent(p.when, s)) continue;
        double score = 0;
        for (const auto& [slot, accepted] : p.when) {
            const auto f = facts.find(slot);
            if (f != facts.end() && d.schema.accepts(slot, accepted, f->second.value))
                score += f->second.score;
            else if (s.count(slot))
                score += 0.5;  // inferred from other facts
        }
        if (score <= 0) continue;
        const auto desk = facts.find("desk");
        if (desk != facts.end())
            score += desk->second.value == p.desk ? desk->second.score : 0;
        else if (s.count("desk") && s.at("desk") == p.desk)
            score += 0.5;
        out.candidates.push_back({p.id, score});
        total += score;
    }
    for (auto& c : out.candidates) c.score /= total;
    std::stable_sort(out.candidates.begin(), out.candidates.end(),
                     [](const Candidate& x, const Candidate& y) { return x.score > y.score; });
    if (out.candidates.size() > 5) out.candidates.resize(5);

    const Product* p = d.catalog.resolve(d.schema, s);
    if (p == nullptr || u.out_of_scope) {
        out.confidence = out.candidates.empty() ? 0 : out.candidates.front().score;
        // a question without a topic yet ("what are the conditions"): the desk is known
        const auto desk = facts.find("desk");
        if (!u.out_of_scope && desk != facts.end()) out.desk = desk->second.value;
        return out;
    }
    out.product = p->id;
    out.desk = p->desk;
    const auto it = std::find_if(out.candidates.begin(), out.candidates.end(),
                                 [&](const Candidate& c) { return c.product == p->id; });
    out.confidence = it == out.candidates.end() ? 0.5 : it->score;
    const Outcome o = d.catalog.outcome(d.schema, *p, s);
    if (!o.appointment.empty()) out.appointment = o.appointment;
    return out;
}

}  // namespace wegwijs::dialog

#include "dialog/catalog.h"

#include <set>
#include <stdexcept>

namespace wegwijs::dialog {

Catalog Catalog::from_json(const nlohmann::json& j) {
    Catalog c;
    c.desks_ = j.at("desks").get<std::vector<std::string>>();
    c.general_rules_ = j.value("general_rules", std::vector<std::string>{});
    for (const auto& [id, value] : j.at("contacts").items()) {
        c.contacts_.push_back(
            {id, value.at("value").get<std::string>(), value.at("source").get<std::string>()});
        c.contact_args_["contact_" + id] = c.contacts_.back().value;
    }
    for (const auto& p : j.at("products")) {
        Product product;
        product.id = p.at("id").get<std::string>();
        product.desk = p.at("desk").get<std::string>();
        product.when = condition_from_json(p.at("when"));
        product.appointment = p.value("appointment", std::string());
        product.notes = p.value("notes", std::vector<std::string>{});
        product.bring = p.value("bring", std::vector<std::string>{});
        for (const auto& r : p.value("rules", nlohmann::json::array()))
            product.rules.push_back({condition_from_json(r.at("when")),
                                     r.value("appointment", product.appointment),
                                     r.value("notes", std::vector<std::string>{})});
        c.products_.push_back(std::move(product));
    }
    return c;
}

const Product* Catalog::find(const std::string& id) const {
    for (const auto& p : products_)
        if (p.id == id) return &p;
    return nullptr;
}

const Product* Catalog::resolve(const SlotSchema& schema, const Slots& s) const {
    std::vector<const Product*> matching;
    for (const auto& p : products_)
        if (!p.when.empty() && schema.satisfied(p.when, s)) matching.push_back(&p);
    const auto desk = s.find("desk");
    if (desk != s.end()) {
        std::vector<const Product*> at_desk;
        for (const auto* p : matching)
            if (p->desk == desk->second) at_desk.push_back(p);
        if (!at_desk.empty()) matching = at_desk;
    }
    return matching.size() == 1 ? matching.front() : nullptr;
}

void Catalog::infer(const SlotSchema& schema, Slots& s) const {
    for (int round = 0; round < 2; ++round) {
        schema.apply_implications(s);
        schema.apply_inferences(s);
        schema.apply_implications(s);
        const auto subject = s.find("subject");
        if (subject == s.end()) return;
        // Desks of the products this subject can still lead to (itself or a finer value).
        std::set<std::string> desks;
        Slots others = s;
        others.erase("subject");
        others.erase("desk");
        for (const auto& p : products_) {
            const auto wanted = p.when.find("subject");
            if (wanted == p.when.end()) continue;
            bool possible = schema.accepts("subject", wanted->second, subject->second);
            for (const auto& v : wanted->second)
                possible = possible || schema.is_a("subject", v, subject->second);
            if (possible && schema.consistent(p.when, others)) desks.insert(p.desk);
        }
        if (desks.size() == 1) s["desk"] = *desks.begin();
    }
}

Outcome Catalog::outcome(const SlotSchema& schema, const Product& p, const Slots& s) const {
    Outcome o{p.appointment, p.notes};
    for (const auto& rule : p.rules) {
        if (!schema.satisfied(rule.when, s)) continue;
        o.appointment = rule.appointment;
        o.notes.insert(o.notes.end(), rule.notes.begin(), rule.notes.end());
        break;
    }
    return o;
}

}  // namespace wegwijs::dialog

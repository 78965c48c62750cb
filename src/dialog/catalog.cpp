#include "dialog/catalog.h"

#include <set>
#include <stdexcept>

namespace wegwijs::dialog {

namespace {
constexpr const char* kSubject = "subject";
constexpr const char* kDesk = "desk";
}  // namespace

Catalog Catalog::from_json(const nlohmann::json& j, const SlotSchema& schema) {
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
        product.location_from = p.value("location_from", std::string());
        if (!product.location_from.empty() && !schema.has_slot(product.location_from))
            throw std::invalid_argument("products." + product.id + ".location_from: '" +
                                        product.location_from + "' is not a slot");
        for (const auto& r : p.value("rules", nlohmann::json::array()))
            product.rules.push_back({condition_from_json(r.at("when")),
                                     r.value("appointment", product.appointment),
                                     r.value("notes", std::vector<std::string>{}),
                                     r.value("bring", std::vector<std::string>{})});
        c.products_.push_back(std::move(product));
    }
    static const std::map<std::string, SlotValue> no_subjects;
    const auto& subjects = schema.has_slot(kSubject) ? schema.values(kSubject) : no_subjects;
    for (std::size_t i = 0; i < c.products_.size(); ++i) {
        const auto wanted = c.products_[i].when.find(kSubject);
        if (wanted == c.products_[i].when.end()) {
            c.without_subject_.push_back(i);
            continue;
        }
        for (const auto& [value, definition] : subjects) {
            SubjectIndex& index = c.by_subject_[value];
            if (schema.accepts(kSubject, wanted->second, value)) {
                index.accepting.push_back(i);
                index.reachable.push_back(i);
                continue;
            }
            for (const auto& w : wanted->second)
                if (schema.is_a(kSubject, w, value)) {
                    index.reachable.push_back(i);
                    break;
                }
        }
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
    const auto test = [&](std::size_t i) {
        const Product& p = products_[i];
        if (!p.when.empty() && schema.satisfied(p.when, s)) matching.push_back(&p);
    };
    // A product that names a subject is satisfied only by a subject it accepts.
    for (const std::size_t i : without_subject_) test(i);
    if (const auto subject = s.find(kSubject); subject != s.end())
        if (const auto index = by_subject_.find(subject->second); index != by_subject_.end())
            for (const std::size_t i : index->second.accepting) test(i);
    const auto desk = s.find(kDesk);
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
        const auto subject = s.find(kSubject);
        if (subject == s.end()) return;
        // Desks of the products this subject can still lead to (itself or a
        // finer value) that no other known fact rules out.
        const auto index = by_subject_.find(subject->second);
        static const std::vector<std::size_t> none;
        std::set<std::string> desks;
        for (const std::size_t i : index == by_subject_.end() ? none : index->second.reachable)
            if (schema.consistent(products_[i].when, s, {kSubject, kDesk}))
                desks.insert(products_[i].desk);
        if (desks.size() == 1) s[kDesk] = *desks.begin();
    }
}

bool Catalog::offers(const SlotSchema& schema, const std::string& desk,
                     const std::string& subject) const {
    Slots s{{kDesk, desk}, {kSubject, subject}};
    schema.apply_inferences(s);
    const auto index = by_subject_.find(s.at(kSubject));
    if (index == by_subject_.end()) return false;
    for (const std::size_t i : index->second.reachable)
        if (products_[i].desk == desk) return true;
    return false;
}

Outcome Catalog::outcome(const SlotSchema& schema, const Product& p, const Slots& s) const {
    Outcome o{p.appointment, p.notes, p.bring};
    for (const auto& rule : p.rules) {
        if (!schema.satisfied(rule.when, s)) continue;
        o.appointment = rule.appointment;
        o.notes.insert(o.notes.end(), rule.notes.begin(), rule.notes.end());
        o.bring.insert(o.bring.end(), rule.bring.begin(), rule.bring.end());
        break;
    }
    if (o.appointment == "not_needed") o.bring.clear();
    return o;
}

}  // namespace wegwijs::dialog

#include "dialog/slots.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace wegwijs::dialog {

Condition condition_from_json(const nlohmann::json& j) {
    Condition c;
    if (j.is_null()) return c;
    for (const auto& [slot, v] : j.items()) {
        if (v.is_string())
            c[slot] = {v.get<std::string>()};
        else
            c[slot] = v.get<std::vector<std::string>>();
    }
    return c;
}

SlotSchema SlotSchema::from_json(const nlohmann::json& j) {
    SlotSchema schema;
    for (const auto& [slot, def] : j.at("slots").items()) {
        auto& values = schema.slots_[slot];
        for (const auto& [value, props] : def.at("values").items()) {
            SlotValue v;
            v.parent = props.value("parent", std::string());
            const nlohmann::json implies = props.value("implies", nlohmann::json::object());
            for (const auto& [s, x] : implies.items()) v.implies[s] = x.get<std::string>();
            values.emplace(value, std::move(v));
        }
    }
    for (const auto& rule : j.value("inferences", nlohmann::json::array())) {
        Inference inference{condition_from_json(rule.at("when")), {}};
        for (const auto& [s, x] : rule.at("set").items()) inference.set[s] = x.get<std::string>();
        schema.inferences_.push_back(std::move(inference));
    }
    for (const auto& inference : schema.inferences_) {
        for (const auto& [s, values] : inference.when)
            for (const auto& x : values)
                if (!schema.has_value(s, x))
                    throw std::invalid_argument("inferences: unknown " + s + "=" + x);
        for (const auto& [s, x] : inference.set)
            if (!schema.has_value(s, x))
                throw std::invalid_argument("inferences: sets unknown " + s + "=" + x);
    }
    for (const auto& [slot, values] : schema.slots_) {
        for (const auto& [value, v] : values) {
            if (!v.parent.empty() && !values.count(v.parent))
                throw std::invalid_argument("slots." + slot + "." + value + ": parent '" +
                                            v.parent + "' is not a value of " + slot);
            std::set<std::string> seen{value};
            for (std::string p = v.parent; !p.empty(); p = values.at(p).parent) {
                if (!seen.insert(p).second)
                    throw std::invalid_argument("slots." + slot + "." + value + ": parent cycle");
                schema.ancestors_[slot][value].push_back(p);
            }
            for (const auto& [s, x] : v.implies)
                if (!schema.has_value(s, x))
                    throw std::invalid_argument("slots." + slot + "." + value +
                                                ": implies unknown " + s + "=" + x);
        }
    }
    return schema;
}

bool SlotSchema::has_value(const std::string& slot, const std::string& value) const {
    const auto it = slots_.find(slot);
    return it != slots_.end() && it->second.count(value) > 0;
}

const std::map<std::string, SlotValue>& SlotSchema::values(const std::string& slot) const {
    return slots_.at(slot);
}

std::vector<std::string> SlotSchema::slot_names() const {
    std::vector<std::string> out;
    for (const auto& [slot, _] : slots_) out.push_back(slot);
    return out;
}

bool SlotSchema::is_a(const std::string& slot, const std::string& value,
                      const std::string& ancestor) const {
    if (value == ancestor) return true;
    const auto in_slot = ancestors_.find(slot);
    if (in_slot == ancestors_.end()) return false;
    const auto chain = in_slot->second.find(value);
    if (chain == in_slot->second.end()) return false;
    for (const auto& a : chain->second)
        if (a == ancestor) return true;
    return false;
}

bool SlotSchema::accepts(const std::string& slot, const std::vector<std::string>& accepted,
                         const std::string& value) const {
    for (const auto& a : accepted)
        if (is_a(slot, value, a)) return true;
    return false;
}

bool SlotSchema::satisfied(const Condition& c, const Slots& s) const {
    for (const auto& [slot, accepted] : c) {
        const auto it = s.find(slot);
        if (it == s.end() || !accepts(slot, accepted, it->second)) return false;
    }
    return true;
}

bool SlotSchema::consistent(const Condition& c, const Slots& s,
                            std::initializer_list<std::string_view> ignoring) const {
    for (const auto& [slot, accepted] : c) {
        if (std::find(ignoring.begin(), ignoring.end(), slot) != ignoring.end()) continue;
        const auto it = s.find(slot);
        if (it != s.end() && !accepts(slot, accepted, it->second)) return false;
    }
    return true;
}

void SlotSchema::apply_implications(Slots& s) const {
    for (int round = 0; round < 8; ++round) {
        bool changed = false;
        const Slots snapshot = s;
        for (const auto& [slot, value] : snapshot) {
            const auto def = slots_.find(slot);
            if (def == slots_.end()) continue;
            const auto v = def->second.find(value);
            if (v == def->second.end()) continue;
            for (const auto& [other, implied] : v->second.implies) {
                const auto known = s.find(other);
                // unknown, or known only as a broader value that this one refines
                if (known == s.end() ||
                    (known->second != implied && is_a(other, implied, known->second))) {
                    s[other] = implied;
                    changed = true;
                }
            }
        }
        if (!changed) return;
    }
}

void SlotSchema::apply_inferences(Slots& s) const {
    for (const auto& rule : inferences_)
        if (satisfied(rule.when, s))
            for (const auto& [slot, value] : rule.set) s[slot] = value;
}

}  // namespace wegwijs::dialog

// Slots: the facts a conversation collects ("desk" = "loket", "subject" =
// "annex_35"), and the conditions that the flow and the catalog test on them.
//
// Slot values may form a hierarchy: a value names a parent ("ukraine" is a
// kind of "protection"), and a condition that accepts "protection" accepts
// "ukraine" too. Invariant kept by SlotSchema::from_json: every parent and
// every implied value exists, and the parent chain has no cycle.
#pragma once

#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wegwijs::dialog {

using Slots = std::map<std::string, std::string>;  // slot -> value; absent = unknown

// slot -> accepted values (any of them, or a descendant of one)
using Condition = std::map<std::string, std::vector<std::string>>;

Condition condition_from_json(const nlohmann::json& j);

struct SlotValue {
    std::string parent;
    Slots implies;  // facts that follow from this value when not known otherwise
};

class SlotSchema {
  public:
    static SlotSchema from_json(const nlohmann::json& j);  // throws std::invalid_argument

    bool has_slot(const std::string& slot) const { return slots_.count(slot) > 0; }
    bool has_value(const std::string& slot, const std::string& value) const;
    const std::map<std::string, SlotValue>& values(const std::string& slot) const;
    std::vector<std::string> slot_names() const;

    // value is ancestor itself, or a descendant of it
    bool is_a(const std::string& slot, const std::string& value, const std::string& ancestor) const;
    bool accepts(const std::string& slot, const std::vector<std::string>& accepted,
                 const std::string& value) const;

    // every condition's slot known and accepted
    bool satisfied(const Condition& c, const Slots& s) const;
    // no known slot contradicts the condition (the slots in `ignoring` aside)
    bool consistent(const Condition& c, const Slots& s,
                    std::initializer_list<std::string_view> ignoring = {}) const;

    // Adds what the known values imply, for slots still unknown (to a fixpoint).
    void apply_implications(Slots& s) const;
    // Applies the data's inferences: when a combination of facts holds, set others.
    void apply_inferences(Slots& s) const;

    struct Inference {
        Condition when;
        Slots set;
    };
    const std::vector<Inference>& inferences() const { return inferences_; }

  private:
    std::map<std::string, std::map<std::string, SlotValue>> slots_;
    std::vector<Inference> inferences_;
    // slot -> value -> its ancestors, nearest first, for the values that have
    // a parent: is_a() is on every path of the dialog, so it looks the whole
    // chain up at once (a value without a parent is only itself).
    std::unordered_map<std::string, std::unordered_map<std::string, std::vector<std::string>>>
        ancestors_;
};

}  // namespace wegwijs::dialog

// The product catalog (dialogs/catalog.json): the 24 products of
// ../shared/spec/products.md, the desk of each, the facts that select it, and
// what its outcome says (appointment needed or not, notes, what to bring).
//
// Invariants (checked by validate()): product ids are unique; every desk,
// slot, value and message key named here exists.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "dialog/slots.h"

namespace wegwijs::dialog {

struct AppointmentRule {
    Condition when;
    std::string appointment;  // "required" | "optional" | "not_needed" | "" (unknown)
    std::vector<std::string> notes;
    std::vector<std::string> bring;  // said with the product's own ("the annex 12" for a lost card)
};

struct Product {
    std::string id;
    std::string desk;  // a value of the "desk" slot: "infopunt" or "loket"
    Condition when;    // facts (besides the desk) that select this product
    std::string appointment;
    std::vector<AppointmentRule> rules;  // first rule whose facts are known and match wins
    std::vector<std::string> notes;      // message keys always said with the outcome
    std::vector<std::string> bring;      // message keys of things to bring
    // A slot whose value is the one calendar location it is booked at
    // ("pickup_location": a card is collected where it was requested); empty: any.
    std::string location_from;
};

struct Outcome {
    std::string appointment;  // as in AppointmentRule
    std::vector<std::string> notes;
    std::vector<std::string> bring;  // empty when no appointment is needed: nothing to bring
};

struct Contact {
    std::string id;
    std::string value;
    std::string source;
};

// Invariant: the catalog was built with the dialog's one slot schema, which
// resolve() and infer() are also given; the subject index below depends on it.
class Catalog {
  public:
    static Catalog from_json(const nlohmann::json& j, const SlotSchema& schema);

    const std::vector<Product>& products() const { return products_; }
    const Product* find(const std::string& id) const;
    const std::vector<Contact>& contacts() const { return contacts_; }
    // {"contact_<id>": value} for every contact: the arguments messages use.
    const std::map<std::string, std::string>& contact_args() const { return contact_args_; }
    const std::vector<std::string>& desks() const { return desks_; }
    const std::vector<std::string>& general_rules() const { return general_rules_; }

    // The single product the facts select, if any: the desk fact chooses
    // between products of the same subject.
    const Product* resolve(const SlotSchema& schema, const Slots& s) const;

    // Adds implied facts, then the desk when the subject leaves only one desk
    // (a subject that only the Infopunt handles moves the conversation there).
    void infer(const SlotSchema& schema, Slots& s) const;

    Outcome outcome(const SlotSchema& schema, const Product& p, const Slots& s) const;

    // Whether the desk has a product for the subject (itself, a finer value,
    // or what the data's inferences make of it at that desk).
    bool offers(const SlotSchema& schema, const std::string& desk,
                const std::string& subject) const;

  private:
    // For each value of the "subject" slot, the products (indices into
    // products_, in catalog order) whose subject condition accepts it, and
    // those it can still lead to (accepted, or a finer value of it). Built
    // once, so that the two calls on every turn do not test all 24 products.
    struct SubjectIndex {
        std::vector<std::size_t> accepting;
        std::vector<std::size_t> reachable;
    };
    std::unordered_map<std::string, SubjectIndex> by_subject_;
    std::vector<std::size_t> without_subject_;  // products that do not name a subject

    std::vector<Product> products_;
    std::vector<Contact> contacts_;
    std::map<std::string, std::string> contact_args_;
    std::vector<std::string> desks_;
    std::vector<std::string> general_rules_;
};

}  // namespace wegwijs::dialog

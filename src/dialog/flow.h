// The conversation's state machine (dialogs/flow.json).
//
// A state is a question (it fills one slot from its choices or from free
// text), the confirmation of the product, an outcome, or a stop (a rule that
// ends the conversation without a product, e.g. the police declaration first).
// The current state is a function of the known facts: walk() starts at the
// start state and passes every question whose slot is already answered, so a
// fact given early skips its question, and going back is restoring facts.
// Invariants (checked by validate()): every transition leads to a state, every
// state is reachable, and the walk cannot cycle.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dialog/slots.h"

namespace wegwijs::dialog {

struct Choice {
    std::string id;                 // stable id sent by clients ("loket", "yes")
    std::string label;              // message key
    Slots set;                      // facts this choice gives
    std::vector<std::string> keep;  // when present: forget every other fact first
    Condition when;                 // offered only when these facts hold
    std::string answer;             // "yes" / "no": what a typed yes or no selects
    std::string intent;             // instead of facts: "restart", "back", "human", "help"
};

struct Transition {
    Condition when;  // empty: always
    std::string to;
};

struct State {
    enum class Type { question, confirm, outcome, stop };
    std::string id;
    Type type = Type::question;
    std::string slot;  // question: the slot it fills; confirm: the slot that records the yes
    std::string ask;   // message key of the question
    std::vector<std::string> say;  // stop: message keys
    std::vector<Choice> choices;
    std::vector<Transition> next;
};

class Flow {
  public:
    static Flow from_json(const nlohmann::json& j);

    const std::string& start() const { return start_; }
    const std::map<std::string, State>& states() const { return states_; }
    const State& state(const std::string& id) const { return states_.at(id); }
    const std::vector<Choice>& menu() const { return menu_; }  // the topic menu of the fallback
    const std::vector<Choice>& end_choices() const { return end_choices_; }

    // A question counts as answered when its slot holds one of the values its
    // choices give, or a finer value below one of them.
    bool answered(const SlotSchema& schema, const State& st, const Slots& s) const;
    // The state the conversation is in, given the facts.
    const State& walk(const SlotSchema& schema, const Slots& s) const;
    std::vector<Choice> offered(const SlotSchema& schema, const State& st, const Slots& s) const;

  private:
    std::string start_;
    std::map<std::string, State> states_;
    std::vector<Choice> menu_;
    std::vector<Choice> end_choices_;
};

}  // namespace wegwijs::dialog

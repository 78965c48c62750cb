#include "dialog/flow.h"

#include <stdexcept>

namespace wegwijs::dialog {
namespace {

State::Type type_from(const std::string& t) {
    if (t == "question") return State::Type::question;
    if (t == "confirm") return State::Type::confirm;
    if (t == "outcome") return State::Type::outcome;
    if (t == "stop") return State::Type::stop;
    throw std::invalid_argument("unknown state type '" + t + "'");
}

Choice choice_from(const nlohmann::json& j) {
    Choice c;
    c.id = j.at("id").get<std::string>();
    c.label = j.at("label").get<std::string>();
    const nlohmann::json set = j.value("set", nlohmann::json::object());
    for (const auto& [slot, v] : set.items()) c.set[slot] = v.get<std::string>();
    c.keep = j.value("keep", std::vector<std::string>{});
    if (j.contains("keep") && c.keep.empty()) c.keep = {""};  // "keep": [] forgets everything
    c.when = condition_from_json(j.value("when", nlohmann::json()));
    c.answer = j.value("answer", std::string());
    c.intent = j.value("intent", std::string());
    return c;
}

std::vector<Choice> choices_from(const nlohmann::json& j) {
    std::vector<Choice> out;
    for (const auto& c : j) out.push_back(choice_from(c));
    return out;
}

}  // namespace

Flow Flow::from_json(const nlohmann::json& j) {
    Flow f;
    f.start_ = j.at("start").get<std::string>();
    for (const auto& [id, s] : j.at("states").items()) {
        State st;
        st.id = id;
        st.type = type_from(s.value("type", std::string("question")));
        st.slot = s.value("slot", std::string());
        st.ask = s.value("ask", std::string());
        st.say = s.value("say", std::vector<std::string>{});
        st.choices = choices_from(s.value("choices", nlohmann::json::array()));
        for (const auto& t : s.value("next", nlohmann::json::array()))
            st.next.push_back({condition_from_json(t.value("when", nlohmann::json())),
                               t.at("to").get<std::string>()});
        f.states_.emplace(id, std::move(st));
    }
    f.menu_ = choices_from(j.value("menu", nlohmann::json::array()));
    f.end_choices_ = choices_from(j.value("end_choices", nlohmann::json::array()));
    return f;
}

bool Flow::answered(const SlotSchema& schema, const State& st, const Slots& s) const {
    const auto known = s.find(st.slot);
    if (known == s.end()) return false;
    if (st.type == State::Type::confirm) return known->second == "yes";
    for (const auto& c : st.choices) {
        const auto v = c.set.find(st.slot);
        if (v != c.set.end() && schema.is_a(st.slot, known->second, v->second)) return true;
    }
    return false;
}

const State& Flow::walk(const SlotSchema& schema, const Slots& s) const {
    const State* st = &states_.at(start_);
    for (std::size_t steps = 0; steps <= states_.size(); ++steps) {
        const bool passes =
            (st->type == State::Type::question || st->type == State::Type::confirm) &&
            answered(schema, *st, s);
        if (!passes) return *st;
        const State* next = nullptr;
        for (const auto& t : st->next)
            if (schema.satisfied(t.when, s)) {
                next = &states_.at(t.to);
                break;
            }
        if (next == nullptr) return *st;
        st = next;
    }
    throw std::logic_error("the flow cycles at state " + st->id);
}

std::vector<Choice> Flow::offered(const SlotSchema& schema, const State& st, const Slots& s) const {
    std::vector<Choice> out;
    const auto& source =
        (st.type == State::Type::outcome || st.type == State::Type::stop) && st.choices.empty()
            ? end_choices_
            : st.choices;
    out.reserve(source.size());
    for (const auto& c : source)
        if (schema.satisfied(c.when, s)) out.push_back(c);
    return out;
}

}  // namespace wegwijs::dialog

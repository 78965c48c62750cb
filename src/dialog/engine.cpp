#include "dialog/engine.h"

#include <algorithm>

#include "dialog/outcome.h"
#include "dialog/understanding.h"
#include "text/normalizer.h"

namespace wegwijs::dialog {
namespace {

const std::string kConfirmed = "confirmed";

bool is_number(const std::string& w) {
    return !w.empty() && w.size() <= 2 &&
           std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

// What one turn has done so far, before the reply is rendered.
struct Engine::Turn {
    std::vector<std::string> before;  // message keys said before the state's own message
    bool understood = false;
    bool language_prompt = false;
    bool client_locale = false;  // the client chose the language: do not detect it
    Slots old;
    std::string understanding;     // JSON text
    double topic_confidence = -1;  // the classifier's, when it read the sentence for the topic
};

namespace {

// The citizen corrected the assistant: a desk or topic it had taken is
// changed or dropped ("nee, een ander onderwerp", "no, the counter", back).
bool corrects(const Slots& before, const Slots& after) {
    for (const char* slot : {"desk", "subject"}) {
        const auto had = before.find(slot);
        if (had == before.end()) continue;
        const auto now = after.find(slot);
        if (now == after.end() || now->second != had->second) return true;
    }
    return false;
}

bool said(const std::vector<std::string>& keys, const std::string& prefix) {
    return std::any_of(keys.begin(), keys.end(),
                       [&](const std::string& k) { return k.rfind(prefix, 0) == 0; });
}

}  // namespace

ReplyMessage Engine::say(const Session& s, const messages::Args& a, const std::string& key,
                         const std::string& locale) const {
    const std::string l = locale.empty() ? s.locale : locale;
    return {key, d_.messages.format(l, key, a), l, {}};
}

messages::Args Engine::args(const Session& s) const {
    messages::Args a = d_.catalog.contact_args();
    const auto desk = s.slots.find("desk");
    if (desk != s.slots.end() && d_.messages.has(s.locale, "desk." + desk->second))
        a["desk"] = d_.messages.format(s.locale, "desk." + desk->second);
    if (const Product* p = d_.catalog.resolve(d_.schema, s.slots)) {
        a["product"] = d_.messages.format(s.locale, "product." + p->id);
        a["desk"] = d_.messages.format(s.locale, "desk." + p->desk);
    }
    return a;
}

std::vector<ReplyChoice> Engine::labels(const Session& s, const messages::Args& a,
                                        const std::vector<Choice>& choices) const {
    std::vector<ReplyChoice> out;
    for (const auto& c : choices) {
        out.push_back({c.id, d_.messages.format(s.locale, c.label, a)});
        // what a messaging app's button shows (wegwijs check keeps it short)
        if (d_.messages.has(s.locale, "short." + c.label))
            out.back().short_label = d_.messages.format(s.locale, "short." + c.label, a);
    }
    return out;
}

Reply Engine::start(Session& s, const std::string& notice) const {
    Turn t;
    if (!notice.empty()) t.before.push_back(notice);
    t.before.push_back("welcome");
    t.understood = true;
    return render(s, t);
}

bool Engine::apply_choice(Session& s, const Choice& c, Turn& t) const {
    if (!c.intent.empty()) {
        apply_intent(s, c.intent, t);
        return true;
    }
    if (!c.keep.empty()) {
        Slots kept;
        for (const auto& k : c.keep)
            if (s.slots.count(k)) kept[k] = s.slots.at(k);
        s.slots = kept;
    }
    for (const auto& [k, v] : c.set) s.slots[k] = v;
    if (!c.set.count(kConfirmed)) s.slots.erase(kConfirmed);
    t.understood = true;
    return true;
}

void Engine::apply_intent(Session& s, const std::string& intent, Turn& t) const {
    t.understood = true;
    if (intent == "restart") {
        s.slots.clear();
        s.history.clear();
        t.old = s.slots;
        t.before.push_back("restart.done");
    } else if (intent == "back") {
        if (s.history.empty()) {
            t.before.push_back("back.nothing");
        } else {
            s.slots = s.history.back();
            s.history.pop_back();
            t.old = s.slots;  // going back is not a change to remember
            t.before.push_back("back.done");
        }
    } else if (intent == "lang_nl" || intent == "lang_en") {
        s.choose_locale(intent == "lang_nl" ? "nl" : "en");
        t.before.push_back("language.switched");
    } else if (intent == "human") {
        const auto desk = s.slots.find("desk");
        t.before.push_back(desk == s.slots.end() ? "human.any" : "human." + desk->second);
    } else if (intent == "help") {
        t.before.push_back("help");
    }
}

void Engine::understand_text(Session& s, const std::string& input, const language::Analysis& a,
                             Turn& t) const {
    t.understanding = a.to_json_text();
    if (!s.language_settled && a.locale && !t.client_locale) s.locale = *a.locale;
    if (a.locale || t.client_locale) s.language_settled = true;
    if (a.unsupported_language && !a.locale) {
        t.language_prompt = true;
        t.understood = true;
        return;
    }
    for (const char* command : {"restart", "back", "lang_nl", "lang_en", "human", "help"})
        if (a.has(command)) {
            apply_intent(s, command, t);
            // a language switch may come with facts ("in English please, my card is lost")
            if (std::string(command).rfind("lang_", 0) != 0) return;
        }

    Slots probe = s.slots;
    d_.catalog.infer(d_.schema, probe);
    const State& current = d_.flow.walk(d_.schema, probe);
    const auto offered = d_.flow.offered(d_.schema, current, probe);

    // A choice by its number, by a typed yes or no, or by its label.
    const Choice* picked = nullptr;
    if (a.words.size() == 1 && is_number(a.words[0])) {
        // the number of a choice as shown (the state's own choices may be fewer)
        const std::size_t n = std::stoul(a.words[0]);
        if (s.offer_kind == "state" && n >= 1 && n <= s.offered.size()) {
            for (const auto& c : offered)
                if (c.id == s.offered[n - 1]) picked = &c;
        } else if (n >= 1 && n <= offered.size()) {
            picked = &offered[n - 1];
        }
    }
    // "no, at the counter": a desk that differs is a correction, not a plain no
    const auto said = a.facts();
    const auto said_desk = said.find("desk");
    const bool new_desk = said_desk != said.end() && said_desk->second.confidence >= 0.5 &&
                          (!s.slots.count("desk") || s.slots.at("desk") != said_desk->second.value);
    if (picked == nullptr && !new_desk && (a.has("yes") != a.has("no"))) {
        const std::string answer = a.has("yes") ? "yes" : "no";
        for (const auto& c : offered)
            if (c.answer == answer) picked = &c;
    }
    if (picked == nullptr) {
        const std::string folded = text::Normalizer::fold_plain(input);
        for (const auto& label : labels(s, args(s), offered))
            if (text::Normalizer::fold_plain(label.label) == folded)
                for (const auto& c : offered)
                    if (c.id == label.id) picked = &c;
    }
    if (picked != nullptr) {
        apply_choice(s, *picked, t);
        return;
    }

    // Facts: fill what is unknown and the question being asked. A sentence
    // about the topic (nothing known yet, the desk or topic question, after
    // an outcome, or a clear new topic) is read by the topic classifier with
    // the lexicon; an answer to a detail question or to the confirmation by
    // the lexicon alone. A desk or a topic given at any question corrects the
    // one known, and keeps the facts that still apply.
    const bool finished = current.type == State::Type::outcome || current.type == State::Type::stop;
    const Understanding u = understand(d_, a);
    const Product* before = d_.catalog.resolve(d_.schema, probe);
    const bool topical = !s.slots.count("subject") || current.slot == "subject" ||
                         current.slot == "desk" || finished;
    if (topical && !u.topic.empty()) t.topic_confidence = u.confidence;
    const bool new_topic = u.product_committed && u.confidence >= kTopicCorrect &&
                           before != nullptr && u.topic != before->id &&
                           (said.count("subject") || said.count("desk"));
    auto facts = topical || new_topic ? u.facts : said;
    if (finished && facts.count("subject")) s.slots.clear();
    bool filled = false;
    for (const auto& [slot, guess] : facts) {
        if (slot == kConfirmed) continue;
        const bool known = s.slots.count(slot) > 0;
        if (known && s.slots.at(slot) == guess.value) {
            filled = true;
            continue;
        }
        const bool correcting = slot == "desk" || (slot == "subject" && (topical || new_topic));
        if (known && slot != current.slot && !correcting) continue;
        if (slot == "subject" && known) {
            // a new subject: the details of the old one no longer apply
            const Slots old = s.slots;
            s.slots = {{"subject", guess.value}};
            if (old.count("desk")) s.slots["desk"] = old.at("desk");
        }
        s.slots[slot] = guess.value;
        filled = true;
    }
    if (s.slots.count("desk") && s.slots.count("subject") &&
        !d_.catalog.offers(d_.schema, s.slots.at("desk"), s.slots.at("subject"))) {
        // switching desk: a topic the other desk does not handle is asked again
        const Slots old = s.slots;
        s.slots = {{"desk", old.at("desk")}};
    }
    if (filled) {
        s.slots.erase(kConfirmed);
        t.understood = true;
    }
    const bool out_of_scope = topical ? u.out_of_scope : a.has("out_of_scope");
    if (out_of_scope && !filled) t.before.push_back("out_of_scope");
    if (a.has("fee")) {  // what seed 004 says, then the conversation goes on where it was
        t.before.push_back("fees");
        t.understood = true;
    }
    for (const char* ack : {"greeting", "thanks", "appointment"})
        if (a.has(ack)) t.understood = true;
    if (out_of_scope) t.understood = true;
}

Reply Engine::step(Session& s, const Input& in) const {
    Turn t;
    t.old = s.slots;
    const bool was_done = s.done;  // a new topic after an outcome corrects nothing
    t.client_locale = in.locale.has_value();
    if (in.locale) s.locale = *in.locale;
    if (s.turns == 0 &&
        s.offered.empty()) {  // a new conversation: the first question's choices count
        s.offer_kind = "state";
        for (const auto& c : d_.flow.offered(d_.schema, d_.flow.state(d_.flow.start()), s.slots))
            s.offered.push_back(c.id);
    }

    std::optional<language::Analysis> analysis;
    if (!in.command.empty()) {
        // A control of the channel: as if the citizen had asked for it in
        // words, at any question, and nothing else is read.
        analysis.emplace();
        analysis->intents.insert(in.command);
    } else if (!in.text.empty()) {
        analysis = d_.analyse(in.text);
    } else if (in.choice.empty() && in.locale) {
        // Only a language (the channel's language switch): as if the citizen
        // had asked for it in words, so the current question comes again.
        analysis.emplace();
        analysis->intents.insert("lang_" + *in.locale);
    }
    if (booking_) {
        Reply r;
        if (booking_->take(s, in, analysis ? &*analysis : nullptr, r)) {
            if (analysis) r.understanding = analysis->to_json_text();
            return r;
        }
    }

    std::string typed = in.text;
    if (!in.command.empty()) {
        apply_intent(s, in.command, t);
    } else if (!in.choice.empty()) {
        const bool on_offer =
            std::find(s.offered.begin(), s.offered.end(), in.choice) != s.offered.end();
        if (on_offer && s.offer_kind == "language") {
            s.choose_locale(in.choice);
            t.understood = true;
        } else if (on_offer) {
            Slots probe = s.slots;
            d_.catalog.infer(d_.schema, probe);
            const auto& choices =
                s.offer_kind == "menu"
                    ? d_.flow.menu()
                    : d_.flow.offered(d_.schema, d_.flow.walk(d_.schema, probe), probe);
            for (const auto& c : choices)
                if (c.id == in.choice) {
                    apply_choice(s, c, t);
                    break;
                }
            if (!t.understood)  // "start again", "a person" after a booking or a cancellation
                for (const auto& c : d_.flow.end_choices())
                    if (c.id == in.choice && !c.intent.empty()) apply_intent(s, c.intent, t);
        }
        if (!t.understood && typed.empty()) typed = in.choice;  // not on offer: read it as text
    } else if (in.text.empty() && in.locale) {
        apply_intent(s, "lang_" + *in.locale, t);
    }
    if (!t.understood && !typed.empty()) {
        if (!analysis || typed != in.text) analysis = d_.analyse(typed);
        understand_text(s, typed, *analysis, t);
    }
    if (s.slots != t.old) s.history.push_back(t.old);
    Reply r = render(s, t);
    r.corrected = !was_done && !said(t.before, "restart.") && corrects(t.old, s.slots);
    return r;
}

Reply Engine::render(Session& s, Turn& t) const {
    Reply r;
    r.understanding = std::move(t.understanding);
    r.understood = t.understood;
    r.topic_confidence = t.topic_confidence;
    if (said(t.before, "human.")) r.outcome = outcome::human;
    s.turns += 1;

    if (t.language_prompt) {
        const messages::Args a = args(s);
        for (const auto& l : d_.locales) r.messages.push_back(say(s, a, "language.unsupported", l));
        for (const auto& l : d_.locales)
            r.messages.back().choices.push_back({l, d_.messages.format(l, "language.name")});
        s.offer_kind = "language";
        s.offered = d_.locales;
        r.locale = s.locale;
        r.state = s.state;
        return r;
    }

    s.misunderstandings = t.understood ? 0 : s.misunderstandings + 1;
    d_.catalog.infer(d_.schema, s.slots);
    const messages::Args a = args(s);
    for (const auto& key : t.before) r.messages.push_back(say(s, a, key));

    if (s.misunderstandings >= 2) {
        s.misunderstandings = 0;
        r.outcome = outcome::misunderstood;
        r.messages.push_back(say(s, a, "fallback.menu"));
        r.messages.back().choices = labels(s, a, d_.flow.menu());
        const auto desk = s.slots.find("desk");
        r.messages.push_back(
            say(s, a, desk == s.slots.end() ? "human.any" : "human." + desk->second));
        s.offer_kind = "menu";
        s.offered.clear();
        for (const auto& c : d_.flow.menu()) s.offered.push_back(c.id);
        r.locale = s.locale;
        r.state = s.state.empty() ? d_.flow.start() : s.state;
        return r;
    }
    if (!t.understood) r.messages.push_back(say(s, a, "misunderstood"));

    const State& st = d_.flow.walk(d_.schema, s.slots);
    const Product* product = d_.catalog.resolve(d_.schema, s.slots);
    auto choices = d_.flow.offered(d_.schema, st, s.slots);
    if (st.type == State::Type::outcome && booking_ && booking_->bookable(s)) {
        Choice book;
        book.id = "book";
        book.label = "choice.book";
        choices.insert(choices.begin(), book);
    }
    switch (st.type) {
        case State::Type::question:
            r.messages.push_back(say(s, a, st.ask));
            break;
        case State::Type::confirm:
            r.messages.push_back(say(s, a, product ? st.ask : "misunderstood"));
            break;
        case State::Type::outcome:
            if (product) render_outcome(s, a, *product, r);
            if (product && booking_ && booking_->booked_elsewhere(s))
                r.messages.push_back(say(s, a, "booking.place_elsewhere"));
            r.done = true;
            break;
        case State::Type::stop:
            for (const auto& key : st.say) r.messages.push_back(say(s, a, key));
            r.outcome = outcome::no_appointment;  // what to do first, instead of an appointment
            r.done = true;
            break;
    }
    if (r.messages.empty()) r.messages.push_back(say(s, a, "misunderstood"));
    r.messages.back().choices = labels(s, a, choices);
    for (auto& c : r.messages.back().choices)
        if (c.id == "book") c.emphasis = "primary";  // the answer the outcome leads to
    s.offer_kind = "state";
    s.offered.clear();
    for (const auto& c : choices) s.offered.push_back(c.id);
    s.state = st.id;
    s.done = r.done;
    r.state = st.id;
    r.locale = s.locale;
    if (product) r.route = Route{product->desk, product->id};
    return r;
}

void Engine::render_outcome(const Session& s, const messages::Args& a, const Product& p,
                            Reply& r) const {
    const Outcome o = d_.catalog.outcome(d_.schema, p, s.slots);
    r.messages.push_back(say(s, a, "outcome." + p.id));
    r.messages.push_back(
        say(s, a, o.appointment.empty() ? "appointment.depends" : "appointment." + o.appointment));
    if (o.appointment == "not_needed") r.outcome = outcome::no_appointment;
    for (const auto& key : o.notes) r.messages.push_back(say(s, a, key));
    if (!o.bring.empty()) {
        ReplyMessage m = say(s, a, "bring.intro");
        for (const auto& key : o.bring) m.text += "\n• " + d_.messages.format(s.locale, key, a);
        r.messages.push_back(std::move(m));
    }
    if (o.appointment == "required" || o.appointment == "optional" || o.appointment.empty()) {
        ReplyMessage m = say(s, a, "rules.intro");
        for (const auto& key : d_.catalog.general_rules())
            m.text += "\n• " + d_.messages.format(s.locale, key, a);
        r.messages.push_back(std::move(m));
    }
}

}  // namespace wegwijs::dialog

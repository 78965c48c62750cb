#include "dialog/session.h"

#include "text/json_text.h"

namespace wegwijs::dialog {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(BookingState, mode, stage, product, location,
                                                people, people_known, after_ms, day, weekday,
                                                from_minutes, to_minutes, shown, hold_id,
                                                hold_expires_ms, start_ms, name, email, phone,
                                                phone_asked, code, key, misses)

namespace {

void write_slots(text::JsonText& out, const Slots& slots) {
    out.begin_object();
    for (const auto& [slot, value] : slots) out.field(slot, value);
    out.end_object();
}

}  // namespace

// Written on every turn, so with the streaming writer; load_data_json reads it.
std::string Session::data_text() const {
    text::JsonText out;
    out.begin_object().field("locale", locale);
    write_slots(out.key("slots"), slots);
    out.key("history").begin_array();
    for (const auto& h : history) write_slots(out, h);
    out.end_array().field("offer_kind", offer_kind).key("offered").begin_array();
    for (const auto& o : offered) out.string(o);
    out.end_array().key("misunderstandings").integer(misunderstandings);
    out.field("state", state).key("done").boolean(done).key("turns").integer(turns);
    out.key("language_settled").boolean(language_settled);
    if (booking.active() || !booking.code.empty() || !booking.email.empty())
        out.key("booking").raw(nlohmann::json(booking).dump());
    out.end_object();
    return out.str();
}

void Session::load_data_json(const nlohmann::json& j) {
    locale = j.value("locale", std::string("nl"));
    slots = j.value("slots", Slots{});
    history = j.value("history", std::vector<Slots>{});
    offer_kind = j.value("offer_kind", std::string("state"));
    offered = j.value("offered", std::vector<std::string>{});
    misunderstandings = j.value("misunderstandings", 0);
    state = j.value("state", std::string());
    done = j.value("done", false);
    turns = j.value("turns", 0);
    // (a session stored before this field: settled once it had a turn, as then)
    language_settled = j.value("language_settled", turns > 0);
    booking = j.value("booking", BookingState{});
}

}  // namespace wegwijs::dialog

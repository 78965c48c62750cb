#include "dialog/session.h"

#include "text/json_dump.h"

namespace wegwijs::dialog {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(BookingState, mode, stage, product, location,
                                                people, people_known, after_ms, day, weekday,
                                                from_minutes, to_minutes, shown, hold_id,
                                                hold_expires_ms, start_ms, name, email, phone,
                                                phone_asked, code, key, misses)

std::string Session::data_text() const {
    nlohmann::json j = {{"locale", locale},   {"slots", slots},
                        {"history", history}, {"offer_kind", offer_kind},
                        {"offered", offered}, {"misunderstandings", misunderstandings},
                        {"state", state},     {"done", done},
                        {"turns", turns},     {"language_settled", language_settled}};
    if (!product.empty()) j["product"] = product;
    if (!outcome.empty()) j["outcome"] = outcome;
    if (outcome_turn > 0) j["outcome_turn"] = outcome_turn;
    if (routed_first_turn) j["routed_first_turn"] = true;
    if (fallbacks > 0) j["fallbacks"] = fallbacks;
    if (booking.active() || !booking.code.empty() || !booking.email.empty()) j["booking"] = booking;
    return text::dump(j);
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
    product = j.value("product", std::string());
    outcome = j.value("outcome", std::string());
    outcome_turn = j.value("outcome_turn", 0);
    routed_first_turn = j.value("routed_first_turn", false);
    fallbacks = j.value("fallbacks", 0);
}

}  // namespace wegwijs::dialog

// One conversation's state, as a value: what the engine reads and writes and
// the store keeps. It never holds a channel's or a database's type.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dialog/slots.h"

namespace wegwijs::dialog {

// The booking part of a conversation: which appointment, where, when, whose.
// Personal data (name, e-mail, phone) lives here only while the session does;
// sessions are purged with their transcripts.
struct BookingState {
    std::string mode;   // "" (not booking), "book", "cancel", "move"
    std::string stage;  // the question asked last (booking_dialog.h lists them)
    std::string product;
    std::string location;
    int people = 1;
    bool people_known = false;  // asked and answered: another place need not ask again
    // The times on offer: paged from after_ms, filtered by the citizen's wish.
    std::int64_t after_ms = 0;
    std::string day;       // "YYYY-MM-DD": only this day
    unsigned weekday = 0;  // 1..7: only this weekday
    int from_minutes = 0;
    int to_minutes = 24 * 60;
    std::vector<std::int64_t> shown;  // starts on offer
    std::int64_t hold_id = 0;
    std::int64_t hold_expires_ms = 0;
    std::int64_t start_ms = 0;  // the time chosen
    std::string name;
    std::string email;
    std::string phone;
    bool phone_asked = false;
    std::string code;  // the appointment made, or found to cancel or move
    std::string key;   // idempotency key of the booking being made
    int misses = 0;    // answers in a row that could not be used

    bool active() const { return !mode.empty(); }
};

struct Session {
    std::string id;
    std::string channel;  // "web", "terminal", ... (for the transcript only)
    std::string locale = "nl";
    Slots slots;
    std::vector<Slots> history;        // facts before each change, for "back"
    std::string offer_kind = "state";  // whose choices are on offer: state, menu, language
    std::vector<std::string> offered;  // choice ids on offer after the last reply
    int misunderstandings = 0;         // in a row
    // The language is taken from the first message the citizen types in
    // which one shows, unless it was chosen before: by the citizen (a switch)
    // or by the client together with that message. A channel's default at the
    // start (the widget on a Dutch page) does not settle it.
    bool language_settled = false;
    void choose_locale(const std::string& l) {
        locale = l;
        language_settled = true;
    }
    std::string state;
    BookingState booking;
    bool done = false;
    int turns = 0;
    // For staff review: the product the conversation last reached, and the
    // strongest outcome it reached (outcome.h); empty: none yet.
    std::string product;
    std::string outcome;
    int outcome_turn = 0;            // the citizen's turns it took to reach `outcome`
    bool routed_first_turn = false;  // the answer to the first turn named a product
    int fallbacks = 0;               // the citizen's turns the assistant did not understand
    std::int64_t created_ms = 0;
    std::int64_t updated_ms = 0;

    std::string data_text() const;  // JSON text of everything but id, channel and times
    void load_data_json(const nlohmann::json& j);
};

}  // namespace wegwijs::dialog

// What one turn of a conversation takes and gives, as values: the citizen's
// text or tapped choice, and the messages, choices and route of the reply.
// Shared by the engine and the booking dialog; no channel's or store's type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wegwijs::dialog {

// The controls a channel shows outside the conversation (the widget's
// header): honoured at every question, never read as words.
inline constexpr const char* kCommands[] = {"restart", "human"};

struct Input {
    std::string text;
    std::string choice;
    std::string command;                // one of kCommands, or empty
    std::optional<std::string> locale;  // set by the client
    std::int64_t now_ms = 0;            // the service's clock, for the calendar
    // Who sent it, as an opaque key for limits per client (the channel's
    // client address); never stored.
    std::string client = {};
};

struct ReplyChoice {
    std::string id;
    std::string label;  // the whole answer, as a channel without groups shows it
    // Choices of one group go together under it (the day of a time), each
    // then shown by its short label ("09:30"); empty: no group.
    std::string group = {};
    std::string short_label = {};
    // "primary" (the answer that goes on: book it), "secondary" (the one
    // that stops), "more" (other times, another day); empty: an answer.
    std::string emphasis = {};
};

struct ReplyMessage {
    std::string key;  // the message key it was made from (for tests and transcripts)
    std::string text;
    std::string locale;
    std::vector<ReplyChoice> choices;
};

struct Route {
    std::string desk;
    std::string product;
};

// An appointment just made or moved, in the reply's language, for channels
// that show it as a card (the same facts as the confirmation's messages).
struct BookingCard {
    std::string code;
    std::string product;
    std::string desk;
    std::string location;
    std::string address;
    std::string day;   // in words: "dinsdag 8 december 2026"
    std::string time;  // "09:30"
    int people = 1;
    std::vector<std::string> bring;
    std::string arrive;   // on time, not more than 10 minutes early
    std::string cancel;   // how to cancel or move it
    bool mailed = false;  // an e-mail with the code is on its way
};

struct Reply {
    std::string locale;
    std::vector<ReplyMessage> messages;
    std::string state;
    std::optional<Route> route;
    bool done = false;
    std::optional<BookingCard> booking;  // set by the turn that made or moved one
    // The kind of answer the question wants, for a channel's keyboard and
    // autofill, and for masking the answer in staff views: "name", "email",
    // "tel", "code" (a booking code); empty: words.
    std::string expect;
    // A time held for the citizen while the details are asked: seconds left.
    std::int64_t hold_seconds = 0;
    std::string understanding;  // JSON text: what the understanding matched, for the transcript
    // What the turn tells staff review (outcome.h): the outcome it reached
    // ("booked", ...; empty: none), and how well the citizen was read.
    std::string outcome;
    bool understood = true;  // false: the assistant said it did not understand
    bool corrected = false;  // the citizen corrected the desk or topic it had taken
    double topic_confidence =
        -1;  // the classifier's first probability for a topical sentence; <0: not read
};

}  // namespace wegwijs::dialog

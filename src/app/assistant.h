// The assistant as channels see it: a chat turn in, a reply out, with the
// session loaded, advanced by the engine and stored.
//
// Guarantees: turns of one session are handled one after the other, in the
// order they arrived (a first-come, first-served ticket lock per stripe of
// sessions); the session and the turn's records are stored before
// chat() returns, so a reply never goes out for a turn that is not stored; an
// unknown or expired session id starts a new conversation (with a new id,
// never the client's) and the reply says so. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "booking/booking_store.h"
#include "dialog/booking_dialog.h"
#include "dialog/dialog_data.h"
#include "dialog/engine.h"
#include "dialog/router.h"
#include "store/session_store.h"

namespace wegwijs::app {

struct ChatResponse;

// A messaging channel's part of a turn: who sent it, the platform's id of
// the message, and how the reply becomes the platform's messages. They are
// stored with the turn, in its transaction (store::ChannelTurn).
struct ChannelDelivery {
    std::string platform;
    std::string user_key;
    std::string message_id;
    std::function<std::vector<store::ChannelMessage>(const ChatResponse&)> render;
};

struct ChatRequest {
    std::optional<std::string> session_id;
    std::string text;
    std::string choice;
    std::optional<std::string> locale;
    // The language the channel believes the citizen reads (Telegram's
    // language_code): a new conversation starts in it when it is one of
    // ours, and the first words still decide. Ignored with locale.
    std::optional<std::string> locale_hint = {};
    std::string channel = "web";
    std::string client =
        {};  // the client's address as the channel sees it: for limits, never stored
    std::string command = {};  // a control of the channel: one of dialog::kCommands
    const ChannelDelivery* delivery = nullptr;  // a messaging channel's turn
};

struct ChatResponse {
    std::string session_id;
    dialog::Reply reply;
    nlohmann::json to_json() const;  // the public shape of POST /v1/chat
};

// A conversation as a channel shows it again (after a page reload): the
// citizen's and the assistant's messages in order; only the last message
// keeps its choices, and a message that confirmed a booking keeps its card.
struct ChatHistory {
    struct Message {
        std::string from;  // "citizen" or "assistant"
        std::string text;
        std::string locale;
        std::vector<dialog::ReplyChoice> choices;
        nlohmann::json booking;  // the card, or null
        std::string key = {};    // the message key (assistant's messages)
    };
    std::string session_id;
    std::string locale;
    std::string state;
    bool done = false;
    std::string expect;             // what the last question wants, as in the chat's reply
    std::int64_t hold_seconds = 0;  // a held time's seconds left
    std::vector<Message> messages;
    nlohmann::json to_json() const;  // the public shape of GET /v1/chat/{id}
};

using Clock = std::function<std::int64_t()>;  // milliseconds since the epoch
std::int64_t system_clock_ms();

struct AssistantOptions {
    std::chrono::minutes idle_timeout{30};
    // The appointment book; null: the assistant routes and informs, but books nothing.
    booking::BookingStore* bookings = nullptr;
    std::chrono::minutes hold_for{10};  // a chosen time is held this long for the details
    booking::HoldLimiter* hold_limiter = nullptr;  // null: no limit on new holds
    int retention_days = 30;  // transcripts are purged after this; the privacy notice says so
    int booking_retention_days = 90;  // bookings, this long after the appointment; the same
    // A messaging channel's conversation that is done (booked, cancelled, or
    // told what to do instead) begins anew at a message after this much quiet.
    std::chrono::minutes done_idle{10};
};

class Assistant {
  public:
    Assistant(const dialog::DialogData& data, store::SessionStore& store, AssistantOptions options,
              Clock clock = system_clock_ms);

    ChatResponse chat(const ChatRequest& request);
    // The conversation so far; nullopt for an unknown or expired session.
    std::optional<ChatHistory> history(const std::string& session_id);
    // The calendar file (.ics) of the appointment the conversation made;
    // nullopt when it made none, or it is cancelled, or the session is gone.
    std::optional<std::string> booking_ics(const std::string& session_id);
    dialog::RouteResult route(const std::string& text,
                              const std::optional<std::string>& locale) const;
    const dialog::DialogData& data() const { return data_; }
    // Turns of known sessions being handled or waiting for their turn now.
    int turns_in_progress() const { return in_progress_.load(); }

  private:
    // A first-come, first-served lock: tickets are served in the order taken.
    struct Stripe {
        std::mutex lock;
        std::condition_variable served;
        std::uint64_t next_ticket = 0;
        std::uint64_t now_serving = 0;
    };
    class Turn;
    Stripe& stripe(const std::string& id);
    ChatResponse chat_locked(const ChatRequest& request);
    bool expired(const dialog::Session& s, std::int64_t now) const;

    const dialog::DialogData& data_;
    store::SessionStore& store_;
    AssistantOptions options_;
    Clock clock_;
    std::optional<dialog::BookingDialog> booking_;
    dialog::Engine engine_;
    std::array<Stripe, 64> stripes_;
    std::atomic<int> in_progress_{0};
};

// 32 hex digits: 48 bits of the time in milliseconds, then 80 random bits
// (unguessable; the time only orders ids, so the store appends).
std::string new_session_id(std::int64_t now_ms);

}  // namespace wegwijs::app

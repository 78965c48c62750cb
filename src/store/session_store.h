// What the assistant needs from storage, independent of the database: the
// SQLite store is the embedded default; a PostgreSQL store for several
// instances implements the same interface.
//
// Contract: save_turn() stores the session and all of the turn's records in
// one transaction, and returns only once they are durable enough to survive
// the process (the reply is sent after it returns).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dialog/session.h"

namespace wegwijs::store {

struct TurnRecord {
    std::int64_t at_ms = 0;
    std::string direction;  // "in" (citizen) or "out" (assistant)
    std::string channel;
    std::string locale;
    std::string text;
    std::string choice;
    std::string state_before;
    std::string state_after;
    // JSON text, or empty: for the citizen's turn what the understanding
    // matched, with scores (for staff review); for the assistant's, what a
    // channel needs to show the reply again.
    std::string understanding;
    // The citizen's turn only: why it belongs in the misunderstood inbox
    // (dialog/outcome.h: fallback, correction, low_confidence), or empty.
    std::string flag = {};
};

// What a purge deletes: sessions idle since before `idle_before_ms` (the
// retention), and sooner, sessions that never got past their first turn,
// idle since before `unused_before_ms` (the idle timeout: nobody can go on
// with them, and anonymous one-turn sessions would otherwise pile up).
struct PurgeCutoffs {
    std::int64_t idle_before_ms = 0;
    std::int64_t unused_before_ms = 0;
};

// A messaging channel's part of a turn, stored in the turn's transaction:
// the inbound message's id (processed once), the user it came from (their
// conversation is this session from now on), and the replies to send.
struct ChannelMessage {
    std::string recipient;  // the platform's address of the user
    std::string body;       // JSON text, as the platform's API takes it
};
struct ChannelTurn {
    std::string platform;    // "whatsapp", "telegram"
    std::string user_key;    // the platform's id of the user (personal data)
    std::string message_id;  // the platform's id of the inbound message; empty: none
    std::vector<ChannelMessage> outbound;
};

class SessionStore {
  public:
    virtual ~SessionStore() = default;
    virtual std::optional<dialog::Session> load(const std::string& id) = 0;
    virtual void save_turn(const dialog::Session& s, const std::vector<TurnRecord>& records) = 0;
    // The same, with a messaging channel's part in the same transaction.
    virtual void save_turn(const dialog::Session& s, const std::vector<TurnRecord>& records,
                           const ChannelTurn& channel) = 0;
    virtual std::vector<TurnRecord> transcript(const std::string& session_id) = 0;
    // Deletes sessions (and their turns) as the cutoffs say; returns how many.
    virtual int purge(const PurgeCutoffs& cutoffs) = 0;
    // Writes a small record and commits it; throws when the storage cannot
    // take a write (a full disk, say). For the health check.
    virtual void check_writable(std::int64_t now_ms) = 0;
};

}  // namespace wegwijs::store

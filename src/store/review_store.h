// What staff read of the conversations, and the marks they leave on them: a
// list with filters and full-text search, one conversation whole (its turns,
// its replies' delivery in a messaging app, its bookings, its annotations),
// the misunderstood inbox, and staff's review marks and annotations. Nothing
// here changes what the citizen or the assistant said. What it returns is
// raw, personal data included; masking is the staff area's
// (staff/masking.h), which never shows it unmasked unless an admin reveals
// it.
//
// Guarantees: the list is newest first and stable within a page (ties by
// id); a search matches whole words of any turn written before it,
// diacritics folded, and a citizen's query text is never read as FTS5
// syntax. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/session_store.h"
#include "store/sqlite.h"

namespace wegwijs::store {

struct ConversationFilter {
    std::int64_t from_ms = 0;        // begun at or after
    std::int64_t to_ms = INT64_MAX;  // begun before
    std::string channel;             // web, whatsapp, telegram, terminal; empty: any
    std::string locale;              // nl, en; empty: any
    std::string desk;                // loket, infopunt; empty: any
    std::string product;             // a product id reached; empty: any
    std::string outcome;             // dialog/outcome.h, "abandoned" included; empty: any
    std::optional<bool> reviewed;    // marked reviewed or not; unset: any
    std::optional<bool> annotated;   // has an annotation or not; unset: any
    std::string query;               // words, all of which some turn holds; empty: any
    // A conversation with no outcome idle since before this is abandoned.
    std::int64_t idle_before_ms = 0;
    int offset = 0;
    int limit = 25;
};

struct ConversationSummary {
    std::string session_id;
    std::string channel;
    std::string locale;
    std::string state;
    bool done = false;
    int turns = 0;  // the citizen's
    std::int64_t created_ms = 0;
    std::int64_t updated_ms = 0;
    std::string desk;              // the desk the conversation settled on, or empty
    std::string product;           // the product it reached, or empty
    std::string opening;           // the citizen's first words (personal data: mask before showing)
    std::string booking_code;      // the appointment it made or found, or empty
    bool delivery_failed = false;  // a reply to a messaging app could not be delivered
    std::string outcome;           // dialog/outcome.h; empty: none (yet)
    std::string reviewed_by;       // the staff account that marked it reviewed, or empty
    std::int64_t reviewed_ms = 0;
    int annotations = 0;
    int flagged = 0;  // the citizen's turns in the misunderstood inbox
};

// A turn as stored (session_store.h), with its row id: a transcript's
// anchor, and what annotations will point at.
struct ReviewTurn {
    std::int64_t id = 0;
    TurnRecord turn;
};

// A reply in a messaging app and what became of it.
struct ReviewDelivery {
    std::int64_t id = 0;
    std::string platform;
    std::string status;    // pending, sent, failed (ours)
    std::string delivery;  // the platform's: sent, delivered, read, failed; or empty
    std::string error;     // why it failed, or empty
    int attempts = 0;
    std::int64_t created_ms = 0;
    std::int64_t sent_ms = 0;
    std::int64_t delivery_ms = 0;
};

struct ReviewBooking {
    std::string code;
    std::string status;
    std::string product;
    std::string location;
    std::int64_t start_ms = 0;
    int people = 1;
    std::string name;  // personal data
    std::string email;
    std::string phone;
};

// A staff member's word on a citizen's turn: the product it should have
// reached, or the intent it was instead, and a note (may hold personal
// data: masked like the turns).
struct Annotation {
    std::int64_t turn_id = 0;
    std::string session_id;
    std::string account;
    std::int64_t at_ms = 0;
    std::string product;
    std::string intent;
    std::string note;
};

struct ReviewConversation {
    ConversationSummary summary;
    std::string data;  // the session's JSON
    std::vector<ReviewTurn> turns;
    std::vector<ReviewDelivery> deliveries;
    std::vector<ReviewBooking> bookings;
    std::vector<Annotation> annotations;
};

// The misunderstood inbox: citizens' turns flagged by the dialog
// (dialog/outcome.h), newest first.
struct FlaggedFilter {
    std::int64_t from_ms = 0;
    std::int64_t to_ms = INT64_MAX;
    std::string flag;              // fallback, correction, low_confidence; empty: any
    bool unannotated_only = true;  // what is left to look at
    int offset = 0;
    int limit = 25;
};
struct FlaggedTurn {
    std::int64_t turn_id = 0;
    std::string session_id;
    std::int64_t at_ms = 0;
    std::string flag;
};
struct FlaggedPage {
    std::vector<FlaggedTurn> turns;
    bool more = false;
};

// What the dashboard counts of one conversation (one the citizen said
// something in).
struct ConversationFacts {
    std::int64_t created_ms = 0;
    std::string channel;
    std::string locale;
    std::string desk;
    std::string product;
    std::string outcome;             // "abandoned" included
    int turns = 0;                   // the citizen's
    int outcome_turn = 0;            // the citizen's turns to the outcome (0: none, or not known)
    bool routed_first_turn = false;  // the first answer already named a product
    int fallback_turns = 0;
};

// One page of the list, and whether another follows.
struct ConversationPage {
    std::vector<ConversationSummary> conversations;
    bool more = false;
};

class ReviewStore {
  public:
    virtual ~ReviewStore() = default;
    // With a query, the search index is first brought up to date, so a
    // search finds every turn written before it.
    virtual ConversationPage conversations(const ConversationFilter& f) = 0;
    // `idle_before_ms`: with no outcome and idle since before it, abandoned.
    virtual std::optional<ReviewConversation> conversation(const std::string& session_id,
                                                           std::int64_t idle_before_ms) = 0;
    virtual FlaggedPage flagged(const FlaggedFilter& f) = 0;
    // The conversations begun in [from_ms, to_ms), oldest first.
    virtual std::vector<ConversationFacts> facts(std::int64_t from_ms, std::int64_t to_ms,
                                                 std::int64_t idle_before_ms) = 0;
    // The conversations annotated in [from_ms, to_ms), oldest annotation first.
    virtual std::vector<std::string> annotated_sessions(std::int64_t from_ms,
                                                        std::int64_t to_ms) = 0;
    // Sets the annotation of a citizen's turn of that conversation (replacing
    // any); false when the conversation holds no such citizen's turn.
    virtual bool annotate(const Annotation& a) = 0;
    virtual bool remove_annotation(const std::string& session_id, std::int64_t turn_id) = 0;
    // Marks the conversation reviewed by `account`, or not; false when there
    // is no such conversation.
    virtual bool mark_reviewed(const std::string& session_id, const std::string& account,
                               std::int64_t at_ms, bool reviewed) = 0;
    // Indexes the turns written since the index was last brought up to date
    // (see the invariant in schema.cpp), in short transactions of `batch`
    // turns, so the chat's writer never waits long; returns how many.
    virtual int index_pending(int batch = 500) = 0;
};

// The words of a search as an FTS5 query: each word a quoted string (so no
// word is read as an operator), the last one also as a prefix; empty when
// there is no word.
std::string fts_query(const std::string& words);

class SqliteReviewStore final : public ReviewStore {
  public:
    explicit SqliteReviewStore(const std::string& path);
    ConversationPage conversations(const ConversationFilter& f) override;
    std::optional<ReviewConversation> conversation(const std::string& session_id,
                                                   std::int64_t idle_before_ms) override;
    FlaggedPage flagged(const FlaggedFilter& f) override;
    std::vector<ConversationFacts> facts(std::int64_t from_ms, std::int64_t to_ms,
                                         std::int64_t idle_before_ms) override;
    std::vector<std::string> annotated_sessions(std::int64_t from_ms, std::int64_t to_ms) override;
    bool annotate(const Annotation& a) override;
    bool remove_annotation(const std::string& session_id, std::int64_t turn_id) override;
    bool mark_reviewed(const std::string& session_id, const std::string& account,
                       std::int64_t at_ms, bool reviewed) override;
    int index_pending(int batch = 500) override;

  private:
    int index_batch(int batch);  // lock_ held

    std::mutex lock_;  // one connection, one thread at a time
    Database db_;
};

}  // namespace wegwijs::store

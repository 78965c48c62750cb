// Holds and bookings in the SQLite file, with no double booking ever.
//
// Capacity is kept by the schema (store/schema.cpp, migration 2): a desk has
// one seat per counter, a claim takes one seat for one time cell, and the
// primary key (desk, cell, seat) with the foreign key into seats means a cell
// can never hold more claims than the desk has counters. Every change runs in
// one BEGIN IMMEDIATE transaction, so "is it free?" and "take it" cannot be
// separated by another writer, and the claim insert picks a seat no other
// claim of that cell has: when none is left the insert takes nothing and the
// request is told slot_taken.
//
// Guarantees: a hold's claims count until it expires, and are reclaimed by
// the next request that needs those cells (no job has to run); a booking of
// several people takes consecutive slots at one desk, all or none; the same
// idempotency key returns the first booking, and is refused
// (idempotency_key_reused) when it comes with another request's fingerprint;
// a hold has an opaque random id for the API (hold_token), never its row
// number; the same e-mail cannot hold two
// a cancelled booking frees its cells at once. Confirmed bookings are
// committed with synchronous=FULL. With mail notices on, a booking, a move
// and a cancellation each write one row of mail_outbox in their own
// transaction: the e-mail about a change exists exactly when the change does.
// A second appointment for the same e-mail and product is not refused: a
// refusal would tell anyone who types an address that it has one; the
// e-mail to that address says so instead (store/mail_outbox.h).
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.h"
#include "store/sqlite.h"

namespace wegwijs::booking {

struct SlotRef {
    std::string product;
    std::string location;
    std::int64_t start_ms = 0;
};

struct Details {
    std::string name;
    std::string email;
    std::string phone;  // optional
    std::string locale = "nl";
    int people = 1;
    // What the conversation knew of the case, as a JSON object ({"card_need":
    // "lost"}), so that what to bring follows it; empty when unknown. Not
    // personal data: only the facts of the dialog's schema.
    std::string facts = {};
};

struct Booking {
    std::int64_t id = 0;
    std::string code;    // empty for a hold
    std::string status;  // held, confirmed, cancelled
    std::string product;
    std::string location;
    std::string desk;
    std::int64_t start_ms = 0;
    std::int64_t end_ms = 0;  // end of the last person's slot
    std::int64_t hold_expires_ms = 0;
    std::string hold_token;  // a hold's public id: 32 random hex digits
    std::int64_t created_ms = 0;
    Details details;  // empty but for people while a hold; e-mail in lower case
};

// A request the store refuses; code is the public error code.
struct BookingError : std::runtime_error {
    BookingError(std::string c, const std::string& message)
        : std::runtime_error(message), code(std::move(c)) {}
    // slot_taken, no_such_slot, hold_expired, already_booked, not_found,
    // idempotency_key_reused
    std::string code;
};

// An idempotency key with the fingerprint of the request it came with: the
// same key with another fingerprint is refused. An empty key: no idempotency.
struct Idempotency {
    std::string key;
    std::string fingerprint;
};

class BookingStore {
  public:
    // Opens (and migrates) the file; makes the seats match the calendar's counters.
    BookingStore(const std::string& path, const calendar::Calendar& calendar);

    Booking hold(const SlotRef& slot, int people, std::int64_t now_ms, std::int64_t ttl_ms);
    // Books a free slot, or the slot of a hold (hold_id > 0) that has not expired.
    Booking book(const SlotRef& slot, const Details& details, const Idempotency& idempotency,
                 std::int64_t now_ms);
    Booking book_hold(std::int64_t hold_id, const Details& details, const Idempotency& idempotency,
                      std::int64_t now_ms);
    // The row id of the hold with this public id (not_found if none).
    std::int64_t hold_id_of(const std::string& hold_token);
    // Holds that have not expired, soonest expiry first (for staff).
    std::vector<Booking> active_holds(std::int64_t now_ms);
    std::optional<Booking> find(const std::string& code, const std::string& email);
    bool cancel(const std::string& code, const std::string& email, std::int64_t now_ms);
    // Gives a hold's slots back at once (a citizen chose another time or stopped).
    bool release(std::int64_t hold_id);  // false: no such hold (expired holds count as holds)
    // Moves a confirmed booking to the slot of a hold, in one transaction: the
    // booking keeps its code and details, the old slot is free and the hold is
    // used up, or nothing changes. Errors: not_found, hold_expired, invalid_people.
    Booking move(const std::string& code, const std::string& email, std::int64_t hold_id,
                 std::int64_t now_ms);
    // Counters still free for each start of the given slots (0: full).
    std::map<std::int64_t, int> free(const std::vector<calendar::Slot>& slots, std::int64_t now_ms);

    static std::string desk_id(const std::string& location, const std::string& desk_kind);

    // Whether bookings, moves and cancellations queue an e-mail (set once at
    // start-up, when an SMTP server is configured).
    void notify_by_mail(bool on) { mail_ = on; }
    bool mails() const { return mail_; }

  private:
    struct Span {  // the cells one booking takes
        std::string desk;
        std::int64_t start_ms;
        std::int64_t end_ms;
    };
    Span resolve(const SlotRef& slot, int people, std::int64_t now_ms) const;
    void claim(const Span& span, std::int64_t booking_id, std::optional<std::int64_t> expires);
    std::optional<Booking> by_key(const Idempotency& idempotency);
    Booking load(std::int64_t id);
    Booking confirm(std::int64_t id, const Details& details, const Idempotency& idempotency,
                    std::int64_t now_ms);
    void queue_mail(std::int64_t booking_id, const char* event, std::int64_t now_ms);

    const calendar::Calendar& calendar_;
    std::mutex lock_;  // one writer connection; SQLite serialises writers anyway
    store::Database db_;
    bool mail_ = false;
};

std::string new_confirmation_code();  // "XXXX-XXXX" without 0/O/1/I/L, 39 random bits
// A code as typed ("abcd efgh", "ABCDEFGH", " abcd-efgh ") in its one form "ABCD-EFGH";
// anything else comes back upper-cased, to match nothing.
std::string normalised_code(std::string_view typed);

}  // namespace wegwijs::booking

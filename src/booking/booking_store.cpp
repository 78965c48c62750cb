// Holds and bookings; see booking_store.h for what is guaranteed and how.
#include "booking/booking_store.h"

#include <algorithm>
#include <cctype>

#include "booking/details_check.h"
#include "security/random.h"
#include "store/schema.h"

namespace wegwijs::booking {

using store::Statement;
using store::Transaction;

namespace {

constexpr std::int64_t kMinute = 60'000;

// E-mail addresses are compared in one form, lower case, so that the rule
// "one future appointment per e-mail and product" and the lookups by code and
// e-mail agree on who is who.
std::string canonical_email(std::string email) {
    std::transform(email.begin(), email.end(), email.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return email;
}

// Expired holds give their cells back inside the transaction that needs them.
void reclaim_expired(store::Database& db, const std::string& desk, std::int64_t from,
                     std::int64_t to, std::int64_t now) {
    Statement q(db,
                "DELETE FROM claims WHERE desk = ? AND cell_ms >= ? AND cell_ms < ? AND "
                "hold_expires_ms IS NOT NULL AND hold_expires_ms <= ?");
    q.bind(1, desk).bind(2, from).bind(3, to).bind(4, now).run();
}

}  // namespace

std::string new_confirmation_code() {
    // No 0/O, 1/I/L: a code is read aloud and typed from paper.
    static const char kAlphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    constexpr unsigned kSize = sizeof kAlphabet - 1;  // 31
    std::string code;
    while (code.size() < 8) {
        unsigned char byte = 0;
        security::random_bytes(&byte, 1);
        if (byte >= 256 / kSize * kSize) continue;  // unbiased
        code += kAlphabet[byte % kSize];
    }
    return code.substr(0, 4) + "-" + code.substr(4);
}

std::string normalised_code(std::string_view typed) {
    std::string plain;
    for (unsigned char c : typed) {
        if (c == ' ' || c == '-' || c == '\t') continue;
        plain += static_cast<char>(std::toupper(c));
    }
    if (plain.size() == 8) return plain.substr(0, 4) + "-" + plain.substr(4);
    return plain;
}

std::string BookingStore::desk_id(const std::string& location, const std::string& desk_kind) {
    return location + "/" + desk_kind;
}

BookingStore::BookingStore(const std::string& path, const calendar::Calendar& calendar)
    : calendar_(calendar), db_(path) {
    store::use_wal(db_);
    db_.exec("PRAGMA synchronous=FULL");  // a confirmed appointment survives a power loss
    db_.exec("PRAGMA foreign_keys=ON");
    store::migrate(db_);
    // Seats follow the counters; a seat with claims is kept until they are gone.
    Transaction tx(db_);
    for (const auto& loc : calendar_.locations())
        for (const auto& [kind, desk] : loc.desks) {
            const std::string id = desk_id(loc.id, kind);
            Statement add(db_, "INSERT OR IGNORE INTO seats(desk, seat) VALUES (?, ?)");
            for (int seat = 1; seat <= desk.counters; ++seat) add.bind(1, id).bind(2, seat).run();
            Statement drop(db_,
                           "DELETE FROM seats WHERE desk = ? AND seat > ? AND NOT EXISTS "
                           "(SELECT 1 FROM claims c WHERE c.desk = seats.desk AND c.seat = "
                           "seats.seat)");
            drop.bind(1, id).bind(2, std::int64_t(desk.counters)).run();
        }
    tx.commit();
}

BookingStore::Span BookingStore::resolve(const SlotRef& slot, int people,
                                         std::int64_t now_ms) const {
    if (people < 1 || people > kMaxPeople)
        throw BookingError("invalid_people",
                           "people must be between 1 and " + std::to_string(kMaxPeople));
    const auto day = calendar_.zone().to_local(slot.start_ms).date;
    const auto slots = calendar_.slots(slot.product, slot.location, day, 1, now_ms);
    auto it = std::find_if(slots.begin(), slots.end(),
                           [&](const calendar::Slot& s) { return s.start_ms == slot.start_ms; });
    if (it == slots.end())
        throw BookingError("no_such_slot", "no bookable slot of that product at that time");
    Span span{desk_id(it->location, it->desk), it->start_ms, it->end_ms};
    for (int p = 1; p < people; ++p) {  // one slot per person, back to back
        const auto next = it + 1;
        if (next == slots.end() || next->start_ms != it->end_ms)
            throw BookingError("slot_taken", "not enough consecutive slots for everyone");
        it = next;
        span.end_ms = it->end_ms;
    }
    return span;
}

void BookingStore::claim(const Span& span, std::int64_t booking_id,
                         std::optional<std::int64_t> expires) {
    const std::int64_t cell = std::int64_t(calendar_.cell_minutes()) * kMinute;
    Statement take(db_,
                   "INSERT INTO claims(desk, cell_ms, seat, booking_id, hold_expires_ms) "
                   "SELECT ?1, ?2, s.seat, ?3, ?4 FROM seats s WHERE s.desk = ?1 AND s.seat NOT IN "
                   "(SELECT seat FROM claims WHERE desk = ?1 AND cell_ms = ?2) "
                   "ORDER BY s.seat LIMIT 1");
    for (std::int64_t t = span.start_ms; t < span.end_ms; t += cell) {
        take.bind(1, span.desk).bind(2, t).bind(3, booking_id);
        if (expires)
            take.bind(4, *expires);
        else
            take.bind_null(4);
        take.run();
        if (sqlite3_changes(db_.handle()) == 0)
            throw BookingError("slot_taken", "that time is fully booked");
    }
}

Booking BookingStore::hold(const SlotRef& slot, int people, std::int64_t now_ms,
                           std::int64_t ttl_ms) {
    const Span span = resolve(slot, people, now_ms);
    std::lock_guard<std::mutex> guard(lock_);
    Transaction tx(db_);
    reclaim_expired(db_, span.desk, span.start_ms, span.end_ms, now_ms);
    Statement add(db_,
                  "INSERT INTO bookings(status, hold_expires_ms, product, location, desk, "
                  "start_ms, end_ms, people, created_ms, changed_ms, hold_token) "
                  "VALUES ('held', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const std::int64_t expires = now_ms + ttl_ms;
    add.bind(1, expires)
        .bind(2, slot.product)
        .bind(3, slot.location)
        .bind(4, span.desk)
        .bind(5, span.start_ms)
        .bind(6, span.end_ms)
        .bind(7, std::int64_t(people))
        .bind(8, now_ms)
        .bind(9, now_ms)

        .bind(10, security::random_hex(16))
        .run();
    const std::int64_t id = sqlite3_last_insert_rowid(db_.handle());
    claim(span, id, expires);
    tx.commit();
    return load(id);
}

std::optional<Booking> BookingStore::by_key(const Idempotency& idempotency) {
    if (idempotency.key.empty()) return std::nullopt;
    Statement q(db_,
                "SELECT id, coalesce(request_hash, '') FROM bookings WHERE "
                "idempotency_key = ?");
    q.bind(1, idempotency.key);
    if (!q.step()) return std::nullopt;
    const std::int64_t id = q.integer(0);
    const std::string fingerprint = q.text(1);
    q.reset();
    if (fingerprint != idempotency.fingerprint)
        throw BookingError("idempotency_key_reused",
                           "this Idempotency-Key was used for another request");
    return load(id);
}

// One e-mail about a change, in the transaction of the change; the slot as it is now.
void BookingStore::queue_mail(std::int64_t booking_id, const char* event, std::int64_t now_ms) {
    if (!mail_) return;
    Statement q(db_,
                "INSERT INTO mail_outbox(booking_id, event, location, desk, start_ms, end_ms, "
                "next_attempt_ms, created_ms) SELECT id, ?, location, desk, start_ms, end_ms, ?, ? "
                "FROM bookings WHERE id = ?");
    q.bind(1, std::string(event)).bind(2, now_ms).bind(3, now_ms).bind(4, booking_id).run();
}

Booking BookingStore::confirm(std::int64_t id, const Details& details,
                              const Idempotency& idempotency, std::int64_t now_ms) {
    Statement q(db_,
                "UPDATE bookings SET status = 'confirmed', code = ?, hold_expires_ms = NULL, "
                "name = ?, email = ?, phone = ?, locale = ?, "
                "idempotency_key = ?, changed_ms = ?, request_hash = ?, facts = ? WHERE id = ?");
    q.bind(1, new_confirmation_code())
        .bind(2, details.name)
        .bind(3, canonical_email(details.email))
        .bind(4, details.phone)
        .bind(5, details.locale);
    if (idempotency.key.empty())
        q.bind_null(6).bind_null(8);
    else
        q.bind(6, idempotency.key).bind(8, idempotency.fingerprint);
    if (details.facts.empty())
        q.bind_null(9);
    else
        q.bind(9, details.facts);
    q.bind(7, now_ms).bind(10, id).run();
    Statement keep(db_, "UPDATE claims SET hold_expires_ms = NULL WHERE booking_id = ?");
    keep.bind(1, id).run();
    queue_mail(id, "confirmed", now_ms);
    return load(id);
}

Booking BookingStore::book(const SlotRef& slot, const Details& details, const Idempotency& key,
                           std::int64_t now_ms) {
    {
        // A retry returns the first answer even when the slot can no longer be booked.
        std::lock_guard<std::mutex> guard(lock_);
        if (auto earlier = by_key(key)) return *earlier;
    }
    const Span span = resolve(slot, details.people, now_ms);
    std::lock_guard<std::mutex> guard(lock_);
    Transaction tx(db_);
    if (auto earlier = by_key(key)) return *earlier;
    reclaim_expired(db_, span.desk, span.start_ms, span.end_ms, now_ms);
    Statement add(db_,
                  "INSERT INTO bookings(status, product, location, desk, start_ms, end_ms, "
                  "people, created_ms, changed_ms) VALUES ('held', ?, ?, ?, ?, ?, ?, ?, ?)");
    add.bind(1, slot.product)
        .bind(2, slot.location)
        .bind(3, span.desk)
        .bind(4, span.start_ms)
        .bind(5, span.end_ms)
        .bind(6, std::int64_t(details.people))
        .bind(7, now_ms)
        .bind(8, now_ms)
        .run();
    const std::int64_t id = sqlite3_last_insert_rowid(db_.handle());
    claim(span, id, std::nullopt);
    Booking b = confirm(id, details, key, now_ms);
    tx.commit();
    return b;
}

Booking BookingStore::book_hold(std::int64_t hold_id, const Details& details,
                                const Idempotency& key, std::int64_t now_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Transaction tx(db_);
    if (auto earlier = by_key(key)) return *earlier;
    Statement q(db_, "SELECT status, hold_expires_ms, product, people FROM bookings WHERE id = ?");
    q.bind(1, hold_id);
    if (!q.step()) throw BookingError("not_found", "no such hold");
    const std::string status = q.text(0);
    const std::int64_t expires = q.integer(1);
    const std::string product = q.text(2);
    const int people = static_cast<int>(q.integer(3));
    q.reset();
    if (status != "held" || expires <= now_ms)
        throw BookingError("hold_expired", "the hold has expired or was used");
    if (people != details.people)
        throw BookingError("invalid_people", "the hold is for " + std::to_string(people) +
                                                 (people == 1 ? " person" : " people"));
    Booking b = confirm(hold_id, details, key, now_ms);
    tx.commit();
    return b;
}

Booking BookingStore::load(std::int64_t id) {
    Statement q(db_,
                "SELECT code, status, product, location, desk, start_ms, end_ms, people, "
                "hold_expires_ms, name, email, phone, locale, hold_token, created_ms, facts "
                "FROM bookings WHERE id = ?");
    q.bind(1, id);
    if (!q.step()) throw BookingError("not_found", "no such booking");
    Booking b;
    b.id = id;
    b.code = q.text(0);
    b.status = q.text(1);
    b.product = q.text(2);
    b.location = q.text(3);
    b.desk = q.text(4);
    b.start_ms = q.integer(5);
    b.end_ms = q.integer(6);
    b.hold_expires_ms = q.integer(8);
    b.hold_token = q.text(13);
    b.created_ms = q.integer(14);
    b.details = {q.text(9), q.text(10), q.text(11), q.text(12), static_cast<int>(q.integer(7)),
                 q.text(15)};
    return b;
}

std::int64_t BookingStore::hold_id_of(const std::string& hold_token) {
    std::lock_guard<std::mutex> guard(lock_);
    // Also once confirmed: a retried booking of a hold then finds its first answer.
    Statement q(db_, "SELECT id FROM bookings WHERE hold_token = ?");
    q.bind(1, hold_token);
    if (!q.step()) throw BookingError("not_found", "no such hold");
    return q.integer(0);
}

std::vector<Booking> BookingStore::active_holds(std::int64_t now_ms) {
    std::vector<std::int64_t> ids;
    std::lock_guard<std::mutex> guard(lock_);
    {
        Statement q(db_,
                    "SELECT id FROM bookings WHERE status = 'held' AND hold_expires_ms > ? "
                    "ORDER BY hold_expires_ms");
        q.bind(1, now_ms);
        while (q.step()) ids.push_back(q.integer(0));
    }
    std::vector<Booking> out;
    for (const std::int64_t id : ids) out.push_back(load(id));
    return out;
}

std::optional<Booking> BookingStore::find(const std::string& code, const std::string& email) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_, "SELECT id FROM bookings WHERE code = ? AND email = ?");
    q.bind(1, code).bind(2, canonical_email(email));
    if (!q.step()) return std::nullopt;
    const std::int64_t id = q.integer(0);
    q.reset();
    return load(id);
}

bool BookingStore::cancel(const std::string& code, const std::string& email, std::int64_t now_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Transaction tx(db_);
    Statement q(db_,
                "SELECT id FROM bookings WHERE code = ? AND email = ? AND "
                "status = 'confirmed'");
    q.bind(1, code).bind(2, canonical_email(email));
    if (!q.step()) return false;
    const std::int64_t id = q.integer(0);
    q.reset();
    Statement cancel(db_, "UPDATE bookings SET status = 'cancelled', changed_ms = ? WHERE id = ?");
    cancel.bind(1, now_ms).bind(2, id).run();
    Statement free(db_, "DELETE FROM claims WHERE booking_id = ?");
    free.bind(1, id).run();
    queue_mail(id, "cancelled", now_ms);
    tx.commit();
    return true;
}

bool BookingStore::release(std::int64_t hold_id) {
    std::lock_guard<std::mutex> guard(lock_);
    Transaction tx(db_);
    Statement free(db_,
                   "DELETE FROM claims WHERE booking_id = ?1 AND EXISTS (SELECT 1 FROM bookings "
                   "WHERE id = ?1 AND status = 'held')");
    free.bind(1, hold_id).run();
    Statement drop(db_, "DELETE FROM bookings WHERE id = ? AND status = 'held'");
    drop.bind(1, hold_id).run();
    const bool released = sqlite3_changes(db_.handle()) > 0;
    tx.commit();
    return released;
}

Booking BookingStore::move(const std::string& code, const std::string& email, std::int64_t hold_id,
                           std::int64_t now_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Transaction tx(db_);
    Statement old(db_,
                  "SELECT id, people, product FROM bookings WHERE code = ? AND email = ? AND "
                  "status = 'confirmed' AND start_ms > ?");
    old.bind(1, code).bind(2, canonical_email(email)).bind(3, now_ms);
    if (!old.step()) throw BookingError("not_found", "no future appointment with that code");
    const std::int64_t id = old.integer(0);
    const std::int64_t people = old.integer(1);
    const std::string product = old.text(2);
    old.reset();
    Statement hold(db_,
                   "SELECT status, hold_expires_ms, people, location, desk, start_ms, end_ms, "
                   "product FROM bookings WHERE id = ?");
    hold.bind(1, hold_id);
    if (!hold.step()) throw BookingError("hold_expired", "no such hold");
    if (hold.text(0) != "held" || hold.integer(1) <= now_ms)
        throw BookingError("hold_expired", "the hold has expired or was used");
    if (hold.integer(2) != people)
        throw BookingError("invalid_people", "the hold is not for as many people");
    if (hold.text(7) != product)
        throw BookingError("no_such_slot", "the hold is for another product");
    const std::string location = hold.text(3);
    const std::string desk = hold.text(4);
    const std::int64_t start = hold.integer(5);
    const std::int64_t end = hold.integer(6);
    hold.reset();
    Statement free(db_, "DELETE FROM claims WHERE booking_id = ?");
    free.bind(1, id).run();
    Statement take(db_,
                   "UPDATE claims SET booking_id = ?, hold_expires_ms = NULL WHERE booking_id = ?");
    take.bind(1, id).bind(2, hold_id).run();
    Statement used(db_, "DELETE FROM bookings WHERE id = ?");
    used.bind(1, hold_id).run();
    Statement moved(db_,
                    "UPDATE bookings SET location = ?, desk = ?, start_ms = ?, end_ms = ?, "
                    "changed_ms = ? WHERE id = ?");
    moved.bind(1, location).bind(2, desk).bind(3, start).bind(4, end).bind(5, now_ms).bind(6, id);
    moved.run();
    queue_mail(id, "moved", now_ms);
    Booking b = load(id);
    tx.commit();
    return b;
}

std::map<std::int64_t, int> BookingStore::free(const std::vector<calendar::Slot>& slots,
                                               std::int64_t now_ms) {
    std::map<std::int64_t, int> out;
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "SELECT max(n) FROM (SELECT count(*) AS n FROM claims WHERE desk = ? AND "
                "cell_ms >= ? AND cell_ms < ? AND (hold_expires_ms IS NULL OR hold_expires_ms > ?) "
                "GROUP BY cell_ms)");
    for (const auto& s : slots) {
        q.bind(1, desk_id(s.location, s.desk))
            .bind(2, s.start_ms)
            .bind(3, s.end_ms)
            .bind(4, now_ms);
        const int taken = q.step() ? static_cast<int>(q.integer(0)) : 0;
        q.reset();
        out[s.start_ms] = std::max(0, s.capacity - taken);
    }
    return out;
}

}  // namespace wegwijs::booking

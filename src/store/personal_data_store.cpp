// One person's data, found, erased and purged in SQLite; see personal_data_store.h.
#include "store/personal_data_store.h"

#include <algorithm>
#include <cctype>

#include "store/schema.h"

namespace wegwijs::store {
namespace {

constexpr int kPurgeBatch = 250;

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The e-mail address as an FTS5 phrase of its words ("a.b@c.org" -> "a b c org"),
// as the index's tokenizer splits it; empty when it has none.
std::string email_phrase(const std::string& email) {
    std::string words;
    bool in_word = false;
    for (const char c : email) {
        const bool word = std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80);
        if (word && !in_word && !words.empty()) words += ' ';
        if (word) words += c;
        in_word = word;
    }
    return words.empty() ? "" : "\"" + words + "\"";
}

}  // namespace

SqlitePersonalDataStore::SqlitePersonalDataStore(const std::string& path) : db_(path) {
    use_wal(db_);
    db_.exec("PRAGMA foreign_keys=ON");
    migrate(db_);
}

PersonRecords SqlitePersonalDataStore::find_locked(const Person& p) {
    const std::string email = lower(p.email);
    const std::string phone = p.phone;
    PersonRecords out;
    {
        Statement q(db_,
                    "SELECT coalesce(code, ''), status, product, location, desk, start_ms, end_ms, "
                    "people, coalesce(name, ''), coalesce(email, ''), coalesce(phone, ''), "
                    "coalesce(locale, ''), created_ms, changed_ms FROM bookings "
                    "WHERE (?1 <> '' AND lower(email) = ?1) OR (?2 <> '' AND phone = ?2) "
                    "ORDER BY start_ms, id");
        q.bind(1, email).bind(2, phone);
        while (q.step())
            out.bookings.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.text(4),
                                    q.integer(5), q.integer(6), static_cast<int>(q.integer(7)),
                                    q.text(8), q.text(9), q.text(10), q.text(11), q.integer(12),
                                    q.integer(13)});
    }
    const std::string phrase = email.empty() ? "" : email_phrase(email);
    const std::string whatsapp = phone.rfind('+', 0) == 0 ? phone.substr(1) : phone;
    Statement q(db_,
                "SELECT s.id FROM sessions s WHERE "
                "(?1 <> '' AND lower(json_extract(s.data, '$.booking.email')) = ?1) "
                "OR (?2 <> '' AND json_extract(s.data, '$.booking.phone') = ?2) "
                "OR json_extract(s.data, '$.booking.code') IN (SELECT code FROM bookings WHERE "
                "  code IS NOT NULL AND ((?1 <> '' AND lower(email) = ?1) OR "
                "  (?2 <> '' AND phone = ?2))) "
                "OR (?3 <> '' AND s.id IN (SELECT session_id FROM channel_users "
                "  WHERE platform = 'whatsapp' AND user_key = ?3)) "
                "OR (?4 <> '' AND s.id IN (SELECT t.session_id FROM turns t WHERE t.id IN "
                "  (SELECT rowid FROM turns_fts WHERE turns_fts MATCH ?5))) "
                "ORDER BY s.created_ms, s.id");
    q.bind(1, email).bind(2, phone).bind(3, whatsapp).bind(4, phrase);
    q.bind(5, phrase.empty() ? std::string("x") : phrase);
    while (q.step()) out.session_ids.push_back(q.text(0));
    return out;
}

PersonRecords SqlitePersonalDataStore::find(const Person& p) {
    std::lock_guard<std::mutex> guard(lock_);
    return find_locked(p);
}

Erased SqlitePersonalDataStore::erase(const Person& p) {
    std::lock_guard<std::mutex> guard(lock_);
    Transaction tx(db_);
    const PersonRecords found = find_locked(p);
    Erased erased;
    Statement session(db_, "DELETE FROM sessions WHERE id = ?");
    for (const auto& id : found.session_ids) {
        session.bind(1, id).run();
        erased.conversations += sqlite3_changes(db_.handle());
    }
    Statement bookings(db_,
                       "DELETE FROM bookings WHERE (?1 <> '' AND lower(email) = ?1) OR "
                       "(?2 <> '' AND phone = ?2)");
    bookings.bind(1, lower(p.email)).bind(2, p.phone).run();
    erased.bookings = sqlite3_changes(db_.handle());
    tx.commit();
    return erased;
}

bool SqlitePersonalDataStore::delete_conversation(const std::string& session_id) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_, "DELETE FROM sessions WHERE id = ?");
    q.bind(1, session_id).run();
    return sqlite3_changes(db_.handle()) > 0;
}

int SqlitePersonalDataStore::purge_bookings(std::int64_t ended_before_ms) {
    int total = 0;
    for (bool more = true; more;) {
        std::lock_guard<std::mutex> guard(lock_);
        Transaction tx(db_);
        Statement ended(db_,
                        "DELETE FROM bookings WHERE id IN (SELECT id FROM bookings "
                        "WHERE end_ms < ? LIMIT ?)");
        ended.bind(1, ended_before_ms).bind(2, std::int64_t(kPurgeBatch)).run();
        const int by_end = sqlite3_changes(db_.handle());
        Statement held(db_,
                       "DELETE FROM bookings WHERE id IN (SELECT id FROM bookings "
                       "WHERE status = 'held' AND hold_expires_ms < ? LIMIT ?)");
        held.bind(1, ended_before_ms).bind(2, std::int64_t(kPurgeBatch)).run();
        const int expired = sqlite3_changes(db_.handle());
        tx.commit();
        total += by_end + expired;
        more = by_end == kPurgeBatch || expired == kPurgeBatch;
    }
    return total;
}

}  // namespace wegwijs::store

// The staff area's reading of conversations in SQLite; see review_store.h.
#include "store/review_store.h"

#include <sstream>

#include "store/schema.h"

namespace wegwijs::store {
namespace {

// The summary columns, for both the list and one conversation.
const char* const kSummary =
    "SELECT s.id, s.channel, coalesce(json_extract(s.data, '$.locale'), ''), s.state, "
    "coalesce(json_extract(s.data, '$.done'), 0), s.turns, s.created_ms, s.updated_ms, "
    "coalesce(json_extract(s.data, '$.slots.desk'), ''), "
    "coalesce((SELECT json_extract(t.understanding, '$.product') FROM turns t "
    "  WHERE t.session_id = s.id AND t.direction = 'out' AND "
    "  json_extract(t.understanding, '$.product') IS NOT NULL ORDER BY t.id DESC LIMIT 1), ''), "
    "coalesce((SELECT t.text FROM turns t WHERE t.session_id = s.id AND t.direction = 'in' "
    "  AND t.text <> '' ORDER BY t.id LIMIT 1), ''), "
    "coalesce(json_extract(s.data, '$.booking.code'), ''), "
    "EXISTS (SELECT 1 FROM channel_outbox o WHERE o.session_id = s.id AND "
    "  (o.status = 'failed' OR o.delivery = 'failed')), s.data FROM sessions s ";

ConversationSummary summary_at(const Statement& q) {
    return {q.text(0),         q.text(1),         q.text(2),
            q.text(3),         q.integer(4) != 0, static_cast<int>(q.integer(5)),
            q.integer(6),      q.integer(7),      q.text(8),
            q.text(9),         q.text(10),        q.text(11),
            q.integer(12) != 0};
}

}  // namespace

std::string fts_query(const std::string& words) {
    std::istringstream in(words);
    std::string word, out;
    while (in >> word) {
        std::string quoted = "\"";
        for (const char c : word) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        quoted += "\"";
        if (!out.empty()) out += " ";
        out += quoted;
    }
    if (!out.empty()) out += "*";  // the last word may be a beginning: "verblijfs" finds more
    return out;
}

SqliteReviewStore::SqliteReviewStore(const std::string& path) : db_(path) {
    use_wal(db_);
    db_.exec("PRAGMA foreign_keys=ON");
    migrate(db_);
}

int SqliteReviewStore::index_batch(int batch) {
    Transaction tx(db_);
    // The same oldest `batch` ids in both statements: the write lock is held.
    Statement index(db_,
                    "INSERT INTO turns_fts(rowid, text) SELECT t.id, t.text FROM "
                    "turns_fts_pending p JOIN turns t ON t.id = p.turn_id "
                    "ORDER BY p.turn_id LIMIT ?");
    index.bind(1, std::int64_t(batch)).run();
    Statement done(db_,
                   "DELETE FROM turns_fts_pending WHERE turn_id IN (SELECT turn_id FROM "
                   "turns_fts_pending ORDER BY turn_id LIMIT ?)");
    done.bind(1, std::int64_t(batch)).run();
    const int n = sqlite3_changes(db_.handle());
    tx.commit();
    return n;
}

int SqliteReviewStore::index_pending(int batch) {
    int total = 0;
    for (int n = batch; n == batch;) {
        std::lock_guard<std::mutex> guard(lock_);
        n = index_batch(batch);
        total += n;
    }
    return total;
}

ConversationPage SqliteReviewStore::conversations(const ConversationFilter& f) {
    const std::string match = fts_query(f.query);
    if (!match.empty()) index_pending();
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                std::string(kSummary) +
                    "WHERE s.created_ms >= ? AND s.created_ms < ? AND (? = '' OR s.channel = ?) "
                    "AND (? = '' OR json_extract(s.data, '$.locale') = ?) "
                    "AND (? = '' OR json_extract(s.data, '$.slots.desk') = ?) "
                    "AND (? = '' OR s.id IN (SELECT t.session_id FROM turns t WHERE t.id IN "
                    "  (SELECT rowid FROM turns_fts WHERE turns_fts MATCH ?))) "
                    "ORDER BY s.created_ms DESC, s.id LIMIT ? OFFSET ?");
    q.bind(1, f.from_ms).bind(2, f.to_ms).bind(3, f.channel).bind(4, f.channel);
    q.bind(5, f.locale).bind(6, f.locale).bind(7, f.desk).bind(8, f.desk);
    q.bind(9, match).bind(10, match.empty() ? std::string("x") : match);
    q.bind(11, std::int64_t(f.limit) + 1).bind(12, std::int64_t(f.offset));
    ConversationPage page;
    while (q.step()) page.conversations.push_back(summary_at(q));
    page.more = static_cast<int>(page.conversations.size()) > f.limit;
    if (page.more) page.conversations.pop_back();
    return page;
}

std::optional<ReviewConversation> SqliteReviewStore::conversation(const std::string& session_id) {
    std::lock_guard<std::mutex> guard(lock_);
    ReviewConversation c;
    {
        Statement q(db_, std::string(kSummary) + "WHERE s.id = ?");
        q.bind(1, session_id);
        if (!q.step()) return std::nullopt;
        c.summary = summary_at(q);
        c.data = q.text(13);
    }
    {
        Statement q(db_,
                    "SELECT id, at_ms, direction, channel, locale, text, coalesce(choice, ''), "
                    "state_before, state_after, coalesce(understanding, '') FROM turns "
                    "WHERE session_id = ? ORDER BY id");
        q.bind(1, session_id);
        while (q.step())
            c.turns.push_back({q.integer(0),
                               {q.integer(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6),
                                q.text(7), q.text(8), q.text(9)}});
    }
    {
        Statement q(
            db_,
            "SELECT id, platform, status, coalesce(delivery, ''), coalesce(last_error, ''), "
            "attempts, created_ms, coalesce(sent_ms, 0), coalesce(delivery_ms, 0) "
            "FROM channel_outbox WHERE session_id = ? ORDER BY id");
        q.bind(1, session_id);
        while (q.step())
            c.deliveries.push_back({q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4),
                                    static_cast<int>(q.integer(5)), q.integer(6), q.integer(7),
                                    q.integer(8)});
    }
    if (!c.summary.booking_code.empty()) {
        Statement q(db_,
                    "SELECT code, status, product, location, start_ms, people, "
                    "coalesce(name, ''), coalesce(email, ''), coalesce(phone, '') "
                    "FROM bookings WHERE code = ?");
        q.bind(1, c.summary.booking_code);
        while (q.step())
            c.bookings.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.integer(4),
                                  static_cast<int>(q.integer(5)), q.text(6), q.text(7), q.text(8)});
    }
    return c;
}

}  // namespace wegwijs::store

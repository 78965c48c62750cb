// The staff area's reading of conversations in SQLite; see review_store.h.
#include "store/review_store.h"

#include <sstream>

#include "store/schema.h"

namespace wegwijs::store {
namespace {

// The summary columns, for both the list and one conversation; ?1 is the
// idle cutoff before which a conversation without an outcome is abandoned.
const char* const kSummary =
    "SELECT s.id, s.channel, coalesce(s.locale, ''), s.state, "
    "coalesce(json_extract(s.data, '$.done'), 0), s.turns, s.created_ms, s.updated_ms, "
    "coalesce(s.desk, ''), coalesce(s.product, ''), "
    "coalesce((SELECT t.text FROM turns t WHERE t.session_id = s.id AND t.direction = 'in' "
    "  AND t.text <> '' ORDER BY t.id LIMIT 1), ''), "
    "coalesce(json_extract(s.data, '$.booking.code'), ''), "
    "EXISTS (SELECT 1 FROM channel_outbox o WHERE o.session_id = s.id AND "
    "  (o.status = 'failed' OR o.delivery = 'failed')), "
    "CASE WHEN s.outcome IS NULL AND s.updated_ms < ?1 THEN 'abandoned' "
    "  ELSE coalesce(s.outcome, '') END, "
    "coalesce(m.account, ''), coalesce(m.at_ms, 0), "
    "(SELECT count(*) FROM annotations a WHERE a.session_id = s.id), "
    "(SELECT count(*) FROM turns t WHERE t.session_id = s.id AND t.flag IS NOT NULL), "
    "s.data FROM sessions s LEFT JOIN review_marks m ON m.session_id = s.id ";
constexpr int kDataColumn = 18;

ConversationSummary summary_at(const Statement& q) {
    ConversationSummary c;
    c.session_id = q.text(0);
    c.channel = q.text(1);
    c.locale = q.text(2);
    c.state = q.text(3);
    c.done = q.integer(4) != 0;
    c.turns = static_cast<int>(q.integer(5));
    c.created_ms = q.integer(6);
    c.updated_ms = q.integer(7);
    c.desk = q.text(8);
    c.product = q.text(9);
    c.opening = q.text(10);
    c.booking_code = q.text(11);
    c.delivery_failed = q.integer(12) != 0;
    c.outcome = q.text(13);
    c.reviewed_by = q.text(14);
    c.reviewed_ms = q.integer(15);
    c.annotations = static_cast<int>(q.integer(16));
    c.flagged = static_cast<int>(q.integer(17));
    return c;
}

// A page is read with one row more than it holds: whether that row came
// tells whether another page follows; it is dropped.
template <class Row>
bool beyond_page(std::vector<Row>& rows, int limit) {
    if (static_cast<int>(rows.size()) <= limit) return false;
    rows.pop_back();
    return true;
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
    // Only the filters given become clauses, each a plain condition the
    // planner can drive with an index (a set of annotated conversations is
    // read from annotations, not tested against every session).
    std::string where = "WHERE s.created_ms >= ?2 AND s.created_ms < ?3 ";
    std::vector<std::string> texts;  // bound from ?4 on, in order
    const auto equals = [&](const char* column, const std::string& value) {
        if (value.empty()) return;
        texts.push_back(value);
        where += std::string("AND ") + column + " = ?" + std::to_string(3 + texts.size()) + " ";
    };
    equals("s.channel", f.channel);
    equals("s.locale", f.locale);
    equals("s.desk", f.desk);
    equals("s.product", f.product);
    if (f.outcome == "abandoned")
        where += "AND s.outcome IS NULL AND s.updated_ms < ?1 ";
    else
        equals("s.outcome", f.outcome);
    if (f.reviewed)
        where += *f.reviewed ? "AND m.session_id IS NOT NULL " : "AND m.session_id IS NULL ";
    if (f.annotated)
        where += std::string("AND s.id ") + (*f.annotated ? "IN" : "NOT IN") +
                 " (SELECT session_id FROM annotations) ";
    if (!match.empty()) {
        texts.push_back(match);
        // "+s.id": walk the sessions newest first and stop at the page, rather
        // than sort every session a common word is in (bench/staff.py).
        where +=
            "AND +s.id IN (SELECT t.session_id FROM turns t WHERE t.id IN "
            "(SELECT rowid FROM turns_fts WHERE turns_fts MATCH ?" +
            std::to_string(3 + texts.size()) + ")) ";
    }
    const int limit_at = 4 + static_cast<int>(texts.size());
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_, std::string(kSummary) + where + "ORDER BY s.created_ms DESC, s.id LIMIT ?" +
                         std::to_string(limit_at) + " OFFSET ?" + std::to_string(limit_at + 1));
    q.bind(1, f.idle_before_ms).bind(2, f.from_ms).bind(3, f.to_ms);
    for (std::size_t i = 0; i < texts.size(); ++i) q.bind(4 + static_cast<int>(i), texts[i]);
    q.bind(limit_at, std::int64_t(f.limit) + 1).bind(limit_at + 1, std::int64_t(f.offset));
    ConversationPage page;
    while (q.step()) page.conversations.push_back(summary_at(q));
    page.more = beyond_page(page.conversations, f.limit);
    return page;
}

std::optional<ReviewConversation> SqliteReviewStore::conversation(const std::string& session_id,
                                                                  std::int64_t idle_before_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    ReviewConversation c;
    {
        Statement q(db_, std::string(kSummary) + "WHERE s.id = ?2");
        q.bind(1, idle_before_ms).bind(2, session_id);
        if (!q.step()) return std::nullopt;
        c.summary = summary_at(q);
        c.data = q.text(kDataColumn);
    }
    {
        Statement q(db_,
                    "SELECT id, at_ms, direction, channel, locale, text, coalesce(choice, ''), "
                    "state_before, state_after, coalesce(understanding, ''), coalesce(flag, '') "
                    "FROM turns "
                    "WHERE session_id = ? ORDER BY id");
        q.bind(1, session_id);
        while (q.step())
            c.turns.push_back({q.integer(0),
                               {q.integer(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6),
                                q.text(7), q.text(8), q.text(9), q.text(10)}});
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
    {
        Statement q(db_,
                    "SELECT turn_id, session_id, account, at_ms, coalesce(product, ''), "
                    "coalesce(intent, ''), coalesce(note, '') FROM annotations "
                    "WHERE session_id = ? ORDER BY turn_id");
        q.bind(1, session_id);
        while (q.step())
            c.annotations.push_back({q.integer(0), q.text(1), q.text(2), q.integer(3), q.text(4),
                                     q.text(5), q.text(6)});
    }
    return c;
}

FlaggedPage SqliteReviewStore::flagged(const FlaggedFilter& f) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "SELECT t.id, t.session_id, t.at_ms, t.flag FROM turns t "
                "WHERE t.flag IS NOT NULL AND t.at_ms >= ?1 AND t.at_ms < ?2 "
                "AND (?3 = '' OR t.flag = ?3) "
                "AND (?4 = 0 OR NOT EXISTS (SELECT 1 FROM annotations a WHERE a.turn_id = t.id)) "
                "ORDER BY t.at_ms DESC, t.id DESC LIMIT ?5 OFFSET ?6");
    q.bind(1, f.from_ms).bind(2, f.to_ms).bind(3, f.flag);
    q.bind(4, std::int64_t(f.unannotated_only ? 1 : 0));
    q.bind(5, std::int64_t(f.limit) + 1).bind(6, std::int64_t(f.offset));
    FlaggedPage page;
    while (q.step()) page.turns.push_back({q.integer(0), q.text(1), q.integer(2), q.text(3)});
    page.more = beyond_page(page.turns, f.limit);
    return page;
}

std::vector<ConversationFacts> SqliteReviewStore::facts(std::int64_t from_ms, std::int64_t to_ms,
                                                        std::int64_t idle_before_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "SELECT s.created_ms, s.channel, coalesce(s.locale, ''), coalesce(s.desk, ''), "
                "coalesce(s.product, ''), CASE WHEN s.outcome IS NULL AND s.updated_ms < ?3 "
                "THEN 'abandoned' ELSE coalesce(s.outcome, '') END, s.turns, s.outcome_turn, "
                "s.routed_first, s.fallbacks FROM sessions s WHERE s.created_ms >= ?1 AND "
                "s.created_ms < ?2 AND s.turns > 0 "
                "ORDER BY s.created_ms");
    q.bind(1, from_ms).bind(2, to_ms).bind(3, idle_before_ms);
    std::vector<ConversationFacts> out;
    while (q.step())
        out.push_back({q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5),
                       static_cast<int>(q.integer(6)), static_cast<int>(q.integer(7)),
                       q.integer(8) != 0, static_cast<int>(q.integer(9))});
    return out;
}

std::vector<std::string> SqliteReviewStore::annotated_sessions(std::int64_t from_ms,
                                                               std::int64_t to_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "SELECT session_id FROM annotations WHERE at_ms >= ? AND at_ms < ? "
                "GROUP BY session_id ORDER BY min(at_ms), session_id");
    q.bind(1, from_ms).bind(2, to_ms);
    std::vector<std::string> out;
    while (q.step()) out.push_back(q.text(0));
    return out;
}

bool SqliteReviewStore::annotate(const Annotation& a) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "INSERT INTO annotations(turn_id, session_id, account, at_ms, product, intent, "
                "note) SELECT id, session_id, ?1, ?2, ?3, ?4, ?5 FROM turns "
                "WHERE id = ?6 AND session_id = ?7 AND direction = 'in' "
                "ON CONFLICT(turn_id) DO UPDATE SET account = excluded.account, "
                "at_ms = excluded.at_ms, product = excluded.product, intent = excluded.intent, "
                "note = excluded.note");
    q.bind(1, a.account).bind(2, a.at_ms).bind_or_null(3, a.product).bind_or_null(4, a.intent);
    q.bind_or_null(5, a.note).bind(6, a.turn_id).bind(7, a.session_id).run();
    return sqlite3_changes(db_.handle()) > 0;
}

bool SqliteReviewStore::remove_annotation(const std::string& session_id, std::int64_t turn_id) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_, "DELETE FROM annotations WHERE turn_id = ? AND session_id = ?");
    q.bind(1, turn_id).bind(2, session_id).run();
    return sqlite3_changes(db_.handle()) > 0;
}

bool SqliteReviewStore::mark_reviewed(const std::string& session_id, const std::string& account,
                                      std::int64_t at_ms, bool reviewed) {
    std::lock_guard<std::mutex> guard(lock_);
    if (reviewed) {
        Statement q(db_,
                    "INSERT INTO review_marks(session_id, account, at_ms) SELECT id, ?, ? "
                    "FROM sessions WHERE id = ? ON CONFLICT(session_id) DO UPDATE SET "
                    "account = excluded.account, at_ms = excluded.at_ms");
        q.bind(1, account).bind(2, at_ms).bind(3, session_id).run();
        return sqlite3_changes(db_.handle()) > 0;
    }
    Statement exists(db_, "SELECT 1 FROM sessions WHERE id = ?");
    exists.bind(1, session_id);
    if (!exists.step()) return false;
    Statement q(db_, "DELETE FROM review_marks WHERE session_id = ?");
    q.bind(1, session_id).run();
    return true;
}

}  // namespace wegwijs::store

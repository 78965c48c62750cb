// The messaging channels' identities, inbound ids and outbox; see channel_store.h.
#include "store/channel_store.h"

#include "store/schema.h"

namespace wegwijs::store {
namespace {

int rank(const std::string& status) {
    if (status == "sent") return 1;
    if (status == "delivered") return 2;
    if (status == "read") return 3;
    return 0;
}

}  // namespace

SqliteChannelStore::SqliteChannelStore(const std::string& path) : db_(path) {
    use_wal(db_);
    db_.exec("PRAGMA foreign_keys=ON");
    migrate(db_);
}

std::optional<std::string> SqliteChannelStore::session_of(const std::string& platform,
                                                          const std::string& user_key) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_, "SELECT session_id FROM channel_users WHERE platform = ? AND user_key = ?");
    q.bind(1, platform).bind(2, user_key);
    if (!q.step()) return std::nullopt;
    return q.text(0);
}

bool SqliteChannelStore::seen(const std::string& platform, const std::string& message_id) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_, "SELECT 1 FROM channel_inbound WHERE platform = ? AND message_id = ?");
    q.bind(1, platform).bind(2, message_id);
    return q.step();
}

std::vector<OutboundMessage> SqliteChannelStore::due(std::int64_t now_ms, int limit) {
    std::lock_guard<std::mutex> guard(lock_);
    // The oldest pending message to each user, if its time has come.
    Statement q(db_,
                "SELECT o.id, coalesce(o.session_id, ''), o.platform, o.recipient, o.body, "
                "o.attempts, o.created_ms FROM channel_outbox o WHERE o.status = 'pending' AND "
                "o.next_attempt_ms <= ? AND o.id = (SELECT min(p.id) FROM channel_outbox p "
                "WHERE p.platform = o.platform AND p.recipient = o.recipient AND "
                "p.status = 'pending') ORDER BY o.id LIMIT ?");
    q.bind(1, now_ms).bind(2, std::int64_t(limit));
    std::vector<OutboundMessage> out;
    while (q.step())
        out.push_back({q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4),
                       static_cast<int>(q.integer(5)), q.integer(6)});
    return out;
}

void SqliteChannelStore::mark_sent(std::int64_t id, const std::string& platform_message_id,
                                   std::int64_t now_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "UPDATE channel_outbox SET status = 'sent', sent_ms = ?, platform_message_id = ?, "
                "last_error = NULL WHERE id = ?");
    q.bind(1, now_ms);
    if (platform_message_id.empty())
        q.bind_null(2);
    else
        q.bind(2, platform_message_id);
    q.bind(3, id).run();
}

void SqliteChannelStore::retry_later(std::int64_t id, std::int64_t next_ms,
                                     const std::string& error) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "UPDATE channel_outbox SET attempts = attempts + 1, next_attempt_ms = ?, "
                "last_error = ? WHERE id = ? AND status = 'pending'");
    q.bind(1, next_ms).bind(2, error).bind(3, id).run();
}

void SqliteChannelStore::give_up(std::int64_t id, const std::string& error) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "UPDATE channel_outbox SET status = 'failed', attempts = attempts + 1, "
                "last_error = ? WHERE id = ? AND status = 'pending'");
    q.bind(1, error).bind(2, id).run();
}

bool SqliteChannelStore::record_status(const DeliveryStatus& s) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "SELECT id, delivery FROM channel_outbox WHERE platform = ? AND "
                "platform_message_id = ?");
    q.bind(1, s.platform).bind(2, s.platform_message_id);
    if (!q.step()) return false;
    const std::int64_t id = q.integer(0);
    const std::string now = q.text(1);
    q.reset();
    const bool failed = s.status == "failed";
    if (!failed && (now == "failed" || rank(s.status) <= rank(now))) return true;  // not back
    Statement u(db_,
                "UPDATE channel_outbox SET delivery = ?, delivery_ms = ?, last_error = "
                "coalesce(?, last_error) WHERE id = ?");
    u.bind(1, s.status).bind(2, s.at_ms);
    if (s.error.empty())
        u.bind_null(3);
    else
        u.bind(3, s.error);
    u.bind(4, id).run();
    return true;
}

void SqliteChannelStore::reply_outside_turn(const std::string& platform,
                                            const std::string& message_id,
                                            const std::optional<std::string>& session_id,
                                            const std::vector<ChannelMessage>& replies,
                                            std::int64_t now_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Transaction tx(db_);
    if (!message_id.empty()) {
        Statement seen(db_,
                       "INSERT OR IGNORE INTO channel_inbound(platform, message_id, received_ms) "
                       "VALUES (?, ?, ?)");
        seen.bind(1, platform).bind(2, message_id).bind(3, now_ms).run();
    }
    Statement q(db_,
                "INSERT INTO channel_outbox(session_id, platform, recipient, body, "
                "next_attempt_ms, created_ms) VALUES (?, ?, ?, ?, ?, ?)");
    for (const ChannelMessage& m : replies) {
        if (session_id)
            q.bind(1, *session_id);
        else
            q.bind_null(1);
        q.bind(2, platform).bind(3, m.recipient).bind(4, m.body).bind(5, now_ms).bind(6, now_ms);
        q.run();
    }
    tx.commit();
}

int SqliteChannelStore::forget_inbound(std::int64_t before_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_, "DELETE FROM channel_inbound WHERE received_ms < ?");
    q.bind(1, before_ms).run();
    const int n = sqlite3_changes(db_.handle());
    // Replies outside a conversation have no session to be purged with.
    Statement loose(db_, "DELETE FROM channel_outbox WHERE session_id IS NULL AND created_ms < ?");
    loose.bind(1, before_ms).run();
    return n;
}

}  // namespace wegwijs::store

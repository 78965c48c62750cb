// The staff area's accounts, sessions, failed logins and audit log in
// SQLite; see staff_store.h.
#include "store/staff_store.h"

#include "store/schema.h"

namespace wegwijs::store {
namespace {

int changes(Database& db) {
    return sqlite3_changes(db.handle());
}

StaffAccount account_at(const Statement& q) {
    return {q.text(0), q.text(1), q.text(2), q.integer(3), q.integer(4)};
}

}  // namespace

SqliteStaffStore::SqliteStaffStore(const std::string& path) : db_(path) {
    use_wal(db_);
    db_.exec("PRAGMA foreign_keys=ON");
    db_.exec("PRAGMA synchronous=FULL");  // an audit entry survives a power cut
    migrate(db_);
}

bool SqliteStaffStore::add_account(const StaffAccount& a) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "INSERT OR IGNORE INTO staff_accounts(name, role, password_hash, created_ms, "
                "changed_ms) VALUES (?, ?, ?, ?, ?)");
    q.bind(1, a.name).bind(2, a.role).bind(3, a.password_hash).bind(4, a.created_ms);
    q.bind(5, a.changed_ms).run();
    return changes(db_) == 1;
}

std::optional<StaffAccount> SqliteStaffStore::account(const std::string& name) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "SELECT name, role, password_hash, created_ms, changed_ms FROM staff_accounts "
                "WHERE name = ?");
    q.bind(1, name);
    if (!q.step()) return std::nullopt;
    return account_at(q);
}

std::vector<StaffAccount> SqliteStaffStore::accounts() {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "SELECT name, role, password_hash, created_ms, changed_ms FROM staff_accounts "
                "ORDER BY name");
    std::vector<StaffAccount> out;
    while (q.step()) out.push_back(account_at(q));
    return out;
}

bool SqliteStaffStore::set_password_hash(const std::string& name, const std::string& hash,
                                         std::int64_t now_ms, bool end_sessions) {
    std::lock_guard<std::mutex> guard(lock_);
    Transaction tx(db_);
    Statement q(db_, "UPDATE staff_accounts SET password_hash = ?, changed_ms = ? WHERE name = ?");
    q.bind(1, hash).bind(2, now_ms).bind(3, name).run();
    if (changes(db_) != 1) return false;
    if (end_sessions) {
        Statement end(db_, "DELETE FROM staff_sessions WHERE account = ?");
        end.bind(1, name).run();
    }
    tx.commit();
    return true;
}

bool SqliteStaffStore::remove_account(const std::string& name) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_, "DELETE FROM staff_accounts WHERE name = ?");
    q.bind(1, name).run();
    return changes(db_) == 1;
}

void SqliteStaffStore::start_session(const std::string& token_hash, const std::string& account,
                                     const std::string& csrf, std::int64_t now_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "INSERT INTO staff_sessions(token_hash, account, csrf, created_ms, seen_ms) "
                "VALUES (?, ?, ?, ?, ?)");
    q.bind(1, token_hash).bind(2, account).bind(3, csrf).bind(4, now_ms).bind(5, now_ms).run();
}

std::optional<StaffSession> SqliteStaffStore::touch_session(const std::string& token_hash,
                                                            std::int64_t idle_after_ms,
                                                            std::int64_t began_after_ms,
                                                            std::int64_t now_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "SELECT s.account, a.role, s.csrf, s.created_ms, s.seen_ms FROM staff_sessions s "
                "JOIN staff_accounts a ON a.name = s.account WHERE s.token_hash = ? AND "
                "s.seen_ms >= ? AND s.created_ms >= ?");
    q.bind(1, token_hash).bind(2, idle_after_ms).bind(3, began_after_ms);
    if (!q.step()) return std::nullopt;
    StaffSession s{q.text(0), q.text(1), q.text(2), q.integer(3), now_ms};
    q.reset();
    Statement seen(db_, "UPDATE staff_sessions SET seen_ms = ? WHERE token_hash = ?");
    seen.bind(1, now_ms).bind(2, token_hash).run();
    return s;
}

void SqliteStaffStore::end_session(const std::string& token_hash) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_, "DELETE FROM staff_sessions WHERE token_hash = ?");
    q.bind(1, token_hash).run();
}

int SqliteStaffStore::end_stale_sessions(std::int64_t idle_after_ms, std::int64_t began_after_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_, "DELETE FROM staff_sessions WHERE seen_ms < ? OR created_ms < ?");
    q.bind(1, idle_after_ms).bind(2, began_after_ms).run();
    return changes(db_);
}

void SqliteStaffStore::record_login_failure(const std::string& account, const std::string& address,
                                            std::int64_t now_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_, "INSERT INTO staff_login_failures(account, address, at_ms) VALUES (?, ?, ?)");
    q.bind(1, account).bind(2, address).bind(3, now_ms).run();
}

std::vector<std::int64_t> SqliteStaffStore::times(const char* sql, const std::string& key,
                                                  std::int64_t since_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_, sql);
    q.bind(1, key).bind(2, since_ms);
    std::vector<std::int64_t> out;
    while (q.step()) out.push_back(q.integer(0));
    return out;
}

std::vector<std::int64_t> SqliteStaffStore::login_failures_of_account(const std::string& account,
                                                                      std::int64_t since_ms) {
    return times(
        "SELECT at_ms FROM staff_login_failures WHERE account = ? AND at_ms >= ? ORDER BY at_ms",
        account, since_ms);
}

std::vector<std::int64_t> SqliteStaffStore::login_failures_from(const std::string& address,
                                                                std::int64_t since_ms) {
    return times(
        "SELECT at_ms FROM staff_login_failures WHERE address = ? AND at_ms >= ? ORDER BY at_ms",
        address, since_ms);
}

void SqliteStaffStore::clear_login_failures(const std::string& account) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_, "DELETE FROM staff_login_failures WHERE account = ?");
    q.bind(1, account).run();
}

int SqliteStaffStore::forget_login_failures(std::int64_t before_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_, "DELETE FROM staff_login_failures WHERE at_ms < ?");
    q.bind(1, before_ms).run();
    return changes(db_);
}

void SqliteStaffStore::append(const AuditEntry& e) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "INSERT INTO audit_log(at_ms, account, action, session_id, detail, address) "
                "VALUES (?, ?, ?, ?, ?, ?)");
    q.bind(1, e.at_ms).bind(2, e.account).bind(3, e.action);
    e.session_id.empty() ? q.bind_null(4) : q.bind(4, e.session_id);
    e.detail.empty() ? q.bind_null(5) : q.bind(5, e.detail);
    e.address.empty() ? q.bind_null(6) : q.bind(6, e.address);
    q.run();
}

AuditPage SqliteStaffStore::audit(const AuditQuery& a) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "SELECT id, at_ms, account, action, coalesce(session_id, ''), "
                "coalesce(detail, ''), coalesce(address, '') FROM audit_log "
                "WHERE at_ms >= ? AND at_ms < ? AND (? = '' OR account = ?) AND "
                "(? = '' OR action = ?) ORDER BY id DESC LIMIT ? OFFSET ?");
    q.bind(1, a.from_ms).bind(2, a.to_ms).bind(3, a.account).bind(4, a.account);
    q.bind(5, a.action).bind(6, a.action).bind(7, std::int64_t(a.limit) + 1);
    q.bind(8, std::int64_t(a.offset));
    AuditPage page;
    while (q.step())
        page.entries.push_back(
            {q.integer(0), q.integer(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6)});
    page.more = static_cast<int>(page.entries.size()) > a.limit;
    if (page.more) page.entries.pop_back();
    return page;
}

int SqliteStaffStore::purge_audit(std::int64_t before_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Transaction tx(db_);
    Statement cut(db_, "UPDATE audit_cutoff SET before_ms = max(before_ms, ?) WHERE id = 1");
    cut.bind(1, before_ms).run();
    Statement q(db_, "DELETE FROM audit_log WHERE at_ms < ?");
    q.bind(1, before_ms).run();
    const int n = changes(db_);
    tx.commit();
    return n;
}

}  // namespace wegwijs::store

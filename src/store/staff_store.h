// What the staff area keeps: accounts, their logged-in sessions, failed
// logins (for the throttle) and the audit log.
//
// Guarantees:
// - a password is never stored: an account keeps the hash it is given
//   (staff/password.h makes it); a staff session is found by the SHA-256 of
//   its token, and only that hash is stored;
// - the audit log is append-only: append() adds, nothing here changes or
//   deletes an entry except purge_audit(), which first moves the cutoff that
//   the schema's triggers check (a DELETE of a newer entry, or any UPDATE,
//   is refused by the database itself);
// - removing an account ends its sessions (foreign key) and keeps its audit
//   entries. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite.h"

namespace wegwijs::store {

struct StaffAccount {
    std::string name;
    std::string role;  // "reviewer" or "admin"
    std::string password_hash;
    std::int64_t created_ms = 0;
    std::int64_t changed_ms = 0;
};

struct StaffSession {
    std::string account;
    std::string role;
    std::string csrf;
    std::int64_t created_ms = 0;
    std::int64_t seen_ms = 0;
};

struct AuditEntry {
    std::int64_t id = 0;
    std::int64_t at_ms = 0;
    std::string account;
    std::string action;      // login, login_failed, logout, list, search, view, reveal, ...
    std::string session_id;  // the conversation, or empty
    std::string detail;      // a reason or a filter, or empty
    std::string address;
};

// One page of the audit log, newest first, and whether another follows.
struct AuditPage {
    std::vector<AuditEntry> entries;
    bool more = false;
};

struct AuditQuery {
    std::int64_t from_ms = 0;
    std::int64_t to_ms = INT64_MAX;
    std::string account;  // empty: all
    std::string action;   // empty: all
    int offset = 0;
    int limit = 50;
};

class StaffStore {
  public:
    virtual ~StaffStore() = default;

    // False when the name is taken.
    virtual bool add_account(const StaffAccount& a) = 0;
    virtual std::optional<StaffAccount> account(const std::string& name) = 0;
    virtual std::vector<StaffAccount> accounts() = 0;
    // False when there is no such account. Ends its sessions unless told otherwise.
    virtual bool set_password_hash(const std::string& name, const std::string& hash,
                                   std::int64_t now_ms, bool end_sessions) = 0;
    virtual bool remove_account(const std::string& name) = 0;

    virtual void start_session(const std::string& token_hash, const std::string& account,
                               const std::string& csrf, std::int64_t now_ms) = 0;
    // The session with that token hash if it was seen since `idle_after_ms`
    // and began since `began_after_ms`; it is then marked seen at now_ms.
    virtual std::optional<StaffSession> touch_session(const std::string& token_hash,
                                                      std::int64_t idle_after_ms,
                                                      std::int64_t began_after_ms,
                                                      std::int64_t now_ms) = 0;
    virtual void end_session(const std::string& token_hash) = 0;
    // Deletes sessions seen before idle_after_ms or begun before began_after_ms.
    virtual int end_stale_sessions(std::int64_t idle_after_ms, std::int64_t began_after_ms) = 0;

    virtual void record_login_failure(const std::string& account, const std::string& address,
                                      std::int64_t now_ms) = 0;
    // Failures since `since_ms`, oldest first, as their times.
    virtual std::vector<std::int64_t> login_failures_of_account(const std::string& account,
                                                                std::int64_t since_ms) = 0;
    virtual std::vector<std::int64_t> login_failures_from(const std::string& address,
                                                          std::int64_t since_ms) = 0;
    // A login that succeeded clears its account's failures (not its address's).
    virtual void clear_login_failures(const std::string& account) = 0;
    virtual int forget_login_failures(std::int64_t before_ms) = 0;

    virtual void append(const AuditEntry& e) = 0;
    virtual AuditPage audit(const AuditQuery& q) = 0;
    virtual int purge_audit(std::int64_t before_ms) = 0;
};

class SqliteStaffStore final : public StaffStore {
  public:
    explicit SqliteStaffStore(const std::string& path);

    bool add_account(const StaffAccount& a) override;
    std::optional<StaffAccount> account(const std::string& name) override;
    std::vector<StaffAccount> accounts() override;
    bool set_password_hash(const std::string& name, const std::string& hash, std::int64_t now_ms,
                           bool end_sessions) override;
    bool remove_account(const std::string& name) override;

    void start_session(const std::string& token_hash, const std::string& account,
                       const std::string& csrf, std::int64_t now_ms) override;
    std::optional<StaffSession> touch_session(const std::string& token_hash,
                                              std::int64_t idle_after_ms,
                                              std::int64_t began_after_ms,
                                              std::int64_t now_ms) override;
    void end_session(const std::string& token_hash) override;
    int end_stale_sessions(std::int64_t idle_after_ms, std::int64_t began_after_ms) override;

    void record_login_failure(const std::string& account, const std::string& address,
                              std::int64_t now_ms) override;
    std::vector<std::int64_t> login_failures_of_account(const std::string& account,
                                                        std::int64_t since_ms) override;
    std::vector<std::int64_t> login_failures_from(const std::string& address,
                                                  std::int64_t since_ms) override;
    void clear_login_failures(const std::string& account) override;
    int forget_login_failures(std::int64_t before_ms) override;

    void append(const AuditEntry& e) override;
    AuditPage audit(const AuditQuery& q) override;
    int purge_audit(std::int64_t before_ms) override;

  private:
    std::vector<std::int64_t> times(const char* sql, const std::string& key, std::int64_t since_ms);

    std::mutex lock_;  // one connection, one thread at a time
    Database db_;
};

}  // namespace wegwijs::store

// The SQLite session store: WAL mode, the schema of store/schema.h, SQLite's
// own VFS and checkpointing.
//
// Invariant: every turn record belongs to a stored session (foreign key).
//
// Concurrency: one writing connection behind a mutex; each save_turn() is one
// transaction, committed before it returns (synchronous=NORMAL in WAL mode:
// a commit survives a crash of the process; bookings, in booking_store, are
// committed with FULL). Reads use a pool of reading connections, which WAL
// lets run beside the writer. SQLite checkpoints the WAL itself
// (wal_autocheckpoint); the purge truncates it after deleting.
//
// The file is checked at open (PRAGMA quick_check): a damaged file is refused
// with DamagedDatabase, never served.
#pragma once

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/session_store.h"
#include "store/sqlite.h"

namespace wegwijs::store {

// The file failed SQLite's quick_check; what() names the file and the first problems.
struct DamagedDatabase : SqliteError {
    using SqliteError::SqliteError;
};

// Runs PRAGMA quick_check on the file `db` has open (named `path` in the
// message); throws DamagedDatabase unless it passes, also when SQLite finds
// the file damaged or no database while reading it.
void check_intact(Database& db, const std::string& path);

class SqliteStore final : public SessionStore {
  public:
    explicit SqliteStore(const std::string& path);  // throws SqliteError, DamagedDatabase
    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    std::optional<dialog::Session> load(const std::string& id) override;
    void save_turn(const dialog::Session& s, const std::vector<TurnRecord>& records) override;
    void save_turn(const dialog::Session& s, const std::vector<TurnRecord>& records,
                   const ChannelTurn& channel) override;
    std::vector<TurnRecord> transcript(const std::string& session_id) override;
    int purge(const PurgeCutoffs& cutoffs) override;
    void check_writable(std::int64_t now_ms) override;

    int schema_version();
    struct Stats {
        std::uint64_t turns = 0;  // turns written since the store was opened
    };
    Stats stats();

  private:
    struct Reader;
    class ReaderLease;
    ReaderLease lease_reader();
    int delete_batch(const char* sql, std::int64_t cutoff_ms);
    void write_turn(const dialog::Session& s, const std::vector<TurnRecord>& records);

    const std::string path_;

    // The writing connection and its statements; write_lock_ held while used.
    std::mutex write_lock_;
    Database db_;
    std::unique_ptr<Statement> upsert_;
    std::unique_ptr<Statement> insert_turn_;
    std::uint64_t turns_ = 0;

    // Idle reading connections.
    std::mutex readers_lock_;
    std::vector<std::unique_ptr<Reader>> readers_;
};

}  // namespace wegwijs::store

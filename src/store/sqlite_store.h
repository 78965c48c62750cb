// The SQLite session store: WAL mode, schema created and migrated here.
//
// Invariants: the schema_version table holds one row, the version of the
// schema in the file; a file with a newer version than this binary knows is
// refused at open. Every turn record belongs to a stored session (foreign
// key). One connection, used under a mutex: writes are serialised anyway.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "store/session_store.h"
#include "store/sqlite.h"

namespace wegwijs::store {

class SqliteStore final : public SessionStore {
  public:
    static constexpr int kSchemaVersion = 1;

    explicit SqliteStore(const std::string& path);  // throws SqliteError
    ~SqliteStore() override;

    std::optional<dialog::Session> load(const std::string& id) override;
    void save_turn(const dialog::Session& s, const std::vector<TurnRecord>& records) override;
    std::vector<TurnRecord> transcript(const std::string& session_id) override;
    int purge_idle_before(std::int64_t ms) override;

    int schema_version();

  private:
    void migrate();

    std::mutex lock_;
    Database db_;
    std::unique_ptr<Statement> load_;
    std::unique_ptr<Statement> upsert_;
    std::unique_ptr<Statement> insert_turn_;
};

}  // namespace wegwijs::store

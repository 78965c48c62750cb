// The session store on PostgreSQL (store/pg_database.h), for several
// instances on one database; the same contract as the SQLite store
// (session_store.h): save_turn() is one transaction, committed before it
// returns, with the messaging channel's part in it.
//
// Across instances: a purge batch runs only while its instance holds the
// purge's advisory lock, so one purger works at a time and the others skip
// their round.
#pragma once

#include <string>

#include "store/pg_database.h"
#include "store/session_store.h"

namespace wegwijs::store {

class PgSessionStore final : public SessionStore {
  public:
    explicit PgSessionStore(PgPool& pool) : pool_(pool) {}
    std::optional<dialog::Session> load(const std::string& id) override;
    void save_turn(const dialog::Session& s, const std::vector<TurnRecord>& records) override;
    void save_turn(const dialog::Session& s, const std::vector<TurnRecord>& records,
                   const ChannelTurn& channel) override;
    std::vector<TurnRecord> transcript(const std::string& session_id) override;
    int purge(const PurgeCutoffs& cutoffs) override;
    void check_writable(std::int64_t now_ms) override;

  private:
    void write_turn(pqxx::work& w, const dialog::Session& s,
                    const std::vector<TurnRecord>& records);

    PgPool& pool_;
};

}  // namespace wegwijs::store

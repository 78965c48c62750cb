// The SQLite session store; see sqlite_store.h for what it guarantees.
#include "store/sqlite_store.h"

#include <chrono>
#include <string>
#include <thread>

#include "store/schema.h"

namespace wegwijs::store {
namespace {

// A purge deletes this many sessions per transaction, and pauses between
// batches, so that citizens' turns are written between them instead of
// waiting for all of it: measured, 1000 sessions with long transcripts took
// about 80 ms a batch, and the mutex went back to the purge each time.
constexpr int kPurgeBatch = 250;
constexpr auto kPurgePause = std::chrono::milliseconds(2);

void configure(Database& db) {
    use_wal(db);
    db.exec("PRAGMA synchronous=NORMAL");  // WAL: a commit survives a crash of the process
    db.exec("PRAGMA foreign_keys=ON");
    // A WAL that grew under a burst is cut back to this size once checkpointed.
    db.exec("PRAGMA journal_size_limit=67108864");
}

}  // namespace

void check_intact(Database& db, const std::string& path) {
    std::string result;
    try {
        Statement q(db, "PRAGMA quick_check(5)");
        while (q.step()) result += (result.empty() ? "" : "; ") + q.text(0);
    } catch (const SqliteError& e) {
        if (!e.damaged()) throw;
        result = e.what();
    }
    if (result != "ok")
        throw DamagedDatabase("the database " + path + " is damaged (" + result + ")",
                              SQLITE_CORRUPT);
}

struct SqliteStore::Reader {
    explicit Reader(const std::string& path)
        : db(path),
          load(db, "SELECT channel, created_ms, updated_ms, data FROM sessions WHERE id = ?"),
          transcript(db,
                     "SELECT at_ms, direction, channel, locale, text, choice, state_before, "
                     "state_after, understanding FROM turns WHERE session_id = ? ORDER BY id") {}
    Database db;
    Statement load;
    Statement transcript;
};

// A reading connection taken from the pool for one call, given back after.
class SqliteStore::ReaderLease {
  public:
    ReaderLease(SqliteStore& store, std::unique_ptr<Reader> reader)
        : store_(store), reader_(std::move(reader)) {}
    ~ReaderLease() {
        std::lock_guard<std::mutex> guard(store_.readers_lock_);
        store_.readers_.push_back(std::move(reader_));
    }
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    Reader* operator->() const { return reader_.get(); }

  private:
    SqliteStore& store_;
    std::unique_ptr<Reader> reader_;
};

SqliteStore::SqliteStore(const std::string& path) : path_(path), db_(path) {
    check_intact(db_, path);
    try {
        configure(db_);
        migrate(db_);
    } catch (const SqliteError& e) {
        throw SqliteError(path + ": " + e.what(), e.code);
    }
    upsert_ = std::make_unique<Statement>(
        db_,
        "INSERT INTO sessions(id, channel, created_ms, updated_ms, state, data, turns, locale, "
        "desk, product, outcome, outcome_turn, routed_first, fallbacks) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET updated_ms = excluded.updated_ms, state = excluded.state, "
        "data = excluded.data, turns = excluded.turns, locale = excluded.locale, "
        "desk = excluded.desk, product = excluded.product, outcome = excluded.outcome, "
        "outcome_turn = excluded.outcome_turn, routed_first = excluded.routed_first, "
        "fallbacks = excluded.fallbacks");
    insert_turn_ =
        std::make_unique<Statement>(db_,
                                    "INSERT INTO turns(session_id, at_ms, direction, channel, "
                                    "locale, text, choice, state_before, state_after, "
                                    "understanding, flag) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
}

SqliteStore::~SqliteStore() = default;

int SqliteStore::schema_version() {
    std::lock_guard<std::mutex> guard(write_lock_);
    return store::schema_version(db_);
}

SqliteStore::Stats SqliteStore::stats() {
    std::lock_guard<std::mutex> guard(write_lock_);
    return {turns_};
}

SqliteStore::ReaderLease SqliteStore::lease_reader() {
    {
        std::lock_guard<std::mutex> guard(readers_lock_);
        if (!readers_.empty()) {
            auto reader = std::move(readers_.back());
            readers_.pop_back();
            return {*this, std::move(reader)};
        }
    }
    auto reader = std::make_unique<Reader>(path_);  // outside the lock: opening takes a while
    return {*this, std::move(reader)};
}

std::optional<dialog::Session> SqliteStore::load(const std::string& id) {
    const ReaderLease reader = lease_reader();
    Statement& q = reader->load;
    const Statement::Reset reset(q);
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    dialog::Session s;
    s.id = id;
    s.channel = q.text(0);
    s.created_ms = q.integer(1);
    s.updated_ms = q.integer(2);
    s.load_data_json(nlohmann::json::parse(q.text(3)));
    return s;
}

void SqliteStore::save_turn(const dialog::Session& s, const std::vector<TurnRecord>& records) {
    std::lock_guard<std::mutex> guard(write_lock_);
    Transaction tx(db_);
    write_turn(s, records);
    tx.commit();
    ++turns_;
}

void SqliteStore::save_turn(const dialog::Session& s, const std::vector<TurnRecord>& records,
                            const ChannelTurn& channel) {
    std::lock_guard<std::mutex> guard(write_lock_);
    Transaction tx(db_);
    write_turn(s, records);
    // Once per inbound message: a second insert of the same id fails the
    // whole turn (the caller checked first; this is the guarantee).
    if (!channel.message_id.empty()) {
        Statement seen(db_,
                       "INSERT INTO channel_inbound(platform, message_id, received_ms) "
                       "VALUES (?, ?, ?)");
        seen.bind(1, channel.platform).bind(2, channel.message_id).bind(3, s.updated_ms).run();
    }
    Statement user(
        db_,
        "INSERT INTO channel_users(platform, user_key, session_id) VALUES (?, ?, ?) "
        "ON CONFLICT(platform, user_key) DO UPDATE SET session_id = excluded.session_id");
    user.bind(1, channel.platform).bind(2, channel.user_key).bind(3, s.id).run();
    Statement out(db_,
                  "INSERT INTO channel_outbox(session_id, platform, recipient, body, "
                  "next_attempt_ms, created_ms) VALUES (?, ?, ?, ?, ?, ?)");
    for (const ChannelMessage& m : channel.outbound)
        out.bind(1, s.id)
            .bind(2, channel.platform)
            .bind(3, m.recipient)
            .bind(4, m.body)
            .bind(5, s.updated_ms)
            .bind(6, s.updated_ms)
            .run();
    tx.commit();
    ++turns_;
}

void SqliteStore::write_turn(const dialog::Session& s, const std::vector<TurnRecord>& records) {
    const std::string data = s.data_text();
    const auto desk = s.slots.find("desk");
    upsert_->bind(1, s.id)
        .bind(2, s.channel)
        .bind(3, s.created_ms)
        .bind(4, s.updated_ms)
        .bind(5, s.state)
        .bind(6, data)
        .bind(7, std::int64_t(s.turns))
        .bind(8, s.locale)
        .bind_or_null(9, desk == s.slots.end() ? std::string() : desk->second)
        .bind_or_null(10, s.product)
        .bind_or_null(11, s.outcome)
        .bind(12, std::int64_t(s.outcome_turn))
        .bind(13, std::int64_t(s.routed_first_turn ? 1 : 0))
        .bind(14, std::int64_t(s.fallbacks))
        .run();
    for (const TurnRecord& r : records) {
        Statement& q = *insert_turn_;
        q.bind(1, s.id)
            .bind(2, r.at_ms)
            .bind(3, r.direction)
            .bind(4, r.channel)
            .bind(5, r.locale)
            .bind(6, r.text);
        q.bind_or_null(7, r.choice).bind(8, r.state_before).bind(9, r.state_after);
        q.bind_or_null(10, r.understanding).bind_or_null(11, r.flag).run();
    }
}

std::vector<TurnRecord> SqliteStore::transcript(const std::string& session_id) {
    const ReaderLease reader = lease_reader();
    Statement& q = reader->transcript;
    const Statement::Reset reset(q);
    q.bind(1, session_id);
    std::vector<TurnRecord> out;
    while (q.step()) {
        TurnRecord r;
        r.at_ms = q.integer(0);
        r.direction = q.text(1);
        r.channel = q.text(2);
        r.locale = q.text(3);
        r.text = q.text(4);
        r.choice = q.text(5);
        r.state_before = q.text(6);
        r.state_after = q.text(7);
        r.understanding = q.text(8);  // empty for NULL
        out.push_back(std::move(r));
    }
    return out;
}

// One batch of a purge, in its own transaction; returns the sessions deleted.
int SqliteStore::delete_batch(const char* sql, std::int64_t cutoff_ms) {
    std::lock_guard<std::mutex> guard(write_lock_);
    Transaction tx(db_);
    Statement q(db_, sql);
    q.bind(1, cutoff_ms).bind(2, std::int64_t(kPurgeBatch)).run();
    const int n = sqlite3_changes(db_.handle());
    tx.commit();
    return n;
}

int SqliteStore::purge(const PurgeCutoffs& cutoffs) {
    int total = 0;
    const std::pair<const char*, std::int64_t> kinds[] = {
        {"DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE updated_ms < ? "
         "LIMIT ?)",
         cutoffs.idle_before_ms},
        {"DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE turns <= 1 AND "
         "updated_ms < ? LIMIT ?)",
         cutoffs.unused_before_ms},
    };
    for (const auto& [sql, cutoff] : kinds) {
        for (int n = kPurgeBatch; n == kPurgeBatch;) {
            n = delete_batch(sql, cutoff);
            total += n;
            if (n == kPurgeBatch) std::this_thread::sleep_for(kPurgePause);
        }
    }
    if (total > 0) {
        // Give the space of a large delete back: copy the WAL into the file
        // and start it over at zero length (a reader still on an old
        // snapshot makes it a partial checkpoint; the next purge tries again).
        std::lock_guard<std::mutex> guard(write_lock_);
        db_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    return total;
}

void SqliteStore::check_writable(std::int64_t now_ms) {
    std::lock_guard<std::mutex> guard(write_lock_);
    Transaction tx(db_);
    Statement q(db_,
                "INSERT INTO health(id, checked_ms) VALUES (1, ?) ON CONFLICT(id) DO UPDATE "
                "SET checked_ms = excluded.checked_ms");
    q.bind(1, now_ms).run();
    tx.commit();
}

}  // namespace wegwijs::store

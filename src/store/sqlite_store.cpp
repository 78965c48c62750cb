#include "store/sqlite_store.h"

namespace wegwijs::store {
namespace {

// Migration N brings the schema from version N-1 to N. Append only.
const char* const kMigrations[] = {
    R"sql(
    CREATE TABLE sessions (
        id          TEXT PRIMARY KEY,
        channel     TEXT NOT NULL,
        created_ms  INTEGER NOT NULL,
        updated_ms  INTEGER NOT NULL,
        state       TEXT NOT NULL,
        data        TEXT NOT NULL          -- JSON: locale, slots, history, offer
    );
    CREATE INDEX sessions_updated ON sessions(updated_ms);
    CREATE TABLE turns (
        id            INTEGER PRIMARY KEY,
        session_id    TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        at_ms         INTEGER NOT NULL,
        direction     TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        channel       TEXT NOT NULL,
        locale        TEXT NOT NULL,
        text          TEXT NOT NULL,
        choice        TEXT,
        state_before  TEXT NOT NULL,
        state_after   TEXT NOT NULL,
        understanding TEXT                 -- JSON: what was matched, with scores
    );
    CREATE INDEX turns_session ON turns(session_id, id);
    )sql",
};

}  // namespace

SqliteStore::SqliteStore(const std::string& path) : db_(path) {
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA synchronous=NORMAL");  // WAL: a commit survives a crash of the process
    db_.exec("PRAGMA foreign_keys=ON");
    migrate();
    load_ = std::make_unique<Statement>(
        db_, "SELECT channel, created_ms, updated_ms, data FROM sessions WHERE id = ?");
    upsert_ = std::make_unique<Statement>(
        db_,
        "INSERT INTO sessions(id, channel, created_ms, updated_ms, state, data) VALUES "
        "(?,?,?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET updated_ms = excluded.updated_ms, state = excluded.state, "
        "data = excluded.data");
    insert_turn_ =
        std::make_unique<Statement>(db_,
                                    "INSERT INTO turns(session_id, at_ms, direction, channel, "
                                    "locale, text, choice, state_before, state_after, "
                                    "understanding) VALUES (?,?,?,?,?,?,?,?,?,?)");
}

SqliteStore::~SqliteStore() = default;

int SqliteStore::schema_version() {
    Statement q(db_, "SELECT version FROM schema_version");
    return q.step() ? static_cast<int>(q.integer(0)) : 0;
}

void SqliteStore::migrate() {
    Transaction tx(db_);
    db_.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    int version = schema_version();
    if (version > kSchemaVersion)
        throw SqliteError("the database has schema version " + std::to_string(version) +
                          ", newer than this wegwijs understands (" +
                          std::to_string(kSchemaVersion) + "): refusing to open it");
    if (version == 0) db_.exec("INSERT INTO schema_version(version) VALUES (0)");
    for (; version < kSchemaVersion; ++version) db_.exec(kMigrations[version]);
    db_.exec("UPDATE schema_version SET version = " + std::to_string(kSchemaVersion));
    tx.commit();
}

std::optional<dialog::Session> SqliteStore::load(const std::string& id) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement& q = *load_;
    q.bind(1, id);
    if (!q.step()) {
        q.reset();
        return std::nullopt;
    }
    dialog::Session s;
    s.id = id;
    s.channel = q.text(0);
    s.created_ms = q.integer(1);
    s.updated_ms = q.integer(2);
    s.load_data_json(nlohmann::json::parse(q.text(3)));
    q.reset();
    return s;
}

void SqliteStore::save_turn(const dialog::Session& s, const std::vector<TurnRecord>& records) {
    std::lock_guard<std::mutex> guard(lock_);
    Transaction tx(db_);
    upsert_->bind(1, s.id)
        .bind(2, s.channel)
        .bind(3, s.created_ms)
        .bind(4, s.updated_ms)
        .bind(5, s.state);
    upsert_->bind(6, s.data_json().dump()).run();
    for (const auto& r : records) {
        Statement& q = *insert_turn_;
        q.bind(1, s.id)
            .bind(2, r.at_ms)
            .bind(3, r.direction)
            .bind(4, r.channel)
            .bind(5, r.locale)
            .bind(6, r.text);
        if (r.choice.empty())
            q.bind_null(7);
        else
            q.bind(7, r.choice);
        q.bind(8, r.state_before).bind(9, r.state_after);
        if (r.understanding.is_null())
            q.bind_null(10);
        else
            q.bind(10, r.understanding.dump());
        q.run();
    }
    tx.commit();
}

std::vector<TurnRecord> SqliteStore::transcript(const std::string& session_id) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "SELECT at_ms, direction, channel, locale, text, choice, state_before, "
                "state_after, understanding "
                "FROM turns WHERE session_id = ? ORDER BY id");
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
        if (!q.is_null(8)) r.understanding = nlohmann::json::parse(q.text(8));
        out.push_back(std::move(r));
    }
    return out;
}

int SqliteStore::purge_idle_before(std::int64_t ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Transaction tx(db_);
    Statement q(db_, "DELETE FROM sessions WHERE updated_ms < ?");
    q.bind(1, ms).run();
    const int n = sqlite3_changes(db_.handle());
    tx.commit();
    return n;
}

}  // namespace wegwijs::store

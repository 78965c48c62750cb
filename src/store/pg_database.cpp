// PostgreSQL connections and schema; see pg_database.h.
#include "store/pg_database.h"

#include <stdexcept>

namespace wegwijs::store {
namespace {

// Any number: the key of the advisory lock migrations take.
constexpr long long kMigrationLock = 0x5765677769;  // "Wegwi"

// Migration N brings the schema from version N-1 to N. Append only. Version
// 1 is SQLite's version 7 of the same tables (see schema.cpp for what each
// holds and why): sessions and turns, the messaging channels' users,
// inbound ids and outbox, and the health check's row.
const char* const kMigrations[] = {
    R"sql(
    CREATE TABLE sessions (
        id            TEXT PRIMARY KEY,
        channel       TEXT NOT NULL,
        created_ms    BIGINT NOT NULL,
        updated_ms    BIGINT NOT NULL,
        state         TEXT NOT NULL,
        data          TEXT NOT NULL,
        turns         INTEGER NOT NULL DEFAULT 0,
        locale        TEXT,
        desk          TEXT,
        product       TEXT,
        outcome       TEXT,
        outcome_turn  INTEGER NOT NULL DEFAULT 0,
        routed_first  INTEGER NOT NULL DEFAULT 0,
        fallbacks     INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX sessions_updated ON sessions(updated_ms);
    CREATE INDEX sessions_unused ON sessions(updated_ms) WHERE turns <= 1;
    CREATE INDEX sessions_created ON sessions(created_ms);
    CREATE TABLE turns (
        id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id    TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        at_ms         BIGINT NOT NULL,
        direction     TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        channel       TEXT NOT NULL,
        locale        TEXT NOT NULL,
        text          TEXT NOT NULL,
        choice        TEXT,
        state_before  TEXT NOT NULL,
        state_after   TEXT NOT NULL,
        understanding TEXT,
        flag          TEXT CHECK (flag IN ('fallback', 'correction', 'low_confidence'))
    );
    CREATE INDEX turns_session ON turns(session_id, id);
    CREATE INDEX turns_flagged ON turns(at_ms) WHERE flag IS NOT NULL;
    CREATE TABLE channel_users (
        platform    TEXT NOT NULL,
        user_key    TEXT NOT NULL,
        session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        PRIMARY KEY (platform, user_key)
    );
    CREATE INDEX channel_users_session ON channel_users(session_id);
    CREATE TABLE channel_inbound (
        platform     TEXT NOT NULL,
        message_id   TEXT NOT NULL,
        received_ms  BIGINT NOT NULL,
        PRIMARY KEY (platform, message_id)
    );
    CREATE INDEX channel_inbound_received ON channel_inbound(received_ms);
    CREATE TABLE channel_outbox (
        id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id           TEXT REFERENCES sessions(id) ON DELETE CASCADE,
        platform             TEXT NOT NULL,
        recipient            TEXT NOT NULL,
        body                 TEXT NOT NULL,
        status               TEXT NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'sent', 'failed')),
        attempts             INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms      BIGINT NOT NULL,
        created_ms           BIGINT NOT NULL,
        sent_ms              BIGINT,
        platform_message_id  TEXT,
        delivery             TEXT,
        delivery_ms          BIGINT,
        last_error           TEXT
    );
    CREATE INDEX channel_outbox_pending ON channel_outbox(platform, recipient, id)
        WHERE status = 'pending';
    CREATE INDEX channel_outbox_session ON channel_outbox(session_id);
    CREATE TABLE health (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        checked_ms  BIGINT NOT NULL
    );
    )sql",
};

static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kPgSchemaVersion,
              "one migration per schema version");

int version_in(pqxx::work& w) {
    const pqxx::result r = w.exec("SELECT version FROM schema_version");
    return r.empty() ? 0 : r[0][0].as<int>();
}

}  // namespace

bool is_postgres_uri(const std::string& db) {
    return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

PgPool::PgPool(std::string uri) : uri_(std::move(uri)) {
    auto c = std::make_unique<pqxx::connection>(uri_);
    {
        pqxx::work w(*c);
        w.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
        w.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        int version = version_in(w);
        if (version > kPgSchemaVersion)
            throw std::runtime_error("the database has schema version " + std::to_string(version) +
                                     ", newer than this wegwijs understands (" +
                                     std::to_string(kPgSchemaVersion) + "): refusing to open it");
        if (version == 0) w.exec("INSERT INTO schema_version(version) VALUES (0)");
        for (; version < kPgSchemaVersion; ++version) w.exec(kMigrations[version]);
        w.exec_params("UPDATE schema_version SET version = $1", kPgSchemaVersion);
        w.commit();
    }
    idle_.push_back(std::move(c));
}

PgPool::Lease::~Lease() {
    if (!c_ || !c_->is_open()) return;  // a broken connection is not given back
    std::lock_guard<std::mutex> guard(pool_.lock_);
    pool_.idle_.push_back(std::move(c_));
}

PgPool::Lease PgPool::lease() {
    {
        std::lock_guard<std::mutex> guard(lock_);
        if (!idle_.empty()) {
            auto c = std::move(idle_.back());
            idle_.pop_back();
            return {*this, std::move(c)};
        }
    }
    return {*this, std::make_unique<pqxx::connection>(uri_)};  // outside the lock: it takes a while
}

int PgPool::schema_version() {
    const Lease c = lease();
    pqxx::work w(*c);
    return version_in(w);
}

}  // namespace wegwijs::store

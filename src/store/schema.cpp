// The schema and its migrations; see schema.h.
#include "store/schema.h"

#include <string>

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
    // 2: bookings. Capacity lives in the schema: a desk has one row in seats
    // per counter; a claim takes one seat of one desk for one time cell, and
    // (desk, cell_ms, seat) is the primary key, with (desk, seat) a foreign key
    // into seats. So no cell can ever hold more claims than the desk has
    // counters, whatever the code above it does. A hold's claims carry its
    // expiry and count only until then.
    R"sql(
    CREATE TABLE seats (
        desk  TEXT NOT NULL,               -- "<location>/<desk kind>"
        seat  INTEGER NOT NULL CHECK (seat >= 1),
        PRIMARY KEY (desk, seat)
    ) WITHOUT ROWID;
    CREATE TABLE bookings (
        id               INTEGER PRIMARY KEY,
        code             TEXT UNIQUE,      -- set when confirmed
        status           TEXT NOT NULL CHECK (status IN ('held', 'confirmed', 'cancelled')),
        hold_expires_ms  INTEGER,          -- holds only
        product          TEXT NOT NULL,
        location         TEXT NOT NULL,
        desk             TEXT NOT NULL,
        start_ms         INTEGER NOT NULL,
        end_ms           INTEGER NOT NULL,
        people           INTEGER NOT NULL DEFAULT 1 CHECK (people >= 1),
        name             TEXT,
        email            TEXT,
        phone            TEXT,
        locale           TEXT,
        idempotency_key  TEXT UNIQUE,
        created_ms       INTEGER NOT NULL,
        changed_ms       INTEGER NOT NULL
    );
    CREATE INDEX bookings_email ON bookings(email, product, status);
    CREATE TABLE claims (
        desk             TEXT NOT NULL,
        cell_ms          INTEGER NOT NULL,
        seat             INTEGER NOT NULL,
        booking_id       INTEGER NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
        hold_expires_ms  INTEGER,          -- NULL once confirmed
        PRIMARY KEY (desk, cell_ms, seat),
        FOREIGN KEY (desk, seat) REFERENCES seats(desk, seat)
    ) WITHOUT ROWID;
    CREATE INDEX claims_booking ON claims(booking_id);
    )sql",
    // 3: sessions know how many citizen turns they had, so that one-turn
    // sessions expire after the idle timeout; holds have an opaque public id;
    // a booking keeps a fingerprint of the request its idempotency key came
    // with; a one-row table for the health check's test write.
    R"sql(
    ALTER TABLE sessions ADD COLUMN turns INTEGER NOT NULL DEFAULT 0;
    UPDATE sessions SET turns = coalesce(json_extract(data, '$.turns'), 0);
    CREATE INDEX sessions_unused ON sessions(updated_ms) WHERE turns <= 1;
    ALTER TABLE bookings ADD COLUMN hold_token TEXT;
    CREATE UNIQUE INDEX bookings_hold_token ON bookings(hold_token);
    ALTER TABLE bookings ADD COLUMN request_hash TEXT;
    CREATE TABLE health (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        checked_ms  INTEGER NOT NULL
    );
    )sql",
    // 4: a booking keeps what the conversation knew of the case (a JSON
    // object of facts such as card_need; never personal data), so that what
    // to bring follows the case in the e-mail and the calendar file; the
    // e-mails about bookings wait in an outbox, written in the booking's own
    // transaction, so that none is lost when the mail server is down. A row
    // keeps the slot as it was at the event (a moved appointment's mail
    // names the new time, a cancelled one's the time that was cancelled).
    R"sql(
    ALTER TABLE bookings ADD COLUMN facts TEXT;
    CREATE TABLE mail_outbox (
        id               INTEGER PRIMARY KEY,
        booking_id       INTEGER NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
        event            TEXT NOT NULL CHECK (event IN ('confirmed', 'moved', 'cancelled')),
        location         TEXT NOT NULL,
        desk             TEXT NOT NULL,
        start_ms         INTEGER NOT NULL,
        end_ms           INTEGER NOT NULL,
        status           TEXT NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'sent', 'failed')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms  INTEGER NOT NULL,
        created_ms       INTEGER NOT NULL,
        sent_ms          INTEGER,
        last_error       TEXT
    );
    CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_ms) WHERE status = 'pending';
    CREATE INDEX mail_outbox_booking ON mail_outbox(booking_id);
    )sql",
    // 5: messaging channels (WhatsApp, Telegram). A platform's user (the
    // WhatsApp number, the Telegram chat) points at their conversation and
    // goes with it when it is purged: that key is personal data. Inbound
    // message ids are kept apart from sessions, for the platform's
    // redelivery window, so a message is processed once even after its
    // conversation was purged. The replies wait in channel_outbox, written
    // in the turn's own transaction, in order per conversation; their
    // delivery statuses come back from the platform.
    R"sql(
    CREATE TABLE channel_users (
        platform    TEXT NOT NULL,
        user_key    TEXT NOT NULL,
        session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        PRIMARY KEY (platform, user_key)
    ) WITHOUT ROWID;
    CREATE INDEX channel_users_session ON channel_users(session_id);
    CREATE TABLE channel_inbound (
        platform     TEXT NOT NULL,
        message_id   TEXT NOT NULL,
        received_ms  INTEGER NOT NULL,
        PRIMARY KEY (platform, message_id)
    ) WITHOUT ROWID;
    CREATE INDEX channel_inbound_received ON channel_inbound(received_ms);
    CREATE TABLE channel_outbox (
        id                   INTEGER PRIMARY KEY,
        session_id           TEXT REFERENCES sessions(id) ON DELETE CASCADE,  -- NULL: outside a conversation
        platform             TEXT NOT NULL,
        recipient            TEXT NOT NULL,  -- personal data: goes with the session
        body                 TEXT NOT NULL,  -- JSON, as the platform's API takes it
        status               TEXT NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'sent', 'failed')),
        attempts             INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms      INTEGER NOT NULL,
        created_ms           INTEGER NOT NULL,
        sent_ms              INTEGER,
        platform_message_id  TEXT,
        delivery             TEXT,           -- the platform's last status: sent, delivered, read, failed
        delivery_ms          INTEGER,
        last_error           TEXT
    );
    CREATE INDEX channel_outbox_pending ON channel_outbox(platform, recipient, id)
        WHERE status = 'pending';
    -- Not unique: a platform's id is, but a clash must never keep a sent
    -- message pending (and so sent again and again).
    CREATE INDEX channel_outbox_platform_id ON channel_outbox(platform, platform_message_id);
    )sql",
    // 6: staff review. Accounts keep an argon2id hash, never a password;
    // staff sessions keep a SHA-256 of the cookie's token, never the token,
    // so a copy of the database lets no one in. Failed logins are counted
    // per account name and per address for the throttle. The audit log is
    // append-only: no UPDATE ever, and a DELETE only of rows older than the
    // cutoff its retention purge writes first (audit_cutoff); it has no
    // foreign key, so a purged or erased conversation keeps its entries.
    // Full-text search over what citizens and the assistant wrote, with
    // diacritics folded ("cafe" finds "café"). Indexing a turn's text costs
    // more than writing the turn, so a turn's write only queues its id in
    // turns_fts_pending, and the index takes the queue in batches (in the
    // background, and before every search: review_store.h). Invariant: a
    // turn is either indexed or pending, never both; a deleted turn (a purge
    // deletes by cascade) leaves the index if it was in it, else the queue,
    // so no row id, even one SQLite gives again, is ever half-indexed.
    R"sql(
    CREATE TABLE staff_accounts (
        name           TEXT PRIMARY KEY,
        role           TEXT NOT NULL CHECK (role IN ('reviewer', 'admin')),
        password_hash  TEXT NOT NULL,
        created_ms     INTEGER NOT NULL,
        changed_ms     INTEGER NOT NULL
    );
    CREATE TABLE staff_sessions (
        token_hash  TEXT PRIMARY KEY,
        account     TEXT NOT NULL REFERENCES staff_accounts(name) ON DELETE CASCADE,
        csrf        TEXT NOT NULL,
        created_ms  INTEGER NOT NULL,
        seen_ms     INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX staff_sessions_account ON staff_sessions(account);
    CREATE TABLE staff_login_failures (
        id       INTEGER PRIMARY KEY,
        account  TEXT NOT NULL,            -- as typed
        address  TEXT NOT NULL,
        at_ms    INTEGER NOT NULL
    );
    CREATE INDEX staff_login_failures_account ON staff_login_failures(account, at_ms);
    CREATE INDEX staff_login_failures_address ON staff_login_failures(address, at_ms);
    CREATE TABLE audit_log (
        id          INTEGER PRIMARY KEY,
        at_ms       INTEGER NOT NULL,
        account     TEXT NOT NULL,         -- the staff account, or the name tried at a login
        action      TEXT NOT NULL,
        session_id  TEXT,                  -- the conversation concerned, if one
        detail      TEXT,                  -- a reason, a filter: never a password
        address     TEXT
    );
    CREATE INDEX audit_log_at ON audit_log(at_ms);
    CREATE TABLE audit_cutoff (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        before_ms  INTEGER NOT NULL
    );
    INSERT INTO audit_cutoff(id, before_ms) VALUES (1, 0);
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    WHEN old.at_ms >= (SELECT before_ms FROM audit_cutoff WHERE id = 1)
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_cutoff_forward BEFORE UPDATE ON audit_cutoff
    WHEN new.before_ms < old.before_ms
    BEGIN SELECT RAISE(ABORT, 'the audit cutoff only moves forward'); END;
    CREATE VIRTUAL TABLE turns_fts USING fts5(
        text, content='turns', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2');
    CREATE TABLE turns_fts_pending (turn_id INTEGER PRIMARY KEY);
    CREATE TRIGGER turns_fts_insert AFTER INSERT ON turns
    BEGIN INSERT INTO turns_fts_pending(turn_id) VALUES (new.id); END;
    CREATE TRIGGER turns_fts_delete AFTER DELETE ON turns
    BEGIN
        INSERT INTO turns_fts(turns_fts, rowid, text) SELECT 'delete', old.id, old.text
            WHERE NOT EXISTS (SELECT 1 FROM turns_fts_pending WHERE turn_id = old.id);
        DELETE FROM turns_fts_pending WHERE turn_id = old.id;
    END;
    INSERT INTO turns_fts_pending(turn_id) SELECT id FROM turns;
    CREATE INDEX sessions_created ON sessions(created_ms);
    )sql",
    // 7: what staff filter, count and annotate. A session keeps its
    // language, desk, product and outcome (dialog/outcome.h), the turn that
    // reached the outcome, whether the first answer named a product, and its
    // misunderstood turns, in columns written with every turn, so the list
    // and the dashboard read no session's JSON and no transcript; earlier
    // sessions get what their JSON and transcript tell, and no outcome (the
    // dialog did not mark them then). A citizen's turn keeps why it belongs
    // in the misunderstood inbox (flag). Staff mark a conversation reviewed
    // and annotate a citizen's turn with the product or intent it should
    // have had, one annotation a turn (the latest); both go with the
    // conversation when it is purged or erased, as the turn's text does.
    // Bookings are purged a configured time after their appointment ends
    // (personal_data_store.h), by end time.
    R"sql(
    ALTER TABLE sessions ADD COLUMN locale TEXT;
    ALTER TABLE sessions ADD COLUMN desk TEXT;
    ALTER TABLE sessions ADD COLUMN product TEXT;
    ALTER TABLE sessions ADD COLUMN outcome TEXT;
    ALTER TABLE sessions ADD COLUMN outcome_turn INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN routed_first INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN fallbacks INTEGER NOT NULL DEFAULT 0;
    UPDATE sessions SET locale = json_extract(data, '$.locale'),
        routed_first = coalesce((SELECT json_extract(t.understanding, '$.product') IS NOT NULL
                                 FROM turns t WHERE t.session_id = sessions.id
                                 AND t.direction = 'out' ORDER BY t.id LIMIT 1), 0),
        desk = json_extract(data, '$.slots.desk'),
        product = (SELECT json_extract(t.understanding, '$.product') FROM turns t
                   WHERE t.session_id = sessions.id AND t.direction = 'out'
                   AND json_extract(t.understanding, '$.product') IS NOT NULL
                   ORDER BY t.id DESC LIMIT 1);
    ALTER TABLE turns ADD COLUMN flag TEXT
        CHECK (flag IN ('fallback', 'correction', 'low_confidence'));
    CREATE INDEX turns_flagged ON turns(at_ms) WHERE flag IS NOT NULL;
    CREATE TABLE review_marks (
        session_id  TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
        account     TEXT NOT NULL,
        at_ms       INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE annotations (
        turn_id     INTEGER PRIMARY KEY REFERENCES turns(id) ON DELETE CASCADE,
        session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        account     TEXT NOT NULL,
        at_ms       INTEGER NOT NULL,
        product     TEXT,                  -- the product the turn should have reached
        intent      TEXT,                  -- or what it was instead: out_of_scope, human, ...
        note        TEXT
    );
    CREATE INDEX annotations_session ON annotations(session_id);
    CREATE INDEX annotations_at ON annotations(at_ms);
    CREATE INDEX bookings_end ON bookings(end_ms);
    CREATE INDEX bookings_held ON bookings(hold_expires_ms) WHERE status = 'held';
    )sql",
};

static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSchemaVersion,
              "one migration per schema version");

}  // namespace

void use_wal(Database& db) {
    // Ignored by SQLite once the file has content.
    db.exec("PRAGMA page_size=" + std::to_string(kPageSize));
    db.exec("PRAGMA journal_mode=WAL");
}

int schema_version(Database& db) {
    Statement q(db, "SELECT version FROM schema_version");
    const Statement::Reset reset(q);
    return q.step() ? static_cast<int>(q.integer(0)) : 0;
}

void migrate(Database& db) {
    Transaction tx(db);
    db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    int version = schema_version(db);
    if (version > kSchemaVersion)
        throw SqliteError("the database has schema version " + std::to_string(version) +
                          ", newer than this wegwijs understands (" +
                          std::to_string(kSchemaVersion) + "): refusing to open it");
    if (version == 0) db.exec("INSERT INTO schema_version(version) VALUES (0)");
    for (; version < kSchemaVersion; ++version) db.exec(kMigrations[version]);
    db.exec("UPDATE schema_version SET version = " + std::to_string(kSchemaVersion));
    tx.commit();
}

}  // namespace wegwijs::store

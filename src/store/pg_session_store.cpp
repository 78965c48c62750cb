// The PostgreSQL session store; see pg_session_store.h.
#include "store/pg_session_store.h"

#include <optional>

namespace wegwijs::store {
namespace {

constexpr int kPurgeBatch = 250;
constexpr long long kPurgeLock = 0x5765677770;  // the purge's advisory lock

// An empty text as SQL NULL, as the SQLite store keeps it.
std::optional<std::string> or_null(const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

std::string text_of(const pqxx::field& f) {
    return f.is_null() ? "" : f.as<std::string>();
}

}  // namespace

std::optional<dialog::Session> PgSessionStore::load(const std::string& id) {
    const PgPool::Lease c = pool_.lease();
    pqxx::read_transaction w(*c);
    const pqxx::result r = w.exec_params(
        "SELECT channel, created_ms, updated_ms, data FROM sessions WHERE id = $1", id);
    if (r.empty()) return std::nullopt;
    dialog::Session s;
    s.id = id;
    s.channel = r[0][0].as<std::string>();
    s.created_ms = r[0][1].as<std::int64_t>();
    s.updated_ms = r[0][2].as<std::int64_t>();
    s.load_data_json(nlohmann::json::parse(r[0][3].as<std::string>()));
    return s;
}

void PgSessionStore::write_turn(pqxx::work& w, const dialog::Session& s,
                                const std::vector<TurnRecord>& records) {
    const auto desk = s.slots.find("desk");
    w.exec_params(
        "INSERT INTO sessions(id, channel, created_ms, updated_ms, state, data, turns, locale, "
        "desk, product, outcome, outcome_turn, routed_first, fallbacks) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
        "ON CONFLICT(id) DO UPDATE SET updated_ms = excluded.updated_ms, state = excluded.state, "
        "data = excluded.data, turns = excluded.turns, locale = excluded.locale, "
        "desk = excluded.desk, product = excluded.product, outcome = excluded.outcome, "
        "outcome_turn = excluded.outcome_turn, routed_first = excluded.routed_first, "
        "fallbacks = excluded.fallbacks",
        s.id, s.channel, s.created_ms, s.updated_ms, s.state, s.data_text(), s.turns, s.locale,
        desk == s.slots.end() ? std::nullopt : std::optional<std::string>(desk->second),
        or_null(s.product), or_null(s.outcome), s.outcome_turn, s.routed_first_turn ? 1 : 0,
        s.fallbacks);
    for (const TurnRecord& r : records)
        w.exec_params(
            "INSERT INTO turns(session_id, at_ms, direction, channel, locale, text, choice, "
            "state_before, state_after, understanding, flag) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            s.id, r.at_ms, r.direction, r.channel, r.locale, r.text, or_null(r.choice),
            r.state_before, r.state_after, or_null(r.understanding), or_null(r.flag));
}

void PgSessionStore::save_turn(const dialog::Session& s, const std::vector<TurnRecord>& records) {
    const PgPool::Lease c = pool_.lease();
    pqxx::work w(*c);
    write_turn(w, s, records);
    w.commit();
}

void PgSessionStore::save_turn(const dialog::Session& s, const std::vector<TurnRecord>& records,
                               const ChannelTurn& channel) {
    const PgPool::Lease c = pool_.lease();
    pqxx::work w(*c);
    write_turn(w, s, records);
    // Once per inbound message: a second insert of the same id fails the
    // whole turn, as in SQLite.
    if (!channel.message_id.empty())
        w.exec_params(
            "INSERT INTO channel_inbound(platform, message_id, received_ms) VALUES ($1, $2, $3)",
            channel.platform, channel.message_id, s.updated_ms);
    w.exec_params(
        "INSERT INTO channel_users(platform, user_key, session_id) VALUES ($1, $2, $3) "
        "ON CONFLICT(platform, user_key) DO UPDATE SET session_id = excluded.session_id",
        channel.platform, channel.user_key, s.id);
    for (const ChannelMessage& m : channel.outbound)
        w.exec_params(
            "INSERT INTO channel_outbox(session_id, platform, recipient, body, next_attempt_ms, "
            "created_ms) VALUES ($1, $2, $3, $4, $5, $5)",
            s.id, channel.platform, m.recipient, m.body, s.updated_ms);
    w.commit();
}

std::vector<TurnRecord> PgSessionStore::transcript(const std::string& session_id) {
    const PgPool::Lease c = pool_.lease();
    pqxx::read_transaction w(*c);
    const pqxx::result r = w.exec_params(
        "SELECT at_ms, direction, channel, locale, text, choice, state_before, state_after, "
        "understanding FROM turns WHERE session_id = $1 ORDER BY id",
        session_id);
    std::vector<TurnRecord> out;
    for (const auto& row : r)
        out.push_back({row[0].as<std::int64_t>(), text_of(row[1]), text_of(row[2]), text_of(row[3]),
                       text_of(row[4]), text_of(row[5]), text_of(row[6]), text_of(row[7]),
                       text_of(row[8])});
    return out;
}

int PgSessionStore::purge(const PurgeCutoffs& cutoffs) {
    const std::pair<const char*, std::int64_t> kinds[] = {
        {"DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE updated_ms < $1 "
         "LIMIT $2)",
         cutoffs.idle_before_ms},
        {"DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE turns <= 1 AND "
         "updated_ms < $1 LIMIT $2)",
         cutoffs.unused_before_ms},
    };
    int total = 0;
    const PgPool::Lease c = pool_.lease();
    for (const auto& [sql, cutoff] : kinds) {
        for (int n = kPurgeBatch; n == kPurgeBatch;) {
            pqxx::work w(*c);
            if (!w.exec_params("SELECT pg_try_advisory_xact_lock($1)", kPurgeLock)[0][0].as<bool>())
                return total;  // another instance purges now
            n = static_cast<int>(w.exec_params(sql, cutoff, kPurgeBatch).affected_rows());
            w.commit();
            total += n;
        }
    }
    return total;
}

void PgSessionStore::check_writable(std::int64_t now_ms) {
    const PgPool::Lease c = pool_.lease();
    pqxx::work w(*c);
    w.exec_params(
        "INSERT INTO health(id, checked_ms) VALUES (1, $1) ON CONFLICT(id) DO UPDATE "
        "SET checked_ms = excluded.checked_ms",
        now_ms);
    w.commit();
}

}  // namespace wegwijs::store

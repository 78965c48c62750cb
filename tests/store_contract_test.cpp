// The session store's contract (store/session_store.h), run against each
// store on a real database: SQLite always, PostgreSQL in the throw-away
// cluster the test command starts (scripts/with_postgres.sh sets
// WEGWIJS_TEST_PG), each test in a database of its own.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <set>
#include <thread>

#include "store/pg_database.h"
#include "store/pg_session_store.h"
#include "store/sqlite_store.h"
#include "support/fixture.h"

using namespace wegwijs;

namespace {

dialog::Session session(const std::string& id, std::int64_t at, int turns) {
    dialog::Session s;
    s.id = id;
    s.channel = "web";
    s.created_ms = s.updated_ms = at;
    s.turns = turns;
    s.locale = "en";
    s.slots["desk"] = "loket";
    s.outcome = "booked";
    return s;
}

void check_contract(store::SessionStore& st) {
    CHECK_FALSE(st.load("nobody"));
    store::TurnRecord in{1000, "in", "web",     "en",       "my card is lost",
                         "",   "",   "confirm", "{\"a\":1}"};
    in.flag = "correction";
    const store::TurnRecord out{1000, "out", "web",     "en", "Is it about your card?",
                                "",   "",    "confirm", ""};
    st.save_turn(session("a", 1000, 1), {in, out});
    const auto loaded = st.load("a");
    REQUIRE(loaded);
    CHECK(loaded->locale == "en");
    CHECK(loaded->slots.at("desk") == "loket");
    CHECK(loaded->outcome == "booked");
    CHECK(loaded->created_ms == 1000);
    auto t = st.transcript("a");
    REQUIRE(t.size() == 2);
    CHECK(t[0].text == "my card is lost");
    CHECK(t[0].choice.empty());  // NULL reads back empty
    CHECK(t[0].understanding == "{\"a\":1}");
    CHECK(t[1].direction == "out");
    CHECK(t[1].understanding.empty());

    // The session is updated in place; turns append.
    auto later = session("a", 1000, 2);
    later.updated_ms = 2000;
    later.state = "outcome";
    st.save_turn(later, {{2000, "in", "web", "en", "", "yes", "confirm", "outcome", ""}});
    CHECK(st.load("a")->updated_ms == 2000);
    t = st.transcript("a");
    REQUIRE(t.size() == 3);
    CHECK(t[2].choice == "yes");

    // A messaging channel's turn: its inbound id counts once; a second turn
    // with the same id fails whole, and nothing of it is kept.
    const store::ChannelTurn telegram{"telegram", "42", "m1", {{"42", "{\"text\":\"hi\"}"}}};
    st.save_turn(session("b", 3000, 1), {{3000, "in", "telegram", "en", "hi", "", "", "s", ""}},
                 telegram);
    CHECK_THROWS(st.save_turn(session("b", 3100, 2),
                              {{3100, "in", "telegram", "en", "again", "", "", "s", ""}},
                              telegram));
    CHECK(st.transcript("b").size() == 1);
    CHECK(st.load("b")->turns == 1);

    // Purge: idle past the retention, or one turn idle past the idle timeout.
    st.save_turn(session("c", 50'000, 1), {{50'000, "in", "web", "en", "hi", "", "", "s", ""}});
    st.save_turn(session("d", 50'000, 3), {{50'000, "in", "web", "en", "hi", "", "", "s", ""}});
    CHECK(st.purge({2500, 60'000}) == 3);  // a (idle), b and c (one turn)
    CHECK_FALSE(st.load("a"));
    CHECK(st.transcript("a").empty());
    CHECK_FALSE(st.load("c"));
    CHECK(st.load("d"));
    CHECK_NOTHROW(st.check_writable(70'000));
}

// A database of its own on the test cluster, for one test.
std::string fresh_postgres_database(const std::string& name) {
    const char* uri = std::getenv("WEGWIJS_TEST_PG");
    INFO(
        "run through scripts/with_postgres.sh (the test command does), which sets WEGWIJS_TEST_PG");
    REQUIRE(uri != nullptr);
    pqxx::connection admin(uri);
    pqxx::nontransaction w(admin);
    w.exec("DROP DATABASE IF EXISTS " + w.quote_name(name));
    w.exec("CREATE DATABASE " + w.quote_name(name));
    return std::string(uri) + (std::string(uri).find('?') == std::string::npos ? "?" : "&") +
           "dbname=" + name;
}

}  // namespace

TEST_CASE("the SQLite session store keeps the store contract", "[unit]") {
    test::TempDir tmp;
    store::SqliteStore st(tmp.file("contract.db"));
    check_contract(st);
}

TEST_CASE("the PostgreSQL session store keeps the store contract", "[postgres]") {
    const std::string uri = fresh_postgres_database("wegwijs_contract");
    store::PgPool pool(uri);
    CHECK(pool.schema_version() == store::kPgSchemaVersion);
    store::PgSessionStore st(pool);
    check_contract(st);
}

TEST_CASE("PostgreSQL: instances starting together migrate once; a newer schema is refused",
          "[postgres]") {
    const std::string uri = fresh_postgres_database("wegwijs_migrate");
    std::vector<std::thread> instances;
    std::atomic<int> failed{0};
    for (int i = 0; i < 3; ++i)
        instances.emplace_back([&] {
            try {
                store::PgPool pool(uri);
            } catch (const std::exception&) {
                ++failed;
            }
        });
    for (auto& t : instances) t.join();
    CHECK(failed == 0);
    {
        pqxx::connection c(uri);
        pqxx::work w(c);
        CHECK(w.exec("SELECT count(*) FROM schema_version")[0][0].as<int>() == 1);
        w.exec("UPDATE schema_version SET version = 99");
        w.commit();
    }
    CHECK_THROWS_WITH(store::PgPool(uri), Catch::Contains("newer than this wegwijs understands"));
}

TEST_CASE("PostgreSQL's tables have the columns SQLite's have", "[postgres]") {
    // The PostgreSQL schema repeats SQLite's tables in its own dialect; this
    // keeps the two in step when a migration adds a column to one of them.
    test::TempDir tmp;
    const std::string file = tmp.file("columns.db");
    store::SqliteStore sqlite(file);
    const std::string uri = fresh_postgres_database("wegwijs_columns");
    store::PgPool pool(uri);  // migrates
    store::Database raw(file);
    pqxx::connection pg(uri);
    for (const char* table :
         {"sessions", "turns", "channel_users", "channel_inbound", "channel_outbox", "health"}) {
        std::set<std::string> in_sqlite, in_postgres;
        store::Statement q(raw, std::string("SELECT name FROM pragma_table_info('") + table + "')");
        while (q.step()) in_sqlite.insert(q.text(0));
        pqxx::read_transaction w(pg);
        for (const auto& row : w.exec_params("SELECT column_name FROM information_schema.columns "
                                             "WHERE table_name = $1",
                                             table))
            in_postgres.insert(row[0].as<std::string>());
        INFO(table);
        CHECK_FALSE(in_sqlite.empty());
        CHECK(in_sqlite == in_postgres);
    }
}

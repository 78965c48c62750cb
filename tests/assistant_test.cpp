// The assistant and its store under time and concurrency: sessions expire
// after the idle time (with an injected clock), turns of one session are
// served one after the other in the order they arrived, and group commit
// stores every turn while a failing turn fails alone.
#include "app/assistant.h"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <thread>

#include "app/purger.h"
#include "store/personal_data_store.h"
#include "store/sqlite_store.h"
#include "support/fixture.h"

using namespace wegwijs;

namespace {

// A clock the test moves by hand.
struct ManualClock {
    std::atomic<std::int64_t> now{1'800'000'000'000};
    app::Clock clock() {
        return [this] { return now.load(); };
    }
};

std::string first_key(const app::ChatResponse& r) {
    return r.reply.messages.empty() ? "" : r.reply.messages.front().key;
}

}  // namespace

TEST_CASE("a session idle for longer than the idle time expires", "[assistant]") {
    test::TempDir tmp;
    store::SqliteStore store(tmp.file("expiry.db"));
    ManualClock time;
    app::AssistantOptions options;  // the default: 30 minutes
    app::Assistant assistant(test::data(), store, options, time.clock());

    const auto first =
        assistant.chat({std::nullopt, "Ik ben mijn verblijfskaart verloren", "", {}});
    const std::string sid = first.session_id;
    REQUIRE(first.reply.state == "ask_annex12");

    SECTION("29 minutes later the conversation goes on") {
        time.now += 29 * 60 * 1000;
        const auto next = assistant.chat({sid, "", "yes", {}});
        CHECK(next.session_id == sid);
        CHECK(next.reply.state == "confirm");
        CHECK(first_key(next) != "session.expired");
        SECTION("and the idle time counts from the last turn") {
            time.now += 29 * 60 * 1000;
            CHECK(assistant.chat({sid, "", "yes", {}}).session_id == sid);
        }
    }
    SECTION("31 minutes later it starts anew, says so, and keeps nothing") {
        time.now += 31 * 60 * 1000;
        const auto next = assistant.chat({sid, "", "yes", {}});
        CHECK(next.session_id != sid);
        CHECK(first_key(next) == "session.expired");
        CHECK(next.reply.locale == "nl");
        CHECK_FALSE(next.reply.route);  // the lost card is forgotten
    }
    SECTION("a channel coming back after the expiry (a reload) is told, in a new conversation") {
        time.now += 31 * 60 * 1000;
        app::ChatRequest back;
        back.session_id = sid;
        back.locale = "nl";  // what the widget sends when GET /v1/chat/{id} says 404
        const auto next = assistant.chat(back);
        CHECK(next.session_id != sid);
        CHECK(first_key(next) == "session.expired");
        CHECK(next.reply.state == "ask_desk");
        CHECK_FALSE(assistant.history(sid));
    }
    SECTION("the idle time is configurable") {
        app::AssistantOptions five;
        five.idle_timeout = std::chrono::minutes(5);
        app::Assistant quick(test::data(), store, five, time.clock());
        time.now += 6 * 60 * 1000;
        CHECK(quick.chat({sid, "", "yes", {}}).session_id != sid);
    }
}

TEST_CASE("a messaging app's finished conversation begins anew at typed words after quiet",
          "[assistant]") {
    test::TempDir tmp;
    store::SqliteStore store(tmp.file("done.db"));
    ManualClock time;
    app::Assistant assistant(test::data(), store, {}, time.clock());  // done_idle: 10 minutes
    const app::ChannelDelivery delivery{"telegram", "42", "", [](const app::ChatResponse&) {
                                            return std::vector<store::ChannelMessage>{};
                                        }};
    auto send = [&](std::optional<std::string> sid, std::string text, std::string choice,
                    bool channel = true) {
        app::ChatRequest r;
        r.session_id = std::move(sid);
        r.text = std::move(text);
        r.choice = std::move(choice);
        r.channel = channel ? "telegram" : "web";
        r.delivery = channel ? &delivery : nullptr;
        return assistant.chat(r);
    };
    const std::string sid = send(std::nullopt, "I lost my residence card", "").session_id;
    send(sid, "", "yes");
    const auto done = send(sid, "", "yes");
    REQUIRE(done.reply.done);
    REQUIRE(done.reply.locale == "en");
    REQUIRE_FALSE(done.reply.messages.back().choices.empty());

    SECTION("five minutes later, words go on in it") {
        time.now += 5 * 60 * 1000;
        CHECK(send(sid, "thank you", "").session_id == sid);
    }
    SECTION("eleven minutes later, words begin a new one, without the expiry notice") {
        time.now += 11 * 60 * 1000;
        const auto next = send(sid, "ok", "");
        CHECK(next.session_id != sid);
        CHECK(first_key(next) != "session.expired");
        CHECK(next.reply.locale == "en");  // the old one's, as words that show none leave it
        CHECK(assistant.history(sid));     // the finished one is kept for its retention
    }
    SECTION("a button of the finished one, tapped later, still belongs to it") {
        time.now += 11 * 60 * 1000;
        const std::string choice = done.reply.messages.back().choices.front().id;
        CHECK(send(sid, "", choice).session_id == sid);
    }
    SECTION("the web widget's conversation is not cut: it has its own restart") {
        time.now += 11 * 60 * 1000;
        CHECK(send(sid, "thank you", "", false).session_id == sid);
    }
}

TEST_CASE("a channel's language hint starts a conversation; the first words still decide",
          "[assistant]") {
    test::TempDir tmp;
    store::SqliteStore store(tmp.file("hint.db"));
    app::Assistant assistant(test::data(), store, {});
    app::ChatRequest start;
    start.locale_hint = "en";
    const auto greeted = assistant.chat(start);
    CHECK(greeted.reply.locale == "en");
    CHECK(first_key(greeted) == "welcome");
    app::ChatRequest dutch;
    dutch.session_id = greeted.session_id;
    dutch.text = "Ik ben mijn verblijfskaart verloren";
    CHECK(assistant.chat(dutch).reply.locale == "nl");

    start.locale_hint = "uk";  // not one of ours: the default
    CHECK(assistant.chat(start).reply.locale == "nl");
    start.locale_hint = "en";
    start.locale = "nl";  // a client's explicit choice wins
    CHECK(assistant.chat(start).reply.locale == "nl");
}

TEST_CASE("turns of one session are served one at a time, in the order they arrived",
          "[assistant]") {
    test::TempDir tmp;
    store::SqliteStore store(tmp.file("order.db"));

    // The clock is read inside a turn: a gate in it holds the first turn
    // there while the others arrive.
    std::mutex gate_lock;
    std::condition_variable gate_opened;
    bool gate_open = true;
    std::atomic<int> inside{0};
    app::Clock gated = [&] {
        ++inside;
        std::unique_lock<std::mutex> lk(gate_lock);
        gate_opened.wait(lk, [&] { return gate_open; });
        return app::system_clock_ms();
    };
    app::Assistant assistant(test::data(), store, {}, gated);
    const std::string sid = assistant.chat({std::nullopt, "", "", std::string("en")}).session_id;

    {
        std::lock_guard<std::mutex> lk(gate_lock);
        gate_open = false;
    }
    inside = 0;
    const std::vector<std::string> texts = {"help", "hello", "start again", "back", "help"};
    std::vector<std::thread> clients;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        clients.emplace_back([&, i] { assistant.chat({sid, texts[i], "", {}}); });
        // Wait until this turn is queued (or, for the first, inside) before the next.
        while (assistant.turns_in_progress() < static_cast<int>(i) + 1) std::this_thread::yield();
        if (i == 0)
            while (inside < 1) std::this_thread::yield();
    }
    CHECK(inside == 1);  // the others wait for their turn
    {
        std::lock_guard<std::mutex> lk(gate_lock);
        gate_open = true;
    }
    gate_opened.notify_all();
    for (auto& t : clients) t.join();

    const auto transcript = store.transcript(sid);
    std::vector<std::string> said;
    for (const auto& r : transcript)
        if (r.direction == "in") said.push_back(r.text);
    CHECK(said == texts);
    // One after the other: each turn starts where the one before ended.
    for (std::size_t i = 1; i < transcript.size(); ++i) {
        CHECK(transcript[i].direction != transcript[i - 1].direction);
        if (transcript[i].direction == "in")
            CHECK(transcript[i].state_before == transcript[i - 1].state_after);
    }
}

TEST_CASE("group commit stores every turn and a failing turn fails alone", "[assistant]") {
    test::TempDir tmp;
    store::SqliteStore store(tmp.file("group.db"));
    constexpr int kThreads = 8;
    constexpr int kTurns = 40;
    std::atomic<int> failed{0};
    std::atomic<int> wrongly_failed{0};
    std::vector<std::thread> writers;
    for (int t = 0; t < kThreads; ++t)
        writers.emplace_back([&, t] {
            for (int i = 0; i < kTurns; ++i) {
                dialog::Session s;
                s.id = "s" + std::to_string(t) + "-" + std::to_string(i);
                s.channel = "web";
                s.updated_ms = i;
                // Every tenth turn of writer 0 breaks the schema's CHECK.
                const bool bad = t == 0 && i % 10 == 0;
                try {
                    store.save_turn(s, {{i, bad ? "sideways" : "in", "web", "nl", "hallo", "", "",
                                         "ask_desk", ""}});
                } catch (const store::SqliteError&) {
                    (bad ? failed : wrongly_failed)++;
                }
            }
        });
    for (auto& w : writers) w.join();
    CHECK(failed == kTurns / 10);
    CHECK(wrongly_failed == 0);
    const auto stats = store.stats();
    CHECK(stats.turns == kThreads * kTurns - kTurns / 10);
    for (int t = 0; t < kThreads; ++t)
        for (int i = 0; i < kTurns; ++i) {
            const std::string id = "s" + std::to_string(t) + "-" + std::to_string(i);
            const bool bad = t == 0 && i % 10 == 0;
            CHECK(store.load(id).has_value() == !bad);
            CHECK(store.transcript(id).size() == (bad ? 0u : 1u));
        }
}

TEST_CASE("under steady writes SQLite's own checkpoints keep the WAL bounded", "[assistant]") {
    test::TempDir tmp;
    const std::string path = tmp.file("steady.db");
    store::SqliteStore store(path);
    const std::string long_text(2000, 'x');
    // Tens of MiB of turns: wal_autocheckpoint copies the WAL back every
    // 1000 pages, and with no reader holding it, SQLite starts it over.
    const int turns = 8000;
    for (int i = 0; i < turns; ++i) {
        dialog::Session s;
        s.id = "w" + std::to_string(i);
        s.channel = "web";
        s.updated_ms = i;
        store.save_turn(s, {{i, "in", "web", "nl", long_text, "", "", "ask_desk", ""}});
    }
    CHECK(std::filesystem::file_size(path + "-wal") <= 8u * 1024 * 1024);
    CHECK(std::filesystem::file_size(path) > 8u * 1024 * 1024);  // the turns are in the file
    CHECK(store.transcript("w0").size() == 1);
    CHECK(store.transcript("w" + std::to_string(turns - 1)).size() == 1);
    // A purge that deletes gives the WAL back whole.
    CHECK(store.purge({turns / 2, 0}) == turns / 2);
    CHECK(std::filesystem::file_size(path + "-wal") == 0u);
    CHECK(store.transcript("w0").empty());
    CHECK(store.transcript("w" + std::to_string(turns - 1)).size() == 1);
}

TEST_CASE("transcripts idle past the retention are purged on schedule, others kept",
          "[assistant]") {
    test::TempDir tmp;
    store::SqliteStore store(tmp.file("purge.db"));
    ManualClock time;
    const std::int64_t day = 24 * 3600 * 1000;
    const std::int64_t minute = 60 * 1000;
    // (id, idle for, citizen turns)
    for (const auto& [id, idle_ms, turns] : std::vector<std::tuple<std::string, std::int64_t, int>>{
             {"old", 31 * day, 5},
             {"recent", 29 * day, 5},
             {"today", 0, 5},
             {"one-turn-idle", 31 * minute, 1},
             {"one-turn-active", 29 * minute, 1},
             {"two-turns-idle", 31 * minute, 2}}) {
        dialog::Session s;
        s.id = id;
        s.channel = "web";
        s.updated_ms = time.now - idle_ms;
        s.turns = turns;
        store.save_turn(s, {{s.updated_ms, "in", "web", "nl", "hallo", "", "", "ask_desk", ""}});
    }
    // Bookings: one whose appointment ended 91 days ago, one 89 days ago.
    store::SqlitePersonalDataStore personal(tmp.file("purge.db"));
    {
        store::Database raw(tmp.file("purge.db"));
        for (const auto& [code, ended] : std::vector<std::pair<std::string, std::int64_t>>{
                 {"OLDB-OOKI", time.now - 91 * day}, {"NEWB-OOKI", time.now - 89 * day}})
            raw.exec(
                "INSERT INTO bookings(code, status, product, location, desk, start_ms, "
                "end_ms, email, created_ms, changed_ms) VALUES ('" +
                code + "', 'confirmed', 'loket.residence_card', 'x', 'x/loket', " +
                std::to_string(ended - 600000) + ", " + std::to_string(ended) +
                ", 'a@example.org', 0, 0)");
    }
    std::ostringstream log;
    {
        const app::Purger purger(
            store, &personal,
            {std::chrono::hours(24 * 30), std::chrono::minutes(30), std::chrono::hours(24 * 90)},
            std::chrono::milliseconds(5), log, time.clock());
        // "old" is past the retention; "one-turn-idle" never got past its
        // first turn and is past the idle timeout.
        CHECK(test::eventually([&] { return purger.purged() >= 2; }));
        CHECK(purger.purged() == 2);
        CHECK_FALSE(store.load("one-turn-idle"));
        CHECK(store.load("one-turn-active"));
        CHECK(store.load("two-turns-idle"));
        CHECK(test::eventually([&] {
            return personal.find({"a@example.org", ""}).bookings.size() == 1;
        }));
        CHECK(personal.find({"a@example.org", ""}).bookings[0].code == "NEWB-OOKI");
        // Two days on, "recent" is past the retention too; the next round
        // takes it, and the one-turn session now idle past the timeout.
        time.now += 2 * day;
        CHECK(test::eventually([&] { return purger.purged() >= 4; }));
        CHECK(purger.purged() == 4);
    }
    CHECK(store.load("two-turns-idle"));
    CHECK_FALSE(store.load("old"));
    CHECK(store.transcript("old").empty());
    CHECK_FALSE(store.load("recent"));
    CHECK(store.load("today"));
    CHECK(log.str().find("hallo") == std::string::npos);  // counts only, never content
    // 2 days on, both bookings are past 90 days after their appointment; the
    // first went at the first round (the log says so), the second at a later one.
    CHECK(personal.find({"a@example.org", ""}).bookings.empty());
    CHECK(log.str().find("purged 1 past bookings") != std::string::npos);
}

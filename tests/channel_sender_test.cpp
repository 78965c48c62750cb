// The messaging channels' sender on a real SQLite outbox: replies to
// different users go out side by side, each user's in the order written, at
// most `parallel` at once; failures wait and are tried again. The platform
// here is a function in the test (the HTTP side is tested against the fake
// platform server in tests/whatsapp_test.py and tests/telegram_test.py).
#include "app/channel_sender.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "store/channel_store.h"
#include "store/sqlite_store.h"
#include "support/fixture.h"

using namespace wegwijs;
using namespace std::chrono_literals;

namespace {

struct Recorder {
    std::mutex lock;
    std::map<std::string, std::vector<std::string>> got;  // recipient -> bodies, in order
    std::atomic<int> under_way{0};
    std::atomic<int> most_at_once{0};
    std::atomic<int> calls{0};

    app::PlatformAnswer take(const store::OutboundMessage& m, std::chrono::milliseconds takes) {
        const int now = ++under_way;
        for (int seen = most_at_once;
             now > seen && !most_at_once.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(takes);
        {
            const std::lock_guard<std::mutex> one(lock);
            got[m.recipient].push_back(m.body);
        }
        --under_way;
        ++calls;
        return {app::PlatformAnswer::Kind::sent, "id-" + std::to_string(m.id), "", 0};
    }
    std::size_t total() {
        const std::lock_guard<std::mutex> one(lock);
        std::size_t n = 0;
        for (const auto& [_, bodies] : got) n += bodies.size();
        return n;
    }
};

// Queues `per_user` replies to each of `users` users, in order.
void queue(store::ChannelStore& outbox, int users, int per_user) {
    for (int n = 0; n < per_user; ++n)
        for (int u = 0; u < users; ++u)
            outbox.reply_outside_turn("telegram", "", std::nullopt,
                                      {{"user" + std::to_string(u), std::to_string(n)}}, 1000);
}

}  // namespace

TEST_CASE("the sender sends to several users at once, each user's replies in order", "[channels]") {
    test::TempDir tmp;
    const std::string db = tmp.file("outbox.db");
    store::SqliteStore schema(db);
    store::SqliteChannelStore outbox(db);
    queue(outbox, 12, 3);
    Recorder platform;
    std::ostringstream log;
    app::ChannelSenderOptions options;
    options.poll = 20ms;
    options.parallel = 4;
    {
        app::ChannelSender sender(
            outbox,
            {{"telegram", [&](const store::OutboundMessage& m) { return platform.take(m, 30ms); }}},
            options, log, [] { return std::int64_t{2000}; });
        CHECK(test::eventually([&] { return platform.total() == 36; }));
    }
    CHECK(platform.calls == 36);  // each once
    CHECK(platform.most_at_once > 1);
    CHECK(platform.most_at_once <= 4);
    for (const auto& [user, bodies] : platform.got)
        CHECK(bodies == std::vector<std::string>{"0", "1", "2"});
    CHECK(outbox.due(1'000'000, 100).empty());  // all marked sent
}

TEST_CASE("a reply the platform refused for now waits, and the user's next waits behind it",
          "[channels]") {
    test::TempDir tmp;
    const std::string db = tmp.file("retry.db");
    store::SqliteStore schema(db);
    store::SqliteChannelStore outbox(db);
    queue(outbox, 2, 2);
    std::mutex lock;
    std::vector<std::string> sent;  // recipient:body
    std::atomic<bool> failing{true};
    std::atomic<std::int64_t> now{2000};
    app::ChannelSenderOptions options;
    options.poll = 20ms;
    options.retry_base = 1000ms;
    std::ostringstream log;
    app::ChannelSender sender(
        outbox,
        {{"telegram",
          [&](const store::OutboundMessage& m) -> app::PlatformAnswer {
              if (failing && m.recipient == "user0")
                  return {app::PlatformAnswer::Kind::retry, "", "HTTP 500"};
              const std::lock_guard<std::mutex> one(lock);
              sent.push_back(m.recipient + ":" + m.body);
              return {app::PlatformAnswer::Kind::sent, "x" + std::to_string(m.id), "", 0};
          }}},
        options, log, [&] { return now.load(); });
    const auto count = [&] {
        const std::lock_guard<std::mutex> one(lock);
        return sent.size();
    };
    // The other user is not held up by the failing one.
    REQUIRE(test::eventually([&] { return count() == 2; }));
    {
        const std::lock_guard<std::mutex> one(lock);
        CHECK(sent == std::vector<std::string>{"user1:0", "user1:1"});
    }
    failing = false;
    std::this_thread::sleep_for(100ms);
    CHECK(count() == 2);  // not before its retry time
    now = 2000 + 1000;
    sender.wake();
    REQUIRE(test::eventually([&] { return count() == 4; }));
    const std::lock_guard<std::mutex> one(lock);
    CHECK(std::vector<std::string>(sent.begin() + 2, sent.end()) ==
          std::vector<std::string>{"user0:0", "user0:1"});
    CHECK(log.str().find("HTTP 500") != std::string::npos);
    CHECK(log.str().find("user0") == std::string::npos);  // never a recipient in the log
}

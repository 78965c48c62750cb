// The HTTP contract against the real server on an ephemeral port, with a real
// SQLite file: the happy path, every kind of bad input, and unknown sessions.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <thread>

#include "app/assistant.h"
#include "booking/booking_store.h"
#include "store/sqlite_store.h"
#include "support/fixture.h"
#include "webhook/booking_api.h"
#include "webhook/http_api.h"

using namespace wegwijs;

namespace {

struct LiveServer {
    test::TempDir tmp;
    store::SqliteStore store{tmp.file("http.db")};
    app::Assistant assistant{test::data(), store, {}};
    std::unique_ptr<httplib::Server> server = webhook::make_server(assistant, {});
    int port = server->bind_to_any_port("127.0.0.1");
    std::thread thread{[this] { server->listen_after_bind(); }};

    ~LiveServer() {
        server->stop();
        thread.join();
    }
    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(5, 0);
        return c;
    }
};

nlohmann::json body_of(const httplib::Result& r) {
    return nlohmann::json::parse(r->body);
}

void expect_error(const httplib::Result& r, int status, const std::string& code) {
    REQUIRE(r);
    CHECK(r->status == status);
    const auto j = nlohmann::json::parse(r->body, nullptr, false);
    REQUIRE(j.is_object());
    CHECK(j["error"]["code"] == code);
    CHECK(j["error"]["message"].is_string());
}

}  // namespace

TEST_CASE("HTTP: health, chat and route", "[http]") {
    LiveServer live;
    auto c = live.client();
    auto health = c.Get("/healthz");
    REQUIRE(health);
    CHECK(body_of(health) == nlohmann::json{{"status", "ok"}});

    auto first = c.Post("/v1/chat", R"({"text": "Ik ben mijn verblijfskaart verloren"})",
                        "application/json");
    REQUIRE(first);
    REQUIRE(first->status == 200);
    auto j = body_of(first);
    CHECK(j["locale"] == "nl");
    CHECK(j["state"] == "ask_annex12");
    CHECK(j["route"]["product"] == "loket.residence_card");
    CHECK(j["route"]["desk"] == "loket");
    CHECK(j["done"] == false);
    CHECK(j["messages"].back()["choices"][0]["id"] == "yes");
    const std::string sid = j["session_id"];

    auto next = c.Post("/v1/chat", nlohmann::json{{"session_id", sid}, {"choice", "yes"}}.dump(),
                       "application/json");
    REQUIRE(next);
    CHECK(body_of(next)["state"] == "confirm");
    CHECK(body_of(next)["session_id"] == sid);

    auto route = c.Post("/v1/route", R"({"text": "I got a negative decision, what now?"})",
                        "application/json");
    REQUIRE(route);
    const auto r = body_of(route);
    CHECK(r["product"] == "infopunt.decision");
    CHECK(r["desk"] == "infopunt");
    CHECK(r["locale"] == "en");
    CHECK(r["appointment"] == "required");
    CHECK(r["confidence"].get<double>() > 0.0);
    CHECK(r["candidates"][0]["product"] == "infopunt.decision");

    auto vague = c.Post("/v1/route", R"({"text": "hello"})", "application/json");
    CHECK(body_of(vague)["product"].is_null());
    CHECK(body_of(vague)["desk"].is_null());

    auto pickup = c.Post(
        "/v1/route", R"({"text": "Ik wil mijn kaart afhalen in Gentbrugge, ik heb de pincodes"})",
        "application/json");
    CHECK(body_of(pickup)["appointment"] == "not_needed");
}

TEST_CASE("HTTP: bad input gets a JSON 4xx and changes nothing", "[http]") {
    LiveServer live;
    auto c = live.client();
    expect_error(c.Post("/v1/chat", "{not json", "application/json"), 400, "invalid_json");
    expect_error(c.Post("/v1/chat", std::string("{\"text\": \"\xff\xfe\"}"), "application/json"),
                 400, "invalid_utf8");
    expect_error(c.Post("/v1/chat", "[1,2]", "application/json"), 400, "not_an_object");
    expect_error(c.Post("/v1/chat", R"({"text": 42})", "application/json"), 400, "invalid_field");
    expect_error(c.Post("/v1/chat", R"({"choice": ["a"]})", "application/json"), 400,
                 "invalid_field");
    expect_error(c.Post("/v1/chat", R"({"text": "hi", "locale": "fr"})", "application/json"), 400,
                 "invalid_locale");
    expect_error(c.Post("/v1/chat", R"({"session_id": "abc"})", "application/json"), 400,
                 "missing_input");
    expect_error(c.Post("/v1/route", R"({})", "application/json"), 400, "missing_input");
    expect_error(c.Post("/v1/route", R"({"text": "   "})", "application/json"), 400,
                 "missing_input");
    const std::string big = nlohmann::json{{"text", std::string(4097, 'a')}}.dump();
    expect_error(c.Post("/v1/chat", big, "application/json"), 413, "too_large");
    expect_error(c.Post("/v1/chat", std::string(70 * 1024, ' '), "application/json"), 413,
                 "too_large");
    expect_error(c.Get("/nowhere"), 404, "not_found");
    expect_error(c.Post("/v1/nothing", "{}", "application/json"), 404, "not_found");

    // The service is still well after all of that.
    auto ok = c.Post("/v1/chat", R"({"text": "hello"})", "application/json");
    REQUIRE(ok);
    CHECK(ok->status == 200);
}

TEST_CASE("HTTP: an unknown session starts anew and says so", "[http]") {
    LiveServer live;
    auto c = live.client();
    auto r = c.Post("/v1/chat", R"({"session_id": "no-such-session", "text": "hello"})",
                    "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    const auto j = body_of(r);
    CHECK(j["session_id"] != "no-such-session");
    CHECK_THAT(j["messages"][0]["text"].get<std::string>(), Catch::Contains("could not find"));
}

TEST_CASE("HTTP: turns of one session sent at once are all served and stored", "[http]") {
    LiveServer live;
    auto c = live.client();
    const auto start = body_of(c.Post("/v1/chat", R"({"locale": "en"})", "application/json"));
    const std::string sid = start["session_id"];
    std::vector<std::thread> clients;
    std::atomic<int> ok{0};
    for (int i = 0; i < 8; ++i)
        clients.emplace_back([&] {
            auto cl = live.client();
            auto r =
                cl.Post("/v1/chat", nlohmann::json{{"session_id", sid}, {"text", "help"}}.dump(),
                        "application/json");
            if (r && r->status == 200) ++ok;
        });
    for (auto& t : clients) t.join();
    CHECK(ok == 8);
    CHECK(live.store.transcript(sid).size() == 1 + 8 * 2);
}

namespace {

// The service with the booking API on, a fixed clock (Friday 2026-11-27, 10:00).
struct LiveBookingServer {
    test::TempDir tmp;
    store::SqliteStore store{tmp.file("booking-http.db")};
    booking::BookingStore bookings{tmp.file("booking-http.db"), test::data().calendar};
    std::int64_t now =
        test::data().calendar.zone().to_utc_ms(calendar::parse_date("2026-11-27"), 10 * 60);
    app::Assistant assistant{test::data(), store, {}};
    std::unique_ptr<httplib::Server> server = [this] {
        auto s = webhook::make_server(assistant, {});
        webhook::install_booking_api(*s, test::data(), bookings,
                                     {std::string("test-key"), [this] { return now; }});
        return s;
    }();
    int port = server->bind_to_any_port("127.0.0.1");
    std::thread thread{[this] { server->listen_after_bind(); }};

    ~LiveBookingServer() {
        server->stop();
        thread.join();
    }
    httplib::Client client(const std::string& key = "test-key") const {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(5, 0);
        if (!key.empty()) c.set_bearer_token_auth(key);
        return c;
    }
};

}  // namespace

TEST_CASE("HTTP booking API: the key, products, locations and free slots", "[http]") {
    LiveBookingServer live;

    SECTION("a missing or wrong key gets 401; no configured key turns the API off") {
        expect_error(live.client("").Get("/v1/products"), 401, "unauthorized");
        expect_error(live.client("wrong-key").Get("/v1/locations"), 401, "unauthorized");
        expect_error(live.client("test-ke").Get("/v1/locations"), 401, "unauthorized");
        test::TempDir tmp;
        store::SqliteStore store{tmp.file("off.db")};
        booking::BookingStore bookings{tmp.file("off.db"), test::data().calendar};
        app::Assistant assistant{test::data(), store, {}};
        auto server = webhook::make_server(assistant, {});
        webhook::install_booking_api(*server, test::data(), bookings, {});
        const int port = server->bind_to_any_port("127.0.0.1");
        std::thread t([&] { server->listen_after_bind(); });
        httplib::Client c("127.0.0.1", port);
        c.set_bearer_token_auth("anything");
        expect_error(c.Get("/v1/slots"), 503, "api_disabled");
        server->stop();
        t.join();
    }
    SECTION("products and locations") {
        const auto products = body_of(live.client().Get("/v1/products"))["products"];
        REQUIRE(products.size() == 24);
        for (const auto& p : products)
            if (p["appointment"] == "required") CHECK_FALSE(p["locations"].empty());
        const auto locations = body_of(live.client().Get("/v1/locations"));
        CHECK(locations["sample"] == true);
        REQUIRE_FALSE(locations["locations"].empty());
        const auto first = locations["locations"][0];
        CHECK(first["id"] == "stadskantoor");
        CHECK(first["address"].get<std::string>().find("Woodrow Wilsonplein") != std::string::npos);
        CHECK_FALSE(first["products"].empty());
    }
    SECTION("free slots, in Brussels time, shrink as they are booked") {
        auto c = live.client();
        const std::string q =
            "/v1/slots?product=loket.residence_card&location=stadskantoor&from=2026-11-30&days=1";
        const auto before = body_of(c.Get(q))["slots"];
        REQUIRE_FALSE(before.empty());
        CHECK(before[0]["start"] == "2026-11-30T08:30:00+01:00");
        CHECK(before[0]["end"] == "2026-11-30T08:45:00+01:00");
        CHECK(before[0]["location"] == "stadskantoor");
        const int counters = before[0]["free"];
        CHECK(counters >= 1);
        const booking::SlotRef slot{"loket.residence_card", "stadskantoor",
                                    calendar::parse_iso8601("2026-11-30T08:30:00+01:00")};
        live.bookings.book(slot, {"A", "a@example.org", "", "nl", 1}, "", live.now);
        CHECK(body_of(c.Get(q))["slots"][0]["free"] == counters - 1);
        for (int i = 1; i < counters; ++i)
            live.bookings.book(slot, {"B", "b" + std::to_string(i) + "@example.org", "", "nl", 1},
                               "", live.now);
        CHECK(body_of(c.Get(q))["slots"][0]["start"] == "2026-11-30T08:45:00+01:00");  // full: gone
    }
    SECTION("bad parameters get a JSON 400") {
        auto c = live.client();
        expect_error(c.Get("/v1/slots?product=nope&location=stadskantoor"), 400, "invalid_field");
        expect_error(c.Get("/v1/slots?product=loket.residence_card&location=nowhere"), 400,
                     "invalid_field");
        expect_error(c.Get("/v1/slots?product=loket.card_pickup&location=stadskantoor"), 400,
                     "invalid_field");  // no appointment there (seed 002)
        expect_error(
            c.Get("/v1/slots?product=loket.residence_card&location=stadskantoor&from=30-11-2026"),
            400, "invalid_field");
        expect_error(c.Get("/v1/slots?product=loket.residence_card&location=stadskantoor&days=0"),
                     400, "invalid_field");
        expect_error(c.Get("/v1/slots?product=loket.residence_card&location=stadskantoor&days=x"),
                     400, "invalid_field");
    }
}

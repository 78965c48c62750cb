// The HTTP contract against the real server on an ephemeral port, with a real
// SQLite file: the happy path, every kind of bad input, and unknown sessions.
#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "app/assistant.h"
#include "booking/booking_store.h"
#include "store/sqlite.h"
#include "store/sqlite_store.h"
#include "support/fixture.h"
#include "webhook/booking_api.h"
#include "webhook/browser_policy.h"
#include "webhook/http_api.h"
#include "webhook/web_widget.h"

using namespace wegwijs;

namespace {

std::unique_ptr<httplib::Server> with_widget(std::unique_ptr<httplib::Server> s) {
    std::vector<std::string> problems;
    auto files =
        webhook::load_web_files(test::source_dir() + "/webhook/web", test::data(), problems);
    if (!problems.empty()) throw std::runtime_error(problems.front());
    webhook::install_web_widget(*s, std::move(files));
    return s;
}

// The service on an ephemeral port; with `web`, as `wegwijs serve` assembles
// it: the widget's files and the browser policy too.
struct LiveServer {
    explicit LiveServer(bool web = false) : web(web) {}
    bool web;
    test::TempDir tmp;
    store::SqliteStore store{tmp.file("http.db")};
    app::Assistant assistant{test::data(), store, {}};
    std::unique_ptr<httplib::Server> server = web ? with_widget(webhook::make_server(assistant, {}))
                                                  : webhook::make_server(assistant, {});
    // As `serve` does: the browser policy knows the port it listens on.
    int port = [this] {
        const int p = webhook::bind_server(*server, "127.0.0.1", 0);
        if (web)
            webhook::install_browser_policy(
                *server, {{"https://stad.gent"}, webhook::listening_origins("127.0.0.1", p)});
        return p;
    }();
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
    std::string origin() const { return "http://127.0.0.1:" + std::to_string(port); }
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

TEST_CASE("HTTP: header limits hold on every server, with or without the browser policy",
          "[http]") {
    httplib::Headers many;
    for (int i = 0; i <= static_cast<int>(webhook::kMaxHeaderCount); ++i)
        many.emplace("X-Filler-" + std::to_string(i), "x");
    for (const bool web : {false, true}) {
        LiveServer live(web);
        INFO("browser policy installed: " << web);
        expect_error(live.client().Get("/healthz", many), 431, "headers_too_large");
        CHECK(live.client().Get("/healthz")->status == 200);
    }
}

TEST_CASE("HTTP: bad input gets a JSON 4xx and changes nothing", "[http]") {
    LiveServer live;
    auto c = live.client();
    expect_error(c.Post("/v1/chat", "{not json", "application/json"), 400, "invalid_json");
    expect_error(c.Post("/v1/chat", std::string("{\"text\": \"\xff\xfe\"}"), "application/json"),
                 400, "invalid_utf8");
    expect_error(c.Post("/v1/chat", "[1,2]", "application/json"), 400, "not_an_object");
    expect_error(c.Post("/v1/chat", R"({"text": 42})", "application/json"), 400, "invalid_field");
    // The controls of a channel are a closed list, and never come with words.
    expect_error(c.Post("/v1/chat", R"({"command": "format_disk"})", "application/json"), 400,
                 "invalid_field");
    expect_error(
        c.Post("/v1/chat", R"({"command": "restart", "text": "hallo"})", "application/json"), 400,
        "invalid_field");
    {
        const auto fresh =
            c.Post("/v1/chat", R"({"command": "restart", "locale": "nl"})", "application/json");
        REQUIRE(fresh);
        CHECK(fresh->status == 200);
        CHECK(nlohmann::json::parse(fresh->body).at("state") == "ask_desk");
    }
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
    std::atomic<std::int64_t> now{
        test::data().calendar.zone().to_utc_ms(calendar::parse_date("2026-11-27"), 10 * 60)};
    app::Assistant assistant{test::data(), store, {}};
    std::unique_ptr<httplib::Server> server = [this] {
        auto s = webhook::make_server(assistant, {});
        webhook::install_booking_api(*s, test::data(), bookings,
                                     {std::string("test-key"), [this] { return now.load(); }});
        return s;
    }();
    int port = webhook::bind_server(*server, "127.0.0.1", 0);
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
        const int port = webhook::bind_server(*server, "127.0.0.1", 0);
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
        live.bookings.book(slot, {"A", "a@example.org", "", "nl", 1}, {}, live.now);
        CHECK(body_of(c.Get(q))["slots"][0]["free"] == counters - 1);
        for (int i = 1; i < counters; ++i)
            live.bookings.book(slot, {"B", "b" + std::to_string(i) + "@example.org", "", "nl", 1},
                               {}, live.now);
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

namespace {

const char* const kSlot = R"({"product": "loket.residence_card", "location": "stadskantoor",
                              "start": "2026-11-30T08:30:00+01:00")";

// A booking body for the slot above, with these details.
std::string booking_body(const std::string& email, const std::string& extra = "") {
    return std::string(kSlot) + R"(, "name": "Amina Peeters", "email": ")" + email + "\"" + extra +
           "}";
}

httplib::Headers key_header(const std::string& key) {
    return {{"Idempotency-Key", key}};
}

std::int64_t count_rows(const std::string& path, const std::string& sql) {
    store::Database db(path);
    store::Statement q(db, sql);
    return q.step() ? q.integer(0) : -1;
}

}  // namespace

TEST_CASE("HTTP booking API: holds, bookings, retries, lookups, cancelling", "[http]") {
    LiveBookingServer live;
    auto c = live.client();
    const std::string db = live.tmp.file("booking-http.db");
    const auto bookings = [&] {
        return count_rows(db, "SELECT count(*) FROM bookings WHERE status = 'confirmed'");
    };

    SECTION("a hold keeps the slot for 10 minutes and becomes a booking") {
        auto held = c.Post("/v1/holds", std::string(kSlot) + "}", "application/json");
        REQUIRE(held);
        CHECK(held->status == 201);
        const auto hold = body_of(held);
        CHECK(hold["expires_at"] == "2026-11-27T10:10:00+01:00");
        CHECK(hold["start"] == "2026-11-30T08:30:00+01:00");
        CHECK(hold["end"] == "2026-11-30T08:45:00+01:00");
        const std::string body = R"({"hold_id": ")" + hold["hold_id"].get<std::string>() +
                                 R"(", "name": "Amina Peeters", "email": "Amina@Example.ORG",
                                 "phone": "0470 12 34 56", "locale": "en"})";
        auto booked = c.Post("/v1/bookings", body, "application/json");
        REQUIRE(booked);
        CHECK(booked->status == 201);
        const auto b = body_of(booked);
        const std::string code = b["code"];
        CHECK(code.size() == 9);
        CHECK(code.find_first_of("01OIL") == std::string::npos);
        CHECK(b["start"] == "2026-11-30T08:30:00+01:00");
        CHECK(b["people"] == 1);

        // Found by code and e-mail, typed any way; not with another e-mail.
        std::string typed = code;
        typed.erase(4, 1);
        for (auto& ch : typed) ch = static_cast<char>(std::tolower(ch));
        const auto found = body_of(c.Get("/v1/bookings/" + typed + "?email=amina@example.org"));
        CHECK(found["code"] == code);
        CHECK(found["status"] == "confirmed");
        CHECK(found["phone"] == "+32470123456");
        CHECK(found["locale"] == "en");
        expect_error(c.Get("/v1/bookings/" + code + "?email=someone@example.org"), 404,
                     "not_found");
        expect_error(c.Get("/v1/bookings/" + code), 400, "missing_field");

        // The .ics file: RFC 5545 lines, Brussels time, the code and what to bring.
        auto ics = c.Get("/v1/bookings/" + code + ".ics?email=amina@example.org");
        REQUIRE(ics);
        CHECK(ics->status == 200);
        CHECK(ics->get_header_value("Content-Type").rfind("text/calendar", 0) == 0);
        const std::string& text = ics->body;
        CHECK(text.rfind("BEGIN:VCALENDAR\r\n", 0) == 0);
        CHECK(text.find("DTSTART;TZID=Europe/Brussels:20261130T083000\r\n") != std::string::npos);
        CHECK(text.find("DTEND;TZID=Europe/Brussels:20261130T084500\r\n") != std::string::npos);
        CHECK(text.find("BEGIN:VTIMEZONE\r\nTZID:Europe/Brussels") != std::string::npos);
        CHECK(text.find("UID:" + code + "@") != std::string::npos);
        std::string unfolded;  // RFC 5545 3.1: CRLF + space continues a line
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text.compare(i, 3, "\r\n ") == 0) {
                i += 2;
                continue;
            }
            unfolded += text[i];
        }
        CHECK(unfolded.find(code) != std::string::npos);
        CHECK(unfolded.find("passport photo") != std::string::npos);
        for (std::size_t start = 0; start < text.size();) {
            const auto end = text.find("\r\n", start);
            REQUIRE(end != std::string::npos);  // every line ends in CRLF
            CHECK(end - start <= 75);
            start = end + 2;
        }

        // Cancelled: the slot is free at once; cancelling again says where it stands.
        auto cancelled = c.Delete("/v1/bookings/" + code + "?email=amina@example.org");
        REQUIRE(cancelled);
        CHECK(cancelled->status == 200);
        CHECK(body_of(cancelled)["status"] == "cancelled");
        CHECK(body_of(c.Delete("/v1/bookings/" + code + "?email=amina@example.org"))["status"] ==
              "cancelled");
        CHECK(bookings() == 0);
        CHECK(count_rows(db, "SELECT count(*) FROM claims") == 0);
    }

    SECTION("an expired hold cannot be booked, and its slot is free again") {
        const int counters =
            body_of(c.Get("/v1/slots?product=loket.residence_card&location=stadskantoor&from=2026-"
                          "11-30&days=1"))["slots"][0]["free"];
        std::string hold_id;
        for (int i = 0; i < counters; ++i)
            hold_id = body_of(
                c.Post("/v1/holds", std::string(kSlot) + "}", "application/json"))["hold_id"];
        // Held by others: the slot cannot be booked meanwhile.
        expect_error(c.Post("/v1/bookings", booking_body("x@example.org"), "application/json"), 409,
                     "slot_taken");
        live.now += 11 * 60 * 1000;
        expect_error(c.Post("/v1/bookings",
                            R"({"hold_id": ")" + hold_id +
                                R"(", "name": "Late Person", "email": "late@example.org"})",
                            "application/json"),
                     410, "hold_expired");
        auto booked = c.Post("/v1/bookings", booking_body("x@example.org"), "application/json");
        REQUIRE(booked);
        CHECK(booked->status == 201);
    }

    SECTION("a retry with the same Idempotency-Key returns the first booking") {
        auto first = c.Post("/v1/bookings", key_header("retry-1"), booking_body("r@example.org"),
                            "application/json");
        auto again = c.Post("/v1/bookings", key_header("retry-1"), booking_body("r@example.org"),
                            "application/json");
        REQUIRE(first);
        REQUIRE(again);
        CHECK(first->status == 201);
        CHECK(again->status == 201);
        CHECK(body_of(first) == body_of(again));
        CHECK(bookings() == 1);
        // Without the key, a second booking: an answer that differs for an
        // address with an appointment would tell anyone that it has one.
        auto second = c.Post("/v1/bookings", booking_body("R@example.org"), "application/json");
        REQUIRE(second);
        CHECK(second->status == 201);
        CHECK(bookings() == 2);
    }

    SECTION("bad details get a JSON 400 naming the field, and store nothing") {
        expect_error(c.Post("/v1/bookings", booking_body("not-an-address"), "application/json"),
                     400, "invalid_email");
        expect_error(c.Post("/v1/bookings", booking_body("a@example.org", R"(, "phone": "12")"),
                            "application/json"),
                     400, "invalid_phone");
        expect_error(c.Post("/v1/bookings", booking_body("a@example.org", R"(, "people": 0)"),
                            "application/json"),
                     400, "invalid_field");
        expect_error(c.Post("/v1/bookings", booking_body("a@example.org", R"(, "locale": "fr")"),
                            "application/json"),
                     400, "invalid_locale");
        expect_error(c.Post("/v1/bookings", std::string(kSlot) + R"(, "email": "a@example.org"})",
                            "application/json"),
                     400, "missing_field");
        expect_error(c.Post("/v1/bookings",
                            R"({"product": "loket.residence_card", "location": "stadskantoor",
                                "start": "2026-11-30 08:30", "name": "A", "email": "a@example.org"})",
                            "application/json"),
                     400, "invalid_field");
        expect_error(c.Post("/v1/bookings",
                            R"({"product": "loket.residence_card", "location": "stadskantoor",
                                "start": "2026-11-30T08:31:00+01:00", "name": "A",
                                "email": "a@example.org"})",
                            "application/json"),
                     400, "no_such_slot");
        expect_error(c.Post("/v1/holds", R"({"product": "loket.card_pickup", "location":
                            "stadskantoor", "start": "2026-11-30T08:30:00+01:00"})",
                            "application/json"),
                     400, "no_such_slot");  // only Wondelgem hands out cards (seed 002)
        expect_error(c.Post("/v1/bookings", "{", "application/json"), 400, "invalid_json");
        CHECK(count_rows(db, "SELECT count(*) FROM bookings") == 0);
        CHECK(count_rows(db, "SELECT count(*) FROM claims") == 0);
    }

    SECTION("several people get consecutive slots, booked together") {
        auto booked = c.Post("/v1/bookings", booking_body("fam@example.org", R"(, "people": 3)"),
                             "application/json");
        REQUIRE(booked);
        CHECK(booked->status == 201);
        CHECK(body_of(booked)["end"] == "2026-11-30T09:15:00+01:00");
        CHECK(body_of(booked)["people"] == 3);
    }
}

TEST_CASE("HTTP race: many clients booking one slot get exactly its capacity", "[http][race]") {
    LiveBookingServer live;
    const std::string db = live.tmp.file("booking-http.db");
    const std::string slots_query =
        "/v1/slots?product=loket.residence_card&location=stadskantoor&from=2026-12-01&days=1";
    const auto slots = body_of(live.client().Get(slots_query))["slots"];
    REQUIRE(slots.size() >= 8 * 3);
    constexpr int kClients = 24;
    int total_created = 0;
    for (int round = 0; round < 8; ++round) {
        // Even rounds: everyone wants the same slot; odd rounds: a group of
        // three against single people on overlapping slots.
        // Rounds three slots apart: a group of three never reaches the next round's slot.
        const std::string start = slots[round * 3]["start"];
        const int capacity = slots[round * 3]["free"];
        std::atomic<int> created{0};
        std::atomic<int> taken{0};
        std::atomic<int> other{0};
        std::vector<std::thread> clients;
        for (int i = 0; i < kClients; ++i)
            clients.emplace_back([&, i] {
                const bool group = round % 2 == 1 && i % 4 == 0;
                const std::string body =
                    R"({"product": "loket.residence_card", "location": "stadskantoor", "start": ")" +
                    start + R"(", "name": "Racer", "email": "r)" + std::to_string(round) + "-" +
                    std::to_string(i) + R"(@example.org", "people": )" +
                    std::string(group ? "3" : "1") + "}";
                const auto t0 = std::chrono::steady_clock::now();
                auto r = live.client().Post("/v1/bookings", body, "application/json");
                const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::steady_clock::now() - t0)
                                    .count();
                if (r && r->status == 201)
                    ++created;
                else if (r && r->status == 409 && body_of(r)["error"]["code"] == "slot_taken")
                    ++taken;
                else {
                    ++other;
                    UNSCOPED_INFO((r ? std::to_string(r->status) + " " + r->body
                                     : "no answer: " + httplib::to_string(r.error()) +
                                           " after ms " + std::to_string(ms)));
                }
            });
        for (auto& t : clients) t.join();
        CHECK(other == 0);
        CHECK(created + taken == kClients);
        CHECK(created >= 1);
        CHECK(created <= capacity);
        if (round % 2 == 0) CHECK(created == capacity);
        total_created += created;
        // No cell holds more claims than the desk has counters.
        CHECK(count_rows(db,
                         "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM claims "
                         "GROUP BY desk, cell_ms)") <= capacity);
    }
    // Every 201 is a confirmed booking in the file, and nothing else is.
    CHECK(count_rows(db, "SELECT count(*) FROM bookings WHERE status = 'confirmed'") ==
          total_created);
}

TEST_CASE("HTTP: the transcript of a conversation, the language switch, the calendar file",
          "[http]") {
    LiveServer live{true};
    auto c = live.client();
    auto start = c.Post("/v1/chat", R"({"locale": "nl"})", "application/json");
    REQUIRE(start);
    const std::string sid = body_of(start)["session_id"];
    auto tap = c.Post("/v1/chat", nlohmann::json{{"session_id", sid}, {"choice", "loket"}}.dump(),
                      "application/json");
    REQUIRE(tap);
    // A locale alone continues the conversation: the question again, in English.
    auto switched = c.Post("/v1/chat", nlohmann::json{{"session_id", sid}, {"locale", "en"}}.dump(),
                           "application/json");
    REQUIRE(switched);
    REQUIRE(switched->status == 200);
    const auto sw = body_of(switched);
    CHECK(sw["locale"] == "en");
    CHECK(sw["state"] == body_of(tap)["state"]);
    auto ids = [](const nlohmann::json& reply) {
        std::vector<std::string> out;
        for (const auto& ch : reply["messages"].back()["choices"]) out.push_back(ch["id"]);
        return out;
    };
    CHECK(ids(sw) == ids(body_of(tap)));
    CHECK_FALSE(ids(sw).empty());
    CHECK(sw["messages"].back()["text"] != body_of(tap)["messages"].back()["text"]);

    auto history = c.Get("/v1/chat/" + sid);
    REQUIRE(history);
    REQUIRE(history->status == 200);
    CHECK(history->get_header_value("Cache-Control") == "no-store");
    const auto h = body_of(history);
    CHECK(h["session_id"] == sid);
    CHECK(h["locale"] == "en");
    const auto& msgs = h["messages"];
    REQUIRE(msgs.size() >= 5);
    CHECK(msgs[0]["from"] == "assistant");
    CHECK(msgs[0]["locale"] == "nl");  // said before the switch
    CHECK(msgs[2]["from"] == "citizen");
    CHECK(msgs[2]["text"] == test::data().messages.format("nl", "choice.desk.loket"));
    CHECK(msgs.back()["text"] == sw["messages"].back()["text"]);
    CHECK(msgs.back()["choices"] == sw["messages"].back()["choices"]);

    expect_error(c.Get("/v1/chat/no-such-session"), 404, "unknown_session");
    expect_error(c.Get("/v1/chat/" + sid + "/booking.ics"), 404, "no_booking");
    expect_error(c.Get("/v1/chat/bad%20id"), 404, "not_found");
}

TEST_CASE("HTTP: the widget's files, the security headers and CORS", "[http]") {
    LiveServer live{true};
    auto c = live.client();
    auto page = c.Get("/");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK_THAT(page->get_header_value("Content-Type"), Catch::StartsWith("text/html"));
    CHECK_THAT(page->body, Catch::Contains("/widget.js"));
    const std::string csp = page->get_header_value("Content-Security-Policy");
    CHECK_THAT(csp, Catch::Contains("default-src 'none'") && Catch::Contains("script-src 'self'") &&
                        Catch::Contains("frame-ancestors 'none'"));
    CHECK_THAT(csp, !Catch::Contains("unsafe-inline"));
    CHECK(page->get_header_value("X-Content-Type-Options") == "nosniff");

    // The script carries the widget's sentences from the locales.
    auto script = c.Get("/widget.js");
    REQUIRE(script);
    CHECK_THAT(script->get_header_value("Content-Type"), Catch::StartsWith("text/javascript"));
    CHECK_THAT(script->body,
               Catch::Contains(test::data().messages.format("en", "widget.launcher")) &&
                   Catch::Contains(test::data().messages.format("nl", "widget.send")));
    CHECK_THAT(script->body, !Catch::Contains("/*wegwijs:text*/{}"));
    auto style = c.Get("/widget.css");
    REQUIRE(style);
    CHECK_THAT(style->get_header_value("Content-Type"), Catch::StartsWith("text/css"));
    // JSON answers carry the headers too.
    CHECK(c.Get("/healthz")->get_header_value("X-Content-Type-Options") == "nosniff");

    // The service's own origin and the allowlist may; any other origin is refused
    // before anything is done (no session is made).
    for (const std::string& origin : {live.origin(), std::string("https://stad.gent")}) {
        auto r =
            c.Post("/v1/chat", {{"Origin", origin}}, R"({"text": "hello"})", "application/json");
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(r->get_header_value("Access-Control-Allow-Origin") == origin);
        CHECK(r->get_header_value("Vary") == "Origin");
    }
    const auto before = live.store.stats().turns;
    for (const std::string& origin :
         {std::string("https://evil.example"), std::string("https://stad.gent.evil.example"),
          std::string("http://stad.gent")}) {
        auto r =
            c.Post("/v1/chat", {{"Origin", origin}}, R"({"text": "hello"})", "application/json");
        expect_error(r, 403, "origin_not_allowed");
        CHECK(r->get_header_value("Access-Control-Allow-Origin").empty());
    }
    CHECK(live.store.stats().turns == before);

    // The preflight of a cross-origin JSON POST.
    httplib::Headers preflight = {{"Origin", "https://stad.gent"},
                                  {"Access-Control-Request-Method", "POST"},
                                  {"Access-Control-Request-Headers", "content-type"}};
    auto ok = c.Options("/v1/chat", preflight);
    REQUIRE(ok);
    CHECK(ok->status == 204);
    CHECK(ok->get_header_value("Access-Control-Allow-Origin") == "https://stad.gent");
    CHECK_THAT(ok->get_header_value("Access-Control-Allow-Methods"), Catch::Contains("POST"));
    CHECK_THAT(ok->get_header_value("Access-Control-Allow-Headers"),
               Catch::Contains("Content-Type"));
    preflight.erase("Origin");
    preflight.emplace("Origin", "https://evil.example");
    expect_error(c.Options("/v1/chat", preflight), 403, "origin_not_allowed");
}

TEST_CASE("the widget's files are checked at load", "[data]") {
    test::TempDir dir;
    const std::string web = test::source_dir() + "/webhook/web";
    for (const auto* f : {"index.html", "page.css", "widget.css"})
        std::filesystem::copy_file(web + "/" + f, dir.file(f));
    std::vector<std::string> problems;
    webhook::load_web_files(dir.path().string(), test::data(), problems);
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0], Catch::Contains("widget.js") && Catch::Contains("cannot be read"));

    { std::ofstream(dir.file("widget.js")) << "const TEXT = {}; // no marker\n"; }
    problems.clear();
    webhook::load_web_files(dir.path().string(), test::data(), problems);
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0], Catch::Contains("marker"));

    {
        std::ofstream(dir.file("widget.js"))
            << "const TEXT = /*wegwijs:text*/{}; t(\"widget.no_such_key\"); t(\"widget.send\");\n";
    }
    problems.clear();
    webhook::load_web_files(dir.path().string(), test::data(), problems);
    CHECK(problems.size() == test::data().locales.size());
    for (const auto& p : problems) CHECK_THAT(p, Catch::Contains("widget.no_such_key"));

    CHECK(webhook::parse_origins(" https://stad.gent, http://localhost:8080 ,") ==
          std::vector<std::string>{"https://stad.gent", "http://localhost:8080"});
    CHECK_THROWS_AS(webhook::parse_origins("stad.gent"), std::invalid_argument);
    CHECK_THROWS_AS(webhook::parse_origins("https://stad.gent/"), std::invalid_argument);
}

TEST_CASE("HTTP: a log shows no session id or booking code", "[http]") {
    CHECK(webhook::loggable_path("/v1/chat/3f9a0c") == "/v1/chat/{id}");
    CHECK(webhook::loggable_path("/v1/chat/3f9a0c/booking.ics") == "/v1/chat/{id}/booking.ics");
    CHECK(webhook::loggable_path("/v1/bookings/ABCD-EFGH.ics") == "/v1/bookings/{id}");
    CHECK(webhook::loggable_path("/v1/chat") == "/v1/chat");
    CHECK(webhook::loggable_path("/widget.js") == "/widget.js");
    CHECK(webhook::loggable_path("/v1/holds/0123abcd") == "/v1/holds/{id}");
    // A decoded %0a cannot start a forged log line.
    CHECK(webhook::loggable_path("/x\nerror: forged") == "/x?error: forged");
    CHECK(webhook::loggable_path(std::string(5000, 'a')).size() == 200);
}

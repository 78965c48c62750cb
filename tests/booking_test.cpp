// The booking store on a real SQLite file: holds, bookings, idempotency, the
// e-mail rule, cancelling, several people, and races of many threads on many
// connections for the same and for overlapping slots, which must end with
// exactly the capacity booked.
#include <catch2/catch.hpp>
#include <regex>
#include <thread>

#include "booking/booking_store.h"
#include "store/mail_outbox.h"
#include "support/fixture.h"

using namespace wegwijs;

namespace {

// One loket desk with 3 counters, Monday 09:00-12:00; 15-minute slots, 30 for long stay.
calendar::Calendar three_counters() {
    return calendar::Calendar::from_json(
        {{"time_zone", "Europe/Brussels"},
         {"cell_minutes", 5},
         {"locations",
          {{{"id", "here"},
            {"name", {{"nl", "Hier"}, {"en", "Here"}}},
            {"address", "Straat 1"},
            {"desks",
             {{"loket",
               {{"hours", {{"mon", "09:00-12:00"}}},
                {"counters", 3},
                {"products", {"loket.residence_card", "loket.long_stay"}},
                {"slot_minutes", {{"default", 15}, {"loket.long_stay", 30}}},
                {"notice_hours", 0},
                {"horizon_days", 60}}}}}}}}});
}

struct Fixture {
    test::TempDir tmp;
    calendar::Calendar cal = three_counters();
    std::string path = tmp.file("bookings.db");
    booking::BookingStore store{path, cal};
    // Monday 2026-11-30; now is the Friday before.
    std::int64_t now = cal.zone().to_utc_ms(calendar::parse_date("2026-11-27"), 10 * 60);
    std::int64_t at(int hour, int minute) const {
        return cal.zone().to_utc_ms(calendar::parse_date("2026-11-30"), hour * 60 + minute);
    }
    booking::SlotRef card(int hour, int minute) const {
        return {"loket.residence_card", "here", at(hour, minute)};
    }
    // Counters still free at a residence-card slot start on that Monday.
    int free_at(int hour, int minute) {
        const auto slots =
            cal.slots("loket.residence_card", "here", calendar::parse_date("2026-11-30"), 1, now);
        return store.free(slots, now).at(at(hour, minute));
    }
};

booking::Details person(const std::string& email, int people = 1) {
    return {"Test Person", email, "", "nl", people};
}

std::string error_code(const std::function<void()>& f) {
    try {
        f();
    } catch (const booking::BookingError& e) {
        return e.code;
    }
    return "";
}

int max_claims_per_cell(const std::string& path) {
    store::Database db(path);
    store::Statement q(db,
                       "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM claims GROUP BY "
                       "desk, cell_ms)");
    return q.step() ? static_cast<int>(q.integer(0)) : -1;
}

}  // namespace

TEST_CASE("a booking gets a readable code and is found by code and e-mail", "[booking]") {
    Fixture f;
    const auto b = f.store.book(f.card(9, 0), person("a@example.org"), {}, f.now);
    CHECK(b.status == "confirmed");
    CHECK(std::regex_match(b.code, std::regex("[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")));
    CHECK(b.end_ms - b.start_ms == 15 * 60'000);
    REQUIRE(f.store.find(b.code, "A@example.org"));
    CHECK(f.store.find(b.code, "a@example.org")->details.name == "Test Person");
    CHECK_FALSE(f.store.find(b.code, "someone@else.org"));
    CHECK(error_code([&] {
              f.store.book({"loket.residence_card", "here", f.at(9, 5)}, person("b@example.org"),
                           {}, f.now);
          }) == "no_such_slot");
    CHECK(error_code([&] {
              f.store.book({"loket.residence_card", "here", f.at(12, 0)}, person("b@example.org"),
                           {}, f.now);
          }) == "no_such_slot");
}

TEST_CASE("capacity: the fourth booking of a three-counter slot is refused", "[booking]") {
    Fixture f;
    for (int i = 0; i < 3; ++i)
        f.store.book(f.card(9, 0), person("p" + std::to_string(i) + "@example.org"), {}, f.now);
    CHECK(error_code([&] { f.store.book(f.card(9, 0), person("p4@example.org"), {}, f.now); }) ==
          "slot_taken");
    // A 30-minute long stay over 09:00-09:30 overlaps the full 09:00 slot.
    CHECK(error_code([&] {
              f.store.book({"loket.long_stay", "here", f.at(9, 0)}, person("l@example.org"), {},
                           f.now);
          }) == "slot_taken");
    CHECK(f.free_at(9, 0) == 0);
    CHECK(max_claims_per_cell(f.path) == 3);
}

TEST_CASE("holds keep a slot for a while, then free it without a job", "[booking]") {
    Fixture f;
    const std::int64_t ten_minutes = 10 * 60'000;
    std::vector<booking::Booking> holds;
    for (int i = 0; i < 3; ++i) holds.push_back(f.store.hold(f.card(9, 0), 1, f.now, ten_minutes));
    CHECK(error_code([&] { f.store.hold(f.card(9, 0), 1, f.now, ten_minutes); }) == "slot_taken");
    CHECK(error_code([&] { f.store.book(f.card(9, 0), person("x@example.org"), {}, f.now); }) ==
          "slot_taken");
    // The holder books within the time.
    const auto b = f.store.book_hold(holds[0].id, person("h@example.org"), {}, f.now + 60'000);
    CHECK(b.status == "confirmed");
    CHECK(b.start_ms == f.at(9, 0));
    // Eleven minutes later the other two holds no longer count.
    const std::int64_t later = f.now + 11 * 60'000;
    CHECK(error_code([&] {
              f.store.book_hold(holds[1].id, person("late@example.org"), {}, later);
          }) == "hold_expired");
    f.store.book(f.card(9, 0), person("y@example.org"), {}, later);
    f.store.book(f.card(9, 0), person("z@example.org"), {}, later);
    CHECK(error_code([&] { f.store.book(f.card(9, 0), person("w@example.org"), {}, later); }) ==
          "slot_taken");
    CHECK(max_claims_per_cell(f.path) == 3);
}

TEST_CASE("an idempotency key returns the first booking", "[booking]") {
    Fixture f;
    const auto first = f.store.book(f.card(10, 0), person("i@example.org"), {"key-1", "a"}, f.now);
    const auto again = f.store.book(f.card(10, 0), person("i@example.org"), {"key-1", "a"}, f.now);
    CHECK(again.id == first.id);
    CHECK(again.code == first.code);
    const auto other = f.store.book(f.card(10, 0), person("j@example.org"), {"key-2", "b"}, f.now);
    CHECK(other.id != first.id);
    // The same key with another request's fingerprint: refused, nothing booked.
    CHECK(error_code([&] {
              f.store.book(f.card(11, 0), person("k@example.org"), {"key-1", "c"}, f.now);
          }) == "idempotency_key_reused");
    CHECK(f.free_at(11, 0) == 3);
}

TEST_CASE("a second appointment of one e-mail is not refused; cancelling frees at once",
          "[booking]") {
    // A refusal would tell anyone who types an address that it has an
    // appointment: both are booked, and the e-mail to that address says so.
    Fixture f;
    f.store.notify_by_mail(true);
    store::SqliteMailOutbox outbox(f.path);
    const auto b = f.store.book(f.card(10, 0), person("e@example.org"), {}, f.now);
    const auto second = f.store.book(f.card(11, 0), person("E@Example.org"), {}, f.now);
    CHECK(second.code != b.code);
    // Another product is not "also".
    f.store.book({"loket.long_stay", "here", f.at(11, 0)}, person("e@example.org"), {}, f.now);
    const auto jobs = outbox.due(f.now, 10);
    REQUIRE(jobs.size() == 3);
    CHECK(jobs[0].event == "confirmed");
    CHECK(jobs[0].booking.code == b.code);
    REQUIRE(jobs[0].also.size() == 1);
    CHECK(jobs[0].also[0].code == second.code);
    REQUIRE(jobs[1].also.size() == 1);
    CHECK(jobs[1].also[0].code == b.code);
    CHECK(jobs[2].also.empty());
    for (const auto& j : jobs) outbox.mark_sent(j.id, f.now);
    CHECK(outbox.due(f.now, 10).empty());

    CHECK_FALSE(f.store.cancel(b.code, "wrong@example.org", f.now));
    CHECK(f.store.cancel(b.code, "e@example.org", f.now));
    CHECK(f.store.find(b.code, "e@example.org")->status == "cancelled");
    CHECK_FALSE(f.store.cancel(b.code, "e@example.org", f.now));  // once
    // One mail for the one cancellation, with the slot it had.
    const auto cancelled = outbox.due(f.now, 10);
    REQUIRE(cancelled.size() == 1);
    CHECK(cancelled[0].event == "cancelled");
    CHECK(cancelled[0].booking.start_ms == f.at(10, 0));
    f.store.book(f.card(10, 0), person("x@example.org"), {}, f.now);  // free again at once
    CHECK(max_claims_per_cell(f.path) <= 3);
}

TEST_CASE("the mail outbox: jobs wait for their time, are given up once, and survive a restart",
          "[booking]") {
    Fixture f;
    f.store.notify_by_mail(true);
    {
        store::SqliteMailOutbox outbox(f.path);
        f.store.book(f.card(10, 0), person("e@example.org"), {}, f.now);
        const auto jobs = outbox.due(f.now, 10);
        REQUIRE(jobs.size() == 1);
        outbox.retry_later(jobs[0].id, f.now + 60'000, "connection refused");
        CHECK(outbox.due(f.now, 10).empty());
        CHECK(outbox.counts().pending == 1);
    }
    store::SqliteMailOutbox reopened(f.path);
    const auto later = reopened.due(f.now + 60'000, 10);
    REQUIRE(later.size() == 1);
    CHECK(later[0].attempts == 1);
    reopened.give_up(later[0].id, "550 no such mailbox");
    reopened.give_up(later[0].id, "again");  // only a pending job can be given up
    CHECK(reopened.counts().failed == 1);
    CHECK(reopened.due(f.now + 3'600'000, 10).empty());
    // Without mail notices (no mail server): nothing is queued.
    booking::BookingStore quiet(f.path, f.cal);
    quiet.book(f.card(11, 0), person("q@example.org"), {}, f.now);
    CHECK(reopened.counts().pending == 0);
}

TEST_CASE("several people get consecutive slots at one desk, all or none", "[booking]") {
    Fixture f;
    const auto b = f.store.book(f.card(9, 0), person("family@example.org", 3), {}, f.now);
    CHECK(b.details.people == 3);
    CHECK(b.end_ms - b.start_ms == 45 * 60'000);
    // The last slot of the day has no slot after it.
    CHECK(error_code([&] {
              f.store.book(f.card(11, 45), person("two@example.org", 2), {}, f.now);
          }) == "slot_taken");
    // Fill 10:15 so that a booking for two at 10:00 cannot get both.
    for (int i = 0; i < 3; ++i)
        f.store.book(f.card(10, 15), person("f" + std::to_string(i) + "@example.org"), {}, f.now);
    CHECK(error_code([&] {
              f.store.book(f.card(10, 0), person("pair@example.org", 2), {}, f.now);
          }) == "slot_taken");
    // Nothing of the refused booking stays: 10:00 still has 3 counters free.
    CHECK(f.free_at(10, 0) == 3);
}

TEST_CASE("races: many threads on many connections end with exactly the capacity booked",
          "[booking]") {
    Fixture f;
    // Four stores on the same file: four SQLite connections competing.
    std::vector<std::unique_ptr<booking::BookingStore>> stores;
    for (int i = 0; i < 4; ++i)
        stores.push_back(std::make_unique<booking::BookingStore>(f.path, f.cal));
    constexpr int kThreads = 12;
    int round = 0;
    for (const auto& [h, m] : std::vector<std::pair<int, int>>{
             {9, 0}, {9, 15}, {9, 30}, {9, 45}, {10, 0}, {10, 15}, {10, 30}, {10, 45}}) {
        CAPTURE(h, m);
        std::atomic<int> booked{0};
        std::atomic<int> taken{0};
        std::atomic<int> other{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                // Half book the 15-minute slot, half a 30-minute long stay that overlaps it.
                const bool long_stay = t % 2 == 1 && m % 30 == 0;
                const booking::SlotRef slot{long_stay ? "loket.long_stay" : "loket.residence_card",
                                            "here", f.at(h, m)};
                const std::string email =
                    "r" + std::to_string(round) + "-" + std::to_string(t) + "@example.org";
                try {
                    stores[t % stores.size()]->book(slot, person(email), {}, f.now);
                    ++booked;
                } catch (const booking::BookingError& e) {
                    (e.code == "slot_taken" ? taken : other)++;
                } catch (...) {
                    ++other;
                }
            });
        for (auto& t : threads) t.join();
        ++round;
        CHECK(other == 0);
        CHECK(booked + taken == kThreads);
        CHECK(booked <= 3);
        CHECK(max_claims_per_cell(f.path) <= 3);
    }
    // Every cell of the morning up to 11:00 is full, none over.
    store::Database db(f.path);
    store::Statement q(db,
                       "SELECT count(*) FROM (SELECT cell_ms FROM claims GROUP BY cell_ms HAVING "
                       "count(*) = 3)");
    REQUIRE(q.step());
    CHECK(q.integer(0) == 24);  // 09:00-11:00 in 5-minute cells
    CHECK(max_claims_per_cell(f.path) == 3);
}

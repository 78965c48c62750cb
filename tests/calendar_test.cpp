// The calendar: Belgian public holidays 2025-2030, Brussels time across both
// daylight-saving changes, and the slots a desk makes (hours, breaks,
// capacity, notice, horizon, closures), against a fixed "now".
#include "calendar/calendar.h"

#include <catch2/catch.hpp>

#include "calendar/holidays.h"
#include "support/fixture.h"

using namespace wegwijs;
using namespace std::chrono;

namespace {

year_month_day date(const std::string& text) {
    return calendar::parse_date(text);
}

// One location with a loket desk, in Brussels; `desk` overrides its fields.
calendar::Calendar one_desk(const nlohmann::json& desk) {
    nlohmann::json d = {{"hours", {{"mon", "09:00-10:00 11:00-12:00"}, {"sun", "09:00-10:00"}}},
                        {"counters", 3},
                        {"products", {"loket.residence_card", "loket.long_stay"}},
                        {"slot_minutes", {{"default", 15}, {"loket.long_stay", 30}}},
                        {"notice_hours", 0},
                        {"horizon_days", 60},
                        {"closures", {"2026-12-07"}}};
    d.merge_patch(desk);
    return calendar::Calendar::from_json({{"time_zone", "Europe/Brussels"},
                                          {"cell_minutes", 5},
                                          {"locations",
                                           {{{"id", "here"},
                                             {"name", {{"nl", "Hier"}, {"en", "Here"}}},
                                             {"address", "Straat 1"},
                                             {"desks", {{"loket", d}}}}}}});
}

std::vector<std::string> starts(const calendar::Calendar& c, const std::vector<calendar::Slot>& s) {
    std::vector<std::string> out;
    for (const auto& slot : s) out.push_back(c.zone().iso8601(slot.start_ms));
    return out;
}

}  // namespace

TEST_CASE("Belgian public holidays, Easter-based ones computed, 2025-2030", "[calendar]") {
    // Easter Sundays from the published tables.
    const std::map<int, std::string> easter = {{2025, "2025-04-20"}, {2026, "2026-04-05"},
                                               {2027, "2027-03-28"}, {2028, "2028-04-16"},
                                               {2029, "2029-04-01"}, {2030, "2030-04-21"}};
    for (const auto& [y, sunday] : easter) {
        CAPTURE(y);
        CHECK(calendar::easter_sunday(year(y)) == date(sunday));
        const auto list = calendar::belgian_holidays(year(y));
        REQUIRE(list.size() == 10);
        const sys_days e{date(sunday)};
        std::set<std::string> got;
        for (const auto& h : list) got.insert(calendar::format_date(h.date));
        const std::string Y = std::to_string(y);
        const std::set<std::string> expected = {
            Y + "-01-01",
            calendar::format_date(year_month_day{e + days(1)}),  // Easter Monday
            Y + "-05-01",
            calendar::format_date(year_month_day{e + days(39)}),  // Ascension
            calendar::format_date(year_month_day{e + days(50)}),  // Whit Monday
            Y + "-07-21",
            Y + "-08-15",
            Y + "-11-01",
            Y + "-11-11",
            Y + "-12-25"};
        CHECK(got == expected);
    }
    // Spot checks against the calendar, independent of the formula above.
    CHECK(calendar::is_belgian_holiday(date("2026-04-06")));  // Easter Monday
    CHECK(calendar::is_belgian_holiday(date("2026-05-14")));  // Ascension
    CHECK(calendar::is_belgian_holiday(date("2026-05-25")));  // Whit Monday
    CHECK(calendar::is_belgian_holiday(date("2027-05-06")));  // Ascension
    CHECK(calendar::is_belgian_holiday(date("2030-06-10")));  // Whit Monday
    CHECK_FALSE(
        calendar::is_belgian_holiday(date("2026-04-05")));  // Easter Sunday: a Sunday anyway
    CHECK_FALSE(calendar::is_belgian_holiday(date("2026-12-26")));
}

TEST_CASE("Brussels time across the daylight-saving changes", "[calendar]") {
    const calendar::Zone z("Europe/Brussels");
    // Summer time starts on 2026-03-29 at 02:00 (01:00 UTC), ends on 2026-10-25 at 03:00.
    CHECK(z.iso8601(z.to_utc_ms(date("2026-03-27"), 9 * 60)) == "2026-03-27T09:00:00+01:00");
    CHECK(z.iso8601(z.to_utc_ms(date("2026-03-29"), 9 * 60)) == "2026-03-29T09:00:00+02:00");
    CHECK(z.iso8601(z.to_utc_ms(date("2026-03-29"), 1 * 60)) == "2026-03-29T01:00:00+01:00");
    CHECK(z.iso8601(z.to_utc_ms(date("2026-03-30"), 9 * 60)) == "2026-03-30T09:00:00+02:00");
    CHECK(z.iso8601(z.to_utc_ms(date("2026-10-25"), 9 * 60)) == "2026-10-25T09:00:00+01:00");
    CHECK(z.iso8601(z.to_utc_ms(date("2026-10-24"), 9 * 60)) == "2026-10-24T09:00:00+02:00");
    // The skipped hour maps past the gap; 09:00 on the change day is 07:00 UTC.
    CHECK(z.iso8601(z.to_utc_ms(date("2026-03-29"), 2 * 60 + 30)) == "2026-03-29T03:30:00+02:00");
    CHECK(z.to_utc_ms(date("2026-03-29"), 9 * 60) ==
          calendar::parse_iso8601("2026-03-29T07:00:00Z"));
    CHECK(calendar::parse_iso8601("2026-10-25T09:00:00+01:00") ==
          calendar::parse_iso8601("2026-10-25T08:00Z"));
    CHECK_THROWS_AS(calendar::Zone("Europe/Atlantis"), std::invalid_argument);
    CHECK_THROWS_AS(calendar::parse_iso8601("2026-10-25 09:00"), std::invalid_argument);
    CHECK_THROWS_AS(calendar::parse_date("2026-02-30"), std::invalid_argument);
}

TEST_CASE("slots follow hours, breaks, lengths, notice, horizon and closures", "[calendar]") {
    // Fixed now: Monday 2026-11-30, 08:00 in Brussels.
    const auto c = one_desk(nlohmann::json::object());
    const std::int64_t now = c.zone().to_utc_ms(date("2026-11-30"), 8 * 60);

    SECTION("hours with a break, product lengths, capacity") {
        const auto s = c.slots("loket.residence_card", "here", date("2026-11-30"), 1, now);
        CHECK(starts(c, s) ==
              std::vector<std::string>{"2026-11-30T09:00:00+01:00", "2026-11-30T09:15:00+01:00",
                                       "2026-11-30T09:30:00+01:00", "2026-11-30T09:45:00+01:00",
                                       "2026-11-30T11:00:00+01:00", "2026-11-30T11:15:00+01:00",
                                       "2026-11-30T11:30:00+01:00", "2026-11-30T11:45:00+01:00"});
        CHECK(s.front().capacity == 3);
        CHECK(s.front().end_ms - s.front().start_ms == 15 * 60'000);
        CHECK(c.slots("loket.long_stay", "here", date("2026-11-30"), 1, now).size() == 4);
        CHECK(c.slots("infopunt.work", "here", date("2026-11-30"), 1, now).empty());
        CHECK(c.slots("loket.residence_card", "nowhere", date("2026-11-30"), 1, now).empty());
    }
    SECTION("minimum notice") {
        const auto c2 = one_desk({{"notice_hours", 2}});
        const auto s = c2.slots("loket.residence_card", "here", date("2026-11-30"), 1, now);
        REQUIRE_FALSE(s.empty());
        CHECK(c2.zone().iso8601(s.front().start_ms) == "2026-11-30T11:00:00+01:00");
    }
    SECTION("closed days: weekdays without hours, closures, holidays, the past") {
        // Tue-Sat have no hours; 2026-12-07 is a closure; Sunday has hours.
        const auto week = c.slots("loket.residence_card", "here", date("2026-11-30"), 14, now);
        std::set<std::string> days_open;
        for (const auto& s : week)
            days_open.insert(calendar::format_date(c.zone().to_local(s.start_ms).date));
        CHECK(days_open == std::set<std::string>{"2026-11-30", "2026-12-06", "2026-12-13"});
        // 2026-11-29 is in the past; 2027-01-01 (a Friday holiday) is never open.
        CHECK(c.slots("loket.residence_card", "here", date("2026-11-29"), 1, now).empty());
        const auto sunday_desk = one_desk({{"hours", {{"fri", "09:00-10:00"}}}});
        CHECK(
            sunday_desk.slots("loket.residence_card", "here", date("2027-01-01"), 1, now).empty());
        CHECK(
            sunday_desk.slots("loket.residence_card", "here", date("2027-01-08"), 1, now).size() ==
            4);
    }
    SECTION("the horizon") {
        const auto c2 = one_desk({{"horizon_days", 7}});
        CHECK_FALSE(c2.slots("loket.residence_card", "here", date("2026-12-06"), 1, now).empty());
        CHECK(c2.slots("loket.residence_card", "here", date("2026-12-13"), 1, now).empty());
    }
    SECTION("a Sunday desk on the day summer time starts") {
        const std::int64_t before = c.zone().to_utc_ms(date("2026-03-23"), 8 * 60);
        const auto s = c.slots("loket.residence_card", "here", date("2026-03-29"), 1, before);
        REQUIRE(s.size() == 4);
        CHECK(c.zone().iso8601(s.front().start_ms) == "2026-03-29T09:00:00+02:00");
        const auto autumn = c.slots("loket.residence_card", "here", date("2026-10-25"), 1,
                                    c.zone().to_utc_ms(date("2026-10-19"), 8 * 60));
        REQUIRE(autumn.size() == 4);
        CHECK(c.zone().iso8601(autumn.back().start_ms) == "2026-10-25T09:45:00+01:00");
    }
}

TEST_CASE("the calendar data is checked", "[calendar]") {
    CHECK_THROWS_WITH(one_desk({{"hours", {{"mon", "09:00-08:00"}}}}),
                      Catch::Contains("ends before"));
    CHECK_THROWS_WITH(one_desk({{"hours", {{"mon", "09:00-11:00 10:00-12:00"}}}}),
                      Catch::Contains("overlap"));
    CHECK_THROWS_WITH(one_desk({{"hours", {{"mon", "09:03-10:00"}}}}), Catch::Contains("grid"));
    CHECK_THROWS_WITH(one_desk({{"hours", {{"maandag", "09:00-10:00"}}}}),
                      Catch::Contains("unknown weekday"));
    CHECK_THROWS_WITH(one_desk({{"hours", {{"mon", "9u-10u"}}}}), Catch::Contains("not a"));
    CHECK_THROWS_WITH(one_desk({{"slot_minutes", {{"default", 7}}}}), Catch::Contains("multiple"));
    CHECK_THROWS_WITH(one_desk({{"counters", 0}}), Catch::Contains("at least 1"));
    CHECK_THROWS_WITH(one_desk({{"closures", {"2026-13-01"}}}), Catch::Contains("date"));

    std::vector<std::string> problems;
    const auto c =
        one_desk({{"products", {"loket.residence_card", "infopunt.work", "loket.nothing"}}});
    calendar::validate(c, {"loket.residence_card", "infopunt.work", "loket.long_stay"},
                       {"loket.residence_card", "loket.long_stay"}, problems);
    const std::string all = [&] {
        std::string s;
        for (const auto& p : problems) s += p + "\n";
        return s;
    }();
    CHECK_THAT(all, Catch::Contains("'infopunt.work' belongs to another desk"));
    CHECK_THAT(all, Catch::Contains("unknown product 'loket.nothing'"));
    CHECK_THAT(all, Catch::Contains("no location offers 'loket.long_stay'"));
}

TEST_CASE("the shipped sample calendar offers every product that needs an appointment",
          "[calendar]") {
    const auto& d = test::data();
    CHECK(d.calendar.sample());
    for (const auto& p : d.catalog.products()) {
        if (p.appointment != "required" && p.appointment != "optional") continue;
        CAPTURE(p.id);
        const auto where = d.calendar.locations_for(p.id);
        REQUIRE_FALSE(where.empty());
        const std::int64_t now = d.calendar.zone().to_utc_ms(date("2026-11-30"), 8 * 60);
        CHECK_FALSE(d.calendar.slots(p.id, where.front()->id, date("2026-12-01"), 14, now).empty());
    }
    // Collecting a card needs no appointment at these four (seed 002).
    for (const char* id : {"stadskantoor", "gentbrugge", "nieuw_gent", "sint_amandsberg"})
        for (const auto* l : d.calendar.locations_for("loket.card_pickup")) CHECK(l->id != id);
}

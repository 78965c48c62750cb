// Reading when a citizen wants an appointment, in Dutch and English, against
// a fixed "today" (Tuesday 1 December 2026).
#include <catch2/catch.hpp>

#include "calendar/zone.h"
#include "support/fixture.h"

using namespace wegwijs;
using namespace std::chrono;

namespace {

const year_month_day kToday{year{2026}, month{12}, day{1}};  // a Tuesday

language::TimeWish read(const std::string& text) {
    return test::data().when->read(text, kToday);
}

year_month_day date(const std::string& iso) {
    return calendar::parse_date(iso);
}

}  // namespace

TEST_CASE("weekdays are read in both languages, from ICU's names", "[unit]") {
    for (const char* text : {"dinsdag", "Tuesday", "op dinsdag", "on tuesday", "di.", "tue"}) {
        INFO(text);
        const auto w = read(text);
        // "di." is two letters: too short to trust ("do" is also English)
        if (std::string(text) == "di.") {
            CHECK_FALSE(w.weekday);
            continue;
        }
        REQUIRE(w.weekday);
        CHECK(*w.weekday == 2);
        CHECK_FALSE(w.day);
    }
    CHECK(*read("vrijdag").weekday == 5);
    CHECK(*read("Sunday").weekday == 7);
    CHECK(read("do you have time").empty());
}

TEST_CASE("next Monday morning: the weekday after today, before noon", "[unit]") {
    for (const char* text : {"next Monday morning", "volgende maandag voormiddag", "maandagochtend",
                             "komende maandag in de voormiddag"}) {
        INFO(text);
        const auto w = read(text);
        REQUIRE(w.weekday);
        CHECK(*w.weekday == 1);
        CHECK(w.from_minutes == 0);
        CHECK(w.to_minutes == 12 * 60);
    }
    // "next Tuesday" said on a Tuesday is not today
    const auto w = read("volgende dinsdag");
    REQUIRE(w.not_before);
    CHECK(*w.not_before == date("2026-12-02"));
}

TEST_CASE("times after, before and at", "[unit]") {
    struct Case {
        const char* text;
        int from;
        int to;
    };
    for (const Case c :
         {Case{"na 14u", 14 * 60, 24 * 60}, Case{"after 2 pm", 14 * 60, 24 * 60},
          Case{"after 2", 14 * 60, 24 * 60}, Case{"vanaf 10:30", 630, 24 * 60},
          Case{"voor 11u", 0, 11 * 60}, Case{"before 11am", 0, 11 * 60},
          Case{"in de namiddag", 12 * 60, 24 * 60}, Case{"afternoon", 12 * 60, 24 * 60},
          Case{"'s morgens na 9u30", 570, 12 * 60}, Case{"om 10 uur", 600, 24 * 60}}) {
        INFO(c.text);
        const auto w = read(c.text);
        CHECK(w.from_minutes == c.from);
        CHECK(w.to_minutes == c.to);
        CHECK_FALSE(w.has_day());
    }
    CHECK(*read("10:30").clock == 630);
    CHECK(*read("om 9u").clock == 540);
    CHECK_FALSE(read("na 14u").clock);  // a limit, not a chosen time
}

TEST_CASE("dates: named months, numbers, relative days", "[unit]") {
    CHECK(*read("3 december").day == date("2026-12-03"));
    CHECK(*read("December 3rd").day == date("2026-12-03"));
    CHECK(*read("the 3rd of December").day == date("2026-12-03"));
    CHECK(*read("op 3 dec om 10u").day == date("2026-12-03"));
    CHECK(*read("op 3 dec om 10u").clock == 600);
    CHECK(*read("12 januari").day == date("2027-01-12"));  // passed this year: next year's
    CHECK(*read("30 november").day == date("2027-11-30"));
    CHECK(*read("15/12").day == date("2026-12-15"));
    CHECK(*read("15-12-2026").day == date("2026-12-15"));
    CHECK(*read("2027-02-03").day == date("2027-02-03"));
    CHECK(*read("morgen").day == date("2026-12-02"));
    CHECK(*read("tomorrow afternoon").day == date("2026-12-02"));
    CHECK(read("tomorrow afternoon").from_minutes == 12 * 60);
    CHECK(*read("morgenochtend").day == date("2026-12-02"));
    CHECK(read("morgenochtend").to_minutes == 12 * 60);
    CHECK(*read("overmorgen").day == date("2026-12-03"));
    CHECK(*read("vandaag").day == kToday);
    CHECK(*read("volgende week").not_before == date("2026-12-07"));
    CHECK(*read("from Thursday").not_before == date("2026-12-03"));
    CHECK_FALSE(read("from Thursday").weekday);
    CHECK(read("31/02").empty());  // no such date
}

TEST_CASE("text without a time wish is empty", "[unit]") {
    for (const char* text : {"", "ja", "I don't know", "Amal Haddad", "afspraak", "?!"}) {
        INFO(text);
        CHECK(read(text).empty());
    }
}

TEST_CASE("half 10, 1:30pm, half past 9 and as soon as possible", "[unit]") {
    CHECK(*read("half 10").clock == 9 * 60 + 30);     // Dutch: half an hour before ten
    CHECK(*read("om half 3").clock == 14 * 60 + 30);  // no desk is open at 2:30 at night
    CHECK(*read("half past 9").clock == 9 * 60 + 30);
    CHECK(*read("1:30pm").clock == 13 * 60 + 30);
    CHECK(*read("at 1:30 pm").clock == 13 * 60 + 30);
    CHECK(*read("9.15 am").clock == 9 * 60 + 15);
    CHECK(read("after 2:30pm").from_minutes == 14 * 60 + 30);
    CHECK(*read("12:30am").clock == 30);
    CHECK(read("13:30pm").empty());  // not a time
    for (const char* soon :
         {"zo snel mogelijk", "asap", "as soon as possible", "zsm", "the earliest you have"}) {
        INFO(soon);
        const auto w = read(soon);
        CHECK(w.soonest);
        CHECK_FALSE(w.empty());
        CHECK_FALSE(w.has_day());
    }
    CHECK_FALSE(read("half").soonest);
    CHECK(read("half").empty());  // "half" alone names no time
}

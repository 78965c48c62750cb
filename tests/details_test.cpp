// What a citizen types for a booking (names, e-mail, phone, people), the
// confirmation code as typed, dates in words, and the .ics file.
#include <catch2/catch.hpp>

#include "booking/booking_store.h"
#include "booking/details_check.h"
#include "booking/ics.h"
#include "calendar/zone.h"

using namespace wegwijs;

TEST_CASE("names, e-mail addresses, phone numbers and people are checked and normalised",
          "[unit][booking]") {
    CHECK(booking::checked_name("  Amina Peeters ") == "Amina Peeters");
    CHECK(booking::checked_name("Łukasz Żółć") == "Łukasz Żółć");
    CHECK(booking::checked_name("李小龙") == "李小龙");
    CHECK_FALSE(booking::checked_name("   "));
    CHECK_FALSE(booking::checked_name("12345"));
    CHECK_FALSE(booking::checked_name("Amina\x07"));
    CHECK_FALSE(booking::checked_name(std::string(101, 'a')));

    CHECK(booking::checked_email(" amina.peeters+gent@example.org ") ==
          "amina.peeters+gent@example.org");
    CHECK(booking::checked_email("a@stad.gent") == "a@stad.gent");
    for (const char* bad : {"amina", "amina@", "@example.org", "amina@example", "a b@example.org",
                            "amina@@example.org", "amina@example.o", "amina@-example.org",
                            "amina..p@example.org", ".amina@example.org", "amina@example.123"})
        CHECK_FALSE(booking::checked_email(bad));

    CHECK(booking::checked_phone("0470 12 34 56") == "+32470123456");
    CHECK(booking::checked_phone("09 266 71 00") == "+3292667100");  // a Ghent landline
    CHECK(booking::checked_phone("+32 470 12 34 56") == "+32470123456");
    CHECK(booking::checked_phone("0032470123456") == "+32470123456");
    CHECK(booking::checked_phone("+31 6 12345678") == "+31612345678");  // Dutch mobile
    for (const char* bad : {"12", "0470", "hello", "+32 470 12 34 56 78 90", ""})
        CHECK_FALSE(booking::checked_phone(bad));

    CHECK(booking::checked_people("2") == 2);
    CHECK(booking::checked_people(" 1 ") == 1);
    for (const char* bad : {"0", "-1", "7", "two", "1.5", ""})
        CHECK_FALSE(booking::checked_people(bad));
}

TEST_CASE("a confirmation code is found however it is typed", "[unit][booking]") {
    CHECK(booking::normalised_code("abcd-efgh") == "ABCD-EFGH");
    CHECK(booking::normalised_code(" abcd efgh ") == "ABCD-EFGH");
    CHECK(booking::normalised_code("ABCDEFGH") == "ABCD-EFGH");
    CHECK(booking::normalised_code("abc") == "ABC");
}

TEST_CASE("dates and times in words, in Brussels time, per language", "[unit][calendar]") {
    const calendar::Zone zone("Europe/Brussels");
    const auto ms = calendar::parse_iso8601("2026-12-03T09:30:00+01:00");
    CHECK(calendar::long_date(zone, ms, "nl") == "donderdag 3 december 2026");
    CHECK(calendar::long_date(zone, ms, "en") == "Thursday, 3 December 2026");
    CHECK(calendar::clock_time(zone, ms, "nl") == "09:30");
    CHECK(calendar::clock_time(zone, ms, "en") == "09:30");
    // Summer time: the same wall clock, an hour less after UTC.
    const auto summer = calendar::parse_iso8601("2027-03-29T09:30:00+02:00");
    CHECK(calendar::clock_time(zone, summer, "nl") == "09:30");
}

TEST_CASE("an .ics file is RFC 5545: CRLF, folded, escaped, local time with its zone",
          "[unit][booking]") {
    booking::IcsEvent e;
    e.uid = "ABCD-EFGH@wegwijs";
    e.stamp_ms = calendar::parse_iso8601("2027-03-20T12:00:00Z");
    // The Monday after the change to summer time.
    e.start_ms = calendar::parse_iso8601("2027-03-29T09:00:00+02:00");
    e.end_ms = calendar::parse_iso8601("2027-03-29T09:15:00+02:00");
    e.summary = "Loket Migratie: verblijfskaart; nieuw, verloren";
    e.location = "Stadskantoor, Woodrow Wilsonplein, Gent";
    e.description = "Breng mee:\n- een pasfoto\n" + std::string(120, 'x') + "é";
    const std::string ics = booking::to_ics(e, "Europe/Brussels");
    CHECK(ics.find("DTSTART;TZID=Europe/Brussels:20270329T090000\r\n") != std::string::npos);
    CHECK(ics.find("DTEND;TZID=Europe/Brussels:20270329T091500\r\n") != std::string::npos);
    CHECK(ics.find("DTSTAMP:20270320T120000Z\r\n") != std::string::npos);
    CHECK(ics.find("SUMMARY:Loket Migratie: verblijfskaart\\; nieuw\\, verloren\r\n") !=
          std::string::npos);
    CHECK(ics.find("Breng mee:\\n- een pasfoto\\n") != std::string::npos);
    CHECK(ics.find("TZOFFSETTO:+02") != std::string::npos);  // the summer rule is there
    // Every physical line: CRLF, at most 75 octets, never a split UTF-8 character.
    std::size_t lines = 0;
    for (std::size_t start = 0; start < ics.size(); ++lines) {
        const auto end = ics.find("\r\n", start);
        REQUIRE(end != std::string::npos);
        CHECK(end - start <= 75);
        CHECK((static_cast<unsigned char>(ics[start]) & 0xC0) != 0x80);
        start = end + 2;
    }
    CHECK(lines > 20);
    CHECK(ics.find("\n", 0) == ics.find("\r\n") + 1);
    e.cancelled = true;
    CHECK(booking::to_ics(e, "Europe/Brussels").find("STATUS:CANCELLED") != std::string::npos);
}

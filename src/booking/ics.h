// An appointment as an iCalendar file (RFC 5545), for "add to my calendar".
//
// Guarantees: CRLF line ends; content lines folded at 75 octets without
// splitting a UTF-8 character; text values escaped (\\ ; , and newlines);
// start and end written as local time with TZID, and the VTIMEZONE for that
// zone from ICU's time zone data (the rules in force from the event on), so a
// calendar shows the time a clerk expects on either side of a DST change.
#pragma once

#include <cstdint>
#include <string>

namespace wegwijs::booking {

struct IcsEvent {
    std::string uid;  // stable per booking: a retry or a second download updates, not duplicates
    std::int64_t stamp_ms = 0;  // when the file was made
    std::int64_t start_ms = 0;
    std::int64_t end_ms = 0;
    std::string summary;
    std::string location;
    std::string description;
    bool cancelled = false;
};

// zone: an ICU/Olson id such as "Europe/Brussels"; throws std::invalid_argument if unknown.
std::string to_ics(const IcsEvent& event, const std::string& zone);

}  // namespace wegwijs::booking

// iCalendar output; see ics.h.
#include "booking/ics.h"

#include <unicode/timezone.h>
#include <unicode/unistr.h>
#include <unicode/vtzone.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <vector>

#include "calendar/zone.h"

namespace wegwijs::booking {
namespace {

std::string escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case ';':
                out += "\\;";
                break;
            case ',':
                out += "\\,";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                break;
            default:
                out += c;
        }
    }
    return out;
}

// One content line, folded: at most 75 octets per physical line, never
// inside a UTF-8 sequence; continuation lines start with a space.
void add_line(std::string& out, const std::string& line) {
    std::size_t pos = 0;
    std::size_t limit = 75;
    while (line.size() - pos > limit) {
        std::size_t cut = pos + limit;
        while (cut > pos && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
        out.append(line, pos, cut - pos);
        out += "\r\n ";
        pos = cut;
        limit = 74;  // the leading space counts
    }
    out.append(line, pos, std::string::npos);
    out += "\r\n";
}

std::string local_stamp(const calendar::Zone& zone, std::int64_t ms) {
    const calendar::LocalTime t = zone.to_local(ms);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d00", int(t.date.year()),
                  unsigned(t.date.month()), unsigned(t.date.day()), t.minutes / 60, t.minutes % 60);
    return buf;
}

std::string utc_stamp(std::int64_t ms) {
    const auto tp = std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms));
    const auto day = std::chrono::floor<std::chrono::days>(tp);
    const std::chrono::year_month_day d(day);
    const std::chrono::hh_mm_ss<std::chrono::milliseconds> hms(tp - day);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", int(d.year()), unsigned(d.month()),
                  unsigned(d.day()), int(hms.hours().count()), int(hms.minutes().count()),
                  int(hms.seconds().count()));
    return buf;
}

// ICU writes the VTIMEZONE; its lines are taken one by one so they are folded
// and CRLF-terminated like ours.
std::vector<std::string> vtimezone(const std::string& zone_id, std::int64_t from_ms) {
    std::unique_ptr<icu::VTimeZone> vtz(
        icu::VTimeZone::createVTimeZoneByID(icu::UnicodeString::fromUTF8(zone_id)));
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString text;
    if (vtz) vtz->writeSimple(static_cast<UDate>(from_ms), text, status);
    if (!vtz || U_FAILURE(status) || text.isEmpty())
        throw std::invalid_argument("no VTIMEZONE for " + zone_id);
    std::string utf8;
    text.toUTF8String(utf8);
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < utf8.size()) {
        std::size_t end = utf8.find('\n', start);
        if (end == std::string::npos) end = utf8.size();
        std::string line = utf8.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

}  // namespace

std::string to_ics(const IcsEvent& e, const std::string& zone_id) {
    const calendar::Zone zone(zone_id);
    std::string out;
    add_line(out, "BEGIN:VCALENDAR");
    add_line(out, "VERSION:2.0");
    add_line(out, "PRODID:-//Stad Gent//Wegwijs//NL");
    add_line(out, "CALSCALE:GREGORIAN");
    add_line(out, e.cancelled ? "METHOD:CANCEL" : "METHOD:PUBLISH");
    for (const auto& line : vtimezone(zone_id, e.start_ms)) add_line(out, line);
    add_line(out, "BEGIN:VEVENT");
    add_line(out, "UID:" + escaped(e.uid));
    add_line(out, "DTSTAMP:" + utc_stamp(e.stamp_ms));
    add_line(out, "DTSTART;TZID=" + zone_id + ":" + local_stamp(zone, e.start_ms));
    add_line(out, "DTEND;TZID=" + zone_id + ":" + local_stamp(zone, e.end_ms));
    add_line(out, "SUMMARY:" + escaped(e.summary));
    if (!e.location.empty()) add_line(out, "LOCATION:" + escaped(e.location));
    if (!e.description.empty()) add_line(out, "DESCRIPTION:" + escaped(e.description));
    add_line(out, e.cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
    add_line(out, "TRANSP:OPAQUE");
    add_line(out, "END:VEVENT");
    add_line(out, "END:VCALENDAR");
    return out;
}

}  // namespace wegwijs::booking

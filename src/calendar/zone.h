// Local wall time in one time zone (Europe/Brussels) and UTC instants, with
// ICU's time zone data: daylight-saving time is right on every date.
//
// Guarantees: construction fails for a zone ICU does not know; the methods are
// const and thread-safe. A wall time that does not exist (the skipped hour in
// spring) maps to the instant after the gap; one that happens twice (autumn)
// maps to the first.
#pragma once

#include <unicode/uversion.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

U_NAMESPACE_BEGIN
class BasicTimeZone;
class TimeZone;
U_NAMESPACE_END

namespace wegwijs::calendar {

struct LocalTime {
    std::chrono::year_month_day date;
    int minutes = 0;         // since local midnight
    int offset_minutes = 0;  // local minus UTC, e.g. 60 or 120 in Brussels
};

class Zone {
  public:
    explicit Zone(const std::string& id);  // throws std::invalid_argument
    ~Zone();
    Zone(const Zone&) = delete;
    Zone& operator=(const Zone&) = delete;
    Zone(Zone&&) noexcept;
    Zone& operator=(Zone&&) noexcept;

    std::int64_t to_utc_ms(std::chrono::year_month_day date, int minutes) const;
    LocalTime to_local(std::int64_t utc_ms) const;
    std::string iso8601(std::int64_t utc_ms) const;  // "2026-03-30T09:00:00+02:00"
    const std::string& id() const { return id_; }
    const icu::TimeZone& icu_zone() const;

  private:
    std::string id_;
    std::unique_ptr<icu::BasicTimeZone> zone_;
};

// A time written out for people in a locale ("nl", "en"), in this zone, with
// ICU's patterns for that locale: long_date -> "maandag 30 maart 2026" or
// "Monday, 30 March 2026"; clock_time -> "09:30" (24-hour, as in Belgium).
std::string long_date(const Zone& zone, std::int64_t utc_ms, const std::string& locale);
std::string clock_time(const Zone& zone, std::int64_t utc_ms, const std::string& locale);
// A day in few letters, for a choice: "do 3 dec." or "Thu 3 Dec".
std::string short_date(const Zone& zone, std::int64_t utc_ms, const std::string& locale);

// "2026-03-30" -> date; throws std::invalid_argument for anything else.
std::chrono::year_month_day parse_date(const std::string& text);
std::string format_date(std::chrono::year_month_day d);  // "2026-03-30"
// An ISO 8601 time with an offset or Z ("2026-03-30T09:00:00+02:00") -> UTC ms.
std::int64_t parse_iso8601(const std::string& text);  // throws std::invalid_argument

}  // namespace wegwijs::calendar

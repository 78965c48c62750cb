// ICU time zones behind a small value-like type; see zone.h.
#include "calendar/zone.h"

#include <unicode/basictz.h>
#include <unicode/dtptngen.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <cstdio>
#include <memory>
#include <regex>
#include <stdexcept>

namespace wegwijs::calendar {

using namespace std::chrono;

namespace {
constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 86'400'000;
}  // namespace

Zone::Zone(const std::string& id) : id_(id) {
    std::unique_ptr<icu::TimeZone> tz(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(id)));
    if (!tz || *tz == icu::TimeZone::getUnknown())
        throw std::invalid_argument("unknown time zone '" + id + "'");
    auto* basic = dynamic_cast<icu::BasicTimeZone*>(tz.get());
    if (basic == nullptr) throw std::invalid_argument("time zone '" + id + "' has no rules");
    tz.release();
    zone_.reset(basic);
}

Zone::~Zone() = default;
Zone::Zone(Zone&&) noexcept = default;
Zone& Zone::operator=(Zone&&) noexcept = default;

std::int64_t Zone::to_utc_ms(year_month_day date, int minutes) const {
    const std::int64_t local =
        static_cast<std::int64_t>(sys_days{date}.time_since_epoch().count()) * kDay +
        minutes * kMinute;
    UErrorCode status = U_ZERO_ERROR;
    int32_t raw = 0;
    int32_t dst = 0;
    zone_->getOffsetFromLocal(static_cast<UDate>(local), UCAL_TZ_LOCAL_FORMER, UCAL_TZ_LOCAL_FORMER,
                              raw, dst, status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU: no offset for a local time");
    return local - raw - dst;
}

LocalTime Zone::to_local(std::int64_t utc_ms) const {
    UErrorCode status = U_ZERO_ERROR;
    int32_t raw = 0;
    int32_t dst = 0;
    zone_->getOffset(static_cast<UDate>(utc_ms), false, raw, dst, status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU: no offset for an instant");
    const std::int64_t local = utc_ms + raw + dst;
    std::int64_t day_number = local / kDay;
    if (local % kDay < 0) --day_number;
    const auto date = year_month_day{sys_days{days{day_number}}};
    return {date, static_cast<int>((local - day_number * kDay) / kMinute),
            static_cast<int>((raw + dst) / kMinute)};
}

std::string Zone::iso8601(std::int64_t utc_ms) const {
    const LocalTime t = to_local(utc_ms);
    const int offset = t.offset_minutes < 0 ? -t.offset_minutes : t.offset_minutes;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:00%c%02d:%02d", format_date(t.date).c_str(),
                  t.minutes / 60, t.minutes % 60, t.offset_minutes < 0 ? '-' : '+', offset / 60,
                  offset % 60);
    return buf;
}

year_month_day parse_date(const std::string& text) {
    int y = 0;
    unsigned m = 0;
    unsigned d = 0;
    char tail = 0;
    if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3)
        throw std::invalid_argument("not a date (YYYY-MM-DD): '" + text + "'");
    const year_month_day date{year(y), month(m), day(d)};
    if (!date.ok()) throw std::invalid_argument("no such date: '" + text + "'");
    return date;
}

std::string format_date(year_month_day d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return buf;
}

std::int64_t parse_iso8601(const std::string& text) {
    static const std::regex form(
        R"((\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|([+-])(\d{2}):?(\d{2})))");
    std::smatch m;
    if (!std::regex_match(text, m, form))
        throw std::invalid_argument("not an ISO 8601 time with an offset: '" + text + "'");
    const year_month_day date = parse_date(m[1]);
    const int hour = std::stoi(m[2]);
    const int minute = std::stoi(m[3]);
    const int second = m[4].matched ? std::stoi(m[4]) : 0;
    if (hour > 23 || minute > 59 || second > 59)
        throw std::invalid_argument("no such time: '" + text + "'");
    int offset = 0;
    if (m[5] != "Z") {
        offset = std::stoi(m[7]) * 60 + std::stoi(m[8]);
        if (m[6] == "-") offset = -offset;
    }
    return static_cast<std::int64_t>(sys_days{date}.time_since_epoch().count()) * kDay +
           (hour * 60 + minute - offset) * kMinute + second * 1000;
}

const icu::TimeZone& Zone::icu_zone() const {
    return *zone_;
}

namespace {

// Belgian conventions for the citizen's language: nl_BE, en_BE.
std::string format_with_skeleton(const Zone& zone, std::int64_t utc_ms, const std::string& locale,
                                 const char* skeleton) {
    const icu::Locale where((locale + "_BE").c_str());
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::DateTimePatternGenerator> generator(
        icu::DateTimePatternGenerator::createInstance(where, status));
    if (U_FAILURE(status)) throw std::runtime_error("ICU has no date patterns for " + locale);
    const icu::UnicodeString pattern = generator->getBestPattern(skeleton, status);
    icu::SimpleDateFormat format(pattern, where, status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU cannot format dates for " + locale);
    format.setTimeZone(zone.icu_zone());
    icu::UnicodeString out;
    format.format(static_cast<UDate>(utc_ms), out);
    std::string utf8;
    out.toUTF8String(utf8);
    return utf8;
}

}  // namespace

std::string long_date(const Zone& zone, std::int64_t utc_ms, const std::string& locale) {
    return format_with_skeleton(zone, utc_ms, locale, "EEEEdMMMMy");
}

std::string clock_time(const Zone& zone, std::int64_t utc_ms, const std::string& locale) {
    return format_with_skeleton(zone, utc_ms, locale, "HHmm");
}

std::string short_date(const Zone& zone, std::int64_t utc_ms, const std::string& locale) {
    return format_with_skeleton(zone, utc_ms, locale, "EEEdMMM");
}

}  // namespace wegwijs::calendar

// Belgian public holidays; see holidays.h.
#include "calendar/holidays.h"

#include <algorithm>

namespace wegwijs::calendar {

using namespace std::chrono;

year_month_day easter_sunday(year y) {
    // The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    const int Y = static_cast<int>(y);
    const int a = Y % 19;
    const int b = Y / 100;
    const int c = Y % 100;
    const int d = b / 4;
    const int e = b % 4;
    const int f = (b + 8) / 25;
    const int g = (b - f + 1) / 3;
    const int h = (19 * a + b - d - g + 15) % 30;
    const int i = c / 4;
    const int k = c % 4;
    const int l = (32 + 2 * e + 2 * i - h - k) % 7;
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month_number = (h + l - 7 * m + 114) / 31;
    const int day_number = ((h + l - 7 * m + 114) % 31) + 1;
    return {y, month(static_cast<unsigned>(month_number)), day(static_cast<unsigned>(day_number))};
}

std::vector<Holiday> belgian_holidays(year y) {
    const sys_days easter{easter_sunday(y)};
    std::vector<Holiday> out = {
        {{y, January, day(1)}, "New Year's Day"},
        {year_month_day{easter + days(1)}, "Easter Monday"},
        {{y, May, day(1)}, "Labour Day"},
        {year_month_day{easter + days(39)}, "Ascension Day"},
        {year_month_day{easter + days(50)}, "Whit Monday"},
        {{y, July, day(21)}, "Belgian National Day"},
        {{y, August, day(15)}, "Assumption Day"},
        {{y, November, day(1)}, "All Saints' Day"},
        {{y, November, day(11)}, "Armistice Day"},
        {{y, December, day(25)}, "Christmas Day"},
    };
    std::sort(out.begin(), out.end(), [](const Holiday& a, const Holiday& b) {
        return sys_days{a.date} < sys_days{b.date};
    });
    return out;
}

bool is_belgian_holiday(year_month_day d) {
    for (const auto& h : belgian_holidays(d.year()))
        if (h.date == d) return true;
    return false;
}

}  // namespace wegwijs::calendar

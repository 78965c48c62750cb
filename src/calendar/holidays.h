// Belgian public holidays, on which every desk is closed without the calendar
// data having to list them: New Year, Easter Monday, Labour Day, Ascension,
// Whit Monday, the National Day, Assumption, All Saints, Armistice and
// Christmas. The Easter-based ones are computed (Gregorian computus).
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace wegwijs::calendar {

struct Holiday {
    std::chrono::year_month_day date;
    std::string name;  // English, for logs and tests
};

std::chrono::year_month_day easter_sunday(std::chrono::year y);
std::vector<Holiday> belgian_holidays(std::chrono::year y);  // in date order
bool is_belgian_holiday(std::chrono::year_month_day d);

}  // namespace wegwijs::calendar

// Time wishes from free text; see when.h.
#include "language/when.h"

#include <unicode/dtfmtsym.h>
#include <unicode/locid.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <stdexcept>

#include "text/normalizer.h"

namespace wegwijs::language {
namespace {

using namespace std::chrono;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_letter(char c) {
    return c >= 'a' && c <= 'z';
}

bool all_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

// "HH:MM" -> minutes; throws std::invalid_argument.
int clock_minutes(const std::string& text, const std::string& where) {
    if (text.size() != 5 || text[2] != ':' || !is_digit(text[0]) || !is_digit(text[1]) ||
        !is_digit(text[3]) || !is_digit(text[4]))
        throw std::invalid_argument(where + ": '" + text + "' is not HH:MM");
    const int h = std::stoi(text.substr(0, 2));
    const int m = std::stoi(text.substr(3, 2));
    if (h > 24 || m > 59 || (h == 24 && m != 0))
        throw std::invalid_argument(where + ": '" + text + "' is not a time of day");
    return h * 60 + m;
}

std::string fold_name(const icu::UnicodeString& name) {
    std::string utf8;
    name.toUTF8String(utf8);
    std::string out;
    for (char c : text::Normalizer::fold_plain(utf8))
        if (c != '.') out += c;
    return out;
}

// A time of day written as one word: "14:30", "14.30", "14u30", "14h", "14u",
// "2pm", "9am". Minutes since midnight; -1 for anything else.
int time_word(const std::string& w, int& pm_shift) {
    pm_shift = 0;
    std::size_t i = 0;
    while (i < w.size() && is_digit(w[i])) ++i;
    if (i == 0 || i > 2) return -1;
    const int h = std::stoi(w.substr(0, i));
    std::string rest = w.substr(i);
    int m = 0;
    if (rest == "am" || rest == "pm") {
        if (h < 1 || h > 12) return -1;
        pm_shift = rest == "pm" ? 1 : -1;
        return (h % 12 + (rest == "pm" ? 12 : 0)) * 60;
    }
    if (rest == "u" || rest == "h" || rest == "uur") {
        if (h > 24) return -1;
        return h * 60;
    }
    if (rest.size() >= 3 &&
        (rest[0] == ':' || rest[0] == '.' || rest[0] == 'u' || rest[0] == 'h') &&
        is_digit(rest[1]) && is_digit(rest[2])) {
        m = std::stoi(rest.substr(1, 2));
        const std::string suffix = rest.substr(3);
        if (suffix == "am" || suffix == "pm") {  // "1:30pm"
            if (h < 1 || h > 12 || m > 59) return -1;
            pm_shift = suffix == "pm" ? 1 : -1;
            return (h % 12 + (suffix == "pm" ? 12 : 0)) * 60 + m;
        }
        if (!suffix.empty() || h > 23 || m > 59) return -1;
        return h * 60 + m;
    }
    return -1;
}

// "3", "3e", "3de", "3rd", "21st": a day of the month, or 0.
unsigned day_number(const std::string& w) {
    std::size_t i = 0;
    while (i < w.size() && is_digit(w[i])) ++i;
    if (i == 0 || i > 2) return 0;
    const std::string suffix = w.substr(i);
    static const char* const kSuffixes[] = {"", "e", "de", "ste", "st", "nd", "rd", "th"};
    if (std::find(std::begin(kSuffixes), std::end(kSuffixes), suffix) == std::end(kSuffixes))
        return 0;
    const int d = std::stoi(w.substr(0, i));
    return d >= 1 && d <= 31 ? static_cast<unsigned>(d) : 0;
}

// A date of the next 12 months: this year's, or next year's when it has passed.
std::optional<year_month_day> upcoming(unsigned d, unsigned m, year_month_day today) {
    year_month_day date{today.year(), month{m}, day{d}};
    if (!date.ok()) {
        date = year_month_day{today.year() + years{1}, month{m}, day{d}};  // 29 February
        return date.ok() ? std::optional(date) : std::nullopt;
    }
    if (sys_days{date} < sys_days{today}) date = {today.year() + years{1}, month{m}, day{d}};
    return date.ok() ? std::optional(date) : std::nullopt;
}

// "13/12", "13-12-2026", "2026-12-13", "13.12": a date, day first.
std::optional<year_month_day> numeric_date(const std::string& w, year_month_day today) {
    std::vector<std::string> parts(1);
    for (char c : w) {
        if (c == '/' || c == '-' || c == '.')
            parts.emplace_back();
        else if (is_digit(c))
            parts.back() += c;
        else
            return std::nullopt;
    }
    if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
    for (const auto& p : parts)
        if (p.empty() || p.size() > 4) return std::nullopt;
    if (parts.size() == 3 && parts[0].size() == 4) {  // ISO
        const year_month_day d{year{std::stoi(parts[0])}, month{unsigned(std::stoi(parts[1]))},
                               day{unsigned(std::stoi(parts[2]))}};
        return d.ok() ? std::optional(d) : std::nullopt;
    }
    if (parts[0].size() > 2 || parts[1].size() > 2) return std::nullopt;
    const unsigned d = std::stoul(parts[0]);
    const unsigned m = std::stoul(parts[1]);
    if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    if (parts.size() == 3) {
        int y = std::stoi(parts[2]);
        if (parts[2].size() == 2) y += 2000;
        if (parts[2].size() != 2 && parts[2].size() != 4) return std::nullopt;
        const year_month_day date{year{y}, month{m}, day{d}};
        return date.ok() ? std::optional(date) : std::nullopt;
    }
    return upcoming(d, m, today);
}

year_month_day plus_days(year_month_day d, int n) {
    return year_month_day{sys_days{d} + days{n}};
}

unsigned iso_weekday(year_month_day d) {
    return weekday{sys_days{d}}.iso_encoding();
}

std::string iso_date(year_month_day d) {
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()),
                  unsigned(d.day()));
    return out;
}

}  // namespace

bool TimeWish::empty() const {
    return !day && !weekday && !not_before && from_minutes == 0 && to_minutes == 24 * 60 &&
           !clock && !soonest;
}

nlohmann::json TimeWish::to_json() const {
    nlohmann::json j = nlohmann::json::object();
    if (day) j["day"] = iso_date(*day);
    if (weekday) j["weekday"] = *weekday;
    if (not_before) j["not_before"] = iso_date(*not_before);
    if (from_minutes != 0) j["from_minutes"] = from_minutes;
    if (to_minutes != 24 * 60) j["to_minutes"] = to_minutes;
    if (clock) j["clock"] = *clock;
    if (soonest) j["soonest"] = true;
    return j;
}

std::vector<std::string> WhenReader::tokens(std::string_view text) {
    const std::string folded = text::Normalizer::fold_plain(text);
    std::vector<std::string> out;
    std::string word;
    auto flush = [&] {
        if (!word.empty()) out.push_back(std::move(word));
        word.clear();
    };
    for (std::size_t i = 0; i < folded.size(); ++i) {
        const char c = folded[i];
        if (is_digit(c) || is_letter(c)) {
            word += c;
        } else if ((c == ':' || c == '.' || c == '/' || c == '-') && !word.empty() &&
                   is_digit(word.back()) && i + 1 < folded.size() && is_digit(folded[i + 1])) {
            word += c;  // inside a number: "14:30", "3/12"
        } else {
            flush();
        }
    }
    flush();
    return out;
}

WhenReader::WhenReader(const nlohmann::json& data, const std::vector<std::string>& locales) {
    const std::string where = "dialogs/booking.json";
    if (!data.is_object() || !data.contains("when") || !data["when"].is_object())
        throw std::invalid_argument(where + ": 'when' must be an object of word lists");
    for (const auto& [kind, list] : data["when"].items()) {
        if (!list.is_array())
            throw std::invalid_argument(where + ": when." + kind + " must be a list of phrases");
        for (const auto& p : list) {
            if (!p.is_string())
                throw std::invalid_argument(where + ": when." + kind + " holds a non-string");
            Phrase phrase{tokens(p.get<std::string>()), kind};
            if (phrase.words.empty())
                throw std::invalid_argument(where + ": when." + kind + " holds an empty phrase");
            phrases_.push_back(std::move(phrase));
        }
    }
    std::stable_sort(phrases_.begin(), phrases_.end(), [](const Phrase& a, const Phrase& b) {
        return a.words.size() > b.words.size();
    });
    if (data.contains("parts_of_day")) {
        for (const auto& [kind, span] : data["parts_of_day"].items()) {
            const std::string s = span.is_string() ? span.get<std::string>() : "";
            const auto dash = s.find('-');
            if (dash == std::string::npos)
                throw std::invalid_argument(where + ": parts_of_day." + kind +
                                            " must be 'HH:MM-HH:MM'");
            const int from = clock_minutes(s.substr(0, dash), where + ": parts_of_day." + kind);
            const int to = clock_minutes(s.substr(dash + 1), where + ": parts_of_day." + kind);
            if (from >= to)
                throw std::invalid_argument(where + ": parts_of_day." + kind +
                                            " ends before it starts");
            parts_.push_back({kind, {from, to}});
        }
    }
    afternoon_below_ = data.value("afternoon_below", 7);

    for (const auto& l : locales) {
        UErrorCode status = U_ZERO_ERROR;
        const icu::DateFormatSymbols symbols(icu::Locale(l.c_str()), status);
        if (U_FAILURE(status))
            throw std::invalid_argument("ICU has no date names for locale '" + l + "'");
        for (const auto width :
             {icu::DateFormatSymbols::WIDE, icu::DateFormatSymbols::ABBREVIATED}) {
            for (const auto context :
                 {icu::DateFormatSymbols::FORMAT, icu::DateFormatSymbols::STANDALONE}) {
                int32_t n = 0;
                const icu::UnicodeString* days = symbols.getWeekdays(n, context, width);
                for (int32_t i = 1; i < n && i <= 7; ++i) {  // ICU: 1 = Sunday
                    const std::string name = fold_name(days[i]);
                    if (name.size() >= 3)
                        weekdays_.push_back({name, i == 1 ? 7u : unsigned(i - 1)});
                }
                const icu::UnicodeString* names = symbols.getMonths(n, context, width);
                for (int32_t i = 0; i < n && i < 12; ++i) {
                    const std::string name = fold_name(names[i]);
                    if (name.size() >= 3) months_.push_back({name, unsigned(i + 1)});
                }
            }
        }
    }
    if (weekdays_.empty() || months_.empty())
        throw std::invalid_argument("ICU gave no weekday or month names");
}

const WhenReader::Phrase* WhenReader::phrase_at(const std::vector<std::string>& t,
                                                std::size_t i) const {
    for (const auto& p : phrases_) {
        if (i + p.words.size() > t.size()) continue;
        if (std::equal(p.words.begin(), p.words.end(), t.begin() + i)) return &p;
    }
    return nullptr;
}

std::optional<unsigned> WhenReader::weekday(const std::string& word) const {
    for (const auto& [name, d] : weekdays_)
        if (name == word) return d;
    return std::nullopt;
}

std::optional<unsigned> WhenReader::month(const std::string& word) const {
    for (const auto& [name, m] : months_)
        if (name == word) return m;
    return std::nullopt;
}

std::optional<std::pair<int, int>> WhenReader::part(const std::string& kind) const {
    for (const auto& [k, span] : parts_)
        if (k == kind) return span;
    return std::nullopt;
}

TimeWish WhenReader::read(std::string_view text, year_month_day today) const {
    TimeWish w;
    std::vector<std::string> t = tokens(text);

    // Split Dutch compounds of a day and a part of the day: "dinsdagnamiddag".
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (phrase_at(t, i) || weekday(t[i])) continue;
        for (std::size_t cut = 3; cut + 3 <= t[i].size(); ++cut) {
            const std::string head = t[i].substr(0, cut);
            const std::string tail = t[i].substr(cut);
            const std::vector<std::string> h{head}, tl{tail};
            const Phrase* ph = phrase_at(h, 0);
            const Phrase* pt = phrase_at(tl, 0);
            const bool day_head =
                weekday(head) || (ph && (ph->kind == "today" || ph->kind == "tomorrow"));
            if (day_head && pt && part(pt->kind)) {
                t[i] = head;
                t.insert(t.begin() + static_cast<long>(i) + 1, tail);
                break;
            }
        }
    }

    enum class Pending { none, after, before, at } pending = Pending::none;
    bool next = false;
    std::vector<bool> used(t.size(), false);

    auto set_day = [&](year_month_day d) {
        if (pending == Pending::after) {
            w.not_before = d;
        } else {
            w.day = d;
            w.weekday.reset();
        }
        pending = Pending::none;
    };
    auto set_time = [&](int minutes, bool bare) {
        if (bare && minutes < afternoon_below_ * 60) minutes += 12 * 60;
        switch (pending) {
            case Pending::after:
                w.from_minutes = std::max(w.from_minutes, minutes);
                break;
            case Pending::before:
                w.to_minutes = std::min(w.to_minutes, std::max(minutes, 1));
                break;
            case Pending::at:
            case Pending::none:
                w.from_minutes = std::max(w.from_minutes, minutes);
                w.clock = minutes;
                break;
        }
        pending = Pending::none;
    };

    for (std::size_t i = 0; i < t.size(); ++i) {
        if (used[i]) continue;
        if (const Phrase* p = phrase_at(t, i)) {
            const std::size_t n = p->words.size();
            const std::string& k = p->kind;
            bool consumed = true;
            if (k == "today") {
                set_day(today);
            } else if (k == "tomorrow") {
                set_day(plus_days(today, 1));
            } else if (k == "day_after_tomorrow") {
                set_day(plus_days(today, 2));
            } else if (k == "next_week") {
                const unsigned wd = iso_weekday(today);
                w.not_before = plus_days(today, 8 - static_cast<int>(wd));
            } else if (k == "next") {
                next = true;
            } else if (k == "after") {
                pending = Pending::after;
            } else if (k == "before") {
                pending = Pending::before;
            } else if (k == "at") {
                pending = Pending::at;
            } else if (k == "soonest") {
                w.soonest = true;
            } else if ((k == "half_to" || k == "half_past") && i + n < t.size() &&
                       all_digits(t[i + n]) && t[i + n].size() <= 2 && std::stoi(t[i + n]) >= 1 &&
                       std::stoi(t[i + n]) <= 12) {
                // "half 10" is 9:30 in Dutch; "half past 9" is 9:30 in English
                const int hour = std::stoi(t[i + n]);
                const int minutes = (k == "half_to" ? (hour + 11) % 12 : hour % 12) * 60 + 30;
                set_time(minutes, true);
                used[i + n] = true;
                i += n;
                continue;
            } else if (auto span = part(k)) {
                w.from_minutes = std::max(w.from_minutes, span->first);
                w.to_minutes = std::min(w.to_minutes, span->second);
            } else {
                consumed = false;  // hour words, am/pm: only after a number
            }
            if (consumed) {
                i += n - 1;
                continue;
            }
        }
        const std::string& word = t[i];
        if (auto wd = weekday(word)) {
            if (pending == Pending::after) {
                int ahead = (static_cast<int>(*wd) - static_cast<int>(iso_weekday(today)) + 7) % 7;
                w.not_before = plus_days(today, ahead);
                pending = Pending::none;
            } else if (!w.day) {
                w.weekday = *wd;
                if (next) w.not_before = plus_days(today, 1);
            }
            next = false;
            continue;
        }
        if (auto m = month(word)) {
            // "3 december", "december 3rd", "the 3rd of December", "3 dec 2026"
            unsigned d = 0;
            if (i >= 1 && !used[i - 1]) d = day_number(t[i - 1]);
            if (d == 0 && i >= 2 && (t[i - 1] == "of" || t[i - 1] == "van"))
                d = day_number(t[i - 2]);
            if (d == 0 && i + 1 < t.size()) {
                d = day_number(t[i + 1]);
                if (d != 0) used[i + 1] = true;
            }
            if (d != 0) {
                std::optional<year_month_day> date = upcoming(d, *m, today);
                if (i + 1 < t.size() && !used[i + 1] && t[i + 1].size() == 4 &&
                    all_digits(t[i + 1])) {
                    const year_month_day y{std::chrono::year{std::stoi(t[i + 1])},
                                           std::chrono::month{*m}, std::chrono::day{d}};
                    if (y.ok()) date = y;
                    used[i + 1] = true;
                }
                if (date) set_day(*date);
            }
            continue;
        }
        if (auto date = numeric_date(word, today)) {
            set_day(*date);
            continue;
        }
        int pm_shift = 0;
        if (int minutes = time_word(word, pm_shift); minutes >= 0) {
            const Phrase* after = i + 1 < t.size() ? phrase_at(t, i + 1) : nullptr;
            if (pm_shift == 0 && after && (after->kind == "am" || after->kind == "pm") &&
                minutes >= 60 && minutes < 13 * 60) {  // "1:30 pm", "9.15 am"
                minutes = minutes % (12 * 60) + (after->kind == "pm" ? 12 * 60 : 0);
                i += after->words.size();
            }
            set_time(minutes, false);
            continue;
        }
        if (all_digits(word) && word.size() <= 2) {
            const int n = std::stoi(word);
            // followed by a month: a day number, read with the month
            if (i + 1 < t.size() && month(t[i + 1])) continue;
            if (i + 2 < t.size() && (t[i + 1] == "of" || t[i + 1] == "van") && month(t[i + 2]))
                continue;
            const Phrase* after = i + 1 < t.size() ? phrase_at(t, i + 1) : nullptr;
            if (after &&
                (after->kind == "hour_words" || after->kind == "am" || after->kind == "pm")) {
                if (after->kind == "hour_words" && n <= 24) set_time(n * 60, false);
                if (after->kind == "am" && n >= 1 && n <= 12) set_time((n % 12) * 60, false);
                if (after->kind == "pm" && n >= 1 && n <= 12) set_time((n % 12 + 12) * 60, false);
                i += after->words.size();
                continue;
            }
            if (pending != Pending::none && n <= 24) set_time(n * 60, true);
            continue;
        }
    }
    if (w.from_minutes >= w.to_minutes) {  // "voor 9u 's middags": nothing sensible, keep the later
        w.to_minutes = 24 * 60;
    }
    return w;
}

}  // namespace wegwijs::language

// Reading when a citizen would like an appointment, from free text in Dutch
// or English: "dinsdag", "next Monday morning", "na 14u", "3 december",
// "morgenochtend", "after 2 pm", "13/12", "half 10", "1:30pm", "zo snel mogelijk".
//
// Weekday and month names come from ICU for each supported locale (wide and
// abbreviated forms of three letters or more, so "do" is never Thursday); the
// other words ("morgen", "after", "voormiddag") from dialogs/booking.json.
//
// Guarantees: read() is a pure function of the text, `today` and the loaded
// words, never throws, and is thread-safe. A wish names at most one day or
// one weekday; a date without a year that has passed means next year; a
// time window is always within one day (0 <= from < to <= 24:00).
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wegwijs::language {

struct TimeWish {
    std::optional<std::chrono::year_month_day> day;         // "3 december", "morgen"
    std::optional<unsigned> weekday;                        // ISO 1 (Monday)..7: "dinsdag"
    std::optional<std::chrono::year_month_day> not_before;  // "volgende week", "from Tuesday"
    int from_minutes = 0;                                   // earliest start: "na 14u"
    int to_minutes = 24 * 60;                               // latest start, exclusive: "voor 11u"
    std::optional<int> clock;  // a time of day alone, as in "10:30" or "om 10u"
    bool soonest = false;      // "zo snel mogelijk", "as soon as possible": the first free time

    bool empty() const;
    bool has_day() const { return day || weekday || not_before; }
    nlohmann::json to_json() const;  // for the transcript
};

class WhenReader {
  public:
    // words: the "when", "parts_of_day" and "afternoon_below" of dialogs/booking.json.
    // Throws std::invalid_argument naming the place of a problem.
    WhenReader(const nlohmann::json& booking_data, const std::vector<std::string>& locales);

    TimeWish read(std::string_view text, std::chrono::year_month_day today) const;

    // The folded words of a text, split the way read() splits them (digits
    // keep their ':' '.' '/' '-' separators: "14:30", "3/12").
    static std::vector<std::string> tokens(std::string_view text);

  private:
    struct Phrase {
        std::vector<std::string> words;
        std::string kind;  // "today", "after", "morning", ...
    };
    std::vector<Phrase> phrases_;                                     // longest first
    std::vector<std::pair<std::string, unsigned>> weekdays_;          // folded name -> ISO weekday
    std::vector<std::pair<std::string, unsigned>> months_;            // folded name -> 1..12
    std::vector<std::pair<std::string, std::pair<int, int>>> parts_;  // kind -> window
    int afternoon_below_ = 7;

    const Phrase* phrase_at(const std::vector<std::string>& t, std::size_t i) const;
    std::optional<unsigned> weekday(const std::string& word) const;
    std::optional<unsigned> month(const std::string& word) const;
    std::optional<std::pair<int, int>> part(const std::string& kind) const;
};

}  // namespace wegwijs::language

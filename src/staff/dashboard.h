// The staff dashboard: per day or week, and per product, desk, language or
// channel, how conversations went (how many, routed at the first turn, turns
// to an outcome, misunderstood turns, human contact asked, bookings made),
// as numbers and as SVG charts drawn here (no script, no CDN).
//
// Guarantees: every day (or week, from Monday, in the service's zone) of the
// range is a period, also one without conversations, so a chart never hides
// a quiet day; a rate with nothing to divide by is null, never 0. A chart's
// text is escaped, carries a title and a description for screen readers,
// and its colours are Okabe and Ito's, told apart also without colour (a
// bar's segments are in the legend's order; a line has its own dash).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "calendar/zone.h"
#include "store/review_store.h"

namespace wegwijs::staff {

enum class Bucket { day, week };
enum class GroupBy { none, product, desk, locale, channel };

struct Metrics {
    int conversations = 0;
    int routed_first_turn = 0;
    int with_outcome = 0;      // any outcome but abandoned
    int turns_to_outcome = 0;  // summed over those whose turn is known
    int outcome_turn_known = 0;
    int citizen_turns = 0;
    int fallback_turns = 0;
    int human = 0;
    int reached_product = 0;
    int booked = 0;
    void add(const store::ConversationFacts& f);
};

struct Dashboard {
    std::vector<std::string> periods;  // "2026-12-01" (a day, or a week's Monday)
    std::vector<std::string> groups;   // by size, largest first; one "" without GroupBy
    std::map<std::pair<std::string, std::string>, Metrics> cells;  // (period, group)
    std::map<std::string, Metrics> by_period;
    std::map<std::string, Metrics> by_group;
    Metrics total;
};

Dashboard build_dashboard(const std::vector<store::ConversationFacts>& facts,
                          const calendar::Zone& zone, Bucket bucket, GroupBy by,
                          std::chrono::year_month_day first, std::chrono::year_month_day last);

// The numbers, with the rates (0..1, or null).
nlohmann::json dashboard_json(const Dashboard& d);

// A chart's words, in the page's language (locales/ staff.chart.*).
using ChartText = std::function<std::string(const std::string& key)>;

// Conversations per period, a bar each, stacked by group (the first seven,
// the rest together).
std::string conversations_svg(const Dashboard& d, const ChartText& text,
                              const std::function<std::string(const std::string&)>& group_name);
// The rates per period, a line each.
std::string rates_svg(const Dashboard& d, const ChartText& text);

}  // namespace wegwijs::staff

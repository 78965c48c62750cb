// The staff dashboard's numbers and charts; see dashboard.h.
#include "staff/dashboard.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace wegwijs::staff {
namespace {

using nlohmann::json;

// Okabe and Ito's colours, which readers with a colour vision deficiency
// tell apart; the eighth stands for "the rest".
const char* const kColours[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                "#CC79A7", "#56B4E9", "#8C6D00", "#555555"};
const char* const kDashes[] = {"", "8 4", "2 4", "12 4 2 4"};
constexpr int kWidth = 720, kHeight = 330, kLeft = 52, kRight = 16, kTop = 44, kBottom = 84;
constexpr int kPlotWidth = kWidth - kLeft - kRight, kPlotHeight = kHeight - kTop - kBottom;

std::string escaped(const std::string& s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string number(double v) {
    std::ostringstream o;
    o.precision(1);
    o << std::fixed << v;
    std::string s = o.str();
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
    return s;
}

std::optional<double> ratio(int part, int whole) {
    if (whole <= 0) return std::nullopt;
    return double(part) / double(whole);
}

json nullable(const std::optional<double>& v) {
    return v ? json(*v) : json(nullptr);
}

// The rates a line chart shows, in its legend's order.
struct Rate {
    const char* key;
    std::optional<double> (*of)(const Metrics&);
};
const Rate kRates[] = {
    {"first_turn_routing",
     [](const Metrics& m) { return ratio(m.routed_first_turn, m.conversations); }},
    {"fallback_rate", [](const Metrics& m) { return ratio(m.fallback_turns, m.citizen_turns); }},
    {"human_rate", [](const Metrics& m) { return ratio(m.human, m.conversations); }},
    {"booking_conversion", [](const Metrics& m) { return ratio(m.booked, m.reached_product); }},
};

json metrics_json(const Metrics& m) {
    json j = {{"conversations", m.conversations},
              {"routed_first_turn", m.routed_first_turn},
              {"with_outcome", m.with_outcome},
              {"citizen_turns", m.citizen_turns},
              {"fallback_turns", m.fallback_turns},
              {"human", m.human},
              {"reached_product", m.reached_product},
              {"booked", m.booked},
              {"turns_to_outcome",
               nullable(m.outcome_turn_known ? std::optional<double>(double(m.turns_to_outcome) /
                                                                     double(m.outcome_turn_known))
                                             : std::nullopt)}};
    for (const Rate& r : kRates) j[r.key] = nullable(r.of(m));
    return j;
}

// The top of a count axis with 4 grid steps of 1, 2 or 5 times a power of
// ten, so every grid line is a whole number.
double axis_top(int highest) {
    const double quarter = std::max(1.0, double(highest) / 4.0);
    const double power = std::pow(10.0, std::floor(std::log10(quarter)));
    for (const double step : {1.0, 2.0, 5.0, 10.0})
        if (quarter <= step * power) return 4 * step * power;
    return 40 * power;
}

// The frame every chart shares: title, description, axes with grid lines,
// the periods below; `y_label(i)` labels the i-th of 5 grid lines from 0.
struct Frame {
    std::ostringstream svg;
    std::size_t n;
    double band() const { return double(kPlotWidth) / double(std::max<std::size_t>(n, 1)); }
    double x_center(std::size_t i) const { return kLeft + band() * (double(i) + 0.5); }

    Frame(const Dashboard& d, const std::string& title, const std::string& description,
          const std::function<std::string(int)>& y_label)
        : n(d.periods.size()) {
        svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << kWidth << ' '
            << kHeight << "\" width=\"" << kWidth << "\" height=\"" << kHeight
            << "\" role=\"img\" aria-labelledby=\"t d\" font-family=\"sans-serif\" "
               "font-size=\"12\">"
            << "<title id=\"t\">" << escaped(title) << "</title><desc id=\"d\">"
            << escaped(description) << "</desc><rect width=\"100%\" height=\"100%\" "
            << "fill=\"#fff\"/><text x=\"" << kLeft << "\" y=\"24\" font-size=\"15\" "
            << "font-weight=\"bold\" fill=\"#1a1a1a\">" << escaped(title) << "</text>";
        for (int i = 0; i <= 4; ++i) {
            const double y = kTop + kPlotHeight - kPlotHeight * i / 4.0;
            svg << "<line x1=\"" << kLeft << "\" x2=\"" << kLeft + kPlotWidth << "\" y1=\"" << y
                << "\" y2=\"" << y << "\" stroke=\"" << (i ? "#d5d9de" : "#5c6670") << "\"/>"
                << "<text x=\"" << kLeft - 6 << "\" y=\"" << y + 4
                << "\" text-anchor=\"end\" fill=\"#1a1a1a\">" << escaped(y_label(i)) << "</text>";
        }
        const std::size_t every = std::max<std::size_t>(1, (n + 11) / 12);
        for (std::size_t i = 0; i < n; i += every)
            svg << "<text x=\"" << x_center(i) << "\" y=\"" << kTop + kPlotHeight + 16
                << "\" text-anchor=\"middle\" fill=\"#1a1a1a\">" << escaped(d.periods[i].substr(5))
                << "</text>";
    }

    // The legend, `per_row` to a row, below the periods.
    void legend(const std::vector<std::pair<std::string, std::string>>& entries, bool lines,
                std::size_t per_row) {
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const double x = kLeft + double(i % per_row) * (kPlotWidth / double(per_row));
            const double y = kTop + kPlotHeight + 36 + double(i / per_row) * 18;
            const std::string& colour = entries[i].second;
            if (lines)
                svg << "<line x1=\"" << x << "\" x2=\"" << x + 22 << "\" y1=\"" << y - 4
                    << "\" y2=\"" << y - 4 << "\" stroke=\"" << colour
                    << "\" stroke-width=\"3\" stroke-dasharray=\"" << kDashes[i % 4] << "\"/>";
            else
                svg << "<rect x=\"" << x << "\" y=\"" << y - 10 << "\" width=\"12\" height=\"12\" "
                    << "fill=\"" << colour << "\"/>";
            svg << "<text x=\"" << x + (lines ? 28 : 18) << "\" y=\"" << y << "\" fill=\"#1a1a1a\">"
                << escaped(entries[i].first) << "</text>";
        }
    }

    std::string done() {
        svg << "</svg>";
        return svg.str();
    }
};

}  // namespace

void Metrics::add(const store::ConversationFacts& f) {
    ++conversations;
    routed_first_turn += f.routed_first_turn ? 1 : 0;
    const bool outcome = !f.outcome.empty() && f.outcome != "abandoned";
    with_outcome += outcome ? 1 : 0;
    if (outcome && f.outcome_turn > 0) {
        turns_to_outcome += f.outcome_turn;
        ++outcome_turn_known;
    }
    citizen_turns += f.turns;
    fallback_turns += f.fallback_turns;
    human += f.outcome == "human" ? 1 : 0;
    reached_product += f.product.empty() ? 0 : 1;
    booked += f.outcome == "booked" ? 1 : 0;
}

Dashboard build_dashboard(const std::vector<store::ConversationFacts>& facts,
                          const calendar::Zone& zone, Bucket bucket, GroupBy by,
                          std::chrono::year_month_day first, std::chrono::year_month_day last) {
    using namespace std::chrono;
    const auto period_of = [&](year_month_day day) {
        sys_days d{day};
        if (bucket == Bucket::week) d -= (weekday(d) - Monday);  // back to Monday
        return calendar::format_date(year_month_day{d});
    };
    Dashboard out;
    for (sys_days d{first}; d <= sys_days{last}; d += days(1)) {
        const std::string p = period_of(year_month_day{d});
        if (out.periods.empty() || out.periods.back() != p) out.periods.push_back(p);
    }
    std::map<std::string, int> sizes;
    for (const auto& f : facts) {
        const std::string p = period_of(zone.to_local(f.created_ms).date);
        const std::string g = by == GroupBy::product   ? f.product
                              : by == GroupBy::desk    ? f.desk
                              : by == GroupBy::locale  ? f.locale
                              : by == GroupBy::channel ? f.channel
                                                       : "";
        out.cells[{p, g}].add(f);
        out.by_period[p].add(f);
        out.by_group[g].add(f);
        out.total.add(f);
        ++sizes[g];
    }
    for (const auto& [g, n] : sizes) out.groups.push_back(g);
    std::stable_sort(out.groups.begin(), out.groups.end(),
                     [&](const auto& a, const auto& b) { return sizes[a] > sizes[b]; });
    if (out.groups.empty()) out.groups.push_back("");
    return out;
}

json dashboard_json(const Dashboard& d) {
    json periods = json::array();
    for (const auto& p : d.periods) {
        const auto it = d.by_period.find(p);
        json row = metrics_json(it == d.by_period.end() ? Metrics{} : it->second);
        row["period"] = p;
        json groups = json::object();
        for (const auto& g : d.groups)
            if (const auto c = d.cells.find({p, g}); c != d.cells.end())
                groups[g] = metrics_json(c->second);
        row["groups"] = std::move(groups);
        periods.push_back(std::move(row));
    }
    json groups = json::array();
    for (const auto& g : d.groups) {
        const auto it = d.by_group.find(g);
        json row = metrics_json(it == d.by_group.end() ? Metrics{} : it->second);
        row["group"] = g;
        groups.push_back(std::move(row));
    }
    return {{"periods", std::move(periods)},
            {"groups", std::move(groups)},
            {"total", metrics_json(d.total)}};
}

std::string conversations_svg(const Dashboard& d, const ChartText& text,
                              const std::function<std::string(const std::string&)>& group_name) {
    int highest = 0;
    for (const auto& [p, m] : d.by_period) highest = std::max(highest, m.conversations);
    const double top = axis_top(highest);
    Frame f(d, text("staff.chart.conversations"),
            text("staff.chart.conversations_desc") + " " + std::to_string(d.total.conversations),
            [&](int i) { return number(top * i / 4); });
    // The first seven groups by size, the rest as one.
    const std::size_t shown = d.groups.size() > 8 ? 7 : d.groups.size();
    for (std::size_t i = 0; i < d.periods.size(); ++i) {
        double y = kTop + kPlotHeight;
        const double width = f.band() * 0.7;
        const auto segment = [&](int count, const char* colour) {
            if (count == 0) return;
            const double h = kPlotHeight * count / top;
            y -= h;
            f.svg << "<rect x=\"" << f.x_center(i) - width / 2 << "\" y=\"" << y << "\" width=\""
                  << width << "\" height=\"" << h << "\" fill=\"" << colour << "\"/>";
        };
        int rest = 0;
        for (std::size_t g = 0; g < d.groups.size(); ++g) {
            const auto c = d.cells.find({d.periods[i], d.groups[g]});
            const int count = c == d.cells.end() ? 0 : c->second.conversations;
            if (g < shown)
                segment(count, kColours[g]);
            else
                rest += count;
        }
        segment(rest, kColours[7]);
    }
    if (d.groups.size() > 1 || !d.groups.front().empty()) {
        std::vector<std::pair<std::string, std::string>> legend;
        for (std::size_t g = 0; g < shown; ++g)
            legend.push_back({group_name(d.groups[g]), kColours[g]});
        if (shown < d.groups.size()) legend.push_back({text("staff.chart.other"), kColours[7]});
        f.legend(legend, false, 4);
    }
    return f.done();
}

std::string rates_svg(const Dashboard& d, const ChartText& text) {
    Frame f(d, text("staff.chart.rates"), text("staff.chart.rates_desc"),
            [](int i) { return std::to_string(i * 25) + "%"; });
    std::vector<std::pair<std::string, std::string>> legend;
    for (std::size_t r = 0; r < std::size(kRates); ++r) {
        std::string points;
        const auto flush = [&] {
            if (points.empty()) return;
            f.svg << "<polyline fill=\"none\" stroke=\"" << kColours[r]
                  << "\" stroke-width=\"2.5\" stroke-dasharray=\"" << kDashes[r] << "\" points=\""
                  << points << "\"/>";
            points.clear();
        };
        for (std::size_t i = 0; i < d.periods.size(); ++i) {
            const auto it = d.by_period.find(d.periods[i]);
            const auto v = it == d.by_period.end() ? std::nullopt : kRates[r].of(it->second);
            if (!v) {
                flush();  // no line through a period with nothing to count
                continue;
            }
            const double x = f.x_center(i), y = kTop + kPlotHeight - kPlotHeight * *v;
            points += (points.empty() ? "" : " ") + number(x) + "," + number(y);
            f.svg << "<circle cx=\"" << x << "\" cy=\"" << y << "\" r=\"3\" fill=\"" << kColours[r]
                  << "\"/>";
        }
        flush();
        legend.push_back({text(std::string("staff.metric.") + kRates[r].key), kColours[r]});
    }
    f.legend(legend, true, 2);
    return f.done();
}

}  // namespace wegwijs::staff

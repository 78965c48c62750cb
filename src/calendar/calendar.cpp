// The calendar's data and the slots it makes; see calendar.h.
#include "calendar/calendar.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "calendar/holidays.h"

namespace wegwijs::calendar {

using namespace std::chrono;

namespace {

const std::map<std::string, unsigned> kWeekdays = {{"mon", 1}, {"tue", 2}, {"wed", 3}, {"thu", 4},
                                                   {"fri", 5}, {"sat", 6}, {"sun", 7}};

int parse_clock(const std::string& text, const std::string& where) {
    int h = -1;
    int m = -1;
    char tail = 0;
    if (text.size() != 5 || std::sscanf(text.c_str(), "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 ||
        h > 24 || m < 0 || m > 59 || (h == 24 && m != 0))
        throw std::invalid_argument(where + ": '" + text + "' is not a time (HH:MM)");
    return h * 60 + m;
}

// "08:30-12:30 13:30-16:30" -> periods in order, not overlapping.
std::vector<Period> parse_hours(const std::string& text, int cell, const std::string& where) {
    std::vector<Period> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (text[pos] == ' ') {
            ++pos;
            continue;
        }
        const std::size_t end = std::min(text.find(' ', pos), text.size());
        const std::string item = text.substr(pos, end - pos);
        const auto dash = item.find('-');
        if (dash == std::string::npos)
            throw std::invalid_argument(where + ": '" + item + "' is not a period (HH:MM-HH:MM)");
        const Period p{parse_clock(item.substr(0, dash), where),
                       parse_clock(item.substr(dash + 1), where)};
        if (p.from >= p.to)
            throw std::invalid_argument(where + ": '" + item + "' ends before it starts");
        if (p.from % cell != 0 || p.to % cell != 0)
            throw std::invalid_argument(where + ": '" + item + "' is not on the " +
                                        std::to_string(cell) + "-minute grid");
        if (!out.empty() && p.from < out.back().to)
            throw std::invalid_argument(where + ": periods overlap or are out of order");
        out.push_back(p);
        pos = end;
    }
    if (out.empty()) throw std::invalid_argument(where + ": no periods");
    return out;
}

int positive(const nlohmann::json& j, const char* key, int fallback, int minimum,
             const std::string& where) {
    const int v = j.contains(key) ? j.at(key).get<int>() : fallback;
    if (v < minimum)
        throw std::invalid_argument(where + "." + key + ": must be at least " +
                                    std::to_string(minimum));
    return v;
}

Desk parse_desk(const std::string& kind, const nlohmann::json& j, int cell,
                const std::string& where) {
    if (kind != "loket" && kind != "infopunt")
        throw std::invalid_argument(where + ": unknown desk '" + kind + "' (loket or infopunt)");
    Desk d;
    d.kind = kind;
    const auto hours = j.at("hours");
    for (const auto& [day, text] : hours.items()) {
        const auto wd = kWeekdays.find(day);
        if (wd == kWeekdays.end())
            throw std::invalid_argument(where + ".hours: unknown weekday '" + day + "' (mon..sun)");
        d.hours[wd->second] = parse_hours(text.get<std::string>(), cell, where + ".hours." + day);
    }
    d.counters = positive(j, "counters", 1, 1, where);
    d.notice_hours = positive(j, "notice_hours", 0, 0, where);
    d.horizon_days = positive(j, "horizon_days", 30, 1, where);
    for (const auto& p : j.at("products")) d.products.push_back(p.get<std::string>());
    const auto lengths = j.value("slot_minutes", nlohmann::json::object());
    for (const auto& [product, minutes] : lengths.items()) {
        const int m = minutes.get<int>();
        if (m <= 0 || m % cell != 0)
            throw std::invalid_argument(where + ".slot_minutes." + product +
                                        ": must be a positive multiple of " + std::to_string(cell));
        d.slot_minutes[product] = m;
    }
    if (!d.slot_minutes.count("default"))
        throw std::invalid_argument(where + ".slot_minutes: needs a 'default'");
    for (const auto& c : j.value("closures", nlohmann::json::array())) {
        const std::string text = c.get<std::string>();
        parse_date(text);  // throws for a bad date
        d.closures.insert(text);
    }
    return d;
}

}  // namespace

int Desk::minutes_for(const std::string& product) const {
    const auto it = slot_minutes.find(product);
    return it != slot_minutes.end() ? it->second : slot_minutes.at("default");
}

bool Desk::offers(const std::string& product) const {
    return std::find(products.begin(), products.end(), product) != products.end();
}

Calendar Calendar::from_json(const nlohmann::json& data) {
    Calendar c;
    c.sample_ = data.value("sample", false);
    c.zone_ = std::make_shared<const Zone>(data.at("time_zone").get<std::string>());
    c.cell_minutes_ = positive(data, "cell_minutes", 5, 1, "calendar");
    std::set<std::string> ids;
    for (const auto& l : data.at("locations")) {
        Location loc;
        loc.id = l.at("id").get<std::string>();
        const std::string where = "locations." + loc.id;
        if (!ids.insert(loc.id).second) throw std::invalid_argument(where + ": duplicate id");
        for (const auto& [locale, name] : l.at("name").items())
            loc.name[locale] = name.get<std::string>();
        const nlohmann::json at_forms = l.value("at", nlohmann::json::object());
        for (const auto& [locale, at] : at_forms.items()) loc.at[locale] = at.get<std::string>();
        loc.address = l.at("address").get<std::string>();
        loc.address_sample = l.value("address_sample", false);
        loc.order = l.value("order", 0);
        const auto desks = l.at("desks");
        for (const auto& [kind, desk] : desks.items())
            loc.desks.emplace(kind,
                              parse_desk(kind, desk, c.cell_minutes_, where + ".desks." + kind));
        c.locations_.push_back(std::move(loc));
    }
    std::stable_sort(c.locations_.begin(), c.locations_.end(),
                     [](const Location& a, const Location& b) { return a.order < b.order; });
    return c;
}

bool Calendar::open_on(const Desk& desk, year_month_day date) const {
    const unsigned wd = weekday{sys_days{date}}.iso_encoding();
    return desk.hours.count(wd) > 0 && !is_belgian_holiday(date) &&
           desk.closures.count(format_date(date)) == 0;
}

const Location* Calendar::location(const std::string& id) const {
    for (const auto& l : locations_)
        if (l.id == id) return &l;
    return nullptr;
}

std::vector<const Location*> Calendar::locations_for(const std::string& product) const {
    std::vector<const Location*> out;
    for (const auto& l : locations_)
        for (const auto& [_, desk] : l.desks)
            if (desk.offers(product)) {
                out.push_back(&l);
                break;
            }
    return out;
}

const std::string& Location::name_in(const std::string& locale) const {
    const auto it = name.find(locale);
    return it != name.end() ? it->second : id;
}

const std::string& Location::at_in(const std::string& locale) const {
    const auto it = at.find(locale);
    return it != at.end() ? it->second : name_in(locale);
}

const Desk* Calendar::desk_for(const std::string& product, const std::string& location_id) const {
    const Location* loc = location(location_id);
    if (loc == nullptr) return nullptr;
    for (const auto& [_, d] : loc->desks)
        if (d.offers(product)) return &d;
    return nullptr;
}

std::vector<Slot> Calendar::slots(const std::string& product, const std::string& location_id,
                                  year_month_day from, int day_count, std::int64_t now_ms) const {
    std::vector<Slot> out;
    const Location* loc = location(location_id);
    const Desk* desk = desk_for(product, location_id);
    if (loc == nullptr || desk == nullptr) return out;

    const int minutes = desk->minutes_for(product);
    const std::int64_t earliest = now_ms + std::int64_t(desk->notice_hours) * 3'600'000;
    const sys_days today{zone_->to_local(now_ms).date};
    const sys_days last = today + days(desk->horizon_days);
    for (int i = 0; i < day_count; ++i) {
        const sys_days day = sys_days{from} + days(i);
        if (day < today || day > last) continue;
        const year_month_day date{day};
        if (!open_on(*desk, date)) continue;
        const unsigned wd = weekday{day}.iso_encoding();
        for (const Period& p : desk->hours.at(wd))
            for (int t = p.from; t + minutes <= p.to; t += minutes) {
                const std::int64_t start = zone_->to_utc_ms(date, t);
                if (start < earliest) continue;
                out.push_back({loc->id, desk->kind, start, zone_->to_utc_ms(date, t + minutes),
                               desk->counters});
            }
    }
    return out;
}

void validate(const Calendar& calendar, const std::set<std::string>& products,
              const std::set<std::string>& bookable, std::vector<std::string>& problems) {
    for (const auto& loc : calendar.locations()) {
        for (const char* locale : {"nl", "en"})
            if (!loc.name.count(locale))
                problems.push_back("calendar.json location " + loc.id + ": no name in " + locale);
        for (const auto& [kind, desk] : loc.desks) {
            const std::string where = "calendar.json location " + loc.id + " desk " + kind;
            for (const auto& p : desk.products) {
                if (!products.count(p))
                    problems.push_back(where + ": unknown product '" + p + "'");
                else if (p.rfind(kind + ".", 0) != 0)
                    problems.push_back(where + ": product '" + p + "' belongs to another desk");
            }
            for (const auto& [p, _] : desk.slot_minutes)
                if (p != "default" && !products.count(p))
                    problems.push_back(where + ": slot_minutes for unknown product '" + p + "'");
        }
    }
    for (const auto& p : bookable)
        if (calendar.locations_for(p).empty())
            problems.push_back("calendar.json: no location offers '" + p +
                               "', which needs an appointment");
}

}  // namespace wegwijs::calendar

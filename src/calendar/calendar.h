// The appointment calendar: locations, their desks, opening hours with
// breaks, counters in parallel, slot length per product, minimum notice,
// booking horizon and closures, from dialogs/calendar.json (sample data), and
// the slots they make. Belgian public holidays are closed without being
// listed. Times are wall times in the calendar's zone (Europe/Brussels).
//
// Guarantees: from_json() throws std::invalid_argument naming the place of a
// problem; validate() lists problems that need the product catalog; slots()
// is a pure function of the data, its arguments and `now`, in start order,
// and thread-safe. A slot's capacity is its desk's counters; what is already
// booked is the booking store's business, not the calendar's.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "calendar/zone.h"

namespace wegwijs::calendar {

struct Period {
    int from = 0;  // minutes since local midnight
    int to = 0;
};

struct Desk {
    std::string kind;                               // "loket" or "infopunt"
    std::map<unsigned, std::vector<Period>> hours;  // ISO weekday 1 (Monday)..7 -> periods
    int counters = 1;
    std::vector<std::string> products;
    std::map<std::string, int> slot_minutes;  // product -> minutes; "default" for the rest
    int notice_hours = 0;
    int horizon_days = 0;
    std::set<std::string> closures;  // "YYYY-MM-DD"

    int minutes_for(const std::string& product) const;
    bool offers(const std::string& product) const;
};

struct Location {
    std::string id;
    std::map<std::string, std::string> name;  // locale -> name
    // locale -> the name as a sentence says where: "in het Stadskantoor", "at the City Office"
    std::map<std::string, std::string> at;
    std::string address;
    bool address_sample = false;        // sample data: staff see it marked, citizens see it plain
    int order = 0;                      // the first choice first
    std::map<std::string, Desk> desks;  // by kind

    const std::string& name_in(const std::string& locale) const;  // its id when unnamed
    const std::string& at_in(const std::string& locale) const;    // its name when no form given
};

struct Slot {
    std::string location;
    std::string desk;  // kind
    std::int64_t start_ms = 0;
    std::int64_t end_ms = 0;
    int capacity = 0;
};

class Calendar {
  public:
    static Calendar from_json(const nlohmann::json& data);

    // Slots for a product at a location on the days [from, from + days), that
    // can still be booked at `now` (notice) and lie within the horizon.
    std::vector<Slot> slots(const std::string& product, const std::string& location,
                            std::chrono::year_month_day from, int days, std::int64_t now_ms) const;
    // Whether the desk at the location is open on that local date at all.
    bool open_on(const Desk& desk, std::chrono::year_month_day date) const;
    // Locations that offer the product, the first choice first.
    std::vector<const Location*> locations_for(const std::string& product) const;
    const Location* location(const std::string& id) const;
    // The desk of the location that offers the product, or null.
    const Desk* desk_for(const std::string& product, const std::string& location) const;
    const std::vector<Location>& locations() const { return locations_; }
    const Zone& zone() const { return *zone_; }
    int cell_minutes() const { return cell_minutes_; }
    bool sample() const { return sample_; }

  private:
    std::vector<Location> locations_;
    std::shared_ptr<const Zone> zone_;
    int cell_minutes_ = 5;
    bool sample_ = false;
};

// Problems that need the product catalog: unknown products, a product on the
// wrong desk, a bookable product no location offers.
void validate(const Calendar& calendar, const std::set<std::string>& products,
              const std::set<std::string>& bookable, std::vector<std::string>& problems);

}  // namespace wegwijs::calendar

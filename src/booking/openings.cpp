// Free times to offer; see openings.h.
#include "booking/openings.h"

namespace wegwijs::booking {

using namespace std::chrono;

std::vector<calendar::Slot> openings(const calendar::Calendar& cal, BookingStore& store,
                                     const OpeningQuery& q, std::int64_t now_ms) {
    std::vector<calendar::Slot> out;
    const calendar::Desk* desk = cal.desk_for(q.product, q.location);
    if (desk == nullptr || q.limit == 0) return out;
    const calendar::Zone& zone = cal.zone();
    const sys_days today{zone.to_local(now_ms).date};
    const sys_days last = today + days(desk->horizon_days);
    sys_days day = std::max(today, sys_days{zone.to_local(std::max(q.after_ms, now_ms)).date});
    if (q.day) {
        if (sys_days{*q.day} < day) return out;
        day = sys_days{*q.day};
    }
    for (; day <= last && out.size() < q.limit; day += days(1)) {
        if (q.day && day != sys_days{*q.day}) break;
        if (q.weekday && weekday{day}.iso_encoding() != *q.weekday) continue;
        const auto slots = cal.slots(q.product, q.location, year_month_day{day}, 1, now_ms);
        if (slots.empty()) continue;
        const auto free = store.free(slots, now_ms);
        for (std::size_t i = 0; i < slots.size() && out.size() < q.limit; ++i) {
            const calendar::Slot& s = slots[i];
            if (s.start_ms < q.after_ms) continue;
            const int minutes = zone.to_local(s.start_ms).minutes;
            if (minutes < q.from_minutes || minutes >= q.to_minutes) continue;
            // one slot per person, back to back, each with a free counter
            bool fits = true;
            for (int p = 0; p < q.people && fits; ++p) {
                const std::size_t j = i + static_cast<std::size_t>(p);
                fits = j < slots.size() && free.at(slots[j].start_ms) > 0 &&
                       (p == 0 || slots[j].start_ms == slots[j - 1].end_ms);
            }
            if (fits) out.push_back(s);
        }
    }
    return out;
}

}  // namespace wegwijs::booking

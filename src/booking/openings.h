// The free times a citizen can be offered: the calendar's slots for a product
// at a location, less what the booking store has taken, filtered by what the
// citizen wished ("tuesday", "after 2 pm") and paged.
//
// Guarantees: every slot returned starts at or after `after_ms`, can still be
// booked at `now` (notice, horizon) and has, at the moment of the call, a free
// counter for each of `people` back-to-back slots at one desk; slots come in
// start order, at most `limit`. A slot offered can still be taken by someone
// else before it is held: holding it is what decides.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "booking/booking_store.h"
#include "calendar/calendar.h"

namespace wegwijs::booking {

struct OpeningQuery {
    std::string product;
    std::string location;
    int people = 1;
    std::int64_t after_ms = 0;                       // the first start allowed
    std::optional<std::chrono::year_month_day> day;  // only this local day
    std::optional<unsigned> weekday;                 // only this ISO weekday
    int from_minutes = 0;                            // local start time window
    int to_minutes = 24 * 60;
    std::size_t limit = 6;
};

std::vector<calendar::Slot> openings(const calendar::Calendar& calendar, BookingStore& store,
                                     const OpeningQuery& query, std::int64_t now_ms);

}  // namespace wegwijs::booking

// A booked appointment in words, for the citizen's language: what the
// confirmation in the chat, the booking API and the .ics file say about it.
//
// Guarantees: every sentence comes from locales/ (keys "booking.*", the
// product, desk and bring keys of the catalog) and every place from the
// calendar (dates in words: calendar::long_date and clock_time). Pure
// functions of their arguments; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "booking/booking_store.h"
#include "booking/ics.h"
#include "dialog/dialog_data.h"

namespace wegwijs::dialog {

struct AppointmentText {
    std::string product;   // "Verblijfskaart aanvragen of vernieuwen"
    std::string desk;      // "Loket Migratie"
    std::string location;  // "Stadskantoor"
    std::string address;
    std::vector<std::string> bring;  // one line per thing to bring
    std::string arrive;              // on time, not more than 10 minutes early
    std::string cancel;              // how to cancel or move it
};

// facts: what the conversation knows ("card_need" = "lost"), so that what
// to bring follows the case; without them, the facts the booking was made
// with (booking::Details::facts), and without those the product's own list.
AppointmentText describe(const DialogData& data, const booking::Booking& booking,
                         const std::string& locale, const Slots& facts = {});

// The arguments of the booking.* and mail.* sentences for an appointment:
// the catalog's contacts, product, desk, location, address, code, day and
// time in words, people.
messages::Args appointment_args(const DialogData& data, const booking::Booking& booking,
                                const std::string& locale);

// The facts as a booking keeps them (a JSON object), and back; a text that is
// no JSON object reads as no facts.
std::string facts_json(const Slots& facts);
Slots facts_of(const booking::Booking& booking);

booking::IcsEvent ics_event(const DialogData& data, const booking::Booking& booking,
                            const std::string& locale, std::int64_t now_ms);

}  // namespace wegwijs::dialog

// The booking API for integrations and staff (issue 3): GET /v1/products,
// GET /v1/locations, GET /v1/slots, POST /v1/holds, POST /v1/bookings,
// GET and DELETE /v1/bookings/{code}?email=, GET /v1/bookings/{code}.ics.
// Every route needs
// "Authorization: Bearer <key>" with the key the service was started with
// (WEGWIJS_API_KEY); without a configured key the routes are off (503), with
// a wrong or missing one the answer is 401. Keys are compared in constant time.
#pragma once

#include <httplib.h>

#include <chrono>
#include <optional>
#include <string>

#include "app/assistant.h"
#include "booking/booking_store.h"
#include "dialog/dialog_data.h"

namespace wegwijs::webhook {

struct BookingApiOptions {
    std::optional<std::string> api_key;  // none: the routes answer 503
    app::Clock clock = app::system_clock_ms;
    std::chrono::minutes hold_for{10};  // how long a hold keeps its slot
};

void install_booking_api(httplib::Server& server, const dialog::DialogData& data,
                         booking::BookingStore& store, BookingApiOptions options);

}  // namespace wegwijs::webhook

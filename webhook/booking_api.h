// The booking API for integrations and staff (issue 3): GET /v1/products,
// GET /v1/locations, GET /v1/slots. Every route needs
// "Authorization: Bearer <key>" with the key the service was started with
// (WEGWIJS_API_KEY); without a configured key the routes are off (503), with
// a wrong or missing one the answer is 401. Keys are compared in constant time.
#pragma once

#include <httplib.h>

#include <optional>
#include <string>

#include "app/assistant.h"
#include "booking/booking_store.h"
#include "dialog/dialog_data.h"

namespace wegwijs::webhook {

struct BookingApiOptions {
    std::optional<std::string> api_key;  // none: the routes answer 503
    app::Clock clock = app::system_clock_ms;
};

void install_booking_api(httplib::Server& server, const dialog::DialogData& data,
                         booking::BookingStore& store, BookingApiOptions options);

}  // namespace wegwijs::webhook

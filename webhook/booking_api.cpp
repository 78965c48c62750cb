// The booking API routes; see booking_api.h.
#include "webhook/booking_api.h"

#include <map>
#include <regex>

#include "booking/details_check.h"
#include "dialog/appointment.h"
#include "security/digest.h"
#include "webhook/json_io.h"

namespace wegwijs::webhook {
namespace {

bool same_secret(const std::string& a, const std::string& b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
    return diff == 0;
}

// Throws unless the request carries the configured key. Every answer of the
// API holds personal data or is a refusal: none is cached.
void require_key(const std::optional<std::string>& key, const httplib::Request& req,
                 httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    if (!key)
        throw BadRequest{503, "api_disabled",
                         "The booking API is off: the service has no WEGWIJS_API_KEY."};
    const std::string header = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    if (header.rfind(prefix, 0) != 0 || !same_secret(header.substr(prefix.size()), *key))
        throw BadRequest{401, "unauthorized", "A valid 'Authorization: Bearer <key>' is needed."};
}

// Wraps a handler with the API key check and the JSON error handling.
template <typename Handler>
httplib::Server::Handler authorised(const std::optional<std::string>& key, Handler&& handle) {
    return json_handler([key, handle](const httplib::Request& req, httplib::Response& res) {
        require_key(key, req, res);
        handle(req, res);
    });
}

// The same for a route that takes a body, read within the limit (json_io.h).
template <typename Handler>
httplib::Server::HandlerWithContentReader authorised_body(const std::optional<std::string>& key,
                                                          Handler&& handle) {
    return with_body([key, handle](const httplib::Request& req, httplib::Response& res,
                                   const std::string& body) {
        require_key(key, req, res);
        handle(req, res, body);
    });
}

// The public status of each refusal of the booking store.
BadRequest refusal(const booking::BookingError& e) {
    static const std::map<std::string, int> status{
        {"slot_taken", 409},     {"hold_expired", 410}, {"no_such_slot", 400},
        {"invalid_people", 400}, {"not_found", 404},    {"idempotency_key_reused", 422}};
    const auto it = status.find(e.code);
    return {it == status.end() ? 400 : it->second, e.code, e.what()};
}

std::string required_string(const nlohmann::json& body, const std::string& field,
                            std::size_t max_bytes) {
    auto value = optional_string(body, field, max_bytes);
    if (!value || value->empty())
        throw BadRequest{400, "missing_field", "'" + field + "' is required."};
    return *value;
}

// product + location + start of a request body, checked against the calendar.
booking::SlotRef slot_of(const nlohmann::json& body, const dialog::DialogData& data) {
    booking::SlotRef slot;
    slot.product = required_string(body, "product", 100);
    slot.location = required_string(body, "location", 100);
    if (!data.catalog.find(slot.product))
        throw BadRequest{400, "invalid_field", "'product' is not a product id."};
    if (!data.calendar.location(slot.location))
        throw BadRequest{400, "invalid_field", "'location' is not a location id."};
    try {
        slot.start_ms = calendar::parse_iso8601(required_string(body, "start", 40));
    } catch (const std::invalid_argument&) {
        throw BadRequest{400, "invalid_field",
                         "'start' must be an ISO 8601 time with offset, e.g. "
                         "2026-12-03T09:30:00+01:00."};
    }
    return slot;
}

int people_of(const nlohmann::json& body) {
    const auto it = body.find("people");
    if (it == body.end() || it->is_null()) return 1;
    if (!it->is_number_integer() || it->get<long long>() < 1 ||
        it->get<long long>() > booking::kMaxPeople)
        throw BadRequest{400, "invalid_field",
                         "'people' must be a whole number from 1 to " +
                             std::to_string(booking::kMaxPeople) + "."};
    return static_cast<int>(it->get<long long>());
}

booking::Details details_of(const nlohmann::json& body, const dialog::DialogData& data) {
    booking::Details d;
    const auto name = booking::checked_name(required_string(body, "name", 400));
    if (!name) throw BadRequest{400, "invalid_name", "'name' must be a name of 1 to 100 letters."};
    const auto email = booking::checked_email(required_string(body, "email", 254));
    if (!email) throw BadRequest{400, "invalid_email", "'email' is not a valid e-mail address."};
    d.name = *name;
    d.email = *email;
    if (auto phone = optional_string(body, "phone", 40); phone && !phone->empty()) {
        const auto checked = booking::checked_phone(*phone);
        if (!checked)
            throw BadRequest{400, "invalid_phone",
                             "'phone' is not a valid Belgian or international number."};
        d.phone = *checked;
    }
    if (auto locale = optional_string(body, "locale", 16)) {
        if (std::find(data.locales.begin(), data.locales.end(), *locale) == data.locales.end())
            throw BadRequest{400, "invalid_locale", "'locale' must be \"nl\" or \"en\"."};
        d.locale = *locale;
    }
    d.people = people_of(body);
    return d;
}

// The request's Idempotency-Key, scoped to the API key that sent it (`scope`:
// so two integrations never share keys), with the fingerprint of what was
// asked: the same key with another body is refused, as Stripe does.
booking::Idempotency idempotency_of(const httplib::Request& req, const nlohmann::json& body,
                                    const std::string& scope) {
    const std::string key = req.get_header_value("Idempotency-Key");
    if (key.size() > 200)
        throw BadRequest{400, "invalid_header", "'Idempotency-Key' is longer than 200 bytes."};
    for (unsigned char c : key)
        if (c < 0x21 || c > 0x7e)
            throw BadRequest{400, "invalid_header",
                             "'Idempotency-Key' must be printable ASCII without spaces."};
    if (key.empty()) return {};
    return {"api:" + scope + ":" + key, security::sha256_hex(req.path + "\n" + text::dump(body))};
}

// A hold's public id as a request gives it: 32 hex digits, else a 400.
std::string hold_token_of(const std::string& text) {
    static const std::regex kToken("[0-9a-f]{32}");
    if (!std::regex_match(text, kToken))
        throw BadRequest{400, "invalid_field", "'hold_id' is not a hold id."};
    return text;
}

nlohmann::json hold_json(const booking::Booking& h, const dialog::DialogData& data) {
    const auto& zone = data.calendar.zone();
    return {{"hold_id", h.hold_token},
            {"expires_at", zone.iso8601(h.hold_expires_ms)},
            {"created_at", zone.iso8601(h.created_ms)},
            {"product", h.product},
            {"location", h.location},
            {"start", zone.iso8601(h.start_ms)},
            {"end", zone.iso8601(h.end_ms)},
            {"people", h.details.people}};
}

nlohmann::json booking_json(const booking::Booking& b, const dialog::DialogData& data,
                            bool with_details) {
    const auto& zone = data.calendar.zone();
    nlohmann::json j = {{"code", b.code},
                        {"status", b.status},
                        {"product", b.product},
                        {"location", b.location},
                        {"start", zone.iso8601(b.start_ms)},
                        {"end", zone.iso8601(b.end_ms)},
                        {"people", b.details.people}};
    if (with_details) {
        j["name"] = b.details.name;
        j["email"] = b.details.email;
        j["phone"] = b.details.phone.empty() ? nlohmann::json() : nlohmann::json(b.details.phone);
        j["locale"] = b.details.locale;
    }
    return j;
}

// {code} from the path and ?email= of GET/DELETE /v1/bookings/{code}.
std::pair<std::string, std::string> code_and_email(const httplib::Request& req) {
    const std::string code = booking::normalised_code(req.matches[1].str());
    const std::string email = req.get_param_value("email");
    if (email.empty())
        throw BadRequest{400, "missing_field", "'email' (a query parameter) is required."};
    return {code, email};
}

nlohmann::json names(const calendar::Location& l) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [locale, name] : l.name) j[locale] = name;
    return j;
}

}  // namespace

void install_booking_api(httplib::Server& server, const dialog::DialogData& data,
                         booking::BookingStore& store, BookingApiOptions options) {
    const auto& cal = data.calendar;

    server.Get("/v1/products", authorised(options.api_key, [&data, &cal](const httplib::Request&,
                                                                         httplib::Response& res) {
                   nlohmann::json list = nlohmann::json::array();
                   for (const auto& p : data.catalog.products()) {
                       nlohmann::json where = nlohmann::json::array();
                       for (const auto* l : cal.locations_for(p.id)) where.push_back(l->id);
                       list.push_back(
                           {{"id", p.id},
                            {"desk", p.desk},
                            {"appointment", p.appointment.empty() ? nlohmann::json()
                                                                  : nlohmann::json(p.appointment)},
                            {"locations", where}});
                   }
                   send_json(res, 200, {{"products", list}});
               }));

    server.Get("/v1/locations",
               authorised(options.api_key, [&cal](const httplib::Request&, httplib::Response& res) {
                   nlohmann::json list = nlohmann::json::array();
                   for (const auto& l : cal.locations()) {
                       nlohmann::json products = nlohmann::json::array();
                       for (const auto& [_, desk] : l.desks)
                           for (const auto& p : desk.products) products.push_back(p);
                       list.push_back({{"id", l.id},
                                       {"name", l.name.count("nl") ? l.name.at("nl") : l.id},
                                       {"names", names(l)},
                                       {"address", l.address},
                                       {"address_sample", l.address_sample},
                                       {"products", products}});
                   }
                   send_json(res, 200, {{"locations", list}, {"sample", cal.sample()}});
               }));

    server.Get(
        "/v1/slots",
        authorised(options.api_key, [&data, &cal, &store, clock = options.clock](
                                        const httplib::Request& req, httplib::Response& res) {
            const std::string product = req.get_param_value("product");
            const std::string location = req.get_param_value("location");
            if (!data.catalog.find(product))
                throw BadRequest{400, "invalid_field", "'product' is not a product id."};
            const auto* loc = cal.location(location);
            if (loc == nullptr)
                throw BadRequest{400, "invalid_field", "'location' is not a location id."};
            const auto offered = cal.locations_for(product);
            if (std::find(offered.begin(), offered.end(), loc) == offered.end())
                throw BadRequest{400, "invalid_field",
                                 "That location does not offer that product."};
            const std::int64_t now = clock();
            std::chrono::year_month_day from = cal.zone().to_local(now).date;
            if (req.has_param("from")) {
                try {
                    from = calendar::parse_date(req.get_param_value("from"));
                } catch (const std::invalid_argument&) {
                    throw BadRequest{400, "invalid_field", "'from' must be YYYY-MM-DD."};
                }
            }
            int days = 7;
            if (req.has_param("days")) {
                const std::string text = req.get_param_value("days");
                if (text.empty() || text.size() > 3 ||
                    text.find_first_not_of("0123456789") != std::string::npos ||
                    std::stoi(text) < 1 || std::stoi(text) > 92)
                    throw BadRequest{400, "invalid_field", "'days' must be 1 to 92."};
                days = std::stoi(text);
            }
            const auto slots = cal.slots(product, location, from, days, now);
            const auto free = store.free(slots, now);
            nlohmann::json list = nlohmann::json::array();
            for (const auto& s : slots) {
                const int n = free.at(s.start_ms);
                if (n == 0) continue;  // a full slot is not listed
                list.push_back({{"start", cal.zone().iso8601(s.start_ms)},
                                {"end", cal.zone().iso8601(s.end_ms)},
                                {"location", s.location},
                                {"free", n}});
            }
            send_json(res, 200, {{"slots", list}});
        }));
    server.Post("/v1/holds",
                authorised_body(options.api_key, [&data, &store, options](const httplib::Request&,
                                                                          httplib::Response& res,
                                                                          const std::string& text) {
                    const nlohmann::json body = parse_object(text);
                    const booking::SlotRef slot = slot_of(body, data);
                    const int people = people_of(body);
                    try {
                        const std::int64_t ttl =
                            std::chrono::milliseconds(options.hold_for).count();
                        const booking::Booking h = store.hold(slot, people, options.clock(), ttl);
                        send_json(res, 201, hold_json(h, data));
                    } catch (const booking::BookingError& e) {
                        throw refusal(e);
                    }
                }));

    // For staff: the holds that keep seats now, and releasing one at once.
    server.Get("/v1/holds",
               authorised(options.api_key, [&data, &store, options](const httplib::Request&,
                                                                    httplib::Response& res) {
                   nlohmann::json list = nlohmann::json::array();
                   for (const auto& h : store.active_holds(options.clock()))
                       list.push_back(hold_json(h, data));
                   send_json(res, 200, {{"holds", list}});
               }));
    server.Delete(
        R"(/v1/holds/([^/]{1,100}))",
        authorised_body(options.api_key, [&store](const httplib::Request& req,
                                                  httplib::Response& res, const std::string&) {
            const std::string token = hold_token_of(req.matches[1].str());
            try {
                if (!store.release(store.hold_id_of(token)))
                    throw booking::BookingError("not_found", "no such hold");
            } catch (const booking::BookingError& e) {
                throw refusal(e);
            }
            send_json(res, 200, {{"hold_id", token}, {"released", true}});
        }));

    // Idempotency keys are stored under a digest of the API key, never the key.
    const std::string key_scope =
        options.api_key ? security::sha256_hex(*options.api_key).substr(0, 16) : "";
    server.Post(
        "/v1/bookings",
        authorised_body(options.api_key, [&data, &store, options, key_scope](
                                             const httplib::Request& req, httplib::Response& res,
                                             const std::string& text) {
            const nlohmann::json body = parse_object(text);
            const booking::Idempotency key = idempotency_of(req, body, key_scope);
            const auto hold_id = optional_string(body, "hold_id", 100);
            const booking::Details details = details_of(body, data);
            try {
                booking::Booking b;
                if (hold_id)
                    b = store.book_hold(store.hold_id_of(hold_token_of(*hold_id)), details, key,
                                        options.clock());
                else
                    b = store.book(slot_of(body, data), details, key, options.clock());
                send_json(res, 201, booking_json(b, data, false));
            } catch (const booking::BookingError& e) {
                throw refusal(e);
            }
        }));

    // Before the plain {code} route: both match "/v1/bookings/...".
    server.Get(R"(/v1/bookings/([A-Za-z0-9-]{1,20})\.ics)",
               authorised(options.api_key, [&data, &store, options](const httplib::Request& req,
                                                                    httplib::Response& res) {
                   const auto [code, email] = code_and_email(req);
                   const auto b = store.find(code, email);
                   if (!b)
                       throw BadRequest{404, "not_found", "No booking with that code and e-mail."};
                   const auto event =
                       dialog::ics_event(data, *b, b->details.locale, options.clock());
                   res.status = 200;
                   res.set_content(booking::to_ics(event, data.calendar.zone().id()),
                                   "text/calendar; charset=utf-8");
                   res.set_header("Content-Disposition",
                                  "attachment; filename=\"afspraak-" + b->code + ".ics\"");
               }));

    server.Get(R"(/v1/bookings/([A-Za-z0-9-]{1,20}))",
               authorised(options.api_key, [&data, &store](const httplib::Request& req,
                                                           httplib::Response& res) {
                   const auto [code, email] = code_and_email(req);
                   const auto b = store.find(code, email);
                   if (!b)
                       throw BadRequest{404, "not_found", "No booking with that code and e-mail."};
                   send_json(res, 200, booking_json(*b, data, true));
               }));

    server.Delete(
        R"(/v1/bookings/([A-Za-z0-9-]{1,20}))",
        authorised_body(
            options.api_key, [&data, &store, options](const httplib::Request& req,
                                                      httplib::Response& res, const std::string&) {
                const auto [code, email] = code_and_email(req);
                store.cancel(code, email, options.clock());
                // Cancelling twice is not an error: the answer says where it stands.
                const auto b = store.find(code, email);
                if (!b) throw BadRequest{404, "not_found", "No booking with that code and e-mail."};
                send_json(res, 200, booking_json(*b, data, false));
            }));
}

}  // namespace wegwijs::webhook

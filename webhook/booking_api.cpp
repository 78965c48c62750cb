// The booking API routes; see booking_api.h.
#include "webhook/booking_api.h"

#include "webhook/json_io.h"

namespace wegwijs::webhook {
namespace {

bool same_secret(const std::string& a, const std::string& b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
    return diff == 0;
}

// Wraps a handler with the API key check and the JSON error handling.
template <typename Handler>
httplib::Server::Handler authorised(const std::optional<std::string>& key, Handler&& handle) {
    return json_handler([key, handle](const httplib::Request& req, httplib::Response& res) {
        if (!key)
            throw BadRequest{503, "api_disabled",
                             "The booking API is off: the service has no WEGWIJS_API_KEY."};
        const std::string header = req.get_header_value("Authorization");
        const std::string prefix = "Bearer ";
        if (header.rfind(prefix, 0) != 0 || !same_secret(header.substr(prefix.size()), *key))
            throw BadRequest{401, "unauthorized",
                             "A valid 'Authorization: Bearer <key>' is needed."};
        handle(req, res);
    });
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
}

}  // namespace wegwijs::webhook

// JSON in and out of the HTTP routes; see json_io.h.
#include "webhook/json_io.h"

namespace wegwijs::webhook {

nlohmann::json parse_object(const std::string& body) {
    if (!text::is_valid_utf8(body))
        throw BadRequest{400, "invalid_utf8", "The body is not valid UTF-8."};
    nlohmann::json parsed;
    try {
        parsed = nlohmann::json::parse(body);
    } catch (const nlohmann::json::out_of_range&) {
        // 1e999 and the like; the number itself is not repeated anywhere.
        throw BadRequest{400, "invalid_json", "The body holds a number out of range."};
    } catch (const nlohmann::json::exception&) {
        throw BadRequest{400, "invalid_json", "The body is not valid JSON."};
    }
    if (!parsed.is_object())
        throw BadRequest{400, "not_an_object", "The body must be a JSON object."};
    return parsed;
}

std::optional<std::string> optional_string(const nlohmann::json& body, const std::string& field,
                                           std::size_t max_bytes) {
    const auto it = body.find(field);
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (!it->is_string())
        throw BadRequest{400, "invalid_field", "'" + field + "' must be a string."};
    const auto& value = it->get_ref<const std::string&>();
    if (value.size() > max_bytes)
        throw BadRequest{413, "too_large",
                         "'" + field + "' is longer than " + std::to_string(max_bytes) + " bytes."};
    return value;
}

httplib::Server::HandlerWithContentReader with_body(BodyHandler handle) {
    return [handle](const httplib::Request& req, httplib::Response& res,
                    const httplib::ContentReader& read) {
        std::string body;
        bool too_large = false;
        const bool complete = read([&](const char* data, std::size_t n) {
            if (body.size() + n > kMaxBodyBytes) {
                too_large = true;
                return false;  // httplib stops reading
            }
            body.append(data, n);
            return true;
        });
        too_large = too_large || res.status == 413;  // httplib's own Content-Length check
        if (too_large || !complete) {
            // The rest of the body is still on the connection: never read it
            // as a next request.
            res.set_header("Connection", "close");
            if (too_large)
                send_error(
                    res, 413, "too_large",
                    "The body is larger than " + std::to_string(kMaxBodyBytes / 1024) + " KiB.");
            else
                send_error(res, 400, "incomplete_body", "The body could not be read in full.");
            return;
        }
        try {
            handle(req, res, body);
        } catch (const BadRequest& e) {
            send_error(res, e.status, e.code, e.message);
        }
    };
}

}  // namespace wegwijs::webhook

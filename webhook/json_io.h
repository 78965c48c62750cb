// JSON in and out for every HTTP route: the error shape
// {"error": {"code", "message"}}, body parsing that rejects what is not a
// UTF-8 JSON object, typed optional fields, and a handler wrapper that turns
// a BadRequest into its 4xx answer.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "text/normalizer.h"

namespace wegwijs::webhook {

struct BadRequest {
    int status;
    std::string code;
    std::string message;
};

// For a body that is JSON text already (text::JsonText on the per-turn paths).
inline void send_json_text(httplib::Response& res, int status, std::string body) {
    res.status = status;
    res.set_content(std::move(body), "application/json; charset=utf-8");
}

inline void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
    send_json_text(res, status, body.dump());
}

inline void send_error(httplib::Response& res, int status, const std::string& code,
                       const std::string& message) {
    send_json(res, status, {{"error", {{"code", code}, {"message", message}}}});
}

inline nlohmann::json parse_object(const httplib::Request& req) {
    if (!text::is_valid_utf8(req.body))
        throw BadRequest{400, "invalid_utf8", "The body is not valid UTF-8."};
    nlohmann::json body;
    try {
        body = nlohmann::json::parse(req.body);
    } catch (const nlohmann::json::parse_error&) {
        throw BadRequest{400, "invalid_json", "The body is not valid JSON."};
    }
    if (!body.is_object())
        throw BadRequest{400, "not_an_object", "The body must be a JSON object."};
    return body;
}

inline std::optional<std::string> optional_string(const nlohmann::json& body,
                                                  const std::string& field, std::size_t max_bytes) {
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

template <typename Handler>
httplib::Server::Handler json_handler(Handler&& handle) {
    return [handle](const httplib::Request& req, httplib::Response& res) {
        try {
            handle(req, res);
        } catch (const BadRequest& e) {
            send_error(res, e.status, e.code, e.message);
        }
    };
}

}  // namespace wegwijs::webhook

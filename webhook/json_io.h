// JSON in and out for every HTTP route: the error shape
// {"error": {"code", "message"}}, bodies read with a limit that holds after
// decoding (chunked, gzip), parsing that rejects what is not a UTF-8 JSON
// object, typed optional fields, and a handler wrapper that turns a
// BadRequest into its 4xx answer.
//
// Guarantees: nothing here throws while writing an answer (JSON is written
// with every byte that is not UTF-8 replaced); a body is never held past
// kMaxBodyBytes; every parse failure, overflowing numbers and deep nesting
// included, is a BadRequest.
#pragma once

#include <httplib.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "text/json_dump.h"
#include "text/normalizer.h"

namespace wegwijs::webhook {

constexpr std::size_t kMaxBodyBytes = 64 * 1024;  // after decoding

struct BadRequest {
    int status;
    std::string code;
    std::string message;
};

inline void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(text::dump(body), "application/json; charset=utf-8");
}

inline void send_error(httplib::Response& res, int status, const std::string& code,
                       const std::string& message) {
    send_json(res, status, {{"error", {{"code", code}, {"message", message}}}});
}

// Parses a body: a JSON object in UTF-8, else a BadRequest 400.
nlohmann::json parse_object(const std::string& body);

std::optional<std::string> optional_string(const nlohmann::json& body, const std::string& field,
                                           std::size_t max_bytes);

// A route handler that gets the body, read and decoded in full.
using BodyHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const std::string& body)>;

// Wraps a body handler for httplib's content-reader routes: the body is read
// through httplib (which undoes chunking and gzip) into at most
// kMaxBodyBytes; past that the answer is 413 too_large and the connection is
// closed, the rest unread. BadRequest thrown by the handler becomes its answer.
httplib::Server::HandlerWithContentReader with_body(BodyHandler handle);

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

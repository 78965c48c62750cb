// An outbound HTTP(S) POST of JSON with libcurl, for the messaging
// platforms' APIs (WhatsApp Cloud API, Telegram Bot API).
//
// Guarantees: TLS certificates are verified (libcurl's default); a request
// gives up after the timeout; a transport failure (no connection, a timeout)
// throws HttpError, an answer of any status is returned. Thread-compatible:
// each call has its own handle.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace wegwijs::net {

struct HttpError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct HttpAnswer {
    long status = 0;
    std::string body;
};

HttpAnswer post_json(const std::string& url, const std::vector<std::string>& headers,
                     const std::string& body, long timeout_seconds = 15);

}  // namespace wegwijs::net

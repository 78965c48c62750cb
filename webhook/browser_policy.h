// What a browser is told and allowed: the security headers on every answer,
// and CORS for pages on other sites that embed the widget.
//
// Guarantees: every response carries a strict Content-Security-Policy (only
// this service's own scripts, styles and connections; no inline script or
// style; no framing), X-Content-Type-Options: nosniff and Referrer-Policy:
// no-referrer. A request with an Origin header is served only when that
// origin is one of this service's own public origins (configured, never
// read from the client's Host header, which a DNS-rebinding page controls)
// or on the allowlist; anything else gets a JSON 403 before any handler
// runs, so a page on a foreign site can neither read an answer nor cause a
// turn to be stored. Headers past the limits of http_api.h get their 4xx
// first.
#pragma once

#include <httplib.h>

#include <string>
#include <vector>

namespace wegwijs::webhook {

struct BrowserPolicy {
    // Origins allowed besides the service's own, e.g. "https://stad.gent";
    // compared exactly (scheme, host and port), without a trailing slash.
    std::vector<std::string> allowed_origins;
    // The service's own origins: --public-url, or where it listens.
    std::vector<std::string> public_origins;
};

// The origins of a service listening on host:port, as a browser names them
// (for a loopback address: both 127.0.0.1 and localhost).
std::vector<std::string> listening_origins(const std::string& host, int port);

// Splits "a, b,c" into origins; throws std::invalid_argument for one that is
// not scheme://host[:port].
std::vector<std::string> parse_origins(const std::string& list);

// Installs the pre- and post-routing handlers on the server.
void install_browser_policy(httplib::Server& server, BrowserPolicy policy);

}  // namespace wegwijs::webhook

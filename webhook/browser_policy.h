// What a browser is told and allowed: the security headers on every answer,
// and CORS for pages on other sites that embed the widget.
//
// Guarantees: every response carries a strict Content-Security-Policy (only
// this service's own scripts, styles and connections; no inline script or
// style; no framing), X-Content-Type-Options: nosniff and Referrer-Policy:
// no-referrer. A request with an Origin header is served only when that
// origin is this service's own (scheme://Host) or on the allowlist;
// anything else gets a JSON 403 before any handler runs, so a page on a
// foreign site can neither read an answer nor cause a turn to be stored.
#pragma once

#include <httplib.h>

#include <string>
#include <vector>

namespace wegwijs::webhook {

struct BrowserPolicy {
    // Origins allowed besides the service's own, e.g. "https://stad.gent";
    // compared exactly (scheme, host and port), without a trailing slash.
    std::vector<std::string> allowed_origins;
};

// Splits "a, b,c" into origins; throws std::invalid_argument for one that is
// not scheme://host[:port].
std::vector<std::string> parse_origins(const std::string& list);

// Installs the pre- and post-routing handlers on the server.
void install_browser_policy(httplib::Server& server, BrowserPolicy policy);

}  // namespace wegwijs::webhook

#include "webhook/browser_policy.h"

#include <algorithm>
#include <regex>
#include <stdexcept>

#include "text/list.h"
#include "webhook/http_api.h"
#include "webhook/json_io.h"

namespace wegwijs::webhook {
namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

bool listed(const std::vector<std::string>& origins, const std::string& origin) {
    return std::find(origins.begin(), origins.end(), origin) != origins.end();
}

}  // namespace

std::vector<std::string> listening_origins(const std::string& host, int port) {
    const std::string p = ":" + std::to_string(port);
    if (host == "127.0.0.1" || host == "localhost" || host == "0.0.0.0" || host == "::1")
        return {"http://127.0.0.1" + p, "http://localhost" + p};
    return {"http://" + host + p};
}

std::vector<std::string> parse_origins(const std::string& list) {
    static const std::regex kOrigin(R"(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?)");
    std::vector<std::string> out = text::split_list(list);
    for (const std::string& item : out)
        if (!std::regex_match(item, kOrigin))
            throw std::invalid_argument("'" + item +
                                        "' is not an origin like https://www.example.be");
    return out;
}

void install_browser_policy(httplib::Server& server, BrowserPolicy policy) {
    auto allowed = [policy](const std::string& origin) {
        return listed(policy.public_origins, origin) || listed(policy.allowed_origins, origin);
    };

    // In place of make_server's, which only checks the headers: so first that.
    server.set_pre_routing_handler([allowed](const httplib::Request& req, httplib::Response& res) {
        if (refuse_bad_headers(req, res)) return httplib::Server::HandlerResponse::Handled;
        const std::string origin = req.get_header_value("Origin");
        if (!origin.empty() && !allowed(origin)) {
            send_error(res, 403, "origin_not_allowed",
                       "Pages on " + origin.substr(0, 100) + " may not use this service.");
            return httplib::Server::HandlerResponse::Handled;
        }
        if (req.method == "OPTIONS") {  // a CORS preflight, or a plain question
            res.status = 204;
            res.set_header("Allow", "GET, POST, OPTIONS");
            if (!origin.empty()) {
                res.set_header("Access-Control-Allow-Methods", "GET, POST");
                res.set_header("Access-Control-Allow-Headers", "Content-Type");
                res.set_header("Access-Control-Max-Age", "600");
            }
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });

    server.set_post_routing_handler([allowed](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Content-Security-Policy", kContentSecurityPolicy);
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("Referrer-Policy", "no-referrer");
        const std::string origin = req.get_header_value("Origin");
        if (!origin.empty() && allowed(origin)) {
            res.set_header("Access-Control-Allow-Origin", origin);
            res.set_header("Vary", "Origin");
        }
    });
}

}  // namespace wegwijs::webhook

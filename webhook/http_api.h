// The HTTP service (stock cpp-httplib): POST /v1/chat, POST /v1/route,
// GET /v1/chat/{id}, GET /healthz.
//
// Guarantees: every answer is JSON; bad input gets a 4xx with
// {"error": {"code", "message"}} and changes nothing; no input reaches
// std::terminate: an exception inside any handler becomes a JSON 500 (or 503
// storage_unavailable when the storage failed), logged without request
// content. Bodies are capped after decoding (json_io.h), headers in count and
// size (431), and idle or slow clients cannot take the workers of others
// (thread_pool.h, with httplib's read and keep-alive timeouts).
#pragma once

#include <httplib.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/assistant.h"
#include "app/storage_health.h"
#include "webhook/json_io.h"

namespace wegwijs::webhook {

struct ServerOptions {
    // Connections served at once (a thread each, started as needed); more wait.
    std::size_t max_threads = 1024;
    std::size_t keep_threads = 8;  // threads kept when idle
    std::size_t max_text_bytes = 4096;
    bool access_log = false;
    app::StorageHealth* health = nullptr;  // null: /healthz checks nothing
    // Reverse proxies whose X-Forwarded-For is believed: a request from one
    // of these addresses is from the last address that header names (for
    // the limits per client); from anywhere else, the header is ignored.
    std::vector<std::string> trusted_proxies;
};

// The client's address as the limits per client see it (see trusted_proxies).
std::string client_address(const httplib::Request& req,
                           const std::vector<std::string>& trusted_proxies);

// Request headers past these get a JSON 431 before any route runs.
constexpr std::size_t kMaxHeaderCount = 100;
constexpr std::size_t kMaxHeaderBytes = 16 * 1024;

// Builds a stock httplib::Server with every route of this file installed;
// the caller adds other routes, then binds (bind_server) and listens.
std::unique_ptr<httplib::Server> make_server(app::Assistant& assistant,
                                             const ServerOptions& options);

// A 431, 413 or 415 refusal for what a request's headers are, or nullopt.
std::optional<BadRequest> header_problem(const httplib::Request& req);
// Answers a header_problem (closing the connection) and returns true, or
// returns false. The pre-routing handler of make_server runs it, and the one
// install_browser_policy puts in its place runs it first.
bool refuse_bad_headers(const httplib::Request& req, httplib::Response& res);

// The path as a log may show it: session ids and booking codes masked.
std::string loggable_path(const std::string& path);

// Installs the catch-all routes (a 404 for unknown paths, reading any body
// within the limit; httplib tries content-reader routes first, so every
// POST, PUT, PATCH and DELETE route must be one, made with with_body, or the
// catch-all takes its requests), then binds to host:port (port 0: any free one) without
// SO_REUSEPORT, so a port in use is refused, and listens with a backlog of
// 1024. Call it after every route is installed. Returns the port, or -1 when
// it cannot be bound. Then call server.listen_after_bind().
int bind_server(httplib::Server& server, const std::string& host, int port);

}  // namespace wegwijs::webhook

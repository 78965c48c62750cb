// The HTTP service (cpp-httplib): POST /v1/chat, POST /v1/route, GET /healthz.
//
// Guarantees: every answer is JSON; bad input gets a 4xx with
// {"error": {"code", "message"}} and changes nothing; an exception inside a
// handler becomes a JSON 500 without request content in the log. Requests
// are answered with TCP_NODELAY on (no 40 ms Nagle delay) and bounded timeouts.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>

#include "app/assistant.h"

namespace wegwijs::webhook {

struct ServerOptions {
    std::size_t threads = 96;  // one per keep-alive connection being served
    std::size_t max_text_bytes = 4096;
    bool access_log = false;
};

// Builds a server (a ConnectionServer: connection_server.h) with every route
// installed; the caller binds and listens.
std::unique_ptr<httplib::Server> make_server(app::Assistant& assistant,
                                             const ServerOptions& options);

// The path as a log may show it: session ids and booking codes masked.
std::string loggable_path(const std::string& path);

// Binds to host:port (port 0: any free one) without SO_REUSEPORT, so a port
// in use is refused, and listens with a backlog of 1024. Returns the port,
// or -1 when it cannot be bound. Then call server.listen_after_bind().
int bind_server(httplib::Server& server, const std::string& host, int port);

}  // namespace wegwijs::webhook

// The baseline of the benchmark: a bare cpp-httplib server that parses a JSON
// body and echoes it, with the same thread pool, TCP_NODELAY and listen
// backlog (webhook::bind_server) as wegwijs.
#include <httplib.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "webhook/http_api.h"

int main(int argc, char** argv) {
    const int port = argc > 1 ? std::atoi(argv[1]) : 8090;
    httplib::Server server;
    server.new_task_queue = [] { return new httplib::ThreadPool(96); };
    server.set_tcp_nodelay(true);
    server.set_keep_alive_max_count(10000);
    server.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
        const auto body = nlohmann::json::parse(req.body, nullptr, false);
        res.set_content(nlohmann::json{{"echo", body}}.dump(), "application/json");
    });
    if (wegwijs::webhook::bind_server(server, "127.0.0.1", port) < 0) {
        std::cerr << "echo: cannot listen on " << port << std::endl;
        return 1;
    }
    std::cerr << "echo on " << port << std::endl;
    server.listen_after_bind();
}

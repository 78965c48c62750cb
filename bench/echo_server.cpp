// The baseline of the benchmark: a bare cpp-httplib server that parses a JSON
// body and echoes it, with the same HTTP set-up as wegwijs: its elastic
// thread pool, timeouts and keep-alive limits, TCP_NODELAY, bodies read
// within the limit (webhook::with_body) and the listen backlog
// (webhook::bind_server). What wegwijs costs beyond it is the assistant.
#include <httplib.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "webhook/http_api.h"
#include "webhook/thread_pool.h"

int main(int argc, char** argv) {
    const int port = argc > 1 ? std::atoi(argv[1]) : 8090;
    httplib::Server server;
    server.new_task_queue = [] { return new wegwijs::webhook::ElasticThreadPool(1024, 8); };
    server.set_tcp_nodelay(true);
    server.set_read_timeout(5, 0);
    server.set_write_timeout(5, 0);
    server.set_keep_alive_timeout(5);
    server.set_keep_alive_max_count(100);
    server.Post("/echo",
                wegwijs::webhook::with_body(
                    [](const httplib::Request&, httplib::Response& res, const std::string& text) {
                        const auto body = nlohmann::json::parse(text, nullptr, false);
                        res.set_content(nlohmann::json{{"echo", body}}.dump(), "application/json");
                    }));
    if (wegwijs::webhook::bind_server(server, "127.0.0.1", port) < 0) {
        std::cerr << "echo: cannot listen on " << port << std::endl;
        return 1;
    }
    std::cerr << "echo on " << port << std::endl;
    server.listen_after_bind();
}

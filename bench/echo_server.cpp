// The baseline of the benchmark: a bare cpp-httplib server that parses a JSON
// body and echoes it, with the same thread pool and TCP_NODELAY as wegwijs.
#include <httplib.h>

#include <iostream>
#include <nlohmann/json.hpp>

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
    std::cerr << "echo on " << port << std::endl;
    server.listen("127.0.0.1", port);
}

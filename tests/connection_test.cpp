// The connection loop of webhook/connection_server.h on a real port, seen from
// a bare TCP client: one segment per response, pipelined requests, an interim
// 100 Continue, the timeouts, and a prompt stop. That the service itself
// serves through it is checked in http_test.cpp.
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <thread>

#include "support/raw_client.h"
#include "webhook/connection_server.h"
#include "webhook/http_api.h"  // bind_server

using namespace wegwijs;
using namespace std::chrono_literals;

namespace {

// A ConnectionServer with one echoing route, on an ephemeral port.
struct EchoServer {
    explicit EchoServer(int keep_alive_s = 5, int read_timeout_s = 5) {
        server.set_keep_alive_timeout(keep_alive_s);
        server.set_read_timeout(read_timeout_s, 0);
        server.set_keep_alive_max_count(100);
        server.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
            res.set_content(req.body, "text/plain");
        });
        server.Get("/peer", [](const httplib::Request& req, httplib::Response& res) {
            res.set_content(req.remote_addr + " " + std::to_string(req.remote_port) + " " +
                                std::to_string(req.local_port),
                            "text/plain");
        });
        port = webhook::bind_server(server, "127.0.0.1", 0);
        thread = std::thread([this] { server.listen_after_bind(); });
    }
    ~EchoServer() { stop(); }
    void stop() {
        server.stop();
        if (thread.joinable()) thread.join();
    }
    webhook::ConnectionServer server;
    int port = -1;
    std::thread thread;
};

std::string post(const std::string& body, const std::string& extra_headers = "",
                 const std::string& path = "/echo") {
    return "POST " + path +
           " HTTP/1.1\r\nHost: test\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
           extra_headers + "\r\n" + body;
}

std::string body_of(const std::string& response) {
    return response.substr(response.find("\r\n\r\n") + 4);
}

}  // namespace

TEST_CASE("connection: a response leaves in one TCP segment", "[http][connection]") {
    EchoServer s;
    test::RawClient c(s.port);
    for (const std::string& body : {std::string("hello"), std::string(3000, 'x')}) {
        const unsigned before = c.data_segments_received();
        c.send(post(body));
        const std::string r = c.response();
        REQUIRE(r.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
        CHECK(body_of(r) == body);
        // Headers and body together: stock httplib sends them as two.
        CHECK(c.data_segments_received() - before == 1);
    }
}

TEST_CASE("connection: requests sent back to back are all answered, in order",
          "[http][connection]") {
    EchoServer s;
    test::RawClient c(s.port);
    c.send(post("one") + post("two") + post("three"));
    CHECK(body_of(c.response()) == "one");
    CHECK(body_of(c.response()) == "two");
    CHECK(body_of(c.response()) == "three");
    c.send(post("four"));  // and the connection goes on
    CHECK(body_of(c.response()) == "four");
}

TEST_CASE("connection: 100 Continue goes out before the body is awaited", "[http][connection]") {
    EchoServer s;
    test::RawClient c(s.port);
    c.send(
        "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n"
        "Expect: 100-continue\r\n\r\n");
    const std::string interim = c.response(3s);
    CHECK(interim.rfind("HTTP/1.1 100 Continue\r\n", 0) == 0);
    c.send("hello");
    const std::string r = c.response();
    CHECK(r.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(body_of(r) == "hello");
}

TEST_CASE("connection: the handler sees the peer's and its own address", "[http][connection]") {
    EchoServer s;
    test::RawClient c(s.port);
    for (int i = 0; i < 2; ++i) {  // asked once per connection, the same every request
        c.send("GET /peer HTTP/1.1\r\nHost: test\r\n\r\n");
        CHECK(body_of(c.response()) ==
              "127.0.0.1 " + std::to_string(c.local_port()) + " " + std::to_string(s.port));
    }
}

TEST_CASE("connection: Connection: close is honoured", "[http][connection]") {
    EchoServer s;
    test::RawClient c(s.port);
    c.send(post("bye", "Connection: close\r\n"));
    CHECK(body_of(c.response()) == "bye");
    CHECK(c.closed_within(3s));
}

TEST_CASE("connection: an idle or stalled connection is closed after its timeout",
          "[http][connection]") {
    EchoServer s(/*keep_alive_s=*/1, /*read_timeout_s=*/1);
    test::RawClient idle(s.port);
    idle.send(post("x"));
    CHECK(body_of(idle.response()) == "x");
    CHECK_FALSE(idle.closed_within(500ms));  // still open within the keep-alive time
    CHECK(idle.closed_within(3s));

    test::RawClient stalled(s.port);
    stalled.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\nhal");
    const std::string r = stalled.response(4s);  // a 400 for the short body, or nothing
    if (!r.empty()) CHECK(r.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(stalled.closed_within(3s));

    test::RawClient after(s.port);  // the server goes on
    after.send(post("y"));
    CHECK(body_of(after.response()) == "y");
}

TEST_CASE("connection: stopping does not wait for idle keep-alive connections",
          "[http][connection]") {
    EchoServer s(/*keep_alive_s=*/30);
    test::RawClient c(s.port);
    c.send(post("x"));
    REQUIRE(body_of(c.response()) == "x");
    const auto started = std::chrono::steady_clock::now();
    s.stop();
    // Stock httplib waits for the keep-alive time to run out (here 30 s);
    // this loop looks every 100 ms.
    CHECK(std::chrono::steady_clock::now() - started < 10s);
    CHECK(c.closed_within(1s));
}

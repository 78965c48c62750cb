// A bare TCP client for tests that need to see the wire: the bytes as they
// arrive, how many TCP segments carried them, and when the server closes.
#pragma once

#include <chrono>
#include <string>

namespace wegwijs::test {

class RawClient {
  public:
    explicit RawClient(int port);  // connects to 127.0.0.1:port, or throws
    ~RawClient();
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    void send(const std::string& bytes);
    // One HTTP response (status line, headers and a Content-Length body),
    // read from what has arrived and what arrives within `limit`; what
    // follows it stays for the next call. Empty if none came whole in time.
    std::string response(std::chrono::milliseconds limit = std::chrono::seconds(5));
    // Whether the server closes the connection within `limit`.
    bool closed_within(std::chrono::milliseconds limit);
    // TCP segments with data that this connection has received so far.
    unsigned data_segments_received() const;
    int local_port() const;

  private:
    bool receive(std::chrono::milliseconds limit);  // false: closed or nothing came
    int fd_;
    std::string in_;
};

}  // namespace wegwijs::test

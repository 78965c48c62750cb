// The connection loop of connection_server.h.
#include "webhook/connection_server.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

namespace wegwijs::webhook {
namespace {

// How often a connection waiting for its next request looks whether the
// server is stopping.
constexpr int kStopCheckMs = 100;
// Reads ask the kernel for this much at once; a larger read goes straight
// into the caller's buffer.
constexpr std::size_t kReadBytes = 16 * 1024;
// A response longer than this is sent in parts while it is written.
constexpr std::size_t kSendBytes = 64 * 1024;

// "ip" and port of a socket address, as httplib reports them.
void describe(const sockaddr_storage& addr, socklen_t len, std::string& ip, int& port) {
    char host[NI_MAXHOST];
    char service[NI_MAXSERV];
    if (getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, host, sizeof host, service,
                    sizeof service, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return;
    ip = host;
    port = std::atoi(service);
}

// One end of the connection, asked for once (getpeername or getsockname).
struct Address {
    bool known = false;
    std::string ip;
    int port = 0;

    void report(socket_t sock, int (*ask)(int, sockaddr*, socklen_t*), std::string& ip_out,
                int& port_out) {
        if (!known) {
            sockaddr_storage addr{};
            socklen_t len = sizeof addr;
            if (ask(sock, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
                describe(addr, len, ip, port);
            known = true;
        }
        ip_out = ip;
        port_out = port;
    }
};

// One connection's stream. Invariants: `in_[in_at_, in_end_)` holds bytes
// received and not yet read; `out_` holds bytes written and not yet sent, and
// is empty whenever the stream waits for the peer; once `broken_` is set, no
// more bytes go either way.
class ConnectionStream final : public httplib::Stream {
  public:
    ConnectionStream(socket_t sock, std::chrono::milliseconds read_timeout)
        : sock_(sock), read_timeout_(read_timeout) {}

    bool is_readable() const override {
        if (in_at_ < in_end_) return true;
        if (!flush()) return false;
        pollfd p{sock_, POLLIN, 0};
        return poll(&p, 1, static_cast<int>(read_timeout_.count())) > 0;
    }
    bool is_writable() const override { return !broken_; }

    ssize_t read(char* ptr, std::size_t size) override {
        if (in_at_ == in_end_) {
            if (!flush()) return -1;
            if (size >= kReadBytes) return receive(ptr, size);
            if (!fill()) return -1;
        }
        const std::size_t n = std::min(size, in_end_ - in_at_);
        std::memcpy(ptr, in_.data() + in_at_, n);
        in_at_ += n;
        return static_cast<ssize_t>(n);
    }

    ssize_t write(const char* ptr, std::size_t size) override {
        if (broken_) return -1;
        out_.append(ptr, size);
        if (out_.size() >= kSendBytes && !flush()) return -1;
        return static_cast<ssize_t>(size);
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        remote_.report(sock_, getpeername, ip, port);
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        local_.report(sock_, getsockname, ip, port);
    }
    socket_t socket() const override { return sock_; }

    // Sends what was written; false once the connection is broken.
    bool flush() const {
        std::size_t sent = 0;
        while (!broken_ && sent < out_.size()) {
            const ssize_t n = send(sock_, out_.data() + sent, out_.size() - sent, MSG_NOSIGNAL);
            if (n > 0)
                sent += static_cast<std::size_t>(n);
            else if (n < 0 && errno == EINTR)
                continue;
            else
                broken_ = true;  // an error, or the write timeout (EAGAIN)
        }
        out_.clear();
        return !broken_;
    }

    // Waits up to `timeout` for the start of the next request, looking every
    // kStopCheckMs whether `running` still holds. True once bytes are there.
    template <typename Running>
    bool next_request(std::chrono::milliseconds timeout, Running running) {
        if (in_at_ < in_end_) return true;
        if (!flush()) return false;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (running()) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            pollfd p{sock_, POLLIN, 0};
            const int ready =
                poll(&p, 1, static_cast<int>(std::min<long>(left.count(), kStopCheckMs)));
            if (ready > 0) return fill();
            if (ready < 0 && errno != EINTR) return false;
        }
        return false;
    }

  private:
    ssize_t receive(char* ptr, std::size_t size) const {
        while (!broken_) {
            const ssize_t n = recv(sock_, ptr, size, 0);
            if (n > 0) return n;
            if (n < 0 && errno == EINTR) continue;
            broken_ = true;  // closed by the peer, an error, or the read timeout
        }
        return -1;
    }
    bool fill() {
        const ssize_t n = receive(in_.data(), in_.size());
        in_at_ = 0;
        in_end_ = n > 0 ? static_cast<std::size_t>(n) : 0;
        return n > 0;
    }

    socket_t sock_;
    std::chrono::milliseconds read_timeout_;
    std::array<char, kReadBytes> in_;
    std::size_t in_at_ = 0;
    std::size_t in_end_ = 0;
    mutable std::string out_;
    mutable bool broken_ = false;
    mutable Address remote_;
    mutable Address local_;
};

}  // namespace

bool ConnectionServer::process_and_close_socket(socket_t sock) {
    // httplib set the socket's read and write timeouts as it accepted it
    // (SO_RCVTIMEO, SO_SNDTIMEO): they bound every recv and send below.
    bool served = false;
    {
        ConnectionStream stream(
            sock, std::chrono::milliseconds(read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000));
        const auto running = [this] { return svr_sock_ != INVALID_SOCKET; };
        const std::chrono::milliseconds keep_alive(keep_alive_timeout_sec_ * 1000);
        for (std::size_t left = keep_alive_max_count_; left > 0; --left) {
            if (!stream.next_request(keep_alive, running)) break;
            bool closed = false;
            served = process_request(stream, left == 1, closed, nullptr);
            if (!stream.flush()) served = false;
            if (!served || closed) break;
        }
    }
    shutdown(sock, SHUT_RDWR);
    close(sock);
    return served;
}

}  // namespace wegwijs::webhook

// The bare TCP client of raw_client.h. It includes the kernel's own
// <linux/tcp.h> (not glibc's <netinet/tcp.h>, whose tcp_info lacks the
// segment counters), so it stays apart from httplib.h.
#include "support/raw_client.h"

#include <arpa/inet.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace wegwijs::test {

RawClient::RawClient(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        const int e = errno;
        ::close(fd_);
        throw std::system_error(e, std::generic_category(), "connect");
    }
}

RawClient::~RawClient() {
    ::close(fd_);
}

void RawClient::send(const std::string& bytes) {
    for (std::size_t sent = 0; sent < bytes.size();) {
        const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) throw std::system_error(errno, std::generic_category(), "send");
        sent += static_cast<std::size_t>(n);
    }
}

bool RawClient::receive(std::chrono::milliseconds limit) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(limit.count())) <= 0) return false;
    char buf[16384];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    in_.append(buf, static_cast<std::size_t>(n));
    return true;
}

std::string RawClient::response(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
        const std::size_t head_end = in_.find("\r\n\r\n");
        if (head_end != std::string::npos) {
            std::size_t length = 0;
            const std::size_t at = in_.find("Content-Length: ");
            if (at != std::string::npos && at < head_end)
                length = std::stoul(in_.substr(at + 16, in_.find("\r\n", at) - at - 16));
            const std::size_t end = head_end + 4 + length;
            if (in_.size() >= end) {
                std::string one = in_.substr(0, end);
                in_.erase(0, end);
                return one;
            }
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !receive(left)) return {};
    }
}

bool RawClient::closed_within(std::chrono::milliseconds limit) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(limit.count())) <= 0) return false;
    char c;
    return ::recv(fd_, &c, 1, MSG_PEEK) == 0;
}

unsigned RawClient::data_segments_received() const {
    tcp_info info{};
    socklen_t len = sizeof info;
    if (::getsockopt(fd_, IPPROTO_TCP, TCP_INFO, &info, &len) != 0)
        throw std::system_error(errno, std::generic_category(), "TCP_INFO");
    return info.tcpi_data_segs_in;
}

int RawClient::local_port() const {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    return ntohs(addr.sin_port);
}

}  // namespace wegwijs::test

// Random bytes and ids; see random.h.
#include "security/random.h"

#include <sys/random.h>

#include <cerrno>
#include <system_error>
#include <vector>

namespace wegwijs::security {

void random_bytes(unsigned char* out, std::size_t n) {
    while (n > 0) {
        const ssize_t got = getrandom(out, n, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "getrandom");
        }
        out += got;
        n -= static_cast<std::size_t>(got);
    }
}

std::string hex(const unsigned char* bytes, std::size_t n) {
    static const char* const kHex = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        out += kHex[bytes[i] >> 4];
        out += kHex[bytes[i] & 15];
    }
    return out;
}

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    random_bytes(raw.data(), raw.size());
    return hex(raw.data(), raw.size());
}

}  // namespace wegwijs::security

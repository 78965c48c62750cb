// HMAC-SHA256 and constant-time comparison; see hmac.h.
#include "security/hmac.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace wegwijs::security {

std::string hmac_sha256_hex(std::string_view key, std::string_view bytes) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), mac,
             &len) == nullptr)
        throw std::runtime_error("HMAC-SHA256 failed");
    static const char* const hex = "0123456789abcdef";
    std::string out;
    out.reserve(2 * len);
    for (unsigned int i = 0; i < len; ++i) {
        out += hex[mac[i] >> 4];
        out += hex[mac[i] & 15];
    }
    return out;
}

bool equal_in_constant_time(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace wegwijs::security

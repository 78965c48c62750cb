// SHA-256 through OpenSSL's EVP interface; see digest.h.
#include "security/digest.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "security/random.h"

namespace wegwijs::security {

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    return hex(digest, length);
}

}  // namespace wegwijs::security

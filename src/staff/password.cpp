// Staff passwords with libsodium; see password.h.
#include "staff/password.h"

#include <sodium.h>

#include <stdexcept>

#include "text/normalizer.h"
#include "text/utf8.h"

namespace wegwijs::staff {
namespace {

void init() {
    static const int ready = sodium_init();
    if (ready < 0) throw std::runtime_error("libsodium could not start");
}

constexpr unsigned long long kOps = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kMemory = crypto_pwhash_MEMLIMIT_INTERACTIVE;

}  // namespace

std::optional<std::string> password_problem(const std::string& password) {
    if (password.size() > kMaxPasswordBytes) return "a password has at most 1024 bytes";
    if (!text::is_valid_utf8(password)) return "a password must be UTF-8 text";
    if (text::characters(password) < kMinPasswordLength)
        return "a password has at least 12 characters";
    return std::nullopt;
}

std::string hash_password(const std::string& password) {
    init();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), kOps, kMemory) != 0)
        throw std::runtime_error("not enough memory to hash a password");
    return out;
}

bool verify_password(const std::string& hash, const std::string& password) {
    init();
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(const std::string& hash) {
    init();
    return crypto_pwhash_str_needs_rehash(hash.c_str(), kOps, kMemory) != 0;
}

const std::string& decoy_hash() {
    static const std::string hash = [] {
        init();
        unsigned char random[32];
        randombytes_buf(random, sizeof random);
        return hash_password(std::string(reinterpret_cast<char*>(random), sizeof random));
    }();
    return hash;
}

}  // namespace wegwijs::staff

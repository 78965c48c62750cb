// Staff passwords with libsodium's crypto_pwhash_str: argon2id, a random
// salt and the cost parameters inside the stored string.
//
// Guarantees: a password is only ever hashed or verified here, never stored
// or logged; verification is libsodium's (constant time in the hash);
// needs_rehash() tells when a stored hash was made with other parameters
// than today's, so a login can store a fresh one.
#pragma once

#include <optional>
#include <string>

namespace wegwijs::staff {

constexpr std::size_t kMinPasswordLength = 12;  // characters
constexpr std::size_t kMaxPasswordBytes = 1024;

// Why a new password cannot be used, or nullopt.
std::optional<std::string> password_problem(const std::string& password);

std::string hash_password(const std::string& password);  // throws std::runtime_error
bool verify_password(const std::string& hash, const std::string& password);
bool needs_rehash(const std::string& hash);

// A hash of a random password, to verify against when an account does not
// exist, so that a login takes as long whether the name is known or not.
const std::string& decoy_hash();

}  // namespace wegwijs::staff

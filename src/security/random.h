// The one source of secrets for ids a client must not guess: session ids,
// confirmation codes, hold ids and idempotency keys of the chat.
//
// Guarantee: every byte comes from the kernel's CSPRNG (getrandom), asked
// each time; nothing is pooled or kept in memory after it is handed out.
#pragma once

#include <cstddef>
#include <string>

namespace wegwijs::security {

// Fills out[0..n) or throws std::system_error (the kernel had no randomness).
void random_bytes(unsigned char* out, std::size_t n);

// `bytes` random bytes written as 2 * bytes lower-case hex digits.
std::string random_hex(std::size_t bytes);

// Bytes as lower-case hex digits, two a byte (ids, digests).
std::string hex(const unsigned char* bytes, std::size_t n);

}  // namespace wegwijs::security

// SHA-256 (OpenSSL) for fingerprints: of a request an idempotency key came
// with, and of an API key to scope idempotency keys without storing it.
#pragma once

#include <string>
#include <string_view>

namespace wegwijs::security {

std::string sha256_hex(std::string_view bytes);  // 64 lower-case hex digits

}  // namespace wegwijs::security

// HMAC-SHA256 (OpenSSL) and a comparison in constant time, for the
// signatures of webhook calls (WhatsApp's X-Hub-Signature-256) and their
// shared tokens.
#pragma once

#include <string>
#include <string_view>

namespace wegwijs::security {

std::string hmac_sha256_hex(std::string_view key, std::string_view bytes);  // lower-case hex
// Equal bytes, in a time that depends on the lengths only.
bool equal_in_constant_time(std::string_view a, std::string_view b);

}  // namespace wegwijs::security

// JSON text from nlohmann::json, the project's one JSON library, in the one
// way every writer here uses: compact, and never throwing on bytes that are
// not UTF-8 (each such byte becomes U+FFFD). Input is checked for UTF-8 where
// it enters, so a replacement means a bug upstream, not a lost reply.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace wegwijs::text {

inline std::string dump(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace wegwijs::text

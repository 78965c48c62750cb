// One conversation's state, as a value: what the engine reads and writes and
// the store keeps. It never holds a channel's or a database's type.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dialog/slots.h"

namespace wegwijs::dialog {

struct Session {
    std::string id;
    std::string channel;  // "web", "terminal", ... (for the transcript only)
    std::string locale = "nl";
    Slots slots;
    std::vector<Slots> history;        // facts before each change, for "back"
    std::string offer_kind = "state";  // whose choices are on offer: state, menu, language
    std::vector<std::string> offered;  // choice ids on offer after the last reply
    int misunderstandings = 0;         // in a row
    std::string state;
    bool done = false;
    int turns = 0;
    std::int64_t created_ms = 0;
    std::int64_t updated_ms = 0;

    nlohmann::json data_json() const;  // everything but id, channel and times
    void load_data_json(const nlohmann::json& j);
};

}  // namespace wegwijs::dialog

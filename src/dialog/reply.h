// What one turn of a conversation takes and gives, as values: the citizen's
// text or tapped choice, and the messages, choices and route of the reply.
// Shared by the engine and the booking dialog; no channel's or store's type.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace wegwijs::dialog {

struct Input {
    std::string text;
    std::string choice;
    std::optional<std::string> locale;  // set by the client
    std::int64_t now_ms = 0;            // the service's clock, for the calendar
};

struct ReplyChoice {
    std::string id;
    std::string label;
};

struct ReplyMessage {
    std::string key;  // the message key it was made from (for tests and transcripts)
    std::string text;
    std::string locale;
    std::vector<ReplyChoice> choices;
};

struct Route {
    std::string desk;
    std::string product;
};

struct Reply {
    std::string locale;
    std::vector<ReplyMessage> messages;
    std::string state;
    std::optional<Route> route;
    bool done = false;
    nlohmann::json understanding;  // what the understanding matched, for the transcript
};

}  // namespace wegwijs::dialog

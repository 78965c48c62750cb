// A reply of the assistant as WhatsApp Cloud API messages, within the
// platform's limits: up to 3 choices as reply buttons (title <= 20
// characters), 4 to 10 as a list (button <= 20, row title <= 24, row
// description <= 72, section title <= 24), more than 10 as several lists of
// at most 10; a body of at most 1024 characters with buttons and 4096
// otherwise, longer texts sent before as text messages of at most 4096. A
// choice's short label (a time under its day) is its title where it has one;
// a label that does not fit is cut at a word and given whole in the row's
// description. A booking's calendar file is a link on the public URL.
//
// Each message is a request for the sender: {"path", "json"}, the path
// under the API base (/<phone number id>/messages) and the JSON body.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/assistant.h"
#include "dialog/dialog_data.h"

namespace wegwijs::webhook {

struct WhatsAppLimits {
    static constexpr std::size_t kButtons = 3;
    static constexpr std::size_t kRows = 10;
    static constexpr std::size_t kButtonTitle = 20;
    static constexpr std::size_t kRowTitle = 24;
    static constexpr std::size_t kRowDescription = 72;
    static constexpr std::size_t kSectionTitle = 24;
    static constexpr std::size_t kButtonBody = 1024;
    static constexpr std::size_t kText = 4096;
};

std::vector<nlohmann::json> whatsapp_messages(const dialog::DialogData& data,
                                              const app::ChatResponse& response,
                                              const std::string& to,
                                              const std::string& phone_number_id,
                                              const std::string& public_url);

// A plain text message (the reply to a message that is no text).
nlohmann::json whatsapp_text(const std::string& to, const std::string& phone_number_id,
                             const std::string& text);

}  // namespace wegwijs::webhook

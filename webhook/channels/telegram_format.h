// A reply of the assistant as Telegram Bot API requests, within the
// platform's limits: sendMessage with plain text (no parse mode, so nothing
// in a text is read as markup) of at most 4096 characters, longer texts sent
// before as several; choices as an inline keyboard whose callback_data is
// the choice id (at most 64 bytes: `wegwijs check` refuses longer ids).
// A choice shows its whole label when it has at most 40 characters, else
// its short label (the one WhatsApp's buttons use). Choices of one group
// (the times of a day) come in a message of their own under the group,
// four to a row. A booking's calendar file is a link on the public URL.
//
// Each request is {"path", "json"}: the Bot API method (/sendMessage,
// /answerCallbackQuery) and its parameters; the sender puts the API base
// and /bot<token> before the path.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/assistant.h"
#include "dialog/dialog_data.h"

namespace wegwijs::webhook {

struct TelegramLimits {
    static constexpr std::size_t kText = 4096;
    static constexpr std::size_t kCallbackData = 64;  // bytes
    static constexpr std::size_t kButtonText = 40;    // ours: what a phone shows in a row
    static constexpr std::size_t kGroupedPerRow = 4;
};

std::vector<nlohmann::json> telegram_messages(const dialog::DialogData& data,
                                              const app::ChatResponse& response,
                                              const std::string& chat_id,
                                              const std::string& public_url);

// A plain text message (the reply to a message that is no text).
nlohmann::json telegram_text(const std::string& chat_id, const std::string& text);

// The answer to a tapped inline button, which stops its progress indicator.
nlohmann::json telegram_answer_callback(const std::string& callback_query_id);

}  // namespace wegwijs::webhook

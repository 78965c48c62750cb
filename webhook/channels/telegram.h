// The Telegram Bot API channel: POST /v1/channels/telegram, the bot's
// webhook (set with setWebhook and its secret_token).
//
// Guarantees:
// - every request is checked against X-Telegram-Bot-Api-Secret-Token
//   (compared in constant time with WEGWIJS_TELEGRAM_SECRET): missing or
//   wrong is 401 and nothing is stored or done;
// - an update is processed once by its update_id, through the channel inbox
//   (channel_inbox.h: one conversation per private chat, one chat at a time,
//   stored before the 200, the only-text reply to a photo or a sticker); a
//   storage failure answers 503, so Telegram delivers the update again;
// - a message's text is read; "/start" (the button a new chat begins with)
//   is the restart command; the sender's language_code is a hint for the
//   language of a new conversation, the first words still decide;
// - a callback_query (a tapped inline button) is the choice of its
//   callback_data, and is answered (answerCallbackQuery) before the reply;
//   one of a message the bot did not send in a chat (an inline-mode message)
//   is only answered;
// - updates of other kinds (edits, group chats, membership changes) are
//   acknowledged and ignored: a conversation is personal, one private chat.
#pragma once

#include <httplib.h>

#include <functional>
#include <memory>
#include <string>

#include "app/assistant.h"
#include "store/channel_store.h"

namespace wegwijs::webhook {

struct TelegramOptions {
    std::string secret;  // WEGWIJS_TELEGRAM_SECRET, as given to setWebhook
    // The service's origin for the links to calendar files (see WhatsAppOptions).
    std::shared_ptr<const std::string> public_url = std::make_shared<std::string>();
    std::function<void()> queued = {};  // the sender's wake-up; may be empty
};

// Telegram's rule for a webhook's secret_token: 1-256 of A-Z a-z 0-9 _ -.
bool valid_telegram_secret(const std::string& secret);

void install_telegram(httplib::Server& server, app::Assistant& assistant,
                      store::ChannelStore& channels, TelegramOptions options,
                      app::Clock clock = app::system_clock_ms);

}  // namespace wegwijs::webhook

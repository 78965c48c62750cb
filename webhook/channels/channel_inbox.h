// The way in to the assistant for every messaging channel (WhatsApp,
// Telegram): a channel turns its platform's update into an Inbound and a
// way to render replies; the inbox does the rest the same for all.
//
// Guarantees:
// - a platform message id is processed once: it is looked up first and
//   written with the turn (or with the replies outside a turn) in one
//   transaction, so a redelivered "ja" never confirms twice;
// - the turn and its replies are stored before take() returns; the replies
//   go out through the outbox (app/channel_sender.h), never from here;
// - one user's messages are handled one at a time, in arrival order;
// - a message with nothing to read (an image, a sticker) gets the
//   channel.text_only reply in the conversation's language, or in every
//   language before one is known.
#pragma once

#include <array>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/assistant.h"
#include "store/channel_store.h"

namespace wegwijs::webhook {

// One message of a platform's user, as the assistant reads it.
struct Inbound {
    std::string message_id;  // the platform's id: processed once
    std::string user_key;    // the platform's id of the user: one conversation each
    std::string text;
    std::string choice;   // a tapped button's id
    std::string command;  // one of dialog::kCommands ("/start" is "restart")
    std::optional<std::string> locale_hint = {};  // the app's language setting
};

class ChannelInbox {
  public:
    using Render = std::function<std::vector<store::ChannelMessage>(const app::ChatResponse&)>;
    using RenderText = std::function<std::vector<store::ChannelMessage>(const std::string&)>;

    ChannelInbox(std::string platform, app::Assistant& assistant, store::ChannelStore& channels,
                 app::Clock clock, std::function<void()> queued);

    // A message with words or a tap: one turn of the user's conversation.
    void take(const Inbound& in, const Render& render);
    // A message with nothing to read: the only-text reply, rendered as text.
    void take_unreadable(const std::string& message_id, const std::string& user_key,
                         const RenderText& render);
    // Replies that are no part of a conversation (Telegram's answer to a
    // callback query of a message it did not send), processed once.
    void answer_only(const std::string& message_id, const std::vector<store::ChannelMessage>& out);

  private:
    std::mutex& lock_of(const std::string& user_key);

    const std::string platform_;
    app::Assistant& assistant_;
    store::ChannelStore& channels_;
    app::Clock clock_;
    std::function<void()> queued_;
    std::array<std::mutex, 64> stripes_;  // one user at a time: a stripe per hash
};

}  // namespace wegwijs::webhook

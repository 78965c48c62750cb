// The messaging channels' way in to the assistant; see channel_inbox.h.
#include "webhook/channels/channel_inbox.h"

namespace wegwijs::webhook {

ChannelInbox::ChannelInbox(std::string platform, app::Assistant& assistant,
                           store::ChannelStore& channels, app::Clock clock,
                           std::function<void()> queued)
    : platform_(std::move(platform)),
      assistant_(assistant),
      channels_(channels),
      clock_(std::move(clock)),
      queued_(std::move(queued)) {}

std::mutex& ChannelInbox::lock_of(const std::string& user_key) {
    return stripes_[std::hash<std::string>{}(user_key) % stripes_.size()];
}

void ChannelInbox::take(const Inbound& in, const Render& render) {
    {
        const std::lock_guard<std::mutex> one(lock_of(in.user_key));
        if (channels_.seen(platform_, in.message_id)) return;  // a redelivery
        const app::ChannelDelivery delivery{platform_, in.user_key, in.message_id, render};
        app::ChatRequest chat;
        chat.session_id = channels_.session_of(platform_, in.user_key);
        chat.text = in.text;
        chat.choice = in.choice;
        chat.command = in.command;
        chat.locale_hint = in.locale_hint;
        chat.channel = platform_;
        chat.client = platform_ + ":" + in.user_key;  // for the hold limits; never stored
        chat.delivery = &delivery;
        assistant_.chat(chat);
    }
    if (queued_) queued_();
}

void ChannelInbox::take_unreadable(const std::string& message_id, const std::string& user_key,
                                   const RenderText& render) {
    {
        const std::lock_guard<std::mutex> one(lock_of(user_key));
        if (channels_.seen(platform_, message_id)) return;
        const auto session = channels_.session_of(platform_, user_key);
        const dialog::DialogData& data = assistant_.data();
        std::string text;
        if (const auto h = session ? assistant_.history(*session) : std::nullopt) {
            text = data.messages.format(h->locale, "channel.text_only");
        } else {
            for (const auto& l : data.locales)
                text += (text.empty() ? "" : "\n\n") + data.messages.format(l, "channel.text_only");
        }
        channels_.reply_outside_turn(platform_, message_id, session, render(text), clock_());
    }
    if (queued_) queued_();
}

void ChannelInbox::answer_only(const std::string& message_id,
                               const std::vector<store::ChannelMessage>& out) {
    if (channels_.seen(platform_, message_id)) return;
    channels_.reply_outside_turn(platform_, message_id, std::nullopt, out, clock_());
    if (queued_) queued_();
}

}  // namespace wegwijs::webhook

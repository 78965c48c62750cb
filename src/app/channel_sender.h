// Sends the messaging channels' outbox (store/channel_store.h) on a thread
// of its own: every poll interval, or when woken, it takes the due messages
// (the oldest pending one of each user) and gives them to their platforms,
// up to `parallel` at once (different users, so no user's order changes:
// one user waiting on a slow answer does not hold up the others).
//
// Guarantees: a message is marked sent only after the platform answered
// 2xx (its message id kept, for the delivery statuses); 429, 5xx and
// transport failures are tried again after a backoff that doubles from the
// retry base up to a minute, and given up (status failed) after the give-up
// time; any other 4xx is given up at once. A user's next message waits for
// the one before it, so replies arrive in order. A message is sent twice only
// if the process dies between the platform's answer and mark_sent (the
// platform then shows it twice; there is no idempotency key to prevent it).
// Destruction waits for a send in progress, never for a whole interval. The
// log gets message ids and statuses, never a recipient or a text.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <ostream>
#include <string>

#include "app/assistant.h"
#include "app/periodic.h"
#include "store/channel_store.h"

namespace wegwijs::app {

// What a platform said to one message.
struct PlatformAnswer {
    enum class Kind { sent, retry, refused } kind = Kind::retry;
    std::string message_id;           // the platform's id, when sent
    std::string error;                // when not: status and the platform's words
    std::int64_t retry_after_ms = 0;  // retry: the platform's own wait, if it gave one
};
using Platform = std::function<PlatformAnswer(const store::OutboundMessage&)>;

struct ChannelSenderOptions {
    std::chrono::milliseconds poll{200};
    std::chrono::milliseconds retry_base{1000};
    std::chrono::milliseconds retry_max{60'000};
    std::chrono::hours give_up{24};
    std::size_t parallel = 8;  // requests under way at once, each to another user
};

class ChannelSender {
  public:
    ChannelSender(store::ChannelStore& store, std::map<std::string, Platform> platforms,
                  ChannelSenderOptions options, std::ostream& log, Clock clock = system_clock_ms);
    ~ChannelSender();
    ChannelSender(const ChannelSender&) = delete;
    ChannelSender& operator=(const ChannelSender&) = delete;
    // Something was queued: look at the outbox now, not at the next poll.
    void wake() { worker_.wake(); }

  private:
    void send_due();
    void send_one(const store::OutboundMessage& m);
    void say(const std::string& line);  // one log line, whole

    store::ChannelStore& store_;
    const std::map<std::string, Platform> platforms_;
    const ChannelSenderOptions options_;
    std::mutex log_lock_;
    std::ostream& log_;
    Clock clock_;
    std::int64_t forgot_ms_ = 0;  // when inbound ids were last forgotten
    Periodic worker_;             // last: started once everything above is ready
};

// The WhatsApp Cloud API: POST {base}{path} with the access token.
Platform whatsapp_platform(std::string api_base, std::string access_token);

// The Telegram Bot API: POST {base}/bot{token}{path}. A 429's
// parameters.retry_after is waited out; 403 (the user blocked the bot) and
// 400 (a callback query too old) are refused at once. The token is never
// logged: errors carry the status and Telegram's description only.
Platform telegram_platform(std::string api_base, std::string bot_token);

}  // namespace wegwijs::app

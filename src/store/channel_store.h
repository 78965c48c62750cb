// What the messaging channels keep besides the turns (store/session_store.h
// writes those, with their channel part, in one transaction): which
// conversation a platform's user is in, which inbound messages were
// processed, and the outbox of replies with their delivery statuses.
//
// Guarantees: due() hands out, per user of a platform, only their oldest
// pending message, so replies go out in order; a message is pending until marked
// sent or failed, so one whose sending was cut short (a crash, a timeout) is
// handed out again: it is sent twice only if the process dies between the
// platform's answer and mark_sent. A delivery status only moves forward
// (sent, delivered, read), so a late "delivered" never overwrites "read";
// "failed" is kept with its error. Inbound ids are forgotten after the
// platform's redelivery window (forget_inbound). Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/session_store.h"
#include "store/sqlite.h"

namespace wegwijs::store {

struct OutboundMessage {
    std::int64_t id = 0;
    std::string session_id;
    std::string platform;
    std::string recipient;
    std::string body;  // JSON text
    int attempts = 0;
    std::int64_t created_ms = 0;
};

struct DeliveryStatus {
    std::string platform;
    std::string platform_message_id;
    std::string status;  // sent, delivered, read, failed
    std::int64_t at_ms = 0;
    std::string error;  // for failed: the platform's code and title
};

class ChannelStore {
  public:
    virtual ~ChannelStore() = default;
    virtual std::optional<std::string> session_of(const std::string& platform,
                                                  const std::string& user_key) = 0;
    virtual bool seen(const std::string& platform, const std::string& message_id) = 0;
    virtual std::vector<OutboundMessage> due(std::int64_t now_ms, int limit) = 0;
    virtual void mark_sent(std::int64_t id, const std::string& platform_message_id,
                           std::int64_t now_ms) = 0;
    virtual void retry_later(std::int64_t id, std::int64_t next_ms, const std::string& error) = 0;
    virtual void give_up(std::int64_t id, const std::string& error) = 0;
    // False when no outbound message has that platform id.
    virtual bool record_status(const DeliveryStatus& status) = 0;
    // Replies outside a turn (to a message that is no text, say), queued in
    // the same order as a turn's and stored in one transaction with the
    // inbound id, so the message is answered exactly once.
    virtual void reply_outside_turn(const std::string& platform, const std::string& message_id,
                                    const std::optional<std::string>& session_id,
                                    const std::vector<ChannelMessage>& replies,
                                    std::int64_t now_ms) = 0;
    // Forgets inbound ids received before, and replies outside a conversation made before.
    virtual int forget_inbound(std::int64_t before_ms) = 0;
};

class SqliteChannelStore final : public ChannelStore {
  public:
    explicit SqliteChannelStore(const std::string& path);
    std::optional<std::string> session_of(const std::string& platform,
                                          const std::string& user_key) override;
    bool seen(const std::string& platform, const std::string& message_id) override;
    std::vector<OutboundMessage> due(std::int64_t now_ms, int limit) override;
    void mark_sent(std::int64_t id, const std::string& platform_message_id,
                   std::int64_t now_ms) override;
    void retry_later(std::int64_t id, std::int64_t next_ms, const std::string& error) override;
    void give_up(std::int64_t id, const std::string& error) override;
    bool record_status(const DeliveryStatus& status) override;
    void reply_outside_turn(const std::string& platform, const std::string& message_id,
                            const std::optional<std::string>& session_id,
                            const std::vector<ChannelMessage>& replies,
                            std::int64_t now_ms) override;
    int forget_inbound(std::int64_t before_ms) override;

  private:
    std::mutex lock_;  // one connection, one thread at a time
    Database db_;
};

}  // namespace wegwijs::store

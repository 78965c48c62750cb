// The e-mails about bookings that wait to be sent: the rows that
// booking::BookingStore writes in the transaction of a booking, a move or a
// cancellation, read back by the mailer (app/mailer.h).
//
// Guarantees: a job is handed out while it is pending and due, oldest first;
// it is pending until it is marked sent or failed, so a job whose sending
// was cut short (a crash, a mail server that did not answer) is handed out
// again: at least once, and exactly once unless the process dies between the
// mail server's acceptance and mark_sent (the job then goes again, with the
// same Message-ID). A job carries the booking with the slot as it was at the
// event, and the other future appointments of the same e-mail address for the
// same product (said in that e-mail only, never in the chat).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "booking/booking_store.h"
#include "store/sqlite.h"

namespace wegwijs::store {

struct MailJob {
    std::int64_t id = 0;
    std::string event;  // confirmed, moved, cancelled
    int attempts = 0;   // failed attempts so far
    std::int64_t created_ms = 0;
    booking::Booking booking;            // the slot as at the event
    std::vector<booking::Booking> also;  // other future appointments, same e-mail and product
};

struct MailCounts {
    int pending = 0;
    int sent = 0;
    int failed = 0;
};

class MailOutbox {
  public:
    virtual ~MailOutbox() = default;
    // Pending jobs whose next attempt is due, oldest first.
    virtual std::vector<MailJob> due(std::int64_t now_ms, int limit) = 0;
    virtual void mark_sent(std::int64_t id, std::int64_t now_ms) = 0;
    // Another try at next_ms; the error is kept for staff (no personal data in it).
    virtual void retry_later(std::int64_t id, std::int64_t next_ms, const std::string& error) = 0;
    virtual void give_up(std::int64_t id, const std::string& error) = 0;
    virtual MailCounts counts() = 0;
};

class SqliteMailOutbox final : public MailOutbox {
  public:
    explicit SqliteMailOutbox(const std::string& path);
    std::vector<MailJob> due(std::int64_t now_ms, int limit) override;
    void mark_sent(std::int64_t id, std::int64_t now_ms) override;
    void retry_later(std::int64_t id, std::int64_t next_ms, const std::string& error) override;
    void give_up(std::int64_t id, const std::string& error) override;
    MailCounts counts() override;

  private:
    std::mutex lock_;  // one connection, one thread at a time
    Database db_;
};

}  // namespace wegwijs::store

// The outbox of e-mails about bookings; see mail_outbox.h.
#include "store/mail_outbox.h"

#include "store/schema.h"

namespace wegwijs::store {
namespace {

booking::Booking read_booking(const Statement& q, int from) {
    booking::Booking b;
    b.id = q.integer(from);
    b.code = q.text(from + 1);
    b.status = q.text(from + 2);
    b.product = q.text(from + 3);
    b.location = q.text(from + 4);
    b.desk = q.text(from + 5);
    b.start_ms = q.integer(from + 6);
    b.end_ms = q.integer(from + 7);
    b.created_ms = q.integer(from + 8);
    b.details = {q.text(from + 9),
                 q.text(from + 10),
                 q.text(from + 11),
                 q.text(from + 12),
                 static_cast<int>(q.integer(from + 13)),
                 q.text(from + 14)};
    return b;
}

constexpr const char* kBookingColumns =
    "b.id, b.code, b.status, b.product, %L, %D, %S, %E, b.created_ms, b.name, b.email, b.phone, "
    "b.locale, b.people, b.facts";

std::string columns(const std::string& location, const std::string& desk, const std::string& start,
                    const std::string& end) {
    std::string out = kBookingColumns;
    for (const auto& [mark, value] : {std::pair<std::string, std::string>{"%L", location},
                                      {"%D", desk},
                                      {"%S", start},
                                      {"%E", end}})
        out.replace(out.find(mark), mark.size(), value);
    return out;
}

}  // namespace

SqliteMailOutbox::SqliteMailOutbox(const std::string& path) : db_(path) {
    use_wal(db_);
    db_.exec("PRAGMA foreign_keys=ON");
    migrate(db_);
}

std::vector<MailJob> SqliteMailOutbox::due(std::int64_t now_ms, int limit) {
    std::lock_guard<std::mutex> guard(lock_);
    std::vector<MailJob> jobs;
    {
        Statement q(db_, "SELECT o.id, o.event, o.attempts, o.created_ms, " +
                             columns("o.location", "o.desk", "o.start_ms", "o.end_ms") +
                             " FROM mail_outbox o JOIN bookings b ON b.id = o.booking_id "
                             "WHERE o.status = 'pending' AND o.next_attempt_ms <= ? "
                             "ORDER BY o.id LIMIT ?");
        q.bind(1, now_ms).bind(2, std::int64_t(limit));
        while (q.step()) {
            MailJob job;
            job.id = q.integer(0);
            job.event = q.text(1);
            job.attempts = static_cast<int>(q.integer(2));
            job.created_ms = q.integer(3);
            job.booking = read_booking(q, 4);
            jobs.push_back(std::move(job));
        }
    }
    Statement also(db_, "SELECT " + columns("b.location", "b.desk", "b.start_ms", "b.end_ms") +
                            " FROM bookings b WHERE b.email = ? AND b.product = ? AND "
                            "b.status = 'confirmed' AND b.start_ms > ? AND b.id <> ? "
                            "ORDER BY b.start_ms");
    for (MailJob& job : jobs) {
        if (job.event == "cancelled") continue;
        also.bind(1, job.booking.details.email)
            .bind(2, job.booking.product)
            .bind(3, now_ms)
            .bind(4, job.booking.id);
        while (also.step()) job.also.push_back(read_booking(also, 0));
        also.reset();
    }
    return jobs;
}

void SqliteMailOutbox::mark_sent(std::int64_t id, std::int64_t now_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(
        db_, "UPDATE mail_outbox SET status = 'sent', sent_ms = ?, last_error = NULL WHERE id = ?");
    q.bind(1, now_ms).bind(2, id).run();
}

void SqliteMailOutbox::retry_later(std::int64_t id, std::int64_t next_ms,
                                   const std::string& error) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_ms = ?, "
                "last_error = ? WHERE id = ? AND status = 'pending'");
    q.bind(1, next_ms).bind(2, error).bind(3, id).run();
}

void SqliteMailOutbox::give_up(std::int64_t id, const std::string& error) {
    std::lock_guard<std::mutex> guard(lock_);
    Statement q(db_,
                "UPDATE mail_outbox SET status = 'failed', attempts = attempts + 1, "
                "last_error = ? WHERE id = ? AND status = 'pending'");
    q.bind(1, error).bind(2, id).run();
}

MailCounts SqliteMailOutbox::counts() {
    std::lock_guard<std::mutex> guard(lock_);
    MailCounts c;
    Statement q(db_, "SELECT status, count(*) FROM mail_outbox GROUP BY status");
    while (q.step()) {
        const std::string status = q.text(0);
        const int n = static_cast<int>(q.integer(1));
        if (status == "pending") c.pending = n;
        if (status == "sent") c.sent = n;
        if (status == "failed") c.failed = n;
    }
    return c;
}

}  // namespace wegwijs::store

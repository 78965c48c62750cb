// The sender of the mail outbox; see mailer.h.
#include "app/mailer.h"

#include <algorithm>

#include "app/booking_mail.h"

namespace wegwijs::app {

Mailer::Mailer(const dialog::DialogData& data, store::MailOutbox& outbox, mail::SmtpClient smtp,
               MailerOptions options, std::ostream& log, Clock clock)
    : data_(data),
      outbox_(outbox),
      smtp_(std::move(smtp)),
      options_(std::move(options)),
      log_(log),
      clock_(std::move(clock)),
      worker_(options_.poll, [this] {
          try {
              send_due();
          } catch (const std::exception& e) {  // the database, say: next interval
              log_ << "mail: cannot read the outbox: " << e.what() << "\n" << std::flush;
          }
      }) {}

Mailer::~Mailer() = default;

void Mailer::send_due() {
    using std::chrono::milliseconds;
    const std::int64_t give_up_ms =
        std::chrono::duration_cast<milliseconds>(options_.give_up).count();
    const std::int64_t base_ms =
        std::chrono::duration_cast<milliseconds>(options_.retry_base).count();
    for (const store::MailJob& job : outbox_.due(clock_(), 20)) {
        if (worker_.stopping()) return;
        const std::int64_t now = clock_();
        const std::string what = "mail " + std::to_string(job.id) + " (" + job.event + ")";
        if (job.event != "cancelled" && job.booking.start_ms <= now) {
            outbox_.give_up(job.id, "the appointment had begun before the mail could go");
            log_ << what << ": given up, the appointment has begun\n" << std::flush;
            continue;
        }
        try {
            smtp_.send(booking_mail(data_, job, options_.from, now));
            outbox_.mark_sent(job.id, clock_());
            log_ << what << ": sent\n" << std::flush;
        } catch (const mail::SmtpError& e) {
            if (e.permanent || now - job.created_ms >= give_up_ms) {
                outbox_.give_up(job.id, e.what());
                log_ << what << ": given up: " << e.what() << "\n" << std::flush;
                continue;
            }
            const int shift = std::min(job.attempts, 7);  // 30 s, 1 min, ... up to an hour
            const std::int64_t wait = std::min<std::int64_t>(base_ms << shift, 3'600'000);
            outbox_.retry_later(job.id, now + wait, e.what());
            log_ << what << ": " << e.what() << "; again in " << wait / 1000 << " s\n"
                 << std::flush;
        } catch (const std::exception& e) {  // a mail that cannot be written: not again
            outbox_.give_up(job.id, e.what());
            log_ << what << ": given up: " << e.what() << "\n" << std::flush;
        }
    }
}

}  // namespace wegwijs::app

// Sends the e-mails of the outbox (store/mail_outbox.h) on a thread of its
// own: every poll interval it takes the jobs that are due, writes each
// (app/booking_mail.h) and gives it to the SMTP server.
//
// Guarantees: a job is marked sent only after the server accepted it; a
// failure is tried again after a backoff that doubles from the retry base
// up to an hour, so a mail server that is down gets the mail when it is
// back, also after a restart of Wegwijs (the job stays in the database); a
// job is given up (status failed, kept for staff) when the server refuses
// the message or the address for good, when the appointment has begun, or
// after the give-up time. Destruction waits for a send in progress, never
// for a whole interval. The log gets job ids and errors, never an address,
// a name or a code.
#pragma once

#include <chrono>
#include <ostream>

#include "app/assistant.h"
#include "app/periodic.h"
#include "dialog/dialog_data.h"
#include "mail/smtp_client.h"
#include "store/mail_outbox.h"

namespace wegwijs::app {

struct MailerOptions {
    std::string from;  // "Wegwijs <wegwijs@example.org>"
    std::chrono::milliseconds poll{1000};
    std::chrono::seconds retry_base{30};
    std::chrono::hours give_up{48};
};

class Mailer {
  public:
    Mailer(const dialog::DialogData& data, store::MailOutbox& outbox, mail::SmtpClient smtp,
           MailerOptions options, std::ostream& log, Clock clock = system_clock_ms);
    ~Mailer();
    Mailer(const Mailer&) = delete;
    Mailer& operator=(const Mailer&) = delete;

  private:
    void send_due();

    const dialog::DialogData& data_;
    store::MailOutbox& outbox_;
    const mail::SmtpClient smtp_;
    const MailerOptions options_;
    std::ostream& log_;
    Clock clock_;
    Periodic worker_;  // last: started once everything above is ready
};

}  // namespace wegwijs::app

// The e-mail about a booking, a move or a cancellation, in the language the
// booking was made in: what the chat's confirmation says (the same locale
// keys), the code with the advice to keep it, what to bring for the case,
// how to cancel or move, the calendar file attached, and the other future
// appointments of that address for the same product, if any.
//
// Guarantees: every sentence comes from locales/ (mail.* and the booking.*
// keys of the chat), every place from the calendar; the Message-ID is the
// same for every attempt at the same job, so a mail client shows a resent
// mail once. Pure function of its arguments.
#pragma once

#include <string>

#include "dialog/dialog_data.h"
#include "mail/message.h"
#include "store/mail_outbox.h"

namespace wegwijs::app {

mail::Message booking_mail(const dialog::DialogData& data, const store::MailJob& job,
                           const std::string& from, std::int64_t now_ms);

}  // namespace wegwijs::app

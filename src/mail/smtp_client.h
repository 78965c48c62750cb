// Sends an e-mail to an SMTP server with libcurl (its SMTP and MIME support):
// smtp://host:port (STARTTLS when the server offers it, required when the
// URL carries a user name) or smtps://host:port; credentials, if any, in the
// URL (smtp://user:password@host), which comes from the command line or the
// environment, never from the repository.
//
// Guarantees: one connection per send, closed afterwards; a text part in
// quoted-printable UTF-8 and attachments in base64 (libcurl's encoders); a
// send returns only when the server accepted the message, or throws
// SmtpError saying whether trying again can help. Thread-compatible: one
// client per thread.
#pragma once

#include <stdexcept>
#include <string>

#include "mail/message.h"

namespace wegwijs::mail {

struct SmtpError : std::runtime_error {
    SmtpError(const std::string& what, bool p) : std::runtime_error(what), permanent(p) {}
    bool permanent;  // the server refused the message or the address (5xx): no retry
};

class SmtpClient {
  public:
    explicit SmtpClient(std::string url, long timeout_seconds = 30);
    void send(const Message& message) const;

  private:
    std::string url_;
    long timeout_;
};

// Once per process, before any thread sends (curl_global_init).
void init_smtp();

}  // namespace wegwijs::mail

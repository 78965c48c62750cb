// An SMTP client on libcurl; see smtp_client.h.
#include "mail/smtp_client.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

namespace wegwijs::mail {
namespace {

struct EasyDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct MimeDeleter {
    void operator()(curl_mime* m) const { curl_mime_free(m); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using List = std::unique_ptr<curl_slist, ListDeleter>;
using Mime = std::unique_ptr<curl_mime, MimeDeleter>;

void append(List& list, const std::string& line) {
    curl_slist* grown = curl_slist_append(list.get(), line.c_str());
    if (grown == nullptr) throw SmtpError("out of memory building the e-mail", false);
    list.release();
    list.reset(grown);
}

void check(CURLcode rc, const char* what) {
    if (rc != CURLE_OK) throw SmtpError(std::string(what) + ": " + curl_easy_strerror(rc), false);
}

bool has_user(const std::string& url) {
    const auto scheme = url.find("://");
    const auto at = url.find('@', scheme == std::string::npos ? 0 : scheme + 3);
    const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return at != std::string::npos && (slash == std::string::npos || at < slash);
}

}  // namespace

void init_smtp() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

SmtpClient::SmtpClient(std::string url, long timeout_seconds)
    : url_(std::move(url)), timeout_(timeout_seconds) {
    init_smtp();
}

void SmtpClient::send(const Message& m) const {
    const std::string from = address_of(m.from);
    const std::string to = address_of(m.to);
    if (from.empty()) throw SmtpError("the sender address is not an e-mail address", true);
    if (to.empty()) throw SmtpError("the recipient address is not an e-mail address", true);

    Easy curl(curl_easy_init());
    if (!curl) throw SmtpError("libcurl could not start", false);
    CURL* c = curl.get();
    check(curl_easy_setopt(c, CURLOPT_URL, url_.c_str()), "the SMTP URL");
    check(curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + from + ">").c_str()), "MAIL FROM");
    List rcpt;
    append(rcpt, "<" + to + ">");
    check(curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get()), "RCPT TO");
    check(curl_easy_setopt(c, CURLOPT_USE_SSL,
                           has_user(url_) ? long(CURLUSESSL_ALL) : long(CURLUSESSL_TRY)),
          "TLS");
    check(curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_), "timeout");
    check(curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, std::min(timeout_, 10L)), "timeout");
    check(curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L), "signals");

    // The display name of the sender is encoded; the addresses are ASCII.
    std::string from_header = m.from;
    if (const auto open = m.from.rfind('<'); open != std::string::npos && open > 0) {
        std::string name = m.from.substr(0, open);
        while (!name.empty() && name.back() == ' ') name.pop_back();
        from_header = header_text(name) + " <" + from + ">";
    }
    List headers;
    append(headers, "Date: " + rfc5322_date(m.date_ms));
    append(headers, "From: " + from_header);
    append(headers, "To: <" + to + ">");
    append(headers, "Subject: " + header_text(m.subject));
    if (!m.message_id.empty()) append(headers, "Message-ID: " + m.message_id);
    if (!m.language.empty()) append(headers, "Content-Language: " + m.language);
    append(headers, "Auto-Submitted: auto-generated");
    check(curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get()), "headers");

    Mime mime(curl_mime_init(c));
    curl_mimepart* body = curl_mime_addpart(mime.get());
    std::string text;  // CRLF line ends, as SMTP wants them
    for (const char ch : m.text) {
        if (ch == '\n') text += '\r';
        text += ch;
    }
    check(curl_mime_data(body, text.data(), text.size()), "the text");
    check(curl_mime_type(body, "text/plain; charset=UTF-8"), "the text");
    check(curl_mime_encoder(body, "quoted-printable"), "the text");
    for (const Attachment& a : m.attachments) {
        curl_mimepart* part = curl_mime_addpart(mime.get());
        check(curl_mime_data(part, a.data.data(), a.data.size()), "an attachment");
        check(curl_mime_type(part, a.content_type.c_str()), "an attachment");
        check(curl_mime_filename(part, a.filename.c_str()), "an attachment");
        check(curl_mime_encoder(part, "base64"), "an attachment");
    }
    check(curl_easy_setopt(c, CURLOPT_MIMEPOST, mime.get()), "the message");

    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) return;
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    // 5xx: the server will not take this message or address; anything else
    // (no connection, 4xx, a timeout) may go better later.
    // A refused login (530, 534, 535) is our configuration, not the message:
    // the mail waits for it to be mended.
    const bool permanent =
        reply >= 500 && reply < 600 && reply != 530 && reply != 534 && reply != 535;
    throw SmtpError(std::string("SMTP: ") + curl_easy_strerror(rc) +
                        (reply ? " (reply " + std::to_string(reply) + ")" : ""),
                    permanent);
}

}  // namespace wegwijs::mail

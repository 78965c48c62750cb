// An e-mail as Wegwijs sends it: plain text in UTF-8 and attachments, with
// the headers a mail client shows. Values only; no transport.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wegwijs::mail {

struct Attachment {
    std::string filename;      // "afspraak.ics"
    std::string content_type;  // "text/calendar; charset=UTF-8; method=PUBLISH"
    std::string data;
};

struct Message {
    std::string from;        // "Wegwijs <wegwijs@example.org>" or a bare address
    std::string to;          // a bare address
    std::string subject;     // UTF-8: encoded for the header when sent
    std::string text;        // the body, UTF-8, lines separated by \n
    std::string language;    // "nl": Content-Language
    std::string message_id;  // "<...@...>": the same for a retry of the same mail
    std::int64_t date_ms = 0;
    std::vector<Attachment> attachments;
};

// The address part of "Name <address>" or of a bare address; empty when
// there is none (no @, spaces or control characters in it).
std::string address_of(const std::string& mailbox);

// A header value in RFC 2047 form (=?UTF-8?B?...?=) when it is not plain ASCII.
std::string header_text(const std::string& utf8);

// "Wed, 02 Dec 2026 18:00:00 +0000" (RFC 5322).
std::string rfc5322_date(std::int64_t ms);

}  // namespace wegwijs::mail

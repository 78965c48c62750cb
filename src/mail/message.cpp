// Header forms for e-mail; see message.h.
#include "mail/message.h"

#include <openssl/evp.h>

#include <ctime>

namespace wegwijs::mail {

std::string address_of(const std::string& mailbox) {
    std::string a = mailbox;
    const auto open = a.rfind('<');
    if (open != std::string::npos) {
        const auto close = a.find('>', open);
        if (close == std::string::npos) return "";
        a = a.substr(open + 1, close - open - 1);
    }
    const auto at = a.find('@');
    if (a.empty() || at == std::string::npos || at == 0 || at + 1 == a.size()) return "";
    for (const unsigned char c : a)
        if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',') return "";
    return a;
}

std::string header_text(const std::string& utf8) {
    bool plain = true;
    for (const unsigned char c : utf8)
        if (c < 0x20 || c >= 0x7f) plain = false;
    if (plain) return utf8;
    // Encoded words of at most 75 characters (RFC 2047 section 2), cut
    // between UTF-8 characters: 45 bytes make 60 base64 characters.
    std::string out;
    std::size_t at = 0;
    while (at < utf8.size()) {
        std::size_t n = std::min<std::size_t>(45, utf8.size() - at);
        while (n > 0 && at + n < utf8.size() &&
               (static_cast<unsigned char>(utf8[at + n]) & 0xC0) == 0x80)
            --n;
        std::string b64(4 * ((n + 2) / 3) + 1, '\0');
        const int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                                        reinterpret_cast<const unsigned char*>(utf8.data() + at),
                                        static_cast<int>(n));
        b64.resize(static_cast<std::size_t>(len));
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + b64 + "?=";
        at += n;
    }
    return out;
}

std::string rfc5322_date(std::int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    static const char* const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
                  tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return buf;
}

}  // namespace wegwijs::mail

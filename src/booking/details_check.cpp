// Booking details: see details_check.h for the rules.
#include "booking/details_check.h"

#include <phonenumbers/phonenumberutil.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cctype>

#include "text/normalizer.h"

namespace wegwijs::booking {
namespace {

std::string_view trimmed(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

bool local_char(unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+/=?^_`{|}~.-").find(static_cast<char>(c)) !=
                                  std::string_view::npos;
}

bool domain_label(std::string_view label) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
        return false;
    for (unsigned char c : label)  // bytes >= 0x80: an internationalised domain in UTF-8
        if (!(std::isalnum(c) || c == '-' || c >= 0x80)) return false;
    return true;
}

}  // namespace

std::optional<std::string> checked_name(std::string_view text) {
    const std::string_view name = trimmed(text);
    if (name.empty() || name.size() > 400 || !text::is_valid_utf8(name)) return std::nullopt;
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
    if (u.countChar32() > 100) return std::nullopt;
    bool letter = false;
    for (int32_t i = 0; i < u.length();) {
        const UChar32 c = u.char32At(i);
        i += U16_LENGTH(c);
        if (u_iscntrl(c)) return std::nullopt;
        letter = letter || u_isalpha(c);
    }
    if (!letter) return std::nullopt;
    return std::string(name);
}

std::optional<std::string> checked_email(std::string_view text) {
    const std::string_view email = trimmed(text);
    if (email.size() < 6 || email.size() > 254 || !text::is_valid_utf8(email)) return std::nullopt;
    const auto at = email.find('@');
    if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos)
        return std::nullopt;
    const std::string_view local = email.substr(0, at);
    const std::string_view domain = email.substr(at + 1);
    if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
        local.find("..") != std::string_view::npos)
        return std::nullopt;
    for (unsigned char c : local)
        if (!local_char(c)) return std::nullopt;
    const auto dot = domain.rfind('.');
    if (dot == std::string_view::npos) return std::nullopt;
    for (std::size_t start = 0;;) {
        const auto end = domain.find('.', start);
        if (!domain_label(domain.substr(start, end - start))) return std::nullopt;
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    const std::string_view tld = domain.substr(dot + 1);
    if (tld.size() < 2) return std::nullopt;
    for (unsigned char c : tld)
        if (std::isdigit(c)) return std::nullopt;
    return std::string(email);
}

std::optional<std::string> checked_phone(std::string_view text) {
    const std::string_view phone = trimmed(text);
    if (phone.empty() || phone.size() > 40) return std::nullopt;
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    std::string input(phone);
    if (input.rfind("00", 0) == 0) input = "+" + input.substr(2);  // 0032... is +32...
    PhoneNumber number;
    if (util.Parse(input, "BE", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return std::nullopt;
    if (!util.IsValidNumber(number)) return std::nullopt;
    std::string e164;
    util.Format(number, PhoneNumberUtil::E164, &e164);
    return e164;
}

std::optional<int> checked_people(std::string_view text) {
    const std::string_view n = trimmed(text);
    if (n.empty() || n.size() > 2 || n.find_first_not_of("0123456789") != std::string_view::npos)
        return std::nullopt;
    const int people = std::stoi(std::string(n));
    if (people < 1 || people > kMaxPeople) return std::nullopt;
    return people;
}

}  // namespace wegwijs::booking

// Masking personal data for staff; see masking.h.
#include "staff/masking.h"

#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>

namespace wegwijs::staff {
namespace {

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool word_byte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || u >= 0x80;  // a letter of any script continues a word
}

// Replaces every occurrence of `needle` (ASCII letters in any case) that
// stands as a whole word; returns the text.
std::string replace_word(std::string text, const std::string& needle, const char* mask) {
    if (needle.size() < 2) return text;
    std::string folded(text.size(), ' ');
    std::transform(text.begin(), text.end(), folded.begin(), lower);
    std::string want(needle.size(), ' ');
    std::transform(needle.begin(), needle.end(), want.begin(), lower);
    std::string out;
    std::size_t from = 0;
    for (std::size_t at = folded.find(want); at != std::string::npos;
         at = folded.find(want, at + 1)) {
        if (at < from) continue;
        const std::size_t end = at + want.size();
        if ((at > 0 && word_byte(text[at - 1])) || (end < text.size() && word_byte(text[end])))
            continue;
        out += text.substr(from, at - from);
        out += mask;
        from = end;
    }
    return out + text.substr(from);
}

std::string replace_pattern(const std::string& text, const std::regex& pattern, const char* mask) {
    return std::regex_replace(text, pattern, mask);
}

const std::array<const char*, 18> kParticles = {"van", "der", "den", "de",  "het", "ter",
                                                "ten", "el",  "al",  "bin", "ben", "da",
                                                "di",  "du",  "la",  "le",  "von", "del"};

std::vector<std::string> name_parts(const std::string& name) {
    std::vector<std::string> parts{name};
    std::string part;
    for (std::size_t i = 0; i <= name.size(); ++i) {
        if (i < name.size() && name[i] != ' ' && name[i] != '-' && name[i] != ',') {
            part += name[i];
            continue;
        }
        std::string folded(part.size(), ' ');
        std::transform(part.begin(), part.end(), folded.begin(), lower);
        if (part.size() >= 2 &&
            std::find(kParticles.begin(), kParticles.end(), folded) == kParticles.end())
            parts.push_back(part);
        part.clear();
    }
    // Longest first, so the whole name goes as one mask.
    std::sort(parts.begin(), parts.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return parts;
}

// A code as people write it: ABCD-EFGH, abcd efgh, abcdefgh.
std::vector<std::string> code_forms(const std::string& code) {
    std::string bare;
    for (const char c : code)
        if (std::isalnum(static_cast<unsigned char>(c))) bare += c;
    if (bare.size() != 8) return {code};
    return {bare.substr(0, 4) + "-" + bare.substr(4), bare.substr(0, 4) + " " + bare.substr(4),
            bare};
}

std::string mask_phones(const std::string& text) {
    using i18n::phonenumbers::PhoneNumberMatch;
    using i18n::phonenumbers::PhoneNumberMatcher;
    using i18n::phonenumbers::PhoneNumberUtil;
    PhoneNumberMatcher matcher(*PhoneNumberUtil::GetInstance(), text, "BE",
                               PhoneNumberMatcher::POSSIBLE, 10000);
    std::string out;
    std::size_t from = 0;
    while (matcher.HasNext()) {
        PhoneNumberMatch m;
        if (!matcher.Next(&m)) break;
        const std::size_t at = text.find(m.raw_string(), from);
        if (at == std::string::npos) continue;
        out += text.substr(from, at - from);
        out += kMaskedPhone;
        from = at + m.raw_string().size();
    }
    return out + text.substr(from);
}

}  // namespace

std::string mask_text(const std::string& text, const KnownDetails& known) {
    static const std::regex email(R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+)");
    // The code alphabet: letters and digits without 0, O, 1, I and L.
    static const std::regex code(
        R"(\b[A-HJKMNP-Za-hjkmnp-z2-9]{4}-[A-HJKMNP-Za-hjkmnp-z2-9]{4}\b)");
    // The city's contacts stand aside as tokens no pattern reads (letters
    // between two private-use characters; a control character there stops
    // libphonenumber's matcher), and come back at the end.
    std::string out = text;
    std::vector<std::pair<std::string, const std::string*>> aside;
    for (const auto& p : known.public_details) {
        if (p.empty() || out.find(p) == std::string::npos) continue;
        std::string token = "\uE000";
        for (std::size_t n = aside.size() + 1; n > 0; n /= 26) token += char('a' + n % 26);
        token += "\uE000";
        for (std::size_t at = out.find(p); at != std::string::npos; at = out.find(p, at))
            out.replace(at, p.size(), token);
        aside.emplace_back(token, &p);
    }
    for (const auto& e : known.emails) out = replace_word(out, e, kMaskedEmail);
    out = replace_pattern(out, email, kMaskedEmail);
    for (const auto& c : known.codes)
        for (const auto& form : code_forms(c)) out = replace_word(out, form, kMaskedCode);
    out = replace_pattern(out, code, kMaskedCode);
    for (const auto& p : known.phones) out = replace_word(out, p, kMaskedPhone);
    out = mask_phones(out);
    for (const auto& n : known.names)
        for (const auto& part : name_parts(n)) out = replace_word(out, part, kMaskedName);
    for (const auto& [token, p] : aside)
        for (std::size_t at = out.find(token); at != std::string::npos; at = out.find(token, at))
            out.replace(at, token.size(), *p);
    return out;
}

const char* mask_for_answer(const std::string& expect) {
    if (expect == "name") return kMaskedName;
    if (expect == "email") return kMaskedEmail;
    if (expect == "tel") return kMaskedPhone;
    if (expect == "code") return kMaskedCode;
    return nullptr;
}

}  // namespace wegwijs::staff

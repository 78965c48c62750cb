#include "messages/message_catalog.h"

#include <unicode/msgfmt.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace wegwijs::messages {

struct MessageCatalog::Entry {
    std::unique_ptr<icu::MessageFormat> format;
};

MessageCatalog::MessageCatalog() = default;
MessageCatalog::~MessageCatalog() = default;
MessageCatalog::MessageCatalog(MessageCatalog&&) noexcept = default;
MessageCatalog& MessageCatalog::operator=(MessageCatalog&&) noexcept = default;

MessageCatalog MessageCatalog::load(const std::map<std::string, std::string>& files,
                                    std::vector<std::string>& problems) {
    MessageCatalog catalog;
    for (const auto& [locale, path] : files) {
        std::ifstream in(path);
        if (!in) {
            problems.push_back(locale + ": cannot read " + path);
            continue;
        }
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(in);
        } catch (const nlohmann::json::exception& e) {
            problems.push_back(locale + ": " + path + " is not valid JSON: " + e.what());
            continue;
        }
        auto& entries = catalog.by_locale_[locale];
        for (const auto& [key, value] : j.items()) {
            if (key.rfind("_", 0) == 0) continue;  // "_about" and other notes for editors
            if (!value.is_string()) {
                problems.push_back(locale + ": key '" + key + "' is not a string");
                continue;
            }
            UErrorCode status = U_ZERO_ERROR;
            UParseError where{};
            auto format = std::make_unique<icu::MessageFormat>(
                icu::UnicodeString::fromUTF8(value.get<std::string>()), icu::Locale(locale.c_str()),
                where, status);
            if (U_FAILURE(status)) {
                problems.push_back(locale + ": key '" + key +
                                   "' does not parse as ICU MessageFormat (" + u_errorName(status) +
                                   " at offset " + std::to_string(where.offset) + ")");
                continue;
            }
            auto entry = std::make_shared<Entry>();
            entry->format = std::move(format);
            entries.emplace(key, std::move(entry));
        }
    }
    return catalog;
}

bool MessageCatalog::has(const std::string& locale, const std::string& key) const {
    const auto it = by_locale_.find(locale);
    return it != by_locale_.end() && it->second.count(key) > 0;
}

std::string MessageCatalog::format(const std::string& locale, const std::string& key,
                                   const Args& args) const {
    const auto& entry = by_locale_.at(locale).at(key);
    // MessageFormat::format is const but not documented as thread-safe: format a copy.
    const std::unique_ptr<icu::MessageFormat> format(entry->format->clone());
    std::vector<icu::UnicodeString> names;
    std::vector<icu::Formattable> values;
    for (const auto& [name, value] : args) {
        names.push_back(icu::UnicodeString::fromUTF8(name));
        values.emplace_back(icu::UnicodeString::fromUTF8(value));
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString out;
    format->format(names.data(), values.data(), static_cast<int32_t>(names.size()), out, status);
    if (U_FAILURE(status))
        throw std::runtime_error("message " + locale + ":" + key +
                                 " failed to format: " + u_errorName(status));
    std::string utf8;
    out.toUTF8String(utf8);
    return utf8;
}

std::vector<std::string> MessageCatalog::keys(const std::string& locale) const {
    std::vector<std::string> out;
    const auto it = by_locale_.find(locale);
    if (it == by_locale_.end()) return out;
    for (const auto& [key, _] : it->second) out.push_back(key);
    return out;
}

std::vector<std::string> MessageCatalog::locales() const {
    std::vector<std::string> out;
    for (const auto& [locale, _] : by_locale_) out.push_back(locale);
    return out;
}

}  // namespace wegwijs::messages

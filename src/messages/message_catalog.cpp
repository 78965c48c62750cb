// Loading and formatting of the locales' ICU MessageFormat patterns.
#include "messages/message_catalog.h"

#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

namespace wegwijs::messages {

// A parsed pattern, the names of the arguments it uses (at any depth, inside
// plural and select too), which of them are numbers (a plural, or a simple
// argument of type number), and, for a pattern without arguments, its text.
struct MessageCatalog::Entry {
    std::unique_ptr<icu::MessageFormat> format;
    std::vector<std::string> names;
    std::vector<bool> numeric;  // per name
    std::optional<std::string> constant;
};

namespace {

void argument_names(const icu::UnicodeString& text, std::vector<std::string>& names,
                    std::vector<bool>& numeric) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::MessagePattern pattern(text, nullptr, status);
    if (U_FAILURE(status)) return;
    for (int32_t i = 0; i + 1 < pattern.countParts(); ++i) {
        const icu::MessagePattern::Part& start = pattern.getPart(i);
        const icu::MessagePattern::Part& part = pattern.getPart(i + 1);
        if (start.getType() != UMSGPAT_PART_TYPE_ARG_START ||
            part.getType() != UMSGPAT_PART_TYPE_ARG_NAME)
            continue;
        std::string name;
        pattern.getSubstring(part).toUTF8String(name);
        bool number = start.getArgType() == UMSGPAT_ARG_TYPE_PLURAL ||
                      start.getArgType() == UMSGPAT_ARG_TYPE_SELECTORDINAL;
        if (start.getArgType() == UMSGPAT_ARG_TYPE_SIMPLE && i + 2 < pattern.countParts() &&
            pattern.getPart(i + 2).getType() == UMSGPAT_PART_TYPE_ARG_TYPE)
            number = pattern.getSubstring(pattern.getPart(i + 2)) == u"number";
        const auto at = std::find(names.begin(), names.end(), name);
        if (at == names.end()) {
            names.push_back(name);
            numeric.push_back(number);
        } else if (number) {
            numeric[static_cast<std::size_t>(at - names.begin())] = true;
        }
    }
}

}  // namespace

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
            const icu::UnicodeString text = icu::UnicodeString::fromUTF8(value.get<std::string>());
            auto format = std::make_unique<icu::MessageFormat>(text, icu::Locale(locale.c_str()),
                                                               where, status);
            if (U_FAILURE(status)) {
                problems.push_back(locale + ": key '" + key +
                                   "' does not parse as ICU MessageFormat (" + u_errorName(status) +
                                   " at offset " + std::to_string(where.offset) + ")");
                // Kept, without a pattern, so that it is not also reported as missing.
                entries.emplace(key, std::make_shared<Entry>());
                continue;
            }
            auto entry = std::make_shared<Entry>();
            entry->format = std::move(format);
            argument_names(text, entry->names, entry->numeric);
            if (entry->names.empty()) {  // format once now; apostrophe quoting still applies
                icu::UnicodeString out;
                entry->format->format(nullptr, nullptr, 0, out, status);
                if (U_SUCCESS(status)) out.toUTF8String(entry->constant.emplace());
            }
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
    if (entry->constant) return *entry->constant;
    if (!entry->format)
        throw std::runtime_error("message " + locale + ":" + key + " does not parse");
    // MessageFormat::format is const but not documented as thread-safe: format a copy.
    const std::unique_ptr<icu::MessageFormat> format(entry->format->clone());
    std::vector<icu::UnicodeString> names;
    std::vector<icu::Formattable> values;
    for (std::size_t i = 0; i < entry->names.size(); ++i) {  // only the arguments it uses
        const std::string& name = entry->names[i];
        const auto value = args.find(name);
        if (value == args.end()) continue;
        names.push_back(icu::UnicodeString::fromUTF8(name));
        if (entry->numeric[i]) {
            std::size_t used = 0;
            double number = 0;
            try {
                number = std::stod(value->second, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used == 0 || used != value->second.size())
                throw std::invalid_argument("message " + locale + ":" + key + ": argument '" +
                                            name + "' must be a number, not '" + value->second +
                                            "'");
            values.emplace_back(number);
        } else {
            values.emplace_back(icu::UnicodeString::fromUTF8(value->second));
        }
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

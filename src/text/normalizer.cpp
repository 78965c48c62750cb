// Normalisation with ICU: Normalizer2 (NFKD), character properties, regex
// rewrites and the word break iterator. ICU objects that are not thread-safe
// are never shared: the BreakIterator is per thread, and a set of
// RegexMatchers (one per rule) is leased from a pool for one fold() call.
#include "text/normalizer.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/regex.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <mutex>
#include <stdexcept>

namespace wegwijs::text {
namespace {

bool is_ascii(std::string_view s) {
    for (const char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

// For ASCII text NFKD changes nothing, there are no marks to strip, and case
// folding is lower-casing: the same result as the ICU path, without ICU.
std::string ascii_fold(std::string_view ascii) {
    std::string out(ascii);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

icu::UnicodeString strip_and_fold(std::string_view utf8) {
    if (is_ascii(utf8)) return icu::UnicodeString::fromUTF8(ascii_fold(utf8));
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU NFKD normaliser unavailable");
    icu::UnicodeString source = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    icu::UnicodeString decomposed = nfkd->normalize(source, status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU normalisation failed");
    icu::UnicodeString out;
    for (int32_t i = 0; i < decomposed.length();) {
        const UChar32 c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        if (u_charType(c) == U_NON_SPACING_MARK) continue;
        out.append(c);
    }
    out.foldCase();
    return out;
}

struct BreakIteratorDeleter {
    void operator()(icu::BreakIterator* it) const { delete it; }
};

icu::BreakIterator& word_iterator() {
    thread_local std::unique_ptr<icu::BreakIterator, BreakIteratorDeleter> it = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator, BreakIteratorDeleter> created(
            icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
        if (U_FAILURE(status)) throw std::runtime_error("ICU word break iterator unavailable");
        return created;
    }();
    return *it;
}

}  // namespace

struct Normalizer::Rules {
    struct Compiled {
        std::unique_ptr<icu::RegexPattern> pattern;
        icu::UnicodeString replacement;
    };
    using Matchers = std::vector<std::unique_ptr<icu::RegexMatcher>>;

    std::vector<Compiled> rules;

    // Matchers are costly to build and not thread-safe: each fold() takes a
    // set from the pool (or builds one) and gives it back when done.
    std::mutex pool_lock;
    std::vector<Matchers> pool;

    Matchers take() {
        {
            std::lock_guard<std::mutex> guard(pool_lock);
            if (!pool.empty()) {
                Matchers m = std::move(pool.back());
                pool.pop_back();
                return m;
            }
        }
        Matchers m;
        for (const Compiled& rule : rules) {
            UErrorCode status = U_ZERO_ERROR;
            m.emplace_back(rule.pattern->matcher(status));
            if (U_FAILURE(status)) throw std::runtime_error("ICU regex matcher unavailable");
        }
        return m;
    }
    void give_back(Matchers m) {
        std::lock_guard<std::mutex> guard(pool_lock);
        pool.push_back(std::move(m));
    }
};

bool is_valid_utf8(std::string_view bytes) {
    const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
    const int32_t length = static_cast<int32_t>(bytes.size());
    for (int32_t i = 0; i < length;) {
        UChar32 c;
        U8_NEXT(s, i, length, c);
        if (c < 0) return false;
    }
    return true;
}

double non_latin_share(std::string_view utf8) {
    if (is_ascii(utf8)) return 0.0;  // ASCII letters are all Latin
    const icu::UnicodeString s = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    int letters = 0;
    int other = 0;
    for (int32_t i = 0; i < s.length();) {
        const UChar32 c = s.char32At(i);
        i += U16_LENGTH(c);
        if (!u_isalpha(c)) continue;
        ++letters;
        UErrorCode status = U_ZERO_ERROR;
        const UScriptCode script = uscript_getScript(c, &status);
        if (U_SUCCESS(status) && script != USCRIPT_LATIN && script != USCRIPT_COMMON &&
            script != USCRIPT_INHERITED)
            ++other;
    }
    return letters == 0 ? 0.0 : static_cast<double>(other) / letters;
}

Normalizer::Normalizer(const std::vector<Rewrite>& rewrites) : rules_(std::make_unique<Rules>()) {
    for (const Rewrite& r : rewrites) {
        UErrorCode status = U_ZERO_ERROR;
        UParseError where{};
        std::unique_ptr<icu::RegexPattern> pattern(
            icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(r.pattern), 0, where, status));
        if (U_FAILURE(status))
            throw std::invalid_argument("rewrite pattern does not compile: " + r.pattern);
        rules_->rules.push_back({std::move(pattern), icu::UnicodeString::fromUTF8(r.replacement)});
    }
}

Normalizer::~Normalizer() = default;

std::string Normalizer::fold_plain(std::string_view utf8) {
    if (is_ascii(utf8)) return ascii_fold(utf8);
    std::string out;
    strip_and_fold(utf8).toUTF8String(out);
    return out;
}

std::string Normalizer::fold(std::string_view utf8) const {
    icu::UnicodeString s = strip_and_fold(utf8);
    // Given back to the pool on every way out; a matcher's stale reference to
    // this text is never used, as each use starts with reset().
    struct Lease {
        Rules& rules;
        Rules::Matchers matchers;
        ~Lease() { rules.give_back(std::move(matchers)); }
    } lease{*rules_, rules_->take()};
    Rules::Matchers& matchers = lease.matchers;
    for (std::size_t i = 0; i < matchers.size(); ++i) {
        icu::RegexMatcher& matcher = *matchers[i];
        UErrorCode status = U_ZERO_ERROR;
        matcher.reset(s);
        // Most rules do not match: finding nothing costs no copy of the text.
        if (!matcher.find(0, status) || U_FAILURE(status)) continue;
        icu::UnicodeString rewritten = matcher.replaceAll(rules_->rules[i].replacement, status);
        if (U_FAILURE(status)) throw std::runtime_error("ICU regex replacement failed");
        s = std::move(rewritten);
    }
    std::string out;
    s.toUTF8String(out);
    return out;
}

std::vector<std::string> Normalizer::words(std::string_view folded) const {
    const icu::UnicodeString s = icu::UnicodeString::fromUTF8(
        icu::StringPiece(folded.data(), static_cast<int32_t>(folded.size())));
    icu::BreakIterator& it = word_iterator();
    it.setText(s);
    std::vector<std::string> out;
    int32_t start = it.first();
    for (int32_t end = it.next(); end != icu::BreakIterator::DONE; start = end, end = it.next()) {
        if (it.getRuleStatus() == UBRK_WORD_NONE) continue;
        std::string word;
        s.tempSubStringBetween(start, end).toUTF8String(word);
        out.push_back(std::move(word));
    }
    return out;
}

}  // namespace wegwijs::text

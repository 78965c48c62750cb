// The rewrite rules' filter of rewrite_filter.h: two readings of a pattern.
//
// needs: each atom of the pattern's top-level sequence that a match cannot
// skip (a literal character, an escaped one, \d, a simple class) is a set
// of characters of which a match holds one; a group adds what its content
// needs, or, with alternatives, the union of one set from each; an optional
// atom (?, *, {0,...}) adds nothing. A pattern with alternatives at its top,
// inline flags or look-around ((?...)), back-references or escapes with
// arguments is not read at all.
//
// starts: the texts every match begins with (see match_starts).
#include "text/rewrite_filter.h"

#include <cstddef>
#include <optional>
#include <string>

namespace wegwijs::text {
namespace {

bool is_regex_syntax(char c) {
    return std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos;
}

// The plain characters a regex (piece) begins with, up to the first syntax;
// a character that a quantifier makes optional is not part of it.
std::string literal_prefix(std::string_view p) {
    std::size_t n = 0;
    while (n < p.size() && !is_regex_syntax(p[n])) ++n;
    if (n > 0 && n < p.size() && (p[n] == '?' || p[n] == '*' || p[n] == '{')) {
        --n;  // the last character, whole (it may take several bytes), is optional
        while (n > 0 && (static_cast<unsigned char>(p[n]) & 0xC0) == 0x80) --n;
    }
    return std::string(p.substr(0, n));
}

// A cheap test that spares running a rule on a text it cannot match (most
// rules, most texts): the texts every match of the pattern begins with, read
// off its start, for the shapes the rewrite rules take: an optional \b, then
// plain characters, or a group of alternatives each beginning with plain
// characters. For any other shape, nothing (the rule always runs), so the
// test can only spare work, never change a result.
std::vector<std::string> match_starts(std::string_view p) {
    if (p.substr(0, 2) == "\\b") p.remove_prefix(2);
    if (p.empty()) return {};
    if (p[0] != '(') {
        if (p.find('|') != std::string_view::npos) return {};  // alternatives: not read
        std::string prefix = literal_prefix(p);
        if (prefix.empty()) return {};
        return {prefix};
    }
    if (p.size() < 2 || p[1] == '?') return {};  // (?:, (?i), look-around: not read
    const std::size_t close = p.find(')');
    if (close == std::string_view::npos) return {};
    const std::string_view group = p.substr(1, close - 1);
    // Nested groups, escapes and classes inside, or alternatives after: not read.
    if (group.find_first_of("(\\[") != std::string_view::npos ||
        p.find('|', close) != std::string_view::npos)
        return {};
    if (close + 1 < p.size() &&
        std::string_view("?*{").find(p[close + 1]) != std::string_view::npos)
        return {};  // the group may match nothing
    std::vector<std::string> starts;
    for (std::size_t from = 0;;) {
        const std::size_t bar = group.find('|', from);
        const std::string_view alternative =
            group.substr(from, bar == std::string_view::npos ? std::string_view::npos : bar - from);
        std::string prefix = literal_prefix(alternative);
        if (prefix.empty()) return {};
        starts.push_back(std::move(prefix));
        if (bar == std::string_view::npos) return starts;
        from = bar + 1;
    }
}

bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

CharSet single(char c) {
    CharSet s;
    s.ascii.set(static_cast<unsigned char>(c));
    return s;
}

CharSet digits() {
    CharSet s;
    for (char c = '0'; c <= '9'; ++c) s.ascii.set(static_cast<unsigned char>(c));
    return s;
}

CharSet non_ascii() {
    CharSet s;
    s.other = true;
    return s;
}

// What alternatives need together: one set from each, united (the smallest,
// so that the union stays telling); nothing if any alternative needs nothing.
std::vector<CharSet> either(const std::vector<std::vector<CharSet>>& alternatives) {
    if (alternatives.size() == 1) return alternatives.front();
    CharSet any;
    for (const auto& needs : alternatives) {
        if (needs.empty()) return {};
        const CharSet* smallest = &needs.front();
        for (const auto& s : needs)
            if (s.ascii.count() + s.other < smallest->ascii.count() + smallest->other)
                smallest = &s;
        any.ascii |= smallest->ascii;
        any.other = any.other || smallest->other;
    }
    return {any};
}

class NeedsReader {
  public:
    explicit NeedsReader(std::string_view p) : p_(p) {}

    // Empty when nothing is known.
    std::vector<CharSet> read() {
        if (p_.find("(?") != std::string_view::npos) return {};
        std::vector<std::vector<CharSet>> alternatives;
        if (!alternatives_until(false, alternatives) || alternatives.size() != 1) return {};
        return alternatives.front();
    }

  private:
    bool alternatives_until(bool in_group, std::vector<std::vector<CharSet>>& alternatives) {
        alternatives.emplace_back();
        while (i_ < p_.size()) {
            const char c = p_[i_];
            if (c == '|') {
                ++i_;
                alternatives.emplace_back();
                continue;
            }
            if (c == ')') {
                ++i_;
                return in_group;
            }
            std::vector<CharSet> atom;
            bool optional = false;
            if (!read_atom(atom) || !read_quantifier(optional)) return false;
            if (!optional)
                alternatives.back().insert(alternatives.back().end(), atom.begin(), atom.end());
        }
        return !in_group;
    }

    // A multi-byte UTF-8 character whose lead byte is at i_: skipped whole.
    void skip_utf8() {
        ++i_;
        while (i_ < p_.size() && (static_cast<unsigned char>(p_[i_]) & 0xC0) == 0x80) ++i_;
    }

    bool read_atom(std::vector<CharSet>& out) {
        const char c = p_[i_];
        if (c == '(') {
            ++i_;
            std::vector<std::vector<CharSet>> alternatives;
            if (!alternatives_until(true, alternatives)) return false;
            out = either(alternatives);
            return true;
        }
        if (c == '[') {
            std::optional<CharSet> set;
            if (!read_class(set)) return false;
            if (set) out.push_back(*set);
            return true;
        }
        if (c == '\\') {
            if (++i_ >= p_.size()) return false;
            const char e = p_[i_];
            if (static_cast<unsigned char>(e) >= 0x80) {
                skip_utf8();
                out.push_back(non_ascii());
                return true;
            }
            ++i_;
            if (e == 'd') {
                out.push_back(digits());
                return true;
            }
            if (std::string_view("bBAzZGsSwWDhHvVRX").find(e) != std::string_view::npos)
                return true;                      // zero-width, or a class not read: needs nothing
            if (is_ascii_alnum(e)) return false;  // back-references, escapes with arguments
            out.push_back(single(e));
            return true;
        }
        if (c == '.' || c == '^' || c == '$') {
            ++i_;
            return true;
        }
        if (std::string_view("?*+{}]").find(c) != std::string_view::npos) return false;
        if (static_cast<unsigned char>(c) >= 0x80) {
            skip_utf8();
            out.push_back(non_ascii());
            return true;
        }
        ++i_;
        out.push_back(single(c));
        return true;
    }

    // After an atom: ?, *, {0...} make it optional; lazy and possessive marks follow.
    bool read_quantifier(bool& optional) {
        if (i_ >= p_.size()) return true;
        const char q = p_[i_];
        if (q == '?' || q == '*') {
            optional = true;
            ++i_;
        } else if (q == '+') {
            ++i_;
        } else if (q == '{') {
            const std::size_t close = p_.find('}', i_);
            if (close == std::string_view::npos || p_[i_ + 1] < '0' || p_[i_ + 1] > '9')
                return false;  // {n}, {n,}, {n,m}: a count comes first
            optional = p_[i_ + 1] == '0' && (p_[i_ + 2] == ',' || p_[i_ + 2] == '}');
            i_ = close + 1;
        } else {
            return true;
        }
        if (i_ < p_.size() && (p_[i_] == '?' || p_[i_] == '+')) ++i_;
        return true;
    }

    // A class of literals, ranges and \d; negated or with \s and the like: the
    // class is skipped and needs nothing (out stays empty). False for what is
    // not read at all: nested sets, set operations, POSIX-like [:name:], a
    // leading ']', escapes with arguments.
    bool read_class(std::optional<CharSet>& out) {
        ++i_;  // '['
        bool known = true;
        if (i_ < p_.size() && p_[i_] == '^') {
            known = false;
            ++i_;
        }
        if (i_ < p_.size() && (p_[i_] == ']' || p_[i_] == ':')) return false;
        CharSet set;
        while (i_ < p_.size()) {
            const char c = p_[i_];
            if (c == ']') {
                ++i_;
                if (known) out = set;
                return true;
            }
            if (c == '[' || p_.substr(i_, 2) == "&&" || p_.substr(i_, 2) == "--") return false;
            if (c == '\\') {
                if (i_ + 1 >= p_.size()) return false;
                const char e = p_[i_ + 1];
                i_ += 2;
                if (e == 'd') {
                    set.ascii |= digits().ascii;
                } else if (static_cast<unsigned char>(e) >= 0x80) {
                    --i_;
                    skip_utf8();
                    set.other = true;
                } else if (is_ascii_alnum(e)) {
                    if (std::string_view("sSwWDhHvV").find(e) == std::string_view::npos)
                        return false;  // \p{...}, \x.., \u....: not read
                    known = false;
                } else {
                    set.ascii.set(static_cast<unsigned char>(e));
                }
                continue;
            }
            if (static_cast<unsigned char>(c) >= 0x80) {
                skip_utf8();
                set.other = true;
                if (i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') return false;
                continue;
            }
            ++i_;
            if (i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
                const char to = p_[i_ + 1];
                if (to == '\\' || to == '[') return false;
                i_ += 2;
                if (static_cast<unsigned char>(to) >= 0x80) {  // a range out of ASCII
                    --i_;
                    skip_utf8();
                    set.other = true;
                    for (int x = static_cast<unsigned char>(c); x < 128; ++x) set.ascii.set(x);
                    continue;
                }
                if (to < c) return false;
                for (int x = static_cast<unsigned char>(c); x <= static_cast<unsigned char>(to);
                     ++x)
                    set.ascii.set(static_cast<std::size_t>(x));
                continue;
            }
            set.ascii.set(static_cast<unsigned char>(c));
        }
        return false;
    }

    std::string_view p_;
    std::size_t i_ = 0;
};

}  // namespace

CharSet CharSet::of(const icu::UnicodeString& text) {
    CharSet s;
    const char16_t* units = text.getBuffer();
    for (int32_t i = 0; i < text.length(); ++i) {
        if (units[i] < 128)
            s.ascii.set(units[i]);
        else
            s.other = true;
    }
    return s;
}

RewriteFilter::RewriteFilter(std::string_view pattern) : needs_(NeedsReader(pattern).read()) {
    for (const auto& start : match_starts(pattern)) {
        starts_.push_back(icu::UnicodeString::fromUTF8(start));
        start_chars_.push_back(CharSet::of(starts_.back()));
    }
}

bool RewriteFilter::may_match(const icu::UnicodeString& text, const CharSet& chars) const {
    for (const CharSet& need : needs_)
        if (!need.intersects(chars)) return false;
    if (starts_.empty()) return true;
    for (std::size_t i = 0; i < starts_.size(); ++i)
        if (start_chars_[i].within(chars) && text.indexOf(starts_[i]) >= 0) return true;
    return false;
}

}  // namespace wegwijs::text

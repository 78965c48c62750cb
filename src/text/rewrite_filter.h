// A cheap test that spares running a rewrite rule's regex on a text it cannot
// match: most rules match few texts, and a regex search costs far more than
// looking at which characters a text holds.
//
// Guarantee: may_match() is false only when no match is possible, read off
// the pattern for the shapes the rewrite rules take. A pattern, or a part of
// one, that is not understood adds no condition, so the filter can only spare
// work, never change a result.
#pragma once

#include <unicode/unistr.h>

#include <bitset>
#include <string_view>
#include <vector>

namespace wegwijs::text {

// A set of characters: ASCII ones one by one, all others as one member.
struct CharSet {
    std::bitset<128> ascii;
    bool other = false;
    bool intersects(const CharSet& b) const {
        return (ascii & b.ascii).any() || (other && b.other);
    }
    bool within(const CharSet& b) const { return (ascii & ~b.ascii).none() && (!other || b.other); }
    static CharSet of(const icu::UnicodeString& text);  // the characters a text holds
};

class RewriteFilter {
  public:
    explicit RewriteFilter(std::string_view pattern);

    // chars: CharSet::of(text), computed once for the rules that test a text.
    bool may_match(const icu::UnicodeString& text, const CharSet& chars) const;

    // What was read off the pattern (for tests): every match holds a
    // character of each set.
    const std::vector<CharSet>& needs() const { return needs_; }

  private:
    std::vector<CharSet> needs_;
    std::vector<icu::UnicodeString> starts_;  // every match begins with one; empty: not known
    std::vector<CharSet> start_chars_;        // the characters of each start
};

}  // namespace wegwijs::text

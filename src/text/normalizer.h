// Text normalisation for language understanding.
//
// Guarantees: fold() is deterministic and thread-safe; it maps a UTF-8 string
// to lower case without accents (NFKD, non-spacing marks removed, case
// folded), then applies the rewrite rules given at construction, in order.
// words() returns the letter/number words of folded text, split by ICU's word
// break rules. Invalid UTF-8 must be rejected by the caller (is_valid_utf8).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wegwijs::text {

// A regular expression (ICU syntax) and its replacement ($1 refers to groups).
struct Rewrite {
    std::string pattern;
    std::string replacement;
};

bool is_valid_utf8(std::string_view bytes);

// Share (0..1) of the letters in the text that are not in the Latin script.
double non_latin_share(std::string_view utf8);

class Normalizer {
  public:
    // Throws std::invalid_argument naming the rule when a pattern does not compile.
    explicit Normalizer(const std::vector<Rewrite>& rewrites);
    ~Normalizer();
    Normalizer(const Normalizer&) = delete;
    Normalizer& operator=(const Normalizer&) = delete;

    std::string fold(std::string_view utf8) const;
    std::vector<std::string> words(std::string_view folded) const;

    // Folds a single word or phrase without the rewrite rules (for data).
    static std::string fold_plain(std::string_view utf8);

  private:
    struct Rules;
    std::unique_ptr<Rules> rules_;
};

}  // namespace wegwijs::text

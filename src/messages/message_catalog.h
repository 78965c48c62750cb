// Every user-facing sentence, from locales/<locale>.json, as ICU MessageFormat.
//
// Guarantees: every pattern is parsed once at load (load() reports each one
// that does not parse); format() is thread-safe (it formats with a copy of
// the parsed pattern) and never returns an empty string for a known key.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace wegwijs::messages {

// Argument values by name. A value the pattern uses as a number (in a plural,
// or as {n, number}) must be written as one: "3".
using Args = std::map<std::string, std::string>;

class MessageCatalog {
  public:
    // locale -> path; problems get one line each ("en: key 'x' does not parse: ...").
    static MessageCatalog load(const std::map<std::string, std::string>& files,
                               std::vector<std::string>& problems);

    bool has(const std::string& locale, const std::string& key) const;
    // Throws std::out_of_range for an unknown locale or key, std::runtime_error
    // for a key whose pattern did not parse (such data is never served).
    std::string format(const std::string& locale, const std::string& key,
                       const Args& args = {}) const;
    std::vector<std::string> keys(const std::string& locale) const;
    std::vector<std::string> locales() const;

    MessageCatalog();
    ~MessageCatalog();
    MessageCatalog(MessageCatalog&&) noexcept;
    MessageCatalog& operator=(MessageCatalog&&) noexcept;

  private:
    struct Entry;
    std::map<std::string, std::map<std::string, std::shared_ptr<const Entry>>> by_locale_;
};

}  // namespace wegwijs::messages

// Spelling dictionaries (Hunspell, Debian's hunspell-nl and hunspell-en-us).
//
// Used for two things only: a word that a dictionary knows is never "corrected"
// as a typo, and a word that exactly one language knows counts as evidence for
// that language. Guarantees: knows() is thread-safe; the dictionaries are
// loaded in parallel at construction (they take most of the start-up time).
// Answers are remembered in a WordCache, so the words citizens use again and
// again do not queue on the one Hunspell object.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "language/word_cache.h"

class Hunspell;

namespace wegwijs::language {

class Dictionaries {
  public:
    // language code -> path without extension, e.g. {"nl", "/usr/share/hunspell/nl"}.
    // Throws std::runtime_error naming the file when a dictionary is missing.
    explicit Dictionaries(const std::map<std::string, std::string>& paths);
    ~Dictionaries();

    bool knows(const std::string& language, const std::string& word) const;

    static std::map<std::string, std::string> debian_defaults();

  private:
    struct Entry {
        std::unique_ptr<Hunspell> speller;
        std::mutex lock;  // Hunspell keeps per-call state inside the object
        WordCache<bool> known;
    };
    std::map<std::string, std::unique_ptr<Entry>> entries_;
};

}  // namespace wegwijs::language

// Spelling dictionaries (Hunspell, Debian's hunspell-nl and hunspell-en-us).
//
// Used for two things only: a word that a dictionary knows is never "corrected"
// as a typo, and a word that exactly one language knows counts as evidence for
// that language. Guarantees: knows() is thread-safe; the dictionaries load
// in the background from construction on, in parallel (they take most of the
// start-up time, so the dialog data loads meanwhile), and knows() or wait()
// waits for them.
// Answers are remembered in a WordCache, so the words citizens use again and
// again do not queue on the one Hunspell object.
#pragma once

#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

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
    void wait() const;  // until every dictionary is loaded

    static std::map<std::string, std::string> debian_defaults();

  private:
    struct Entry {
        std::unique_ptr<Hunspell> speller;
        std::mutex lock;  // Hunspell keeps per-call state inside the object
        WordCache<bool> known;
    };
    // Invariant: entries_ is filled once, by wait(), from loading_; after
    // that it is only read (each Entry guards its own Hunspell).
    mutable std::once_flag loaded_;
    mutable std::vector<std::pair<std::string, std::future<std::unique_ptr<Hunspell>>>> loading_;
    mutable std::map<std::string, std::unique_ptr<Entry>> entries_;
};

}  // namespace wegwijs::language

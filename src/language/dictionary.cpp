// Hunspell behind a lock and a cache; see dictionary.h.
#include "language/dictionary.h"

#include <filesystem>
#include <future>
#include <hunspell/hunspell.hxx>
#include <stdexcept>
#include <vector>

namespace wegwijs::language {

Dictionaries::Dictionaries(const std::map<std::string, std::string>& paths) {
    for (const auto& [language, base] : paths) {
        for (const char* ext : {".aff", ".dic"})
            if (!std::filesystem::exists(base + ext))
                throw std::runtime_error("Hunspell dictionary missing: " + base + ext +
                                         " (apt-get install hunspell-nl hunspell-en-us)");
        loading_.emplace_back(language, std::async(std::launch::async, [base = base] {
                                  return std::make_unique<Hunspell>((base + ".aff").c_str(),
                                                                    (base + ".dic").c_str());
                              }));
    }
}

Dictionaries::~Dictionaries() = default;  // a future of std::async waits for its thread

void Dictionaries::wait() const {
    std::call_once(loaded_, [this] {
        for (auto& [language, future] : loading_) {
            auto entry = std::make_unique<Entry>();
            entry->speller = future.get();
            entries_.emplace(language, std::move(entry));
        }
        loading_.clear();
    });
}

bool Dictionaries::knows(const std::string& language, const std::string& word) const {
    wait();
    const auto it = entries_.find(language);
    if (it == entries_.end()) return false;
    Entry& entry = *it->second;
    return entry.known.get(word, [&entry](std::string_view w) {
        std::lock_guard<std::mutex> guard(entry.lock);
        return entry.speller->spell(std::string(w));
    });
}

std::map<std::string, std::string> Dictionaries::debian_defaults() {
    return {{"nl", "/usr/share/hunspell/nl"}, {"en", "/usr/share/hunspell/en_US"}};
}

}  // namespace wegwijs::language

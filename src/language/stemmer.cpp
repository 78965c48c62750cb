// Snowball stems. libstemmer's sb_stemmer keeps its work buffer inside the
// handle, so each thread owns its own handle per language; stems are
// remembered in a WordCache shared by all threads.
#include "language/stemmer.h"

#include <libstemmer.h>

#include <memory>
#include <stdexcept>

#include "language/word_cache.h"

namespace wegwijs::language {
namespace {

struct StemmerDeleter {
    void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};
using StemmerHandle = std::unique_ptr<sb_stemmer, StemmerDeleter>;

StemmerHandle make(const char* algorithm) {
    StemmerHandle h(sb_stemmer_new(algorithm, "UTF_8"));
    if (!h) throw std::runtime_error(std::string("Snowball stemmer unavailable: ") + algorithm);
    return h;
}

std::string compute_stem(sb_stemmer* s, std::string_view word) {
    const sb_symbol* out = sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(word.data()),
                                           static_cast<int>(word.size()));
    if (out == nullptr) throw std::bad_alloc();
    return std::string(reinterpret_cast<const char*>(out), sb_stemmer_length(s));
}

}  // namespace

std::string stem(std::string_view language, std::string_view word) {
    static WordCache<std::string> dutch_stems;
    static WordCache<std::string> english_stems;
    thread_local StemmerHandle dutch = make("dutch");
    thread_local StemmerHandle english = make("english");
    if (language == "nl")
        return dutch_stems.get(word,
                               [&](std::string_view w) { return compute_stem(dutch.get(), w); });
    if (language == "en")
        return english_stems.get(
            word, [&](std::string_view w) { return compute_stem(english.get(), w); });
    return std::string(word);
}

}  // namespace wegwijs::language

// libstemmer's sb_stemmer keeps its work buffer inside the handle, so each
// thread owns its own handle per language.
#include "language/stemmer.h"

#include <libstemmer.h>

#include <memory>
#include <stdexcept>

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

}  // namespace

std::string stem(std::string_view language, std::string_view word) {
    thread_local StemmerHandle dutch = make("dutch");
    thread_local StemmerHandle english = make("english");
    sb_stemmer* s = language == "nl" ? dutch.get() : language == "en" ? english.get() : nullptr;
    if (s == nullptr) return std::string(word);
    const sb_symbol* out = sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(word.data()),
                                           static_cast<int>(word.size()));
    if (out == nullptr) throw std::bad_alloc();
    return std::string(reinterpret_cast<const char*>(out), sb_stemmer_length(s));
}

}  // namespace wegwijs::language

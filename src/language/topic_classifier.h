// The topic classifier: which product (or "vague", or "out_of_scope") a
// whole sentence is about, learnt from dialogs/examples/ with fastText.
//
// fastText's character n-grams carry typos, compounds and inflections that no
// lexicon lists, and its sentence-level decision keeps a single word from
// outweighing what the sentence means. The lexicon still reads facts and
// slot values; dialog/understanding.h combines the two.
//
// Guarantees: training is deterministic (one thread, a fixed seed), so the
// same examples give the same model on every machine; a model is cached in
// cache_dir under the SHA-256 of its training lines and settings, written to
// a temporary file and renamed, so concurrent processes never read half a
// model; classify() is const and thread-safe.
//
// Invariant: the cache key covers what the model is made of (fastText's
// settings, the examples, the lexicon that adds its readings to the words);
// a change to any of them trains a new model.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fasttext {
class FastText;
}

namespace wegwijs::language {

struct TrainingLine {
    std::string label;
    std::vector<std::string> words;  // folded words, as the analyser splits them
};

struct Topic {
    std::string label;
    double probability = 0;
};

class TopicClassifier {
  public:
    // Loads the model cached under the hash of `source` (everything the
    // lines are made from: the examples and the lexicon), or trains on
    // lines() and caches it; lines() is only called to train, so a cached
    // start-up does not analyse the examples. An empty cache_dir, or one that
    // cannot be written, trains in memory only. Throws std::runtime_error
    // when fastText cannot train.
    static std::unique_ptr<const TopicClassifier> trained(
        const std::string& source, const std::function<std::vector<TrainingLine>()>& lines,
        const std::string& cache_dir);
    // Trains in memory on these lines (cross-validation folds).
    static std::unique_ptr<const TopicClassifier> trained(const std::vector<TrainingLine>& lines);
    ~TopicClassifier();

    // The k most likely labels, most likely first; empty when no word
    // occurred in the examples.
    std::vector<Topic> classify(const std::vector<std::string>& words, int k = 3) const;
    // Whether any of the words occurred in the examples: of a sentence made
    // only of unseen words ("blorp zzz") the classifier knows nothing.
    bool knows_any(const std::vector<std::string>& words) const;
    const std::string& fingerprint() const { return fingerprint_; }  // the model's cache key
    bool from_cache() const { return from_cache_; }

  private:
    TopicClassifier();
    std::unique_ptr<fasttext::FastText> model_;
    std::string fingerprint_;
    bool from_cache_ = false;
};

}  // namespace wegwijs::language

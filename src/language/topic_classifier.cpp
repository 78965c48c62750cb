#include "language/topic_classifier.h"

#include <fasttext/fasttext.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "security/digest.h"

namespace wegwijs::language {
namespace {

// Settings measured with `wegwijs eval --cross-validate 5` on the examples:
// more epochs or dimensions did not raise the score, fewer buckets (20,000)
// let hash collisions misroute sentences unlike any example; a model near
// 10 MB that trains in about 2.3 s on one core.
fasttext::Args training_args(const std::string& input) {
    fasttext::Args a;
    a.input = input;
    a.model = fasttext::model_name::sup;
    a.loss = fasttext::loss_name::softmax;
    a.lr = 0.5;
    a.epoch = 50;
    a.dim = 50;
    a.wordNgrams = 2;
    a.minn = 3;
    a.maxn = 5;
    a.bucket = 50000;
    a.minCount = 1;
    a.thread = 1;  // one thread and a fixed seed: the same model on every run
    a.seed = 7;
    a.verbose = 0;
    return a;
}

// The part of the cache key that the settings give, read from the settings
// themselves so that the two cannot disagree.
std::string settings_key() {
    const fasttext::Args a = training_args("");
    std::ostringstream key;
    key << "fasttext-0.9.2 model" << int(a.model) << " loss" << int(a.loss) << " lr" << a.lr
        << " epoch" << a.epoch << " dim" << a.dim << " ng" << a.wordNgrams << " n" << a.minn << "-"
        << a.maxn << " b" << a.bucket << " min" << a.minCount << " t" << a.thread << " s" << a.seed;
    return key.str();
}

// A new, empty file of our own in dir (mode 0644: a model is no secret, other
// accounts of the service may read it). Throws std::runtime_error.
std::string unique_file(const std::filesystem::path& dir, const std::string& prefix) {
    std::string path = (dir / (prefix + "-XXXXXX")).string();
    const int fd = ::mkstemp(path.data());
    if (fd < 0) throw std::runtime_error("cannot create a file in " + dir.string());
    ::fchmod(fd, 0644);
    ::close(fd);
    return path;
}

std::string training_text(const std::vector<TrainingLine>& lines) {
    std::string out;
    for (const auto& l : lines) {
        if (l.words.empty()) continue;
        out += "__label__" + l.label;
        for (const auto& w : l.words) out += " " + w;
        out += "\n";
    }
    return out;
}

// A file of our own for fastText to read, removed when done.
class TemporaryFile {
  public:
    TemporaryFile(const std::filesystem::path& dir, const std::string& content)
        : path_(unique_file(dir, "train")) {
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        out << content;
        if (!out.flush()) throw std::runtime_error("cannot write " + path_);
    }
    ~TemporaryFile() { std::remove(path_.c_str()); }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

bool writable_dir(const std::string& dir) {
    if (dir.empty()) return false;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    return std::filesystem::is_directory(dir, ec) && ::access(dir.c_str(), W_OK) == 0;
}

// Models of earlier examples are of no more use, but several variants may be
// in use at once (`check` reads without the Hunspell dictionaries, `serve`
// with them, an older release beside a newer one): the cache keeps the one
// just written and the three written before it, near 40 MB in all.
void prune(const std::filesystem::path& dir, const std::filesystem::path& keep) {
    std::error_code ec;
    std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> models;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("topics-", 0) == 0 && name.size() > 11 &&
            name.substr(name.size() - 4) == ".bin" && entry.path() != keep)
            models.push_back({entry.last_write_time(ec), entry.path()});
    }
    std::sort(models.begin(), models.end(), [](const auto& a, const auto& b) { return a > b; });
    for (std::size_t i = 3; i < models.size(); ++i) std::filesystem::remove(models[i].second, ec);
}

void train_on(fasttext::FastText& model, const std::string& text,
              const std::filesystem::path& work) {
    if (text.empty()) throw std::runtime_error("no training examples");
    const TemporaryFile input(work, text);
    try {
        model.train(training_args(input.path()));
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("fastText cannot train: ") + e.what());
    }
}

}  // namespace

TopicClassifier::TopicClassifier() : model_(std::make_unique<fasttext::FastText>()) {}
TopicClassifier::~TopicClassifier() = default;

std::unique_ptr<const TopicClassifier> TopicClassifier::trained(
    const std::vector<TrainingLine>& lines) {
    std::unique_ptr<TopicClassifier> c(new TopicClassifier());
    const std::string text = training_text(lines);
    c->fingerprint_ = security::sha256_hex(settings_key() + "\n" + text).substr(0, 32);
    train_on(*c->model_, text, std::filesystem::temp_directory_path());
    return c;
}

std::unique_ptr<const TopicClassifier> TopicClassifier::trained(
    const std::string& source, const std::function<std::vector<TrainingLine>()>& lines,
    const std::string& cache_dir) {
    std::unique_ptr<TopicClassifier> c(new TopicClassifier());
    c->fingerprint_ = security::sha256_hex(settings_key() + "\n" + source).substr(0, 32);

    const bool cache = writable_dir(cache_dir);
    const std::filesystem::path model_path =
        std::filesystem::path(cache_dir) / ("topics-" + c->fingerprint_ + ".bin");
    std::error_code ec;
    if (cache && std::filesystem::exists(model_path, ec)) {
        try {
            c->model_->loadModel(model_path.string());
            c->from_cache_ = true;
            return c;
        } catch (const std::exception&) {
            // a damaged cache entry: train again and replace it
            c->model_ = std::make_unique<fasttext::FastText>();
        }
    }
    const std::filesystem::path work =
        cache ? std::filesystem::path(cache_dir) : std::filesystem::temp_directory_path();
    train_on(*c->model_, training_text(lines()), work);
    if (cache) {
        try {
            const std::string tmp = unique_file(work, "topics");
            try {
                c->model_->saveModel(tmp);
                std::filesystem::rename(tmp, model_path);
                prune(work, model_path);
            } catch (const std::exception&) {
                std::remove(tmp.c_str());
                throw;
            }
        } catch (const std::exception&) {
            // no cache this time; the model in memory serves
        }
    }
    return c;
}

bool TopicClassifier::knows_any(const std::vector<std::string>& words) const {
    const auto dict = model_->getDictionary();
    for (const auto& w : words)
        if (dict->getId(w) >= 0) return true;
    return false;
}

std::vector<Topic> TopicClassifier::classify(const std::vector<std::string>& words, int k) const {
    std::vector<Topic> out;
    if (!knows_any(words)) return out;  // of unseen words only, the model knows nothing
    std::string line;
    for (const auto& w : words) {
        line += w;
        line += ' ';
    }
    line += '\n';
    std::istringstream in(line);
    std::vector<std::pair<fasttext::real, std::string>> predictions;
    model_->predictLine(in, predictions, k, 0.0);
    const std::string prefix = "__label__";
    for (const auto& [p, label] : predictions)
        out.push_back({label.rfind(prefix, 0) == 0 ? label.substr(prefix.size()) : label,
                       static_cast<double>(p)});
    return out;
}

}  // namespace wegwijs::language

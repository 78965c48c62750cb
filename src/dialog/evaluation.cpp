#include "dialog/evaluation.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "dialog/router.h"

namespace wegwijs::dialog {
namespace {

const std::string kAsk = "(ask)";

std::string name(const std::optional<std::string>& product) {
    return product.value_or(kAsk);
}

std::string percent(double x) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * x);
    return buf;
}

std::optional<std::string> expected_product(const std::string& label) {
    if (label == language::kVague || label == language::kOutOfScope) return std::nullopt;
    return label;
}

}  // namespace

void EvalReport::add(const EvalItem& item, const std::optional<std::string>& got) {
    const bool hit = std::find(item.expect.begin(), item.expect.end(), got) != item.expect.end();
    const std::string expected = item.expect.empty() ? kAsk : name(item.expect.front());
    for (Count* c : {&all, &by_locale[item.locale]}) {
        ++c->total;
        c->correct += hit ? 1 : 0;
    }
    if (hit) {
        ++by_label[name(got)].true_positive;
        return;
    }
    ++by_label[expected].false_negative;
    ++by_label[name(got)].false_positive;
    ++confusions[{expected, name(got)}];
    misses.push_back({item.text, item.locale, expected, name(got)});
}

nlohmann::json EvalReport::to_json() const {
    auto count = [](const Count& c) {
        return nlohmann::json{
            {"total", c.total}, {"correct", c.correct}, {"accuracy", c.accuracy()}};
    };
    nlohmann::json locales = nlohmann::json::object();
    for (const auto& [l, c] : by_locale) locales[l] = count(c);
    nlohmann::json labels = nlohmann::json::object();
    for (const auto& [label, c] : by_label) {
        const double tp = double(c.true_positive);
        labels[label] = {{"precision", tp + c.false_positive ? tp / (tp + c.false_positive) : 0},
                         {"recall", tp + c.false_negative ? tp / (tp + c.false_negative) : 0},
                         {"support", c.true_positive + c.false_negative}};
    }
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& [p, n] : confusions)
        pairs.push_back({{"expected", p.first}, {"got", p.second}, {"count", n}});
    nlohmann::json miss_list = nlohmann::json::array();
    for (const auto& m : misses)
        miss_list.push_back(
            {{"text", m.text}, {"locale", m.locale}, {"expected", m.expected}, {"got", m.got}});
    return {{"accuracy", all.accuracy()}, {"total", all.total}, {"correct", all.correct},
            {"by_locale", locales},       {"by_label", labels}, {"confusions", pairs},
            {"misses", miss_list}};
}

std::string EvalReport::to_text(std::size_t max_misses) const {
    std::ostringstream out;
    out << "accuracy " << percent(all.accuracy()) << " (" << all.correct << "/" << all.total << ")";
    for (const auto& [l, c] : by_locale)
        out << ", " << l << " " << percent(c.accuracy()) << " (" << c.correct << "/" << c.total
            << ")";
    out << "\n\nlabel                                precision  recall  support\n";
    for (const auto& [label, c] : by_label) {
        const double tp = double(c.true_positive);
        const double p = tp + c.false_positive ? tp / (tp + c.false_positive) : 0;
        const double r = tp + c.false_negative ? tp / (tp + c.false_negative) : 0;
        char line[160];
        std::snprintf(line, sizeof line, "%-36s %9s %7s %8zu\n", label.c_str(), percent(p).c_str(),
                      percent(r).c_str(), c.true_positive + c.false_negative);
        out << line;
    }
    std::vector<std::pair<std::size_t, std::pair<std::string, std::string>>> pairs;
    for (const auto& [p, n] : confusions) pairs.push_back({n, p});
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    if (!pairs.empty()) out << "\nconfusions (expected -> got):\n";
    for (std::size_t i = 0; i < pairs.size() && i < 20; ++i)
        out << "  " << pairs[i].first << "  " << pairs[i].second.first << " -> "
            << pairs[i].second.second << "\n";
    if (!misses.empty()) out << "\nmisses:\n";
    for (std::size_t i = 0; i < misses.size() && i < max_misses; ++i)
        out << "  [" << misses[i].locale << "] " << misses[i].expected << " -> " << misses[i].got
            << ": " << misses[i].text << "\n";
    if (misses.size() > max_misses) out << "  ... " << misses.size() - max_misses << " more\n";
    return out.str();
}

std::vector<EvalItem> read_eval_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::invalid_argument(path + ": cannot read");
    std::vector<EvalItem> items;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        const std::string where = path + ":" + std::to_string(number);
        try {
            const auto j = nlohmann::json::parse(line);
            EvalItem item;
            item.text = j.at("text").get<std::string>();
            item.locale = j.value("lang", "");
            for (const auto& e : j.at("expect"))
                item.expect.push_back(
                    e.is_null() ? std::nullopt : std::optional<std::string>(e.get<std::string>()));
            items.push_back(std::move(item));
        } catch (const nlohmann::json::exception& e) {
            throw std::invalid_argument(where + ": " + e.what());
        }
    }
    return items;
}

EvalReport evaluate(const DialogData& d, const std::vector<EvalItem>& items) {
    EvalReport r;
    for (const auto& item : items) r.add(item, route(d, item.text, std::nullopt).product);
    return r;
}

EvalReport cross_validate(const DialogData& d, int k) {
    if (k < 2) throw std::invalid_argument("--cross-validate needs at least 2 folds");
    // stratified: the n-th example of each language and label goes to fold n % k
    std::map<std::pair<std::string, std::string>, int> seen;
    std::vector<int> fold(d.examples.size());
    for (std::size_t i = 0; i < d.examples.size(); ++i)
        fold[i] = seen[{d.examples[i].locale, d.examples[i].label}]++ % k;
    EvalReport r;
    for (int f = 0; f < k; ++f) {
        std::vector<language::Example> training;
        for (std::size_t i = 0; i < d.examples.size(); ++i)
            if (fold[i] != f) training.push_back(d.examples[i]);
        const auto model = language::TopicClassifier::trained(d.training_lines(training));
        for (std::size_t i = 0; i < d.examples.size(); ++i) {
            if (fold[i] != f) continue;
            const auto& e = d.examples[i];
            const language::Analysis a = d.analyse(e.text, *model);
            r.add({e.text, e.locale, {expected_product(e.label)}}, route(d, a, e.locale).product);
        }
    }
    return r;
}

}  // namespace wegwijs::dialog

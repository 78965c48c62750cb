// `wegwijs check`'s rules: the shipped data is clean, and broken copies of it
// are refused with a message that names the problem.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "support/fixture.h"
#include "text/normalizer.h"

using namespace wegwijs;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> problems_after(const std::function<void(nlohmann::json&)>& edit,
                                        const std::string& file) {
    test::TempDir tmp;
    fs::copy(fs::path(test::source_dir()) / "dialogs", tmp.path() / "dialogs",
             fs::copy_options::recursive);
    fs::copy(fs::path(test::source_dir()) / "locales", tmp.path() / "locales");
    const auto path = tmp.path() / file;
    nlohmann::json j = nlohmann::json::parse(std::ifstream(path));
    edit(j);
    std::ofstream(path) << j.dump(1);
    std::vector<std::string> problems;
    dialog::DialogData::load(tmp.path().string(), nullptr, problems);
    return problems;
}

bool mentions(const std::vector<std::string>& problems, const std::string& what) {
    for (const auto& p : problems)
        if (p.find(what) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("the shipped data has no problems and reaches every product", "[data]") {
    const auto& d = test::data();
    CHECK(d.catalog.products().size() == 24);
    CHECK(dialog::products_reachable_by_choices(d).size() == 24);
}

TEST_CASE("check refuses inconsistent data", "[data]") {
    CHECK(mentions(
        problems_after([](auto& j) { j["states"]["ask_d_visa"]["next"][0]["to"] = "nowhere"; },
                       "dialogs/flow.json"),
        "transition to nowhere"));
    CHECK(
        mentions(problems_after([](auto& j) { j["states"]["orphan"] = j["states"]["ask_d_visa"]; },
                                "dialogs/flow.json"),
                 "cannot be reached"));
    CHECK(mentions(problems_after([](auto& j) { j.erase("confirm.ask"); }, "locales/en.json"),
                   "'confirm.ask' missing in locales/en.json"));
    CHECK(mentions(
        problems_after([](auto& j) { j["confirm.ask"] = "Klopt {product"; }, "locales/nl.json"),
        "does not parse"));
    CHECK(mentions(problems_after(
                       [](auto& j) {
                           auto& choices = j["states"]["ask_info_topic"]["choices"];
                           for (auto it = choices.begin(); it != choices.end(); ++it)
                               if ((*it)["id"] == "regularisation") {
                                   choices.erase(it);
                                   break;
                               }
                       },
                       "dialogs/flow.json"),
                   "infopunt.regularisation: no path of choices"));
    CHECK(mentions(problems_after(
                       [](auto& j) {
                           j["products"][0]["when"] = {{"subject", "nonsense"}};
                       },
                       "dialogs/catalog.json"),
                   "'nonsense' is not a value of subject"));
    // Labels fit a messaging app's buttons: a long one needs its short form,
    // and a short form must be short.
    CHECK(mentions(problems_after([](auto& j) { j.erase("short.choice.loket.residence_card"); },
                                  "locales/nl.json"),
                   "add 'short.choice.loket.residence_card'"));
    CHECK(mentions(problems_after(
                       [](auto& j) {
                           j["short.choice.loket.residence_card"] =
                               "Mijn verblijfskaart hernieuwen";
                       },
                       "locales/nl.json"),
                   "at most 20"));
    CHECK(mentions(
        problems_after([](auto& j) { j["short.choice.nothing"] = "Niets"; }, "locales/en.json"),
        "no label 'choice.nothing'"));
    // A choice id comes back as Telegram's callback_data: at most 64 bytes.
    CHECK(mentions(problems_after(
                       [](auto& j) {
                           j["states"]["ask_info_topic"]["choices"][0]["id"] =
                               std::string(65, 'x');
                       },
                       "dialogs/flow.json"),
                   "has 65 bytes, at most 64"));
    // Both languages have every sentence.
    CHECK(mentions(
        problems_after([](auto& j) { j["short.choice.restart"] = "Again"; }, "locales/en.json"),
        "short.choice.restart: missing in locales/nl.json"));
}

namespace {

// Loads a copy of the data after editing one examples file (appending lines,
// or removing it when lines is empty).
std::vector<std::string> problems_with_examples(const std::string& file,
                                                const std::vector<std::string>& lines,
                                                bool replace = false) {
    test::TempDir tmp;
    fs::copy(fs::path(test::source_dir()) / "dialogs", tmp.path() / "dialogs",
             fs::copy_options::recursive);
    fs::copy(fs::path(test::source_dir()) / "locales", tmp.path() / "locales");
    const auto path = tmp.path() / "dialogs" / "examples" / file;
    fs::create_directories(path.parent_path());
    if (replace) fs::remove(path);
    if (!lines.empty()) {
        std::ofstream out(path, std::ios::app);
        for (const auto& l : lines) out << l << "\n";
    }
    std::vector<std::string> problems;
    dialog::DialogData::load(tmp.path().string(), nullptr, problems, (tmp.path() / "m").string());
    return problems;
}

}  // namespace

TEST_CASE("check refuses examples that cannot teach the classifier", "[data]") {
    // a product with too few examples in one language
    CHECK(mentions(problems_with_examples("nl/loket.annex_35.txt", {"bijlage 35"}, true),
                   "nl/loket.annex_35.txt: 1 examples, at least 40 needed"));
    // a product with no examples file at all
    CHECK(mentions(problems_with_examples("en/infopunt.decision.txt", {}, true),
                   "en/infopunt.decision.txt: 0 examples"));
    // a label that is not a product
    CHECK(mentions(problems_with_examples("en/loket.parking.txt", {"resident parking"}),
                   "'loket.parking' is not a product"));
    // a language the assistant does not speak
    CHECK(mentions(problems_with_examples("fr/loket.annex_35.txt", {"annexe 35"}),
                   "'fr' is not a supported language"));
    // the same sentence taught as two products
    CHECK(mentions(problems_with_examples("en/loket.annex_35.txt", {"collect my residence card"}),
                   "collect my residence card' is also an example of loket.annex_35"));
    // invalid UTF-8
    CHECK(mentions(problems_with_examples("en/loket.annex_35.txt", {"annex \xff 35"}),
                   "not valid UTF-8"));
}

TEST_CASE("the shipped examples teach every product in both languages", "[data]") {
    const auto& d = test::data();
    REQUIRE(d.topics);
    std::map<std::pair<std::string, std::string>, int> n;
    for (const auto& e : d.examples) ++n[{e.locale, e.label}];
    for (const auto& p : d.catalog.products())
        for (const char* l : {"nl", "en"}) CHECK(n[{l, p.id}] >= 40);
    // the development set is for judging, never for teaching
    std::ifstream dev(fs::path(test::source_dir()) / ".." / "shared" / "eval" / "dev-route.jsonl");
    std::set<std::string> taught;
    for (const auto& e : d.examples) taught.insert(text::Normalizer::fold_plain(e.text));
    std::string line;
    int lines = 0;
    while (std::getline(dev, line)) {
        if (line.empty()) continue;
        ++lines;
        const auto text = nlohmann::json::parse(line).at("text").get<std::string>();
        CHECK_FALSE(taught.count(text::Normalizer::fold_plain(text)));
    }
    CHECK(lines > 0);
}

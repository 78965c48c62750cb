// `wegwijs check`'s rules: the shipped data is clean, and broken copies of it
// are refused with a message that names the problem.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "support/fixture.h"

using namespace wegwijs;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> problems_after(const std::function<void(nlohmann::json&)>& edit,
                                        const std::string& file) {
    test::TempDir tmp;
    fs::copy(fs::path(test::source_dir()) / "dialogs", tmp.path() / "dialogs");
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
}

// Runs every conversation script under tests/conversations/ through the real
// assistant and a real SQLite file. A script is a list of turns (text or
// choice) and what must hold after each: state, product, desk, done, locale,
// a message key said, a phrase in the reply, choices on offer.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "app/assistant.h"
#include "store/sqlite_store.h"
#include "support/fixture.h"

using namespace wegwijs;

namespace {

std::string all_text(const dialog::Reply& r) {
    std::string s;
    for (const auto& m : r.messages) s += m.text + "\n";
    return s;
}

void check_expectations(const nlohmann::json& expect, const app::ChatResponse& res,
                        const std::string& where) {
    const auto& r = res.reply;
    INFO(where << "\nreply: " << all_text(r) << "state: " << r.state);
    if (expect.contains("state")) CHECK(r.state == expect["state"].get<std::string>());
    if (expect.contains("product")) {
        if (expect["product"].is_null())
            CHECK_FALSE(r.route.has_value());
        else {
            REQUIRE(r.route.has_value());
            CHECK(r.route->product == expect["product"].get<std::string>());
        }
    }
    if (expect.contains("desk")) {
        REQUIRE(r.route.has_value());
        CHECK(r.route->desk == expect["desk"].get<std::string>());
    }
    if (expect.contains("done")) CHECK(r.done == expect["done"].get<bool>());
    if (expect.contains("locale")) CHECK(r.locale == expect["locale"].get<std::string>());
    auto keys = expect.value("keys", std::vector<std::string>{});
    if (expect.contains("key")) keys.push_back(expect["key"].get<std::string>());
    for (const auto& key : keys) {
        bool said = false;
        for (const auto& m : r.messages) said = said || m.key == key;
        CHECK(said);
        if (!said) UNSCOPED_INFO("missing message key " << key);
    }
    for (const auto& key : expect.value("not_keys", std::vector<std::string>{})) {
        for (const auto& m : r.messages) CHECK(m.key != key);
    }
    if (expect.contains("phrase"))
        CHECK_THAT(all_text(r), Catch::Contains(expect["phrase"].get<std::string>()));
    if (expect.contains("choices")) {
        std::vector<std::string> ids;
        for (const auto& m : r.messages)
            for (const auto& c : m.choices) ids.push_back(c.id);
        for (const auto& id : expect["choices"]) {
            const bool offered =
                std::find(ids.begin(), ids.end(), id.get<std::string>()) != ids.end();
            CHECK(offered);
        }
    }
}

}  // namespace

TEST_CASE("conversation scripts", "[conversation]") {
    const auto dir = std::filesystem::path(test::source_dir()) / "tests" / "conversations";
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 5);

    test::TempDir tmp;
    store::SqliteStore store(tmp.file("conversations.db"));
    app::Assistant assistant(test::data(), store, {});
    int conversations = 0;
    for (const auto& file : files) {
        std::ifstream in(file);
        const auto script = nlohmann::json::parse(in);
        for (const auto& conv : script.at("conversations")) {
            ++conversations;
            const std::string name =
                file.filename().string() + ": " + conv.at("name").get<std::string>();
            SECTION(name) {
                app::ChatRequest req;
                if (conv.contains("locale")) req.locale = conv["locale"].get<std::string>();
                std::optional<std::string> session;
                int n = 0;
                for (const auto& turn : conv.at("turns")) {
                    req.session_id = session;
                    req.text = turn.value("text", std::string());
                    req.choice = turn.value("choice", std::string());
                    const auto res = assistant.chat(req);
                    session = res.session_id;
                    req.locale.reset();
                    check_expectations(turn.value("expect", nlohmann::json::object()), res,
                                       name + ", turn " + std::to_string(++n) + ": " +
                                           (req.text.empty() ? "[" + req.choice + "]" : req.text));
                }
                // Every turn was stored before its reply: two records per turn.
                CHECK(store.transcript(*session).size() == 2 * conv.at("turns").size());
            }
        }
    }
    CHECK(conversations >= 100);
}

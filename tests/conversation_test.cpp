// Runs every conversation script under tests/conversations/ through the real
// assistant and a real SQLite file. A script is a list of turns (text or
// choice) and what must hold after each: state, product, desk, done, locale,
// a message key said, a phrase in the reply, choices on offer.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "app/assistant.h"
#include "booking/booking_store.h"
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
    if (expect.contains("intent")) {  // what the understanding read (a staff annotation's)
        const auto u = nlohmann::json::parse(r.understanding.empty() ? "{}" : r.understanding);
        const auto intents = u.value("intents", std::vector<std::string>{});
        CHECK(std::count(intents.begin(), intents.end(), expect["intent"].get<std::string>()) == 1);
    }
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
    // Scripts with "booking": true talk to an assistant that books, against a
    // clock that starts on Tuesday 1 December 2026, 09:00 in Brussels, and
    // moves 20 s a turn; "first:slot." taps the first choice with that prefix.
    booking::BookingStore bookings(tmp.file("bookings.db"), test::data().calendar);
    std::int64_t now = 1796112000000;
    app::AssistantOptions booking_options;
    booking_options.bookings = &bookings;
    booking_options.idle_timeout = std::chrono::minutes(60);
    app::Assistant booking_assistant(test::data(), store, booking_options, [&] { return now; });
    int conversations = 0;
    for (const auto& file : files) {
        std::ifstream in(file);
        const auto script = nlohmann::json::parse(in);
        app::Assistant& chat = script.value("booking", false) ? booking_assistant : assistant;
        for (const auto& conv : script.at("conversations")) {
            ++conversations;
            const std::string name =
                file.filename().string() + ": " + conv.at("name").get<std::string>();
            SECTION(name) {
                app::ChatRequest req;
                if (conv.contains("locale")) req.locale = conv["locale"].get<std::string>();
                std::optional<std::string> session;
                std::vector<std::string> offered;  // the choice ids of the last reply
                int n = 0;
                for (const auto& turn : conv.at("turns")) {
                    req.session_id = session;
                    req.text = turn.value("text", std::string());
                    req.choice = turn.value("choice", std::string());
                    req.command = turn.value("command", std::string());
                    if (req.choice.rfind("first:", 0) == 0) {
                        const std::string prefix = req.choice.substr(6);
                        const auto it =
                            std::find_if(offered.begin(), offered.end(),
                                         [&](const auto& id) { return id.rfind(prefix, 0) == 0; });
                        INFO(name << ": no choice starting with " << prefix);
                        REQUIRE(it != offered.end());
                        req.choice = *it;
                    }
                    now += 20'000;
                    const auto res = chat.chat(req);
                    offered.clear();
                    for (const auto& m : res.reply.messages)
                        for (const auto& c : m.choices) offered.push_back(c.id);
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

// Unit tests: normalisation, language detection, understanding, the store.
#include <unicode/regex.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "dialog/router.h"
#include "dialog/slots.h"
#include "language/topic_classifier.h"
#include "store/schema.h"
#include "store/sqlite_store.h"
#include "support/fixture.h"
#include "text/normalizer.h"

using namespace wegwijs;

TEST_CASE("normalisation folds case and accents and applies rewrites", "[unit]") {
    const text::Normalizer n(
        std::vector<text::Rewrite>{{"\\be\\s*\\(\\s*u\\s*\\)\\s*\\+", " euplus "}});
    CHECK(n.fold("Privé-Adres ÉÉN") == "prive-adres een");
    CHECK(n.words(n.fold("Overstap naar E(U)+ kaart!")) ==
          std::vector<std::string>{"overstap", "naar", "euplus", "kaart"});
    CHECK(n.words("bijlage 3bis, 8quater") ==
          std::vector<std::string>{"bijlage", "3bis", "8quater"});
    CHECK(text::is_valid_utf8("Oekraïne"));
    CHECK_FALSE(text::is_valid_utf8("\xc3\x28"));
    CHECK(text::non_latin_share("مرحبا") == 1.0);
    CHECK(text::non_latin_share("hallo") == 0.0);
    CHECK_THROWS_AS(text::Normalizer(std::vector<text::Rewrite>{{"(", "x"}}),
                    std::invalid_argument);
}

TEST_CASE("normalisation: rules run in order, ASCII and back-references alike", "[unit]") {
    // A later rule sees what an earlier one wrote: the text that no rule
    // matches at first may match after a rewrite.
    const text::Normalizer chained(std::vector<text::Rewrite>{{"\\bbijl\\.?\\s", "bijlage "},
                                                              {"\\bbijlage (\\d)", "annex $1"}});
    CHECK(chained.fold("Bijl. 35") == "annex 35");
    CHECK(chained.fold("niets te doen") == "niets te doen");
    CHECK(chained.fold("BIJLAGE 8") == "annex 8");
    // ASCII text is folded without ICU; the result is the same as with it.
    CHECK(text::Normalizer::fold_plain("Annex 3BIS") == "annex 3bis");
    CHECK(text::Normalizer::fold_plain("Ñandú ÅNGSTRÖM") == "nandu angstrom");
    // A rule is skipped only when the text lacks every way its matches begin;
    // optional characters, alternatives and escapes never skip a match.
    const text::Normalizer shapes(std::vector<text::Rewrite>{{"\\bcolou?r\\b", "C"},
                                                             {"ab|cd", "X"},
                                                             {"x’?y", "Y"},
                                                             {"(a\\)|bq)", "Z"},
                                                             {"\\b(years?|yrs?) old", "AGE"},
                                                             {"(uu|vv)?w", "W"}});
    CHECK(shapes.fold("color colour") == "C C");
    CHECK(shapes.fold("a cd") == "a X");
    CHECK(shapes.fold("xy x’y") == "Y Y");
    CHECK(shapes.fold("bq a)") == "Z Z");
    CHECK(shapes.fold("3 yr old, 4 years old") == "3 AGE, 4 AGE");
    CHECK(shapes.fold("w") == "W");
    // A pattern that refers back to its own group still works.
    const text::Normalizer doubled(std::vector<text::Rewrite>{{"\\b(\\w)\\1+\\b", "<$1>"}});
    CHECK(doubled.fold("aaa b cc") == "<a> b <c>");
    CHECK(doubled.fold("abc") == "abc");
}

TEST_CASE("slot values: a value is a kind of each of its ancestors, and of nothing else",
          "[unit]") {
    const auto schema = dialog::SlotSchema::from_json(nlohmann::json::parse(R"({"slots": {
        "subject": {"values": {"card": {}, "residence_card": {"parent": "card"},
                               "emergency_card": {"parent": "residence_card"}, "other": {}}},
        "desk": {"values": {"loket": {}}}}})"));
    CHECK(schema.is_a("subject", "emergency_card", "emergency_card"));
    CHECK(schema.is_a("subject", "emergency_card", "residence_card"));
    CHECK(schema.is_a("subject", "emergency_card", "card"));
    CHECK_FALSE(schema.is_a("subject", "card", "residence_card"));
    CHECK_FALSE(schema.is_a("subject", "emergency_card", "other"));
    CHECK_FALSE(schema.is_a("desk", "loket", "card"));
    CHECK_FALSE(schema.is_a("unknown_slot", "card", "other"));
    CHECK(schema.accepts("subject", {"other", "card"}, "emergency_card"));
    CHECK(schema.satisfied({{"subject", {"card"}}}, {{"subject", "residence_card"}}));
    CHECK_FALSE(schema.satisfied({{"subject", {"residence_card"}}}, {{"subject", "card"}}));
    CHECK(schema.consistent({{"desk", {"loket"}}}, {{"subject", "card"}}));
    CHECK_THROWS_AS(dialog::SlotSchema::from_json(nlohmann::json::parse(
                        R"({"slots": {"s": {"values": {"a": {"parent": "b"},
                                                        "b": {"parent": "a"}}}}})")),
                    std::invalid_argument);
}

TEST_CASE("the understanding's record for staff names the facts, scores and matches", "[unit]") {
    const auto a = test::data().analyzer->analyse("Ik ben mijn verblijfskaart verloren");
    const auto j = nlohmann::json::parse(a.to_json_text());
    CHECK(j["locale"] == "nl");
    CHECK(j["unsupported_language"] == false);
    REQUIRE(j["facts"].contains("subject"));
    CHECK(j["facts"]["subject"]["value"] == a.best("subject")->value);
    CHECK(j["facts"]["subject"]["score"].get<double>() > 0);
    CHECK(j["matches"].size() == a.matches.size());
    CHECK(nlohmann::json::parse(language::Analysis{}.to_json_text())["locale"].is_null());
}

TEST_CASE("language detection", "[unit]") {
    const auto& a = *test::data().analyzer;
    CHECK(a.analyse("Goedemiddag, ik heb een vraag").locale == "nl");
    CHECK(a.analyse("Good afternoon, I have a question").locale == "en");
    CHECK(a.analyse("mijn residence card is expired").locale.has_value());
    CHECK(a.analyse("Bonjour, je voudrais un rendez-vous").unsupported_language);
    CHECK(a.analyse("Ich habe meine Aufenthaltskarte verloren").unsupported_language);
    CHECK(a.analyse("Я загубив посвідку").unsupported_language);
    CHECK_FALSE(a.analyse("Ik ben mijn kaart kwijt").unsupported_language);
}

TEST_CASE("understanding: stems, split compounds, typos and numbers", "[unit]") {
    const auto& a = *test::data().analyzer;
    CHECK(a.analyse("verblijfskaarten").best("subject")->value == "residence_card");
    CHECK(a.analyse("mijn verblijfs kaart").best("subject")->value == "residence_card");
    CHECK(a.analyse("verblijfskaart verlorne").best("card_need")->value == "lost");
    CHECK(a.analyse("gezinshereniiging").best("subject")->value == "family_reunification");
    CHECK(a.analyse("annex 3 bis").best("subject")->value == "guarantor");
    CHECK(a.analyse("less than three months").best("subject")->value == "short_stay");
    // a real word is never "corrected" into a lexicon word
    CHECK_FALSE(a.analyse("verkopen").best("card_need").has_value());
    // the longer term wins within a slot
    CHECK(a.analyse("ik heb nog geen bijlage 12").best("annex12")->value == "no");
    CHECK(a.analyse("terugkeer naar belgie").intents.count("back") == 0);
}

TEST_CASE("understanding: compounds the lexicon lacks, glued numbers, ages", "[unit]") {
    const auto& a = *test::data().analyzer;
    // the head of a compound: a "familienaam" is a "naam"
    const auto name = a.analyse("mijn familienaam is veranderd");
    REQUIRE(name.best("subject"));
    CHECK(name.best("subject")->value == "identity_change");
    // and its first part: an "asielaanvraag" is about "asiel"
    REQUIRE(a.analyse("info over asielaanvraag").best("subject"));
    CHECK(a.analyse("info over asielaanvraag").best("subject")->value == "asylum");
    // a word that is merely long is not split into something it is not
    CHECK_FALSE(a.analyse("ondertussen").best("subject").has_value());
    // numbers glued to the word before, number words, a child's age
    CHECK(a.analyse("please extend my annex35").best("subject")->value == "annex_35");
    CHECK(a.analyse("bijlage35 verlengen").best("subject")->value == "annex_35");
    CHECK(a.analyse("vijf jaar, five years").words ==
          std::vector<std::string>{"5", "jaar", "5", "years"});
    CHECK(a.analyse("my 8-year-old daughter").best("child_under_12")->value == "yes");
    // language names are not nationalities
    CHECK_FALSE(a.analyse("in het Nederlands").best("subject").has_value());
    CHECK_FALSE(a.analyse("Dutch please").best("subject").has_value());
    // a stem shared with an unrelated word does not pick a subject
    CHECK_FALSE(a.analyse("legal stay").best("subject").value_or(language::SlotGuess{}).value ==
                "guarantor");
}

TEST_CASE("routing commits only when the facts select one product", "[unit]") {
    const auto& d = test::data();
    CHECK_FALSE(dialog::route(d, "ik heb een vraag over mijn kaart", std::nullopt).product);
    CHECK_FALSE(dialog::route(d, "asiel", std::nullopt).product);  // which desk?
    CHECK(dialog::route(d, "info over asiel", std::nullopt).product ==
          "infopunt.international_protection");
    CHECK(dialog::route(d, "ik wil regularisatie aanvragen", std::nullopt).desk ==
          "infopunt");  // only the Infopunt has it
    const auto r = dialog::route(d, "bijlage 35 verlengen", "en");
    CHECK(r.locale == "en");
    CHECK(r.product == "loket.annex_35");
    double sum = 0;
    for (const auto& c : r.candidates) sum += c.score;
    CHECK(sum == Approx(1.0));
}

TEST_CASE("the SQLite store keeps sessions across a reopen and refuses a newer schema", "[unit]") {
    test::TempDir tmp;
    const std::string path = tmp.file("store.db");
    {
        store::SqliteStore s(path);
        CHECK(s.schema_version() == store::kSchemaVersion);
        dialog::Session session;
        session.id = "abc";
        session.channel = "web";
        session.slots = {{"desk", "loket"}};
        session.updated_ms = 1000;
        s.save_turn(session, {{1000, "in", "web", "nl", "hallo", "", "", "ask_desk", ""}});
    }
    {
        store::SqliteStore s(path);
        const auto loaded = s.load("abc");
        REQUIRE(loaded);
        CHECK(loaded->slots.at("desk") == "loket");
        CHECK(s.transcript("abc").size() == 1);
        CHECK(s.purge({2000, 0}) == 1);
        CHECK_FALSE(s.load("abc"));
        CHECK(s.transcript("abc").empty());
    }
    {
        store::Database db(path);
        db.exec("UPDATE schema_version SET version = 99");
    }
    CHECK_THROWS_WITH(store::SqliteStore(path), Catch::Contains("newer"));
}

namespace {
// The one integer that `sql` returns.
std::int64_t integer_of(store::Database& db, const std::string& sql) {
    store::Statement q(db, sql);
    REQUIRE(q.step());
    return q.integer(0);
}
std::int64_t page_size_of(const std::string& path) {
    store::Database db(path);
    return integer_of(db, "PRAGMA page_size");
}
}  // namespace

TEST_CASE("a new database file gets the store's page size; an older file keeps its own", "[unit]") {
    test::TempDir tmp;
    const std::string fresh = tmp.file("fresh.db");
    const std::string older = tmp.file("older.db");
    { store::SqliteStore s(fresh); }
    CHECK(page_size_of(fresh) == store::kPageSize);
    {
        store::Database db(older);
        db.exec("PRAGMA page_size=1024");  // as files of the previous release have
        db.exec("PRAGMA journal_mode=WAL");
        db.exec("CREATE TABLE kept (x)");
    }
    {
        store::SqliteStore s(older);
        dialog::Session session;
        session.id = "old";
        session.channel = "web";
        s.save_turn(session, {{1, "in", "web", "nl", "hallo", "", "", "ask_desk", ""}});
        CHECK(s.load("old").has_value());
        CHECK(s.transcript("old").size() == 1);
    }
    CHECK(page_size_of(older) == 1024);
}

TEST_CASE("a session's booking part survives the store: every field", "[unit]") {
    dialog::Session s;
    dialog::BookingState& b = s.booking;
    b = {"move",
         "summary",
         "loket.residence_card",
         "gentbrugge",
         3,
         true,
         1796112000001,
         "2026-12-08",
         2,
         600,
         900,
         {1, 2, 3},
         42,
         1796112600000,
         1796199300000,
         "Amal Haddad",
         "amal@example.be",
         "+32470123456",
         true,
         "ABCD-EFGH",
         "chat-00ff",
         1};
    dialog::Session back;
    back.load_data_json(nlohmann::json::parse(s.data_text()));
    // Every field compared by its JSON: a field the serialisation forgets differs.
    const nlohmann::json want = nlohmann::json::parse(s.data_text())["booking"];
    CHECK(nlohmann::json::parse(back.data_text())["booking"] == want);
    CHECK(want.size() == 22);  // every field of BookingState, as the aggregate above sets
    dialog::Session plain;
    plain.booking.mode = "x";
    const nlohmann::json defaults = nlohmann::json::parse(plain.data_text())["booking"];
    for (const auto& [key, value] : want.items()) {
        INFO(key);
        CHECK(value != defaults[key]);  // the test sets them all
    }
}

TEST_CASE("the topic classifier trains the same model twice, and its cache stays small", "[unit]") {
    const std::vector<language::TrainingLine> lines = {
        {"a", {"orange", "card", "renew"}},
        {"a", {"orange", "card", "expired"}},
        {"b", {"kids", "card", "travel"}},
        {"b", {"child", "travel", "card"}},
    };
    const auto one = language::TopicClassifier::trained(lines);
    const auto two = language::TopicClassifier::trained(lines);
    const std::vector<std::string> probe{"orange", "card"};
    REQUIRE(one->classify(probe).size() == 2);
    CHECK(one->classify(probe)[0].label == two->classify(probe)[0].label);
    CHECK(one->classify(probe)[0].probability == two->classify(probe)[0].probability);
    CHECK(one->knows_any(probe));
    CHECK_FALSE(one->knows_any({"blorp", "zzz"}));

    test::TempDir tmp;
    const std::string dir = (tmp.path() / "models").string();
    for (int i = 0; i < 6; ++i) {
        const auto c = language::TopicClassifier::trained(
            "version " + std::to_string(i), [&] { return lines; }, dir);
        CHECK_FALSE(c->from_cache());
    }
    // cached: the same source loads, never trains
    int calls = 0;
    const auto cached = language::TopicClassifier::trained(
        "version 5",
        [&] {
            ++calls;
            return lines;
        },
        dir);
    CHECK(cached->from_cache());
    CHECK(calls == 0);
    CHECK(cached->classify(probe)[0].label == one->classify(probe)[0].label);
    int files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
    CHECK(files == 4);  // the four written last; no training file left behind
}

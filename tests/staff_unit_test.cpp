// The staff area's rules: masking personal data, the login throttle, the
// search's query text, passwords, and the staff store on a real SQLite file
// (sessions' timeouts, the append-only audit log).
#include <catch2/catch.hpp>

#include "calendar/zone.h"
#include "dialog/outcome.h"
#include "dialog/understanding.h"
#include "staff/dashboard.h"
#include "staff/export.h"
#include "staff/login_throttle.h"
#include "staff/masking.h"
#include "staff/password.h"
#include "store/personal_data_store.h"
#include "store/review_store.h"
#include "store/sqlite_store.h"
#include "store/staff_store.h"
#include "support/fixture.h"

using namespace wegwijs;

TEST_CASE("masking hides known details in any case and form, and what looks like one", "[staff]") {
    const staff::KnownDetails known{
        {"Fatima El Benali"}, {"f.benali@example.org"}, {"+32470123456"}, {"XX7P-YSH5"}};
    const auto mask = [&](const std::string& s) { return staff::mask_text(s, known); };
    CHECK(mask("Ik ben Fatima El Benali") == "Ik ben [naam]");
    CHECK(mask("benali, fatima") == "[naam], [naam]");
    CHECK(mask("mevrouw El Benali") == "mevrouw El [naam]");    // "El" alone is a particle
    CHECK(mask("Benalimaatschappij") == "Benalimaatschappij");  // not a word of the name
    CHECK(mask("mijn code is xx7p ysh5") == "mijn code is [code]");
    CHECK(mask("XX7PYSH5") == "[code]");
    CHECK(mask("een andere code: ABCD-EFGH") == "een andere code: [code]");
    CHECK(mask("mail F.Benali@Example.org of jan.peeters@gent.be") == "mail [e-mail] of [e-mail]");
    CHECK(mask("bel 0470 12 34 56 of +32 9 266 11 11") == "bel [telefoon] of [telefoon]");
    // Ordinary sentences stay as they were.
    const std::string plain = "Mijn verblijfskaart is vervallen, ik kom woensdag om 10:30.";
    CHECK(mask(plain) == plain);
    CHECK(staff::mask_text("Ik heb een vraag over gezinshereniging", {}) ==
          "Ik heb een vraag over gezinshereniging");
    // The city's own contacts stay, a citizen's number beside them does not.
    staff::KnownDetails city = known;
    city.public_details = {"09 210 10 10", "loketmigratie@stad.gent"};
    CHECK(staff::mask_text("Bel Gentinfo op 09 210 10 10 of mail loketmigratie@stad.gent; "
                           "ik ben op 0470 12 34 56 of f.benali@example.org",
                           city) ==
          "Bel Gentinfo op 09 210 10 10 of mail loketmigratie@stad.gent; ik ben op [telefoon] of "
          "[e-mail]");
    CHECK(std::string(staff::mask_for_answer("name")) == "[naam]");
    CHECK(std::string(staff::mask_for_answer("code")) == "[code]");
    CHECK(staff::mask_for_answer("") == nullptr);
}

TEST_CASE("the login throttle slows guessing but never locks a clerk out for long", "[staff]") {
    const staff::LoginThrottle rule;
    const std::int64_t now = 10'000'000;
    std::vector<std::int64_t> account;
    for (int i = 0; i < 4; ++i) account.push_back(now - 1000);
    CHECK(staff::login_wait_ms(rule, account, {}, now) == 0);  // four failures: free
    account.push_back(now - 500);
    CHECK(staff::login_wait_ms(rule, account, {}, now) == 500);  // the fifth: 1 s after it
    for (int i = 0; i < 30; ++i) account.push_back(now);
    CHECK(staff::login_wait_ms(rule, account, {}, now) == 60'000);  // never more than a minute
    std::vector<std::int64_t> address(20, now - 60'000);
    CHECK(staff::login_wait_ms(rule, {}, address, now) == 15 * 60'000 - 60'000);
    address.pop_back();
    CHECK(staff::login_wait_ms(rule, {}, address, now) == 0);
}

TEST_CASE("a search's words are never read as FTS5 syntax", "[staff]") {
    CHECK(store::fts_query("") == "");
    CHECK(store::fts_query("  verblijfs kaart ") == "\"verblijfs\" \"kaart\"*");
    CHECK(store::fts_query("a\"b OR") == "\"a\"\"b\" \"OR\"*");
}

TEST_CASE("passwords are argon2id hashes that verify only the password", "[staff]") {
    const std::string hash = staff::hash_password("correct horse battery");
    CHECK(hash.rfind("$argon2id$", 0) == 0);
    CHECK(staff::verify_password(hash, "correct horse battery"));
    CHECK_FALSE(staff::verify_password(hash, "correct horse batterY"));
    CHECK_FALSE(staff::needs_rehash(hash));
    CHECK(staff::password_problem("elevenchars"));
    CHECK_FALSE(staff::password_problem("twelve chars"));
    CHECK(staff::password_problem(std::string("\xff", 1) + "xxxxxxxxxxxxxx"));
}

TEST_CASE("staff sessions end at their idle and absolute times; the audit log only grows",
          "[staff]") {
    test::TempDir tmp;
    const std::string db = tmp.file("staff.db");
    store::SqliteStore schema(db);
    store::SqliteStaffStore staff(db);
    REQUIRE(
        staff.add_account({"ann", "admin", staff::hash_password("correct horse battery"), 1, 1}));
    CHECK_FALSE(staff.add_account({"ann", "reviewer", "x", 1, 1}));
    staff.start_session("h1", "ann", "csrf1", 1000);
    // Seen within the idle time, begun within the absolute time.
    auto s = staff.touch_session("h1", 900, 0, 1500);
    REQUIRE(s);
    CHECK(s->role == "admin");
    CHECK(s->csrf == "csrf1");
    CHECK_FALSE(staff.touch_session("h1", 1600, 0, 2000));  // idle since 1500
    CHECK_FALSE(staff.touch_session("h1", 0, 1001, 2000));  // begun before the cutoff
    CHECK(staff.touch_session("h1", 1500, 1000, 2000));
    // A new password ends the sessions; removing the account too.
    CHECK(staff.set_password_hash("ann", "new", 3000, true));
    CHECK_FALSE(staff.touch_session("h1", 0, 0, 3000));
    staff.start_session("h2", "ann", "c", 3000);
    CHECK(staff.remove_account("ann"));
    CHECK_FALSE(staff.touch_session("h2", 0, 0, 3000));

    staff.append({0, 100, "ann", "view", "s1", "", "127.0.0.1"});
    staff.append({0, 200, "ann", "reveal", "s1", "reason", "127.0.0.1"});
    const auto entries = staff.audit({}).entries;
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].action == "reveal");  // newest first, and kept after the account went
    store::Database raw(db);
    CHECK_THROWS_WITH(raw.exec("UPDATE audit_log SET detail = 'x'"),
                      Catch::Contains("append-only"));
    CHECK_THROWS_WITH(raw.exec("DELETE FROM audit_log"), Catch::Contains("append-only"));
    CHECK(staff.purge_audit(150) == 1);  // only what is past the retention
    CHECK(staff.audit({}).entries.size() == 1);
    CHECK_THROWS_WITH(raw.exec("UPDATE audit_cutoff SET before_ms = 0"),
                      Catch::Contains("only moves forward"));
}

TEST_CASE("the search index takes turns after their write, and a purge never half-indexes one",
          "[staff]") {
    test::TempDir tmp;
    const std::string db = tmp.file("search.db");
    store::SqliteStore sessions(db);
    store::SqliteReviewStore review(db);
    const auto write = [&](const std::string& id, std::int64_t at, const std::string& words) {
        dialog::Session s;
        s.id = id;
        s.channel = "web";
        s.created_ms = s.updated_ms = at;
        s.turns = 1;
        sessions.save_turn(s, {{at, "in", "web", "nl", words, "", "", "start", ""}});
    };
    const auto found = [&](const std::string& words) {
        store::ConversationFilter f;
        f.query = words;
        std::vector<std::string> ids;
        for (const auto& c : review.conversations(f).conversations) ids.push_back(c.session_id);
        return ids;
    };
    store::Database raw(db);
    const auto pending = [&] {
        store::Statement q(raw, "SELECT count(*) FROM turns_fts_pending");
        q.step();
        return q.integer(0);
    };
    write("a", 1000, "Mijn kaart is geweigerd, café");
    CHECK(pending() == 1);                                  // the write only queued it
    CHECK(found("cafe") == std::vector<std::string>{"a"});  // a search indexes first
    CHECK(pending() == 0);
    write("b", 2000, "Een vraag over het café");
    write("c", 3000, "Nog een café");
    CHECK(review.index_pending(1) == 2);  // in batches, until none is left
    write("d", 4000, "café zonder index");
    // The purge deletes indexed turns (a, b, c) and one still pending (d).
    CHECK(sessions.purge({5000, 5000}) == 4);
    CHECK(pending() == 0);
    CHECK_NOTHROW(raw.exec("INSERT INTO turns_fts(turns_fts) VALUES ('integrity-check')"));
    // A row id given again after the purge is indexed afresh.
    write("e", 6000, "opnieuw een café");
    CHECK(found("cafe") == std::vector<std::string>{"e"});
    CHECK_NOTHROW(raw.exec("INSERT INTO turns_fts(turns_fts) VALUES ('integrity-check')"));
}

TEST_CASE("a conversation keeps its strongest outcome; a turn's flag says why it was misread",
          "[staff]") {
    using dialog::stronger_outcome;
    CHECK(stronger_outcome("", "") == "");
    CHECK(stronger_outcome("", "human") == "human");
    CHECK(stronger_outcome("human", "no_appointment") == "no_appointment");  // the latest
    CHECK(stronger_outcome("booked", "human") == "booked");  // a booking is not undone by words
    CHECK(stronger_outcome("booked", "cancelled") == "cancelled");
    CHECK(stronger_outcome("cancelled", "") == "cancelled");
    dialog::Reply r;
    CHECK(dialog::review_flag(r) == "");
    r.topic_confidence = 0.2;
    CHECK(dialog::review_flag(r) == "low_confidence");
    r.topic_confidence = dialog::kTopicCommit;
    CHECK(dialog::review_flag(r) == "");
    r.corrected = true;
    CHECK(dialog::review_flag(r) == "correction");
    r.understood = false;
    CHECK(dialog::review_flag(r) == "fallback");
}

TEST_CASE("outcome, review marks and annotations filter the list and go with a purge", "[staff]") {
    test::TempDir tmp;
    const std::string db = tmp.file("review.db");
    store::SqliteStore sessions(db);
    store::SqliteReviewStore review(db);
    const auto write = [&](const std::string& id, std::int64_t at, const std::string& outcome) {
        dialog::Session s;
        s.id = id;
        s.channel = "web";
        s.created_ms = s.updated_ms = at;
        s.turns = 2;
        s.outcome = outcome;
        s.product = outcome.empty() ? "" : "loket.residence_card";
        store::TurnRecord in{at, "in", "web", "nl", "hallo", "", "", "ask_desk", ""};
        in.flag = "fallback";
        sessions.save_turn(
            s, {in, {at, "out", "web", "nl", "Wat bedoelt u?", "", "", "ask_desk", ""}});
    };
    write("booked", 1000, "booked");
    write("quiet", 2000, "");
    const auto listed = [&](store::ConversationFilter f) {
        f.idle_before_ms = 1500;  // "quiet" is idle since 2000: not yet abandoned
        std::vector<std::string> ids;
        for (const auto& c : review.conversations(f).conversations) ids.push_back(c.session_id);
        return ids;
    };
    store::ConversationFilter f;
    f.outcome = "booked";
    CHECK(listed(f) == std::vector<std::string>{"booked"});
    f.outcome = "abandoned";
    CHECK(listed(f).empty());
    f.idle_before_ms = 3000;
    CHECK(review.conversations(f).conversations.size() == 1);
    CHECK(review.conversations(f).conversations[0].outcome == "abandoned");
    f = {};
    f.product = "loket.residence_card";
    CHECK(listed(f) == std::vector<std::string>{"booked"});

    const auto turns = review.conversation("quiet", 0)->turns;
    REQUIRE(turns.size() == 2);
    CHECK(turns[0].turn.flag == "fallback");
    store::Annotation a{turns[0].id, "quiet", "bob", 5000, "loket.residence_card", "", "note"};
    CHECK(review.annotate(a));
    a.turn_id = turns[1].id;  // the assistant's turn
    CHECK_FALSE(review.annotate(a));
    a.turn_id = turns[0].id;
    a.session_id = "booked";  // a turn of another conversation
    CHECK_FALSE(review.annotate(a));
    CHECK(review.mark_reviewed("booked", "ann", 5000, true));
    CHECK_FALSE(review.mark_reviewed("nope", "ann", 5000, true));
    f = {};
    f.annotated = true;
    CHECK(listed(f) == std::vector<std::string>{"quiet"});
    f = {};
    f.reviewed = false;
    CHECK(listed(f) == std::vector<std::string>{"quiet"});
    store::FlaggedFilter inbox;
    CHECK(review.flagged(inbox).turns.size() == 1);  // "quiet"'s is annotated
    inbox.unannotated_only = false;
    CHECK(review.flagged(inbox).turns.size() == 2);
    CHECK(review.annotated_sessions(0, INT64_MAX) == std::vector<std::string>{"quiet"});

    // A purge takes the marks and annotations with the conversation.
    CHECK(sessions.purge({10'000, 10'000}) == 2);
    store::Database raw(db);
    store::Statement left(raw,
                          "SELECT (SELECT count(*) FROM annotations) + "
                          "(SELECT count(*) FROM review_marks)");
    left.step();
    CHECK(left.integer(0) == 0);
}

TEST_CASE("exports quote as RFC 4180 says and never hand a spreadsheet a formula", "[staff]") {
    const std::vector<std::string> cols = {"a", "b", "c"};
    CHECK(staff::csv_header(cols) == "a,b,c\r\n");
    CHECK(staff::csv_line(cols, {{"a", "plain"}, {"b", "with, comma"}, {"c", "say \"hi\"\n"}}) ==
          "plain,\"with, comma\",\"say \"\"hi\"\"\n\"\r\n");
    CHECK(staff::csv_line(cols, {{"a", "=1+1"}, {"b", "@SUM(A1)"}, {"c", 3}}) ==
          "'=1+1,'@SUM(A1),3\r\n");
    CHECK(staff::csv_line(cols, {{"a", "-5"}}) == "'-5,,\r\n");
    CHECK(staff::jsonl_line({{"text", "café"}}) == "{\"text\":\"café\"}\n");

    const calendar::Zone zone("Europe/Brussels");
    const nlohmann::json conv = {
        {"session_id", "0123456789abcdef"},
        {"turns",
         {{{"id", 1}, {"from", "citizen"}, {"locale", "nl"}, {"text", "ik heb een vraag"}},
          {{"id", 2}, {"from", "assistant"}, {"text", "Waarover?"}},
          {{"id", 3},
           {"from", "citizen"},
           {"locale", "nl"},
           {"text", "nee, het loket"},
           {"annotation",
            {{"product", "loket.residence_card"},
             {"intent", ""},
             {"note", "[naam] wou verlengen"},
             {"account", "bob"},
             {"at_ms", 1796112000000}}}},
          {{"id", 4}, {"from", "assistant"}, {"text", "Waarvoor?"}},
          {{"id", 5}, {"from", "citizen"}, {"locale", "nl"}, {"text", "later"}}}}};
    const auto lines = staff::route_eval_lines(conv);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0] == nlohmann::json{{"text", "nee, het loket"},
                                     {"lang", "nl"},
                                     {"expect", {"loket.residence_card"}}});
    const auto script = staff::conversation_script(conv, zone);
    CHECK(script["locale"] == "nl");
    CHECK(script["name"] == "staff review 01234567 (bob, 2026-12-01)");
    REQUIRE(script["turns"].size() == 2);  // up to the last annotated turn
    CHECK(script["turns"][1]["expect"] == nlohmann::json{{"product", "loket.residence_card"}});
    CHECK(staff::conversation_script({{"turns", nlohmann::json::array()}}, zone).is_null());
}

TEST_CASE("one person's data is found by every trace, and erased whole", "[staff]") {
    test::TempDir tmp;
    const std::string db = tmp.file("person.db");
    store::SqliteStore sessions(db);
    store::SqliteReviewStore review(db);
    store::SqlitePersonalDataStore personal(db);
    const auto write = [&](const std::string& id, const std::string& words) {
        dialog::Session s;
        s.id = id;
        s.channel = "web";
        s.created_ms = s.updated_ms = 1000;
        s.turns = 2;
        sessions.save_turn(s, {{1000, "in", "web", "nl", words, "", "", "ask_desk", ""}});
    };
    write("typed", "mail me op An.Peeters@Example.org aub");
    write("other", "mijn kaart is verlopen, an peeters example");  // the words, not the address
    dialog::Session w;
    w.id = "whatsapp";
    w.channel = "whatsapp";
    sessions.save_turn(w, {{1000, "in", "whatsapp", "nl", "hallo", "", "", "ask_desk", ""}},
                       {"whatsapp", "32470123456", "wamid.1", {}});
    {
        store::Database raw(db);
        raw.exec(
            "INSERT INTO bookings(code, status, product, location, desk, start_ms, end_ms, "
            "email, phone, created_ms, changed_ms) VALUES ('ABCD-EFGH', 'confirmed', "
            "'loket.residence_card', 'x', 'x/loket', 0, 1, 'an.peeters@example.org', "
            "'+32470123456', 0, 0)");
    }
    review.index_pending();
    const auto found = personal.find({"an.peeters@example.org", ""});
    CHECK(found.session_ids == std::vector<std::string>{"typed"});
    CHECK(found.bookings.size() == 1);
    CHECK(personal.find({"", "+32470123456"}).session_ids == std::vector<std::string>{"whatsapp"});
    CHECK(personal.find({"nobody@example.org", ""}).session_ids.empty());

    CHECK(personal.delete_conversation("other"));
    CHECK_FALSE(personal.delete_conversation("other"));
    const store::Erased erased = personal.erase({"an.peeters@example.org", "+32470123456"});
    CHECK(erased.conversations == 2);
    CHECK(erased.bookings == 1);
    CHECK(personal.find({"an.peeters@example.org", "+32470123456"}).bookings.empty());
    CHECK_FALSE(sessions.load("typed"));
    store::Database raw(db);
    CHECK_NOTHROW(raw.exec("INSERT INTO turns_fts(turns_fts) VALUES ('integrity-check')"));
}

TEST_CASE("the dashboard counts every period, and a rate with nothing to count is null",
          "[staff]") {
    using namespace std::chrono;
    const calendar::Zone zone("Europe/Brussels");
    const auto at = [&](int day, int hour) {
        return zone.to_utc_ms(year_month_day{2026y / December / day}, hour * 60);
    };
    std::vector<store::ConversationFacts> facts = {
        {at(1, 9), "web", "nl", "loket", "loket.residence_card", "booked", 6, 6, true, 0},
        {at(1, 23), "web", "en", "", "", "misunderstood", 2, 2, false, 2},  // 23:00 Brussels
        {at(3, 0), "whatsapp", "nl", "infopunt", "", "abandoned", 1, 0, false, 1},
    };
    const auto d = staff::build_dashboard(facts, zone, staff::Bucket::day, staff::GroupBy::channel,
                                          year_month_day{2026y / December / 1},
                                          year_month_day{2026y / December / 4});
    CHECK(d.periods ==
          std::vector<std::string>{"2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"});
    CHECK(d.groups == std::vector<std::string>{"web", "whatsapp"});
    CHECK(d.by_period.at("2026-12-01").conversations == 2);  // the local day, not UTC's
    const auto j = staff::dashboard_json(d);
    CHECK(j["total"]["conversations"] == 3);
    CHECK(j["total"]["first_turn_routing"].get<double>() == Approx(1.0 / 3));
    CHECK(j["total"]["fallback_rate"].get<double>() == Approx(3.0 / 9));
    CHECK(j["total"]["booking_conversion"].get<double>() == Approx(1.0));
    CHECK(j["total"]["turns_to_outcome"].get<double>() == Approx(4.0));  // abandoned not counted
    CHECK(j["periods"][1]["conversations"] == 0);
    CHECK(j["periods"][1]["human_rate"].is_null());

    const auto weeks = staff::build_dashboard(
        facts, zone, staff::Bucket::week, staff::GroupBy::none,
        year_month_day{2026y / November / 25}, year_month_day{2026y / December / 9});
    CHECK(weeks.periods == std::vector<std::string>{"2026-11-23", "2026-11-30", "2026-12-07"});
    CHECK(weeks.by_period.at("2026-11-30").conversations == 3);

    const auto text = [](const std::string& k) {
        return k == "staff.chart.conversations" ? "<Gesprekken & co>" : k;
    };
    const std::string svg =
        staff::conversations_svg(d, text, [](const std::string& g) { return g; });
    CHECK(svg.rfind("<svg ", 0) == 0);
    CHECK(svg.find("role=\"img\"") != std::string::npos);
    CHECK(svg.find("&lt;Gesprekken &amp; co&gt;") != std::string::npos);  // escaped
    CHECK(svg.find("<Gesprekken") == std::string::npos);
    CHECK(svg.find(">whatsapp<") != std::string::npos);  // the legend
    const std::string rates = staff::rates_svg(d, text);
    CHECK(rates.find("<polyline") != std::string::npos);
}

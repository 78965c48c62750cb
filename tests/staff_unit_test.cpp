// The staff area's rules: masking personal data, the login throttle, the
// search's query text, passwords, and the staff store on a real SQLite file
// (sessions' timeouts, the append-only audit log).
#include <catch2/catch.hpp>

#include "staff/login_throttle.h"
#include "staff/masking.h"
#include "staff/password.h"
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

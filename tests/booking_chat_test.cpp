// The booking conversation through the real assistant, a real session store
// and a real booking store (SQLite files), against a clock the test moves:
// every bookable product booked in Dutch and English to a confirmation, free
// text for days and times, re-asked details, a time taken by someone else
// (when shown and when the hold ran out), cancelling and moving from any
// state, and no free time within the horizon.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>

#include "app/assistant.h"
#include "booking/booking_store.h"
#include "store/sqlite_store.h"
#include "support/fixture.h"

using namespace wegwijs;

namespace {

// Tuesday 1 December 2026, 09:00 in Brussels.
constexpr std::int64_t kStart = 1796112000000;

struct World {
    explicit World(const dialog::DialogData& d = test::data())
        : data(d),
          sessions(tmp.file("sessions.db")),
          bookings(tmp.file("bookings.db"), d.calendar),
          assistant(d, sessions, options(bookings), [this] { return now; }) {}

    static app::AssistantOptions options(booking::BookingStore& b) {
        app::AssistantOptions o;
        o.bookings = &b;
        o.idle_timeout = std::chrono::minutes(60);
        return o;
    }

    const dialog::DialogData& data;
    test::TempDir tmp;
    store::SqliteStore sessions;
    booking::BookingStore bookings;
    std::int64_t now = kStart;
    app::Assistant assistant;
};

std::string all_text(const dialog::Reply& r) {
    std::string s;
    for (const auto& m : r.messages) s += m.text + "\n";
    return s;
}

// One citizen's conversation.
struct Chat {
    Chat(World& world, std::string l) : w(world), locale(std::move(l)) {}

    World& w;
    std::optional<std::string> locale;
    std::optional<std::string> session;
    dialog::Reply last;

    const dialog::Reply& send(const std::string& text, const std::string& choice) {
        w.now += 20'000;  // people take a while to answer
        app::ChatRequest req;
        req.session_id = session;
        req.text = text;
        req.choice = choice;
        if (!session) req.locale = locale;
        const auto res = w.assistant.chat(req);
        session = res.session_id;
        last = res.reply;
        return last;
    }
    const dialog::Reply& say(const std::string& text) { return send(text, ""); }
    // A control of the channel (the widget's header): never read as words.
    const dialog::Reply& command(const std::string& name) {
        w.now += 20'000;
        app::ChatRequest req;
        req.session_id = session;
        req.command = name;
        if (!session) req.locale = locale;
        const auto res = w.assistant.chat(req);
        session = res.session_id;
        last = res.reply;
        return last;
    }
    const dialog::Reply& tap(const std::string& choice) {
        INFO("tapping " << choice << " after:\n" << all_text(last));
        REQUIRE(offers(choice));
        return send("", choice);
    }
    std::vector<std::string> choices() const {
        std::vector<std::string> ids;
        for (const auto& m : last.messages)
            for (const auto& c : m.choices) ids.push_back(c.id);
        return ids;
    }
    bool offers(const std::string& id) const {
        const auto ids = choices();
        return std::find(ids.begin(), ids.end(), id) != ids.end();
    }
    std::string first_choice(const std::string& prefix, int nth = 1) const {
        for (const auto& id : choices())
            if (id.rfind(prefix, 0) == 0 && --nth == 0) return id;
        return "";
    }
    bool said(const std::string& key) const {
        for (const auto& m : last.messages)
            if (m.key == key) return true;
        return false;
    }
    std::string text() const { return all_text(last); }
    std::string code() const {
        std::smatch m;
        const std::string t = text();
        static const std::regex form("[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}");
        return std::regex_search(t, m, form) ? m.str() : "";
    }
};

// From the outcome to a confirmation, tapping the first place and time.
std::string book_by_choices(Chat& c, const std::string& email) {
    c.tap("book");
    if (c.last.state == "booking.location") c.tap(c.first_choice("location."));
    REQUIRE(c.last.state == "booking.people");
    c.tap("people.1");
    REQUIRE(c.last.state == "booking.slot");
    c.tap(c.first_choice("slot."));
    REQUIRE(c.last.state == "booking.name");
    CHECK(c.said("booking.held"));
    c.say("Amal Haddad");
    REQUIRE(c.last.state == "booking.email");
    c.say(email);
    REQUIRE(c.last.state == "booking.phone");
    c.tap("no_phone");
    REQUIRE(c.last.state == "booking.summary");
    CHECK_THAT(c.text(), Catch::Contains("Amal Haddad") && Catch::Contains(email));
    c.tap("book_yes");
    INFO(c.text());
    REQUIRE(c.last.state == "booking.done");
    CHECK(c.said("booking.confirmed"));
    CHECK(c.last.done);
    return c.code();
}

}  // namespace

TEST_CASE("every bookable product is booked in the chat, in Dutch and in English",
          "[conversation]") {
    World w;
    const auto dir = std::filesystem::path(test::source_dir()) / "tests" / "conversations";
    std::map<std::string, std::set<std::string>> booked;  // locale -> products
    int n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(entry.path());
        const auto script = nlohmann::json::parse(in);
        if (!script.contains("product")) continue;
        const std::string product = script["product"];
        for (const auto& conv : script["conversations"]) {
            const std::string name = conv.at("name");
            if (name.find("by choices only") == std::string::npos) continue;
            const std::string locale = conv.value("locale", "nl");
            Chat c{w, locale};
            for (const auto& turn : conv.at("turns")) c.send("", turn.value("choice", ""));
            INFO(entry.path().filename().string() << ": " << name << "\n" << c.text());
            REQUIRE(c.last.state == "outcome");
            const bool appointment =
                c.said("appointment.required") || c.said("appointment.optional");
            const bool offered = !w.data.calendar.locations_for(product).empty() && appointment;
            CHECK(c.offers("book") == offered);
            if (!offered) continue;
            const std::string email = "citizen" + std::to_string(++n) + "@example.be";
            const std::string code = book_by_choices(c, email);
            REQUIRE_FALSE(code.empty());
            const auto stored = w.bookings.find(code, email);
            REQUIRE(stored);
            CHECK(stored->status == "confirmed");
            CHECK(stored->product == product);
            CHECK(stored->details.locale == locale);
            CHECK(stored->details.name == "Amal Haddad");
            // the confirmation: date written out, what to bring, arrive, how to cancel
            const std::string day =
                calendar::long_date(w.data.calendar.zone(), stored->start_ms, locale);
            CHECK_THAT(c.text(), Catch::Contains(day) && Catch::Contains(code));
            CHECK(c.said("booking.arrive"));
            booked[locale].insert(product);
        }
    }
    // Every product a location offers was booked in both languages.
    std::set<std::string> expected;
    for (const auto& p : w.data.catalog.products())
        if (!w.data.calendar.locations_for(p.id).empty()) expected.insert(p.id);
    CHECK(booked["nl"] == expected);
    CHECK(booked["en"] == expected);
    CHECK(expected.size() >= 20);
}

TEST_CASE("collecting a card at another service centre is booked there", "[conversation]") {
    World w;
    Chat c{w, "en"};
    c.say("I want to collect my residence card at the Wondelgem service centre");
    if (c.last.state != "outcome") {  // the assistant may ask where, or confirm
        if (c.offers("other_centre")) c.tap("other_centre");
        if (c.offers("yes")) c.tap("yes");
    }
    INFO(c.text());
    REQUIRE(c.offers("book"));
    const std::string code = book_by_choices(c, "pickup@example.be");
    const auto b = w.bookings.find(code, "pickup@example.be");
    REQUIRE(b);
    CHECK(b->product == "loket.card_pickup");
    CHECK(b->location == "wondelgem");
}

TEST_CASE("days and times in free text; details re-asked until usable", "[conversation]") {
    World w;
    Chat c{w, "en"};
    c.say("My residence card expired and I got a convocation letter");
    c.say("yes");
    c.say("I would like to make an appointment");
    REQUIRE(c.last.state == "booking.location");
    c.say("Gentbrugge please");
    REQUIRE(c.last.state == "booking.people");
    c.say("two");
    REQUIRE(c.last.state == "booking.slot");
    c.say("next Monday morning");
    REQUIRE(c.last.state == "booking.slot");
    CHECK(c.said("booking.slots_wish"));
    const calendar::Zone& zone = w.data.calendar.zone();
    // every time offered is on Monday 7 December, before noon
    int slots = 0;
    for (const auto& id : c.choices()) {
        if (id.rfind("slot.", 0) != 0) continue;
        ++slots;
        const auto local = zone.to_local(std::stoll(id.substr(5)));
        CHECK(local.date == calendar::parse_date("2026-12-07"));
        CHECK(local.minutes < 12 * 60);
    }
    CHECK(slots == 6);
    c.say("9:30");  // one of the times shown
    REQUIRE(c.last.state == "booking.name");
    c.say("x@y");
    CHECK(c.last.state == "booking.name");
    CHECK(c.said("booking.bad_name"));
    c.say("My name is Amal Haddad");
    REQUIRE(c.last.state == "booking.email");
    c.say("amal at example dot be");
    CHECK(c.said("booking.bad_email"));
    c.say("it is amal.haddad@example.be.");
    REQUIRE(c.last.state == "booking.phone");
    c.say("0470 12 34");
    CHECK(c.said("booking.bad_phone"));
    CHECK(c.offers("no_phone"));
    c.say("0470 12 34 56");
    REQUIRE(c.last.state == "booking.summary");
    CHECK_THAT(c.text(), Catch::Contains("+32470123456") && Catch::Contains("for 2 people") &&
                             Catch::Contains("Monday, 7 December 2026 at 09:30"));
    c.say("yes please");
    REQUIRE(c.last.state == "booking.done");
    const auto b = w.bookings.find(c.code(), "amal.haddad@example.be");
    REQUIRE(b);
    CHECK(b->details.people == 2);
    CHECK(b->details.phone == "+32470123456");
    CHECK(b->location == "gentbrugge");
    CHECK(zone.to_local(b->start_ms).minutes == 9 * 60 + 30);
    CHECK(b->end_ms - b->start_ms == 2 * 15 * 60'000);  // two slots back to back
}

TEST_CASE("a time taken by someone else gets the next free ones at once", "[conversation]") {
    World w;
    // Gentbrugge has one counter: one booking fills a time.
    auto to_slots = [&](Chat& c) {
        c.say("Mijn verblijfskaart is verlopen, ik heb een oproepingsbrief");
        c.say("ja");
        c.tap("book");
        c.tap("location.gentbrugge");
        c.tap("people.1");
        REQUIRE(c.last.state == "booking.slot");
    };
    SECTION("a time tapped on an earlier page is held; a made-up one is not") {
        Chat c{w, "nl"};
        to_slots(c);
        const std::string early = c.first_choice("slot.", 2);
        c.tap("later");
        REQUIRE_FALSE(c.offers(early));
        c.send("", early);
        CHECK(c.last.state == "booking.name");
        Chat d{w, "nl"};
        to_slots(d);
        d.send("", "slot.1796112000000");  // 09:00 today: not bookable with the notice
        CHECK(d.said("booking.gone"));
        d.send("", "slot.12x");
        CHECK(d.last.state == "booking.day");
    }
    Chat a{w, "nl"};
    Chat b{w, "nl"};
    to_slots(a);
    to_slots(b);
    // not the first: that one is close to the minimum notice, which the clock passes here
    const std::string first = a.first_choice("slot.", 4);
    REQUIRE(first == b.first_choice("slot.", 4));

    SECTION("taken between showing and choosing") {
        b.tap(first);
        REQUIRE(b.last.state == "booking.name");
        a.tap(first);
        CHECK(a.said("booking.taken"));
        REQUIRE(a.last.state == "booking.slot");
        CHECK_FALSE(a.offers(first));
        const std::string next = a.first_choice("slot.");
        CHECK(std::stoll(next.substr(5)) > std::stoll(first.substr(5)));
        CHECK(a.first_choice("slot.", 6) != "");  // a full page of next times
        a.tap(next);
        CHECK(a.last.state == "booking.name");
    }

    SECTION("taken while the hold ran out: the details are kept") {
        a.tap(first);
        a.say("Amal Haddad");
        a.say("amal@example.be");
        a.tap("no_phone");
        REQUIRE(a.last.state == "booking.summary");
        w.now += 11 * 60'000;  // the hold of 10 minutes runs out
        b.tap(first);          // and someone else takes the time
        b.say("Bert Peeters");
        b.say("bert@example.be");
        b.tap("no_phone");
        b.tap("book_yes");
        REQUIRE(b.last.state == "booking.done");
        a.say("ja");
        CHECK(a.said("booking.taken"));
        REQUIRE(a.last.state == "booking.slot");
        a.tap(a.first_choice("slot."));
        // straight back to the summary: name and e-mail were not asked again
        REQUIRE(a.last.state == "booking.summary");
        CHECK_THAT(a.text(), Catch::Contains("Amal Haddad") && Catch::Contains("amal@example.be"));
        a.tap("book_yes");
        CHECK(a.last.state == "booking.done");
        CHECK(w.bookings.find(a.code(), "amal@example.be"));
    }

    SECTION("the time passed the minimum notice while the citizen typed") {
        const std::string soonest = a.first_choice("slot.");
        a.tap(soonest);
        a.say("Amal Haddad");
        a.say("amal@example.be");
        a.tap("no_phone");
        w.now += 30 * 60'000;
        a.tap("book_yes");
        CHECK(a.said("booking.gone"));
        REQUIRE(a.last.state == "booking.slot");
        CHECK_FALSE(a.offers(soonest));
    }

    SECTION("the hold ran out but nobody took the time: booked anyway") {
        a.tap(first);
        a.say("Amal Haddad");
        a.say("amal@example.be");
        a.tap("no_phone");
        w.now += 11 * 60'000;
        a.tap("book_yes");
        REQUIRE(a.last.state == "booking.done");
        const auto made = w.bookings.find(a.code(), "amal@example.be");
        REQUIRE(made);
        CHECK(std::stoll(first.substr(5)) == made->start_ms);
    }
}

TEST_CASE("cancel and move work from any state, by code and e-mail", "[conversation]") {
    World w;
    Chat first{w, "en"};
    first.say("I have a question about family reunification");
    first.say("yes");
    const std::string code = book_by_choices(first, "amal@example.be");
    const auto made = w.bookings.find(code, "amal@example.be");
    REQUIRE(made);

    SECTION("cancel, in a new conversation, code and e-mail in the first message") {
        Chat c{w, "en"};
        c.say("Please cancel my appointment " + code + ", my e-mail is Amal@Example.be");
        REQUIRE(c.last.state == "booking.confirm_cancel");
        CHECK(c.said("booking.found"));
        c.tap("cancel_yes");
        CHECK(c.said("booking.cancelled"));
        CHECK(w.bookings.find(code, "amal@example.be")->status == "cancelled");
    }

    SECTION("cancel in Dutch in the middle of another question, asked step by step") {
        Chat c{w, "nl"};
        c.say("Ik heb een vraag over studeren in België");
        REQUIRE(c.last.state == "confirm");
        c.say("ik wil mijn afspraak annuleren");
        REQUIRE(c.last.state == "booking.code");
        CHECK(c.last.expect == "code");
        c.say("ABCD");
        CHECK(c.said("booking.bad_code"));
        std::string lower = code;
        std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
        lower.erase(lower.find('-'), 1);
        c.say(lower);  // typed without the dash, in lower case
        REQUIRE(c.last.state == "booking.find_email");
        c.say("someone@else.be");
        CHECK(c.said("booking.not_found"));
        REQUIRE(c.last.state == "booking.code");
        c.say(code);
        c.say("amal@example.be");
        REQUIRE(c.last.state == "booking.confirm_cancel");
        c.say("nee");
        CHECK(c.said("booking.kept"));
        CHECK(w.bookings.find(code, "amal@example.be")->status == "confirmed");
    }

    SECTION("move in the same conversation: no code asked again; the old time is free") {
        first.say("I need to move my appointment");
        REQUIRE(first.last.state == "booking.slot");
        CHECK(first.said("booking.found"));
        first.say("Thursday afternoon");
        const std::string to = first.first_choice("slot.");
        REQUIRE_FALSE(to.empty());
        first.tap(to);
        REQUIRE(first.last.state == "booking.summary");
        CHECK(first.said("booking.move_summary"));
        first.tap("move_yes");
        CHECK(first.said("booking.moved"));
        const auto moved = w.bookings.find(code, "amal@example.be");
        REQUIRE(moved);
        CHECK(moved->status == "confirmed");
        CHECK(moved->start_ms == std::stoll(to.substr(5)));
        // the old time is free again
        const auto day = w.data.calendar.zone().to_local(made->start_ms).date;
        const auto slots = w.data.calendar.slots(made->product, made->location, day, 1, w.now);
        std::vector<calendar::Slot> old;
        for (const auto& s : slots)
            if (s.start_ms == made->start_ms) old.push_back(s);
        REQUIRE(old.size() == 1);
        CHECK(w.bookings.free(old, w.now).at(made->start_ms) == old[0].capacity);
    }

    SECTION("start again leaves the booking part and gives the hold back") {
        Chat c{w, "en"};
        c.say("I have a question about family reunification");
        c.say("yes");
        c.tap("book");
        c.tap(c.first_choice("people."));
        c.tap(c.first_choice("slot."));
        REQUIRE(c.last.state == "booking.name");
        c.say("start again");
        CHECK(c.said("restart.done"));
        CHECK(c.last.state.rfind("booking.", 0) != 0);
    }
}

TEST_CASE("no free time within the horizon: said, with the e-mail route", "[conversation]") {
    std::vector<std::string> problems;
    auto closed = dialog::DialogData::load(test::source_dir(), test::data().dictionaries, problems);
    REQUIRE(problems.empty());
    std::ifstream in(test::source_dir() + "/dialogs/calendar.json");
    auto cal = nlohmann::json::parse(in);
    for (auto& loc : cal["locations"])
        for (auto& [_, desk] : loc["desks"].items()) desk["notice_hours"] = 24 * 60;  // > horizon
    closed.calendar = calendar::Calendar::from_json(cal);
    World w(closed);
    Chat c{w, "nl"};
    c.say("Mijn verblijfskaart is verlopen, ik heb een oproepingsbrief");
    c.say("ja");
    c.tap("book");
    c.tap("location.stadskantoor");
    c.tap("people.1");
    INFO(c.text());
    CHECK(c.said("booking.none"));
    CHECK(c.said("human.loket"));
    CHECK_THAT(c.text(), Catch::Contains("loketmigratie@stad.gent"));
    CHECK(c.offers("other_location"));
    CHECK(c.offers("restart"));
    c.tap("restart");
    CHECK(c.said("restart.done"));
}

TEST_CASE("back and another place within the booking part", "[conversation]") {
    World w;
    Chat c{w, "nl"};
    c.say("Mijn verblijfskaart is verlopen, ik heb een oproepingsbrief");
    c.say("ja");
    c.tap("book");
    c.tap("location.gentbrugge");
    REQUIRE(c.last.state == "booking.people");
    c.say("terug");
    REQUIRE(c.last.state == "booking.location");
    CHECK(c.said("back.done"));
    CHECK(c.offers("location.gentbrugge"));  // every place again
    CHECK(c.offers("location.stadskantoor"));
    c.tap("location.gentbrugge");
    c.tap("people.1");
    c.tap("other_location");
    REQUIRE(c.last.state == "booking.location");
    CHECK_FALSE(c.offers("location.gentbrugge"));  // another place than the one just tried
    c.say("liever in het stadskantoor");
    CHECK(c.last.state == "booking.slot");
    CHECK_THAT(c.text(), Catch::Contains("Stadskantoor"));
    c.say("terug");
    CHECK(c.last.state == "booking.people");
}

TEST_CASE("the channel's controls work at every question and are never an answer",
          "[conversation]") {
    World w;
    // Each stage of a booking, reached by taps and words, then a control.
    const std::vector<std::string> stages = {"booking.location", "booking.people", "booking.slot",
                                             "booking.name",     "booking.email",  "booking.phone",
                                             "booking.summary"};
    for (const std::string& stage : stages) {
        DYNAMIC_SECTION("at " << stage) {
            Chat c{w, "nl"};
            c.say("Mijn verblijfskaart is verlopen, ik heb een oproepingsbrief");
            c.say("ja");
            c.tap("book");
            const auto reach = [&] {
                if (c.last.state == stage) return true;
                if (c.last.state == "booking.location")
                    c.tap(c.first_choice("location."));
                else if (c.last.state == "booking.people")
                    c.tap("people.1");
                else if (c.last.state == "booking.slot")
                    c.tap(c.first_choice("slot."));
                else if (c.last.state == "booking.name")
                    c.say("Amal Haddad");
                else if (c.last.state == "booking.email")
                    c.say("amal@example.org");
                else if (c.last.state == "booking.phone")
                    c.tap("no_phone");
                return c.last.state == stage;
            };
            for (int i = 0; i < 8 && !reach(); ++i) {
            }
            REQUIRE(c.last.state == stage);
            // What the question wants, for the keyboard and autofill, and the hold's time.
            const std::map<std::string, std::string> expects = {
                {"booking.name", "name"}, {"booking.email", "email"}, {"booking.phone", "tel"}};
            CHECK(c.last.expect == (expects.count(stage) ? expects.at(stage) : ""));
            if (stage == "booking.name" || stage == "booking.summary")
                CHECK((c.last.hold_seconds > 0 && c.last.hold_seconds <= 600));
            if (stage == "booking.location" || stage == "booking.people" || stage == "booking.slot")
                CHECK(c.last.hold_seconds == 0);

            c.command("human");  // the way to a person, then the same question
            CHECK(c.said("human.loket"));
            CHECK(c.last.state == stage);
            CHECK(c.last.locale == "nl");

            c.command("restart");  // never a name, a time or an answer
            CHECK(c.said("restart.done"));
            CHECK(c.last.state == "ask_desk");
            CHECK(c.last.locale == "nl");
            CHECK_FALSE(c.text().find("restart") != std::string::npos);
            // The hold, from the time question on, is let go at once.
            CHECK(w.bookings.active_holds(w.now).empty());
        }
    }
    SECTION("at the first question of a Dutch chat, start again stays Dutch") {
        Chat c{w, "nl"};
        c.command("restart");
        CHECK(c.last.locale == "nl");
        c.command("restart");
        CHECK(c.last.locale == "nl");
        CHECK(c.last.state == "ask_desk");
    }
}

TEST_CASE("the card, the calendar file and the transcript a channel shows again",
          "[conversation]") {
    World w;
    Chat c{w, "nl"};
    c.send("", "");  // the widget opens: a welcome in the page's language
    for (const auto* id : {"loket", "residence_card", "expired", "yes"}) c.tap(id);
    CHECK_FALSE(w.assistant.booking_ics(*c.session));  // nothing booked yet
    const std::string code = book_by_choices(c, "card@example.be");
    REQUIRE(c.last.booking);
    const auto& card = *c.last.booking;
    CHECK(card.code == code);
    CHECK(card.time.size() == 5);
    CHECK_FALSE(card.day.empty());
    CHECK_FALSE(card.location.empty());
    CHECK_FALSE(card.bring.empty());
    CHECK(card.people == 1);
    CHECK_THAT(c.text(), Catch::Contains(card.day) && Catch::Contains(card.time));

    const auto ics = w.assistant.booking_ics(*c.session);
    REQUIRE(ics);
    CHECK_THAT(*ics, Catch::Contains("BEGIN:VEVENT") && Catch::Contains(code));

    const auto h = w.assistant.history(*c.session);
    REQUIRE(h);
    CHECK(h->locale == "nl");
    CHECK(h->state == "booking.done");
    REQUIRE(h->messages.size() > 10);
    CHECK(h->messages.front().from == "assistant");
    CHECK(h->messages.front().text == w.data.messages.format("nl", "welcome"));
    // A tapped choice reads as the label the citizen saw.
    const std::string loket_label = w.data.messages.format("nl", "choice.desk.loket");
    CHECK(std::any_of(h->messages.begin(), h->messages.end(),
                      [&](const auto& m) { return m.from == "citizen" && m.text == loket_label; }));
    CHECK(std::any_of(h->messages.begin(), h->messages.end(), [](const auto& m) {
        return m.from == "citizen" && m.text == "Amal Haddad";
    }));
    // Only the last message keeps its choices; the confirmation keeps its card.
    for (std::size_t i = 0; i + 1 < h->messages.size(); ++i) CHECK(h->messages[i].choices.empty());
    CHECK_FALSE(h->messages.back().choices.empty());
    const auto with_card = std::count_if(h->messages.begin(), h->messages.end(),
                                         [](const auto& m) { return !m.booking.is_null(); });
    CHECK(with_card == 1);
    const auto j = h->to_json();
    bool card_found = false;
    for (const auto& m : j["messages"])
        if (m.contains("booking")) {
            card_found = true;
            CHECK(m["booking"]["code"] == code);
            CHECK(m["booking"]["ics"] == "/v1/chat/" + *c.session + "/booking.ics");
        }
    CHECK(card_found);
    // The assistant's messages of the history are the replies' messages, in order.
    std::string replayed;
    for (const auto& m : h->messages)
        if (m.from == "assistant") replayed += m.text + "\n";
    CHECK_THAT(replayed, Catch::EndsWith(c.text()));

    // Cancelled: no calendar file any more. Expired: no history.
    c.say("Ik wil mijn afspraak annuleren");
    if (c.last.state == "booking.code") c.say(code);
    if (c.last.state == "booking.find_email") c.say("card@example.be");
    c.tap("cancel_yes");
    CHECK_FALSE(w.assistant.booking_ics(*c.session));
    w.now += 61 * 60'000;
    CHECK_FALSE(w.assistant.history(*c.session));
    CHECK_FALSE(w.assistant.history("no-such-session"));
}

TEST_CASE("a channel's default language gives way to the citizen's first words", "[conversation]") {
    World w;
    Chat c{w, "nl"};
    c.send("", "");  // the widget on a Dutch page opens
    CHECK(c.last.locale == "nl");
    c.say("My residence card has expired, I need a new one");
    CHECK(c.last.locale == "en");
    // Settled now: a Dutch sentence later does not switch back by itself.
    c.say("ja");
    CHECK(c.last.locale == "en");
    // The channel's language switch (a locale alone) asks the same question again.
    const std::string state = c.last.state;
    app::ChatRequest req;
    req.session_id = c.session;
    req.locale = "nl";
    const auto res = w.assistant.chat(req);
    CHECK(res.reply.locale == "nl");
    CHECK(res.reply.state == state);
    CHECK(res.reply.messages.front().key == "language.switched");
    // And once chosen, the citizen's words do not undo it.
    c.last = res.reply;
    c.say("My card has expired");
    CHECK(c.last.locale == "nl");
}

namespace {

// From the outcome of a renewed orange card to the people question.
Chat at_people(World& w, const std::string& locale) {
    Chat c{w, locale};
    c.say(locale == "nl" ? "mijn oranje kaart moet verlengd worden"
                         : "my orange card has to be renewed");
    if (c.offers("yes")) c.tap("yes");
    REQUIRE(c.offers("book"));
    c.tap("book");
    REQUIRE(c.last.state == "booking.people");
    return c;
}

}  // namespace

TEST_CASE("the number of people as citizens write it", "[conversation]") {
    World w;
    struct Case {
        const char* locale;
        const char* text;
        int people;
    };
    for (const Case x :
         {Case{"en", "me and my 2 kids", 3}, Case{"nl", "ik en mijn 2 kinderen", 3},
          Case{"en", "1 person", 1}, Case{"nl", "1 persoon", 1}, Case{"en", "me and my wife", 2},
          Case{"nl", "samen met mijn twee zonen", 3}, Case{"en", "we are 3 people", 3},
          Case{"nl", "alleen ik", 1}}) {
        INFO(x.text);
        Chat c = at_people(w, x.locale);
        c.say(x.text);
        CHECK(c.last.state == "booking.slot");
        CHECK_FALSE(c.said("human.any"));
        CHECK(c.said("booking.slots"));
        // the hold is for that many people
        c.tap(c.first_choice("slot."));
        REQUIRE(c.last.state == "booking.name");
        c.say("Amal Haddad");
        c.say("people" + std::to_string(x.people) + "@example.be");
        c.tap("no_phone");
        REQUIRE(c.last.state == "booking.summary");
        if (x.people > 1) CHECK_THAT(c.text(), Catch::Contains(std::to_string(x.people)));
        c.tap("stop_booking");
    }
}

TEST_CASE("no phone, 'jep', times in words and a correction at the summary", "[conversation]") {
    World w;
    for (const std::string locale : {"nl", "en"}) {
        const bool nl = locale == "nl";
        Chat c = at_people(w, locale);
        c.tap("people.1");
        // "as soon as possible" gives the first free times, not "I did not understand"
        c.say(nl ? "zo snel mogelijk" : "as soon as possible");
        CHECK(c.last.state == "booking.slot");
        CHECK_FALSE(c.said("booking.when_unclear"));
        // "half 10" is 9:30 in Dutch; "1:30pm" in English
        c.say(nl ? "half 10" : "1:30pm");
        INFO(c.text());
        CHECK_FALSE(c.said("booking.when_unclear"));
        std::string shown = c.text();
        for (const auto& m : c.last.messages)
            for (const auto& choice : m.choices) shown += choice.label + "\n";
        CHECK_THAT(shown, Catch::Contains(nl ? "09:30" : "13:30"));
        if (c.last.state == "booking.slot") c.tap(c.first_choice("slot."));
        REQUIRE(c.last.state == "booking.name");  // a time shown before is held at once
        c.say("Amal Haddad");
        const std::string email = "summary-" + locale + "@example.be";
        c.say(email);
        REQUIRE(c.last.state == "booking.phone");
        c.say(nl ? "geen" : "none");
        REQUIRE(c.last.state == "booking.summary");
        // a correction of one detail keeps the rest
        c.say(nl ? "nee, we zijn 2 personen" : "no, we are 2 people");
        CHECK(c.said("booking.people_changed"));
        REQUIRE(c.last.state == "booking.slot");
        c.tap(c.first_choice("slot."));
        REQUIRE(c.last.state == "booking.summary");  // name, e-mail and phone kept
        CHECK_THAT(c.text(), Catch::Contains("Amal Haddad") && Catch::Contains(email));
        c.say(nl ? "jep" : "yup");
        REQUIRE(c.last.state == "booking.done");
        const auto b = w.bookings.find(c.code(), email);
        REQUIRE(b);
        CHECK(b->details.people == 2);
        CHECK(b->details.phone.empty());

        // right after booking: "I need to cancel it", "can I move it to Friday morning?"
        c.say(nl ? "ik moet het annuleren, annuleer het" : "I need to cancel it");
        CHECK(c.last.state == "booking.confirm_cancel");
        c.tap("keep");
        c.say(nl ? "kan ik het verplaatsen naar vrijdagochtend?"
                 : "can i move it to friday morning?");
        CHECK(c.last.state.rfind("booking.", 0) == 0);
        CHECK(c.last.state != "booking.code");  // the code is known in this conversation
        CHECK_FALSE(c.said("misunderstood"));
    }
    // "1" at the phone question: the first choice, no phone
    Chat c = at_people(w, "en");
    c.tap("people.1");
    c.tap(c.first_choice("slot."));
    c.say("Amal Haddad");
    c.say("one@example.be");
    REQUIRE(c.last.state == "booking.phone");
    c.say("1");
    CHECK(c.last.state == "booking.summary");
}

TEST_CASE("'I'm moving to Gent' is not moving an appointment", "[conversation]") {
    World w;
    Chat c{w, "en"};
    c.say("I'm moving to gent, do I need an appointment?");
    CHECK(c.last.state.rfind("booking.", 0) != 0);
    CHECK(c.last.locale == "en");
    Chat nl{w, "nl"};
    nl.say("ik verhuis naar Gent, heb ik een afspraak nodig?");
    CHECK(nl.last.state.rfind("booking.", 0) != 0);
}

TEST_CASE("a card is collected only where it was requested", "[conversation]") {
    World w;
    Chat rabot{w, "en"};
    rabot.say("I want to collect my card, I applied for it at Wijkkantoor Rabot");
    if (rabot.offers("yes")) rabot.tap("yes");
    REQUIRE(rabot.last.state == "outcome");
    CHECK_FALSE(rabot.offers("book"));  // never Wondelgem for a card requested at Rabot
    CHECK(rabot.said("booking.place_elsewhere"));

    Chat wondelgem{w, "nl"};
    wondelgem.say("ik wil mijn kaart afhalen, ik heb ze aangevraagd in Wondelgem");
    if (wondelgem.offers("yes")) wondelgem.tap("yes");
    REQUIRE(wondelgem.offers("book"));
    wondelgem.tap("book");
    CHECK(wondelgem.said("booking.where_only"));  // the one place, not a choice of all
    CHECK_THAT(wondelgem.text(), Catch::Contains("in het dienstencentrum Wondelgem"));
}

TEST_CASE("confirmations say what to bring, and citizens never see sample marks",
          "[conversation]") {
    World w;
    Chat lost{w, "nl"};
    lost.send("", "loket");
    lost.tap("residence_card");
    lost.tap("lost");
    lost.tap("yes");
    lost.tap("yes");
    const std::string code = book_by_choices(lost, "lost@example.be");
    CHECK_THAT(lost.text(), Catch::Contains("bijlage 12"));
    CHECK_THAT(lost.text(), !Catch::Contains("sample"));

    Chat stay{w, "en"};
    stay.send("", "loket");
    stay.tap("short_stay");
    stay.tap("yes");
    book_by_choices(stay, "stay@example.be");
    CHECK(stay.said("bring.intro"));
    CHECK_THAT(stay.text(), !Catch::Contains("sample"));

    Chat where{w, "nl"};
    where.say("ik wil mijn oranje kaart verlengen");
    if (where.offers("yes")) where.tap("yes");
    where.tap("book");
    if (where.last.state == "booking.location") {
        CHECK_THAT(where.text(), !Catch::Contains("sample"));
        where.tap(where.first_choice("location."));
    }
    where.tap("people.1");
    CHECK_THAT(where.text(),
               Catch::Contains("momenten in het ") && !Catch::Contains(" in Stadskantoor"));
}

// The booking conversation; see booking_dialog.h.
#include "dialog/booking_dialog.h"

#include <unicode/locid.h>
#include <unicode/rbnf.h>

#include <algorithm>
#include <cctype>

#include "booking/details_check.h"
#include "booking/openings.h"
#include "dialog/appointment.h"
#include "dialog/outcome.h"
#include "security/random.h"
#include "text/normalizer.h"

namespace wegwijs::dialog {
namespace {

using namespace std::chrono;
constexpr std::int64_t kDayMs = 86'400'000;
const char kCodeAlphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

// <cctype> on a UTF-8 byte above 127 is undefined: these take any char.
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_lower(char c) {
    return c >= 'a' && c <= 'z';
}

// "slot.1796199300000" -> its start; nullopt for anything else.
std::optional<std::int64_t> slot_start(const std::string& id) {
    if (id.rfind("slot.", 0) != 0 || id.size() < 6 || id.size() > 5 + 15) return std::nullopt;
    for (std::size_t i = 5; i < id.size(); ++i)
        if (!is_digit(id[i])) return std::nullopt;
    return std::stoll(id.substr(5));
}

std::string slot_choice(std::int64_t start_ms) {
    return "slot." + std::to_string(start_ms);
}

std::string random_key() {
    return "chat-" + security::random_hex(16);
}

std::vector<std::string> split_spaces(const std::string& text) {
    std::vector<std::string> out;
    std::string w;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (!w.empty()) out.push_back(std::move(w));
            w.clear();
        } else {
            w += c;
        }
    }
    if (!w.empty()) out.push_back(std::move(w));
    return out;
}

std::string trim_punctuation(std::string w) {
    static const std::string kEdge = ".,;:!?()<>[]\"'";
    while (!w.empty() && kEdge.find(w.back()) != std::string::npos) w.pop_back();
    std::size_t i = 0;
    while (i < w.size() && kEdge.find(w[i]) != std::string::npos) ++i;
    return w.substr(i);
}

bool code_chars(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::string_view(kCodeAlphabet)
                   .find(static_cast<char>(std::toupper(static_cast<unsigned char>(c)))) !=
               std::string_view::npos;
    });
}

// A confirmation code in a message: "ABCD-EFGH" or "abcd efgh" anywhere, or
// eight code characters as one word when they hold a digit or are written in
// capitals (so that "afspraak" is not read as a code). With whole_message,
// the message is the code in any form.
std::string find_code(const std::string& text, bool whole_message) {
    const std::string plain = booking::normalised_code(trim_punctuation(text));
    if (whole_message && plain.size() == 9 && code_chars(plain.substr(0, 4)) &&
        code_chars(plain.substr(5)))
        return plain;
    const auto words = split_spaces(text);
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string w = trim_punctuation(words[i]);
        if (w.size() == 9 && w[4] == '-' && code_chars(w.substr(0, 4)) && code_chars(w.substr(5)))
            return booking::normalised_code(w);
        if (w.size() == 8 && code_chars(w)) {
            const bool digit = std::any_of(w.begin(), w.end(), is_digit);
            const bool capitals = std::none_of(w.begin(), w.end(), is_lower);
            if (digit || capitals) return booking::normalised_code(w);
        }
        if (i + 1 < words.size() && w.size() == 4 && code_chars(w)) {
            const std::string next = trim_punctuation(words[i + 1]);
            if (next.size() == 4 && code_chars(next) &&
                std::none_of(w.begin(), w.end(), is_lower) &&
                std::none_of(next.begin(), next.end(), is_lower))
                return booking::normalised_code(w + next);
        }
    }
    return "";
}

// The first word with an '@' that is an e-mail address.
std::string find_email(const std::string& text) {
    for (const auto& word : split_spaces(text)) {
        if (word.find('@') == std::string::npos) continue;
        if (auto e = booking::checked_email(trim_punctuation(word))) return *e;
    }
    return "";
}

bool has_at(const std::string& text) {
    return text.find('@') != std::string::npos;
}

int digit_count(const std::string& text) {
    return static_cast<int>(std::count_if(text.begin(), text.end(), is_digit));
}

// The phone number in a message: from its first '+', '(' or digit to its last digit.
std::string phone_part(const std::string& text) {
    const auto first = text.find_first_of("+(0123456789");
    const auto last = text.find_last_of("0123456789");
    if (first == std::string::npos || last == std::string::npos || last < first) return "";
    return text.substr(first, last - first + 1);
}

bool starts_with_words(const std::vector<std::string>& folded,
                       const std::vector<std::string>& prefix) {
    return prefix.size() <= folded.size() &&
           std::equal(prefix.begin(), prefix.end(), folded.begin());
}

}  // namespace

// One turn in the booking conversation: the session, the clock, the reply
// being written, and the choices offered with its last message.
struct BookingDialog::Turn {
    Session& s;
    std::int64_t now;
    Reply& r;
    const language::Analysis* a;
    messages::Args args;
    std::vector<ReplyChoice> choices;
    bool left = false;          // the booking part is over; the engine may take the next turns
    const std::string& client;  // who sent the turn, for the hold limit

    void say(const DialogData& d, const std::string& key, const messages::Args& extra = {}) {
        messages::Args all = args;
        for (const auto& [k, v] : extra) all[k] = v;
        r.messages.push_back({key, d.messages.format(s.locale, key, all), s.locale, {}});
        if (key.rfind("human.", 0) == 0) r.outcome = outcome::human;
    }
    ReplyChoice& choice(const DialogData& d, const std::string& id, const std::string& label_key,
                        const messages::Args& extra = {}) {
        messages::Args all = args;
        for (const auto& [k, v] : extra) all[k] = v;
        choices.push_back({id, d.messages.format(s.locale, label_key, all)});
        if (d.messages.has(s.locale, "short." + label_key))
            choices.back().short_label = d.messages.format(s.locale, "short." + label_key, all);
        // What goes on, what stops, and what shows more: the same in every channel.
        static const std::map<std::string, std::string> emphasis = {
            {"book_yes", "primary"},      {"move_yes", "primary"},
            {"cancel_yes", "primary"},    {"stop_booking", "secondary"},
            {"keep", "secondary"},        {"later", "more"},
            {"another_day", "more"},      {"other_location", "more"},
            {"change_time", "secondary"}, {"change_details", "secondary"}};
        if (const auto e = emphasis.find(id); e != emphasis.end())
            choices.back().emphasis = e->second;
        return choices.back();
    }
    bool has(const char* intent) const { return a != nullptr && a->has(intent); }
};

BookingDialog::BookingDialog(const DialogData& data, booking::BookingStore& store,
                             std::chrono::minutes hold_for, booking::HoldLimiter* limiter,
                             int retention_days, int booking_retention_days)
    : d_(data),
      store_(store),
      hold_for_(hold_for),
      limiter_(limiter),
      retention_days_(retention_days),
      booking_retention_days_(booking_retention_days) {}

bool BookingDialog::bookable(const Session& s) const {
    const Product* p = d_.catalog.resolve(d_.schema, s.slots);
    if (p == nullptr) return false;
    const Outcome o = d_.catalog.outcome(d_.schema, *p, s.slots);
    if (o.appointment != "required" && o.appointment != "optional") return false;
    return !places(s, p->id).empty();
}

bool BookingDialog::booked_elsewhere(const Session& s) const {
    const Product* p = d_.catalog.resolve(d_.schema, s.slots);
    if (p == nullptr || p->location_from.empty()) return false;
    const Outcome o = d_.catalog.outcome(d_.schema, *p, s.slots);
    return (o.appointment == "required" || o.appointment == "optional") && places(s, p->id).empty();
}

std::vector<const calendar::Location*> BookingDialog::places(const Session& s,
                                                             const std::string& product) const {
    auto all = d_.calendar.locations_for(product);
    const Product* p = d_.catalog.find(product);
    if (p == nullptr || p->location_from.empty()) return all;
    const auto fixed = s.slots.find(p->location_from);
    std::vector<const calendar::Location*> out;
    for (const calendar::Location* loc : all)
        if (fixed != s.slots.end() && loc->id == fixed->second) out.push_back(loc);
    return out;
}

void BookingDialog::release(Session& s) const {
    if (s.booking.hold_id != 0) store_.release(s.booking.hold_id);
    s.booking.hold_id = 0;
    s.booking.hold_expires_ms = 0;
}

messages::Args BookingDialog::place_args(const Session& s) const {
    messages::Args a = d_.catalog.contact_args();
    const BookingState& b = s.booking;
    if (!b.product.empty()) {
        a["product"] = d_.messages.format(s.locale, "product." + b.product);
        if (const Product* p = d_.catalog.find(b.product))
            a["desk"] = d_.messages.format(s.locale, "desk.counter." + p->desk);
    }
    if (const calendar::Location* loc = d_.calendar.location(b.location)) {
        a["location"] = loc->name_in(s.locale);
        a["location_at"] = loc->at_in(s.locale);
        a["address"] = loc->address;
    }
    return a;
}

messages::Args BookingDialog::appointment_args(const Session& s, const booking::Booking& b) const {
    return dialog::appointment_args(d_, b, s.locale);
}

bool BookingDialog::take(Session& s, const Input& in, const language::Analysis* analysis,
                         Reply& r) const {
    const bool on_offer = !in.choice.empty() && std::find(s.offered.begin(), s.offered.end(),
                                                          in.choice) != s.offered.end();
    Turn t{s, in.now_ms, r, analysis, {}, {}, false, in.client};
    const std::string text = in.text.empty() && !on_offer ? in.choice : in.text;

    // A time tapped on an earlier page is still a time: holding it decides.
    const bool earlier_time = s.booking.active() && slot_start(in.choice) &&
                              (s.booking.stage == "slot" || s.booking.stage == "day");
    if (s.booking.active()) {
        if (!in.command.empty()) {  // a control of the channel, at any stage
            if (in.command == "restart") {
                release(s);
                s.booking = {};
                return false;
            }
            t.args = place_args(s);
            command(t, "");
        } else if ((on_offer && s.offer_kind == "booking") || earlier_time) {
            t.args = place_args(s);
            answer_choice(t, in.choice);
        } else {
            if (t.has("restart")) {
                release(s);
                s.booking = {};
                return false;
            }
            t.args = place_args(s);
            answer_text(t, text);
        }
        if (t.left && t.r.messages.empty()) return false;  // "back" out of the first question
    } else if (!in.command.empty()) {
        return false;
    } else {
        std::string picked = on_offer ? in.choice : "";
        const auto words = split_spaces(in.text);
        if (words.size() == 1 && words[0].size() <= 2 &&
            digit_count(words[0]) == int(words[0].size())) {  // a choice by its number
            const std::size_t n = std::stoul(words[0]);
            if (n >= 1 && n <= s.offered.size()) picked = s.offered[n - 1];
        }
        std::string mode;
        if (picked == "book" || picked == "cancel_booking" || picked == "move_booking")
            mode = picked == "book" ? "book" : picked == "cancel_booking" ? "cancel" : "move";
        else if (t.has("move_booking"))
            mode = "move";
        else if (t.has("cancel_booking"))
            mode = "cancel";
        else if (bookable(s) && s.done &&
                 (t.has("appointment") ||
                  (t.has("yes") &&
                   std::find(s.offered.begin(), s.offered.end(), "book") != s.offered.end())))
            mode = "book";
        if (mode.empty()) return false;
        begin(t, mode, on_offer ? "" : text);
    }

    // The reply: the last message carries the choices.
    s.turns += 1;
    s.misunderstandings = 0;
    if (r.messages.empty()) {
        t.say(d_, "misunderstood");
        r.understood = false;
    }
    s.offered.clear();
    for (const auto& c : t.choices) {
        r.messages.back().choices.push_back(c);
        s.offered.push_back(c.id);
    }
    const std::string& stage = s.booking.stage;
    if (!t.left) {
        if (stage == "name") r.expect = "name";
        if (stage == "email" || stage == "find_email") r.expect = "email";
        if (stage == "phone") r.expect = "tel";
        if (stage == "code") r.expect = "code";
    }
    if (s.booking.active() && s.booking.hold_id != 0 && s.booking.hold_expires_ms > in.now_ms)
        r.hold_seconds = (s.booking.hold_expires_ms - in.now_ms + 999) / 1000;
    s.offer_kind = t.left ? "state" : "booking";
    r.locale = s.locale;
    r.state = "booking." + (t.left ? std::string("done") : s.booking.stage);
    s.state = r.state;
    r.done = t.left && s.done;
    if (const Product* p = d_.catalog.find(s.booking.product))
        r.route = Route{p->desk, p->id};
    else if (const Product* p = d_.catalog.resolve(d_.schema, s.slots))
        r.route = Route{p->desk, p->id};
    return true;
}

void BookingDialog::begin(Turn& t, const std::string& mode, const std::string& text) const {
    BookingState& b = t.s.booking;
    // What this conversation already knows of an appointment it made.
    const std::string known_code = b.code;
    const std::string known_email = b.email;
    b = {};
    b.mode = mode;
    t.s.done = false;
    if (mode == "book") {
        const Product* p = d_.catalog.resolve(d_.schema, t.s.slots);
        if (p == nullptr) throw std::logic_error("booking without a settled product");
        b.product = p->id;
        t.args = place_args(t.s);
        ask_location(t);
        return;
    }
    b.code = find_code(text, false);
    b.email = find_email(text);
    if (b.code.empty() && b.email.empty()) {
        b.code = known_code;
        b.email = known_email;
    }
    t.args = place_args(t.s);
    find(t);
}

void BookingDialog::ask(Turn& t, const std::string& stage) const {
    BookingState& b = t.s.booking;
    b.stage = stage;
    if (stage == "location") return ask_location(t);
    if (stage == "people") return ask_people(t);
    if (stage == "slot") return offer_times(t, "booking.slots");
    if (stage == "day") return t.say(d_, "booking.which_day");
    if (stage == "name") {
        // Before the first personal detail: what is kept, for how long, who sees it.
        if (b.name.empty())
            t.say(d_, "booking.privacy",
                  {{"days", std::to_string(retention_days_)},
                   {"booking_days", std::to_string(booking_retention_days_)}});
        return t.say(d_, "booking.ask_name");
    }
    if (stage == "email") return t.say(d_, "booking.ask_email");
    if (stage == "phone") {
        t.say(d_, "booking.ask_phone");
        t.choice(d_, "no_phone", "choice.no_phone");
        return;
    }
    if (stage == "summary") return summary(t);
    if (stage == "code") return t.say(d_, "booking.ask_code");
    if (stage == "find_email") return t.say(d_, "booking.ask_find_email");
    if (stage == "confirm_cancel") {
        t.say(d_, "booking.ask_cancel");
        t.choice(d_, "cancel_yes", "choice.cancel_yes");
        t.choice(d_, "keep", "choice.keep");
        return;
    }
}

void BookingDialog::ask_location(Turn& t) const {
    BookingState& b = t.s.booking;
    const auto locations = places(t.s, b.product);
    if (locations.size() == 1) {
        b.location = locations.front()->id;
        t.args = place_args(t.s);
        t.say(d_, "booking.where_only");
        return ask_people(t);
    }
    b.stage = "location";
    t.say(d_, "booking.where");
    for (const calendar::Location* loc : locations)
        if (loc->id != b.location)  // "another place": not the one just tried
            t.choices.push_back({"location." + loc->id, loc->name_in(t.s.locale)});
}

void BookingDialog::ask_people(Turn& t, const std::string& question) const {
    t.s.booking.stage = "people";
    t.say(d_, question, {{"max", std::to_string(booking::kMaxPeople)}});
    for (int n = 1; n <= 4; ++n)
        t.choice(d_, "people." + std::to_string(n), "choice.people", {{"n", std::to_string(n)}});
}

void BookingDialog::offer_times(Turn& t, const std::string& intro) const {
    BookingState& b = t.s.booking;
    b.stage = "slot";
    booking::OpeningQuery q;
    q.product = b.product;
    q.location = b.location;
    q.people = b.people;
    q.after_ms = std::max(b.after_ms, t.now);
    if (!b.day.empty()) q.day = calendar::parse_date(b.day);
    if (b.weekday != 0) q.weekday = b.weekday;
    q.from_minutes = b.from_minutes;
    q.to_minutes = b.to_minutes;
    q.limit = d_.booking.page_size;
    std::string key = intro;
    auto found = booking::openings(d_.calendar, store_, q, t.now);
    const bool wished = q.day || q.weekday || q.from_minutes != 0 || q.to_minutes != 24 * 60;
    if (found.empty() && wished) {  // nothing then: the first free times after it
        q.day.reset();
        q.weekday.reset();
        found = booking::openings(d_.calendar, store_, q, t.now);
        if (found.empty()) {
            q.from_minutes = 0;
            q.to_minutes = 24 * 60;
            found = booking::openings(d_.calendar, store_, q, t.now);
        }
        key = "booking.slots_nomatch";
    }
    if (found.empty() && q.after_ms > t.now) {  // paged past the last free time
        q = {q.product, q.location, q.people, t.now, {}, {}, 0, 24 * 60, q.limit};
        found = booking::openings(d_.calendar, store_, q, t.now);
        key = "booking.no_later";
    }
    b.shown.clear();
    const auto several = places(t.s, b.product).size() > 1;
    if (found.empty()) {
        const calendar::Desk* desk = d_.calendar.desk_for(b.product, b.location);
        t.say(d_, "booking.none", {{"days", std::to_string(desk ? desk->horizon_days : 0)}});
        const Product* p = d_.catalog.find(b.product);
        t.say(d_, p ? "human." + p->desk : "human.any");
        if (several) t.choice(d_, "other_location", "choice.other_location");
        t.choice(d_, "restart", "choice.restart");
        return;
    }
    t.say(d_, key);
    const calendar::Zone& zone = d_.calendar.zone();
    for (const auto& slot : found) {
        b.shown.push_back(slot.start_ms);
        ReplyChoice& c =
            t.choice(d_, slot_choice(slot.start_ms), "choice.slot",
                     {{"day", calendar::short_date(zone, slot.start_ms, t.s.locale)},
                      {"time", calendar::clock_time(zone, slot.start_ms, t.s.locale)}});
        c.group = calendar::long_date(zone, slot.start_ms, t.s.locale);
        c.short_label = calendar::clock_time(zone, slot.start_ms, t.s.locale);
    }
    t.choice(d_, "later", "choice.later");
    t.choice(d_, "another_day", "choice.another_day");
    if (several) t.choice(d_, "other_location", "choice.other_location");
}

void BookingDialog::choose_time(Turn& t, std::int64_t start_ms) const {
    BookingState& b = t.s.booking;
    if (limiter_ != nullptr && !limiter_->take(t.client, t.now)) {
        // Before the release: a refused new hold keeps the one the session has.
        t.say(d_, "booking.busy");
        b.after_ms = start_ms - 1;
        return offer_times(t, "booking.slots_later");
    }
    release(t.s);
    try {
        const booking::Booking hold =
            store_.hold({b.product, b.location, start_ms}, b.people, t.now,
                        duration_cast<milliseconds>(hold_for_).count());
        b.hold_id = hold.id;
        b.hold_expires_ms = hold.hold_expires_ms;
        b.start_ms = start_ms;
    } catch (const booking::BookingError& e) {
        if (e.code != "slot_taken" && e.code != "no_such_slot") throw;
        t.say(d_, e.code == "slot_taken" ? "booking.taken" : "booking.gone");
        b.after_ms = start_ms;
        return offer_times(t, "booking.slots_later");
    }
    const calendar::Zone& zone = d_.calendar.zone();
    t.say(d_, "booking.held",
          {{"day", calendar::long_date(zone, start_ms, t.s.locale)},
           {"time", calendar::clock_time(zone, start_ms, t.s.locale)},
           {"minutes", std::to_string(hold_for_.count())}});
    next_detail(t);
}

void BookingDialog::next_detail(Turn& t) const {
    const BookingState& b = t.s.booking;
    if (b.mode == "move") return ask(t, "summary");
    if (b.name.empty()) return ask(t, "name");
    if (b.email.empty()) return ask(t, "email");
    if (!b.phone_asked) return ask(t, "phone");
    ask(t, "summary");
}

void BookingDialog::summary(Turn& t) const {
    BookingState& b = t.s.booking;
    b.stage = "summary";
    if (b.key.empty()) b.key = random_key();
    const calendar::Zone& zone = d_.calendar.zone();
    const messages::Args when = {{"day", calendar::long_date(zone, b.start_ms, t.s.locale)},
                                 {"time", calendar::clock_time(zone, b.start_ms, t.s.locale)}};
    if (b.mode == "move") {
        const auto old = store_.find(b.code, b.email);
        messages::Args a = when;
        if (old) {
            a["old_day"] = calendar::long_date(zone, old->start_ms, t.s.locale);
            a["old_time"] = calendar::clock_time(zone, old->start_ms, t.s.locale);
        }
        t.say(d_, "booking.move_summary", a);
        t.choice(d_, "move_yes", "choice.move_yes");
        t.choice(d_, "change_time", "choice.change_time");
        t.choice(d_, "keep", "choice.keep");
        return;
    }
    messages::Args a = when;
    a["people"] = std::to_string(b.people);
    a["name"] = b.name;
    a["email"] = b.email;
    a["phone"] = b.phone.empty() ? "none" : b.phone;
    t.say(d_, "booking.summary", a);
    t.choice(d_, "book_yes", "choice.book_yes");
    t.choice(d_, "change_time", "choice.change_time");
    t.choice(d_, "change_details", "choice.change_details");
    t.choice(d_, "stop_booking", "choice.stop_booking");
}

void BookingDialog::confirm(Turn& t) const {
    BookingState& b = t.s.booking;
    const booking::SlotRef slot{b.product, b.location, b.start_ms};
    try {
        if (b.mode == "move") {
            booking::Booking moved;
            try {
                moved = store_.move(b.code, b.email, b.hold_id, t.now);
            } catch (const booking::BookingError& e) {
                if (e.code != "hold_expired") throw;
                // the hold ran out while the citizen read: hold the time again
                b.hold_id = store_.hold(slot, b.people, t.now, 60'000).id;
                moved = store_.move(b.code, b.email, b.hold_id, t.now);
            }
            b.hold_id = 0;
            return card(t, moved, "booking.moved");
        }
        // The case's facts go with it, so that the e-mail and the calendar
        // file say what to bring for this case, as the chat does.
        const booking::Details details{b.name,     b.email,  b.phone,
                                       t.s.locale, b.people, facts_json(t.s.slots)};
        booking::Booking made;
        try {
            made = store_.book_hold(b.hold_id, details, {b.key, ""}, t.now);
        } catch (const booking::BookingError& e) {
            if (e.code != "hold_expired" && e.code != "not_found") throw;
            made = store_.book(slot, details, {b.key, ""}, t.now);  // still free: book it anyway
        }
        b.hold_id = 0;
        card(t, made, "booking.confirmed");
    } catch (const booking::BookingError& e) {
        if (e.code == "slot_taken" || e.code == "no_such_slot") {
            // Someone else took it: the next free times at once, the details kept.
            b.hold_id = 0;
            b.key.clear();
            t.say(d_, e.code == "slot_taken" ? "booking.taken" : "booking.gone");
            b.after_ms = b.start_ms;
            return offer_times(t, "booking.slots_later");
        }
        if (e.code == "not_found") {  // the appointment to move was cancelled meanwhile
            release(t.s);
            t.say(d_, "booking.not_found");
            b.code.clear();
            return ask(t, "code");
        }
        throw;
    }
}

void BookingDialog::card(Turn& t, const booking::Booking& made, const std::string& key) const {
    t.s.booking.code = made.code;
    t.s.booking.email = made.details.email;
    const AppointmentText text = describe(d_, made, t.s.locale, t.s.slots);
    const messages::Args args = appointment_args(t.s, made);
    t.say(d_, key, args);
    t.r.outcome = key == "booking.moved" ? outcome::moved : outcome::booked;
    t.r.booking = BookingCard{made.code,    text.product,   text.desk,       text.location,
                              text.address, args.at("day"), args.at("time"), made.details.people,
                              text.bring,   text.arrive,    text.cancel,     store_.mails()};
    if (store_.mails()) t.say(d_, "booking.mailed", {{"email", made.details.email}});
    if (!text.bring.empty()) {
        t.say(d_, "bring.intro");
        for (const auto& line : text.bring) t.r.messages.back().text += "\n• " + line;
    }
    t.r.messages.push_back({"booking.arrive", text.arrive + "\n" + text.cancel, t.s.locale, {}});
    finish(t);
}

// The booking part is over; the code and e-mail stay known, so that "cancel
// my appointment" later in this conversation needs neither again.
void BookingDialog::finish(Turn& t) const {
    BookingState& b = t.s.booking;
    BookingState kept;
    kept.code = b.code;
    kept.email = b.email;
    b = kept;
    t.s.done = true;
    // With a code known, moving and cancelling it are answers too (a
    // channel may show them on the appointment's card).
    if (!kept.code.empty()) {
        t.choice(d_, "move_booking", "choice.move_booking");
        t.choice(d_, "cancel_booking", "choice.cancel_booking");
    }
    for (const auto& c : d_.flow.end_choices()) t.choice(d_, c.id, c.label);
    t.left = true;
}

void BookingDialog::find(Turn& t) const {
    BookingState& b = t.s.booking;
    if (b.code.empty()) return ask(t, "code");
    if (b.email.empty()) return ask(t, "find_email");
    const auto found = store_.find(b.code, b.email);
    if (!found || found->status != "confirmed" || found->start_ms <= t.now) {
        t.say(d_, "booking.not_found");
        b.code.clear();
        b.email.clear();
        if (++b.misses >= 2) {
            b.misses = 0;
            t.say(d_, "human.any");
        }
        return ask(t, "code");
    }
    b.misses = 0;
    b.product = found->product;
    b.location = found->location;
    b.people = found->details.people;
    t.args = place_args(t.s);
    t.say(d_, "booking.found", appointment_args(t.s, *found));
    if (b.mode == "cancel") return ask(t, "confirm_cancel");
    t.say(d_, "booking.move_pick");
    b.after_ms = t.now;
    offer_times(t, "booking.slots");
}

void BookingDialog::go_back(Turn& t) const {
    BookingState& b = t.s.booking;
    const bool one_place = places(t.s, b.product).size() <= 1;
    std::string to;
    if (b.stage == "people") to = one_place ? "" : "location";
    if (b.stage == "slot") to = b.mode == "move" ? "" : "people";
    if (b.stage == "day") to = "slot";
    if (b.stage == "name" || (b.stage == "summary" && b.mode == "move")) {
        release(t.s);
        to = "slot";
    }
    if (b.stage == "email") to = "name";
    if (b.stage == "phone") to = "email";
    if (b.stage == "summary" && b.mode == "book") to = "phone";
    if (b.stage == "find_email") to = "code";
    if (to.empty()) {  // back out of the booking part
        release(t.s);
        b = {};
        t.left = true;
        return;
    }
    if (to == "location") {  // every place again, and the question after it
        b.location.clear();
        b.people_known = false;
    }
    t.say(d_, "back.done");
    ask(t, to);
}

bool BookingDialog::command(Turn& t, const std::string& text) const {
    if (t.has("move_booking") || t.has("cancel_booking")) {  // "no, cancel it instead"
        const std::string mode = t.has("move_booking") ? "move" : "cancel";
        if (mode != t.s.booking.mode || t.s.booking.stage != "code") {
            release(t.s);
            begin(t, mode, text);
            return true;
        }
    }
    if (t.has("lang_nl") || t.has("lang_en")) {
        t.s.choose_locale(t.has("lang_nl") ? "nl" : "en");
        t.args = place_args(t.s);
        t.say(d_, "language.switched");
        ask(t, t.s.booking.stage);
        return true;
    }
    if (t.has("back")) {
        go_back(t);
        return true;
    }
    if (t.has("human") || t.has("help")) {
        const Product* p = d_.catalog.find(t.s.booking.product);
        t.say(d_, t.has("help") ? "help" : p ? "human." + p->desk : "human.any");
        ask(t, t.s.booking.stage);
        return true;
    }
    return false;
}

void BookingDialog::answer_choice(Turn& t, const std::string& choice) const {
    BookingState& b = t.s.booking;
    auto after = [&](const std::string& prefix) { return choice.substr(prefix.size()); };
    if (choice.rfind("location.", 0) == 0) {
        b.location = after("location.");
        t.args = place_args(t.s);
        b.after_ms = 0;
        b.shown.clear();
        return b.mode == "move" || b.people_known ? offer_times(t, "booking.slots") : ask_people(t);
    }
    if (choice.rfind("people.", 0) == 0) {
        b.people = std::stoi(after("people."));
        b.people_known = true;
        return offer_times(t, "booking.slots");
    }
    if (const auto start = slot_start(choice)) return choose_time(t, *start);
    if (choice == "later") {
        if (!b.shown.empty()) b.after_ms = b.shown.back() + 1;
        return offer_times(t, "booking.slots_later");
    }
    if (choice == "another_day") return ask(t, "day");
    if (choice == "other_location") {
        release(t.s);
        b.day.clear();
        b.weekday = 0;
        b.from_minutes = 0;
        b.to_minutes = 24 * 60;
        return ask_location(t);
    }
    if (choice == "no_phone") {
        b.phone.clear();
        b.phone_asked = true;
        return next_detail(t);
    }
    if (choice == "book_yes" || choice == "move_yes") return confirm(t);
    if (choice == "change_time") {
        release(t.s);
        b.after_ms = t.now;
        return offer_times(t, "booking.slots");
    }
    if (choice == "change_details") {
        b.name.clear();
        b.email.clear();
        b.phone.clear();
        b.phone_asked = false;
        return ask(t, "name");
    }
    if (choice == "stop_booking") {
        release(t.s);
        t.say(d_, "booking.stopped");
        return finish(t);
    }
    if (choice == "cancel_yes") {
        if (store_.cancel(b.code, b.email, t.now)) {
            t.say(d_, "booking.cancelled");
            t.r.outcome = outcome::cancelled;
            b.code.clear();
            return finish(t);
        }
        t.say(d_, "booking.not_found");
        b.code.clear();
        return ask(t, "code");
    }
    if (choice == "keep") {
        release(t.s);
        t.say(d_, "booking.kept");
        return finish(t);
    }
    for (const auto& c : d_.flow.end_choices())
        if (choice == c.id) {  // "start again", "a person": the engine's to answer
            release(t.s);
            b = {};
            t.s.offer_kind = "state";
            t.left = true;
            return;
        }
    if (choice == "move_booking" || choice == "cancel_booking")
        return begin(t, choice == "move_booking" ? "move" : "cancel", "");
    ask(t, b.stage);
}

// The location a text names: by a word of its names that no other location's
// names hold ("Gentbrugge", "Stadskantoor", "office"), not by shared
// words ("service centre", "dienstencentrum").
std::string BookingDialog::location_named(const std::string& product,
                                          const std::string& text) const {
    std::map<std::string, std::set<std::string>> owners;  // word -> locations
    for (const auto& loc : d_.calendar.locations())
        for (const auto& [_, name] : loc.name)
            for (const auto& word : language::WhenReader::tokens(name + " " + loc.id))
                if (word.size() >= 5) owners[word].insert(loc.id);  // not "gent"
    std::set<std::string> named;
    for (const auto& word : language::WhenReader::tokens(text)) {
        const auto it = owners.find(word);
        if (it != owners.end() && it->second.size() == 1) named.insert(*it->second.begin());
    }
    if (named.size() != 1) return "";
    for (const calendar::Location* loc : d_.calendar.locations_for(product))
        if (loc->id == *named.begin()) return loc->id;
    return "";
}

bool BookingDialog::read_wish(Turn& t, const std::string& text) const {
    BookingState& b = t.s.booking;
    const auto today = d_.calendar.zone().to_local(t.now).date;
    const language::TimeWish w = d_.when->read(text, today);
    if (w.empty()) return false;
    if (b.stage == "slot" && w.clock) {  // "10:30", "do 3 dec om 9u": one of the times shown?
        const calendar::Zone& zone = d_.calendar.zone();
        std::vector<std::int64_t> fit;
        for (std::int64_t start : b.shown) {
            const calendar::LocalTime l = zone.to_local(start);
            if (l.minutes != *w.clock) continue;
            if (w.day && l.date != *w.day) continue;
            if (w.weekday && weekday{sys_days{l.date}}.iso_encoding() != *w.weekday) continue;
            fit.push_back(start);
        }
        if (fit.size() == 1) {
            choose_time(t, fit.front());
            return true;
        }
    }
    b.day = w.day ? calendar::format_date(*w.day) : "";
    b.weekday = w.weekday.value_or(0);
    b.from_minutes = w.from_minutes;
    b.to_minutes = w.to_minutes;
    b.after_ms = w.not_before ? d_.calendar.zone().to_utc_ms(*w.not_before, 0) : t.now;
    offer_times(t, "booking.slots_wish");
    return true;
}

std::optional<int> BookingDialog::people_in(const std::string& text, bool need_people_word) const {
    const auto tokens = language::WhenReader::tokens(text);
    auto says = [&](const std::vector<std::vector<std::string>>& phrases) {
        for (const auto& phrase : phrases)
            if (std::search(tokens.begin(), tokens.end(), phrase.begin(), phrase.end()) !=
                tokens.end())
                return true;
        return false;
    };
    const bool with_me = says(d_.booking.with_me);
    if (need_people_word && !with_me && !says(d_.booking.people_words)) return std::nullopt;
    if (!need_people_word)
        if (auto n = booking::checked_people(trim_punctuation(text))) return n;
    if (says(d_.booking.just_me)) return 1;
    std::optional<int> named;  // the number in the text: "3", "drie", "my 2 kids"
    for (std::size_t i = 0; !named && i < tokens.size(); ++i) {
        if (digit_count(tokens[i]) == int(tokens[i].size())) {
            named = booking::checked_people(tokens[i]);
            if (!named) return std::nullopt;  // "25 people": more than one booking takes
            continue;
        }
        for (const auto& l : d_.locales) {  // "twee", "three": ICU's spelled-out numbers
            UErrorCode status = U_ZERO_ERROR;
            icu::RuleBasedNumberFormat spell(icu::URBNF_SPELLOUT, icu::Locale(l.c_str()), status);
            if (U_FAILURE(status)) continue;
            icu::Formattable value;
            spell.parse(icu::UnicodeString::fromUTF8(tokens[i]), value, status);
            if (U_SUCCESS(status) && value.getType() == icu::Formattable::kLong) {
                named = booking::checked_people(std::to_string(value.getLong()));
                if (named) break;
            }
        }
    }
    // "me and my 2 kids": the others named, and the citizen; "me and my wife": two
    if (with_me) return booking::checked_people(std::to_string(named.value_or(1) + 1));
    return named;
}

void BookingDialog::answer_text(Turn& t, const std::string& text) const {
    BookingState& b = t.s.booking;
    const std::string& stage = b.stage;
    const auto words = split_spaces(text);

    if (stage == "email") {
        if (has_at(text)) {
            const std::string email = find_email(text);
            if (email.empty()) return t.say(d_, "booking.bad_email");
            b.email = email;
            return next_detail(t);
        }
        if (command(t, text)) return;
        return t.say(d_, "booking.bad_email");
    }
    if (stage == "phone") {
        if (digit_count(text) >= 6) {
            const auto phone = booking::checked_phone(phone_part(text));
            if (!phone) {
                t.say(d_, "booking.bad_phone");
                t.choice(d_, "no_phone", "choice.no_phone");
                return;
            }
            b.phone = *phone;
            b.phone_asked = true;
            return next_detail(t);
        }
        if (command(t, text)) return;
        const auto tokens = language::WhenReader::tokens(text);
        bool none = t.has("no");
        for (const auto& phrase : d_.booking.no_phone) none = none || tokens == phrase;
        // "1": the first choice on offer, as at every question
        if (words.size() == 1 && words[0] == "1" && !t.s.offered.empty())
            return answer_choice(t, t.s.offered.front());
        if (none) return answer_choice(t, "no_phone");
        t.say(d_, "booking.bad_phone");
        t.choice(d_, "no_phone", "choice.no_phone");
        return;
    }
    if (stage == "find_email") {
        if (has_at(text)) {
            b.email = find_email(text);
            if (b.email.empty()) return t.say(d_, "booking.bad_email");
            return find(t);
        }
        if (command(t, text)) return;
        return t.say(d_, "booking.bad_email");
    }
    if (stage == "code") {
        const std::string code = find_code(text, true);
        if (!code.empty()) {
            b.code = code;
            if (b.email.empty()) b.email = find_email(text);
            return find(t);
        }
        if (command(t, text)) return;
        t.say(d_, "booking.bad_code");
        if (++b.misses >= 2) {
            b.misses = 0;
            t.say(d_, "human.any");
        }
        return;
    }

    if (command(t, text)) return;
    // A choice by its number.
    if (words.size() == 1 && words[0].size() <= 2 &&
        digit_count(words[0]) == int(words[0].size())) {
        const std::size_t n = std::stoul(words[0]);
        if (n >= 1 && n <= t.s.offered.size() && stage != "people") {
            return answer_choice(t, t.s.offered[n - 1]);
        }
    }

    if (stage == "location") {
        if (const std::string id = location_named(b.product, text); !id.empty())
            return answer_choice(t, "location." + id);
        t.say(d_, "misunderstood");
        return ask_location(t);
    }
    if (stage == "people") {
        const std::optional<int> n = people_in(text, false);
        if (!n) return ask_people(t, "booking.people_again");
        return answer_choice(t, "people." + std::to_string(*n));
    }
    if (stage == "slot" || stage == "day") {
        if (read_wish(t, text)) return;
        t.say(d_, "booking.when_unclear");
        return ask(t, "day");
    }
    if (stage == "name") {
        // "mijn naam is Amal Haddad" -> "Amal Haddad"
        std::vector<std::string> folded_words;
        for (const auto& w : words)
            folded_words.push_back(text::Normalizer::fold_plain(trim_punctuation(w)));
        std::size_t skip = 0;
        for (const auto& prefix : d_.booking.name_prefixes)
            if (starts_with_words(folded_words, prefix)) {
                skip = prefix.size();
                break;
            }
        std::string name;
        for (std::size_t i = skip; i < words.size(); ++i)
            name += (name.empty() ? "" : " ") + words[i];
        const auto checked = booking::checked_name(trim_punctuation(name));
        if (!checked || has_at(name) || digit_count(name) > 0) return t.say(d_, "booking.bad_name");
        b.name = *checked;
        return next_detail(t);
    }
    if (stage == "summary" && b.mode == "book") {
        // A correction of one detail changes it and keeps the rest.
        if (has_at(text)) {
            const std::string email = find_email(text);
            if (email.empty()) return t.say(d_, "booking.bad_email");
            b.email = email;
            t.say(d_, "booking.changed");
            return summary(t);
        }
        const auto today = d_.calendar.zone().to_local(t.now).date;
        const bool date = d_.when->read(text, today).has_day();  // "15-12-2026" is no phone
        if (digit_count(text) >= 6 && !date)
            if (const auto phone = booking::checked_phone(phone_part(text))) {
                b.phone = *phone;
                b.phone_asked = true;
                t.say(d_, "booking.changed");
                return summary(t);
            }
        if (const auto n = people_in(text, true); n && *n != b.people) {
            // another number of people needs other times: the held one is let go
            release(t.s);
            b.people = *n;
            b.people_known = true;
            b.after_ms = t.now;
            t.say(d_, "booking.people_changed", {{"people", std::to_string(*n)}});
            return offer_times(t, "booking.slots");
        }
    }
    if (stage == "summary") {
        if (t.has("yes") && !t.has("no")) return confirm(t);
        if (t.has("no") && !t.has("yes")) {
            return answer_choice(t, b.mode == "move" ? "keep" : "stop_booking");
        }
        const auto today = d_.calendar.zone().to_local(t.now).date;
        if (!d_.when->read(text, today).empty()) {  // "rather on Friday"
            release(t.s);
            b.stage = "day";
            read_wish(t, text);
            return;
        }
        t.say(d_, "misunderstood");
        return summary(t);
    }
    if (stage == "confirm_cancel") {
        if (t.has("yes") && !t.has("no")) return answer_choice(t, "cancel_yes");
        if (t.has("no") && !t.has("yes")) return answer_choice(t, "keep");
        t.say(d_, "misunderstood");
        return ask(t, "confirm_cancel");
    }
    t.say(d_, "misunderstood");
    ask(t, stage);
}

}  // namespace wegwijs::dialog

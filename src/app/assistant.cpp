#include "app/assistant.h"

#include <algorithm>
#include <stdexcept>

#include "booking/ics.h"
#include "dialog/appointment.h"
#include "dialog/outcome.h"
#include "security/random.h"
#include "text/json_dump.h"

namespace wegwijs::app {

std::int64_t system_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string new_session_id(std::int64_t now_ms) {
    unsigned char bytes[6];
    // 48 bits of time first, like a UUIDv7: new sessions sort last, so the
    // store's indexes grow at their end instead of at a random page per turn.
    for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(now_ms >> (8 * (5 - i)));
    return security::hex(bytes, sizeof bytes) + security::random_hex(10);
}

namespace {

constexpr std::string_view kMessageBreak = "\n\n";  // between messages in a stored out turn

nlohmann::json card_json(const dialog::BookingCard& c) {
    return {{"code", c.code},         {"product", c.product}, {"desk", c.desk},
            {"location", c.location}, {"address", c.address}, {"day", c.day},
            {"time", c.time},         {"people", c.people},   {"bring", c.bring},
            {"arrive", c.arrive},     {"cancel", c.cancel},   {"mailed", c.mailed}};
}

// The card as a channel gets it: with the link to its calendar file.
nlohmann::json public_card(nlohmann::json card, const std::string& session_id) {
    card["ics"] = "/v1/chat/" + session_id + "/booking.ics";
    return card;
}

nlohmann::json choices_json(const std::vector<dialog::ReplyChoice>& choices) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : choices) {
        nlohmann::json j = {{"id", c.id}, {"label", c.label}};
        if (!c.group.empty()) j["group"] = c.group;
        if (!c.short_label.empty()) j["short"] = c.short_label;
        if (!c.emphasis.empty()) j["emphasis"] = c.emphasis;
        list.push_back(std::move(j));
    }
    return list;
}

dialog::ReplyChoice choice_of(const nlohmann::json& c) {
    return {c.value("id", std::string()), c.value("label", std::string()),
            c.value("group", std::string()), c.value("short", std::string()),
            c.value("emphasis", std::string())};
}

}  // namespace

nlohmann::json ChatResponse::to_json() const {
    nlohmann::json messages = nlohmann::json::array();
    for (const auto& m : reply.messages) {
        nlohmann::json j = {{"key", m.key}, {"text", m.text}};
        if (m.locale != reply.locale) j["locale"] = m.locale;
        if (!m.choices.empty()) j["choices"] = choices_json(m.choices);
        messages.push_back(std::move(j));
    }
    nlohmann::json out = {{"session_id", session_id},
                          {"locale", reply.locale},
                          {"messages", std::move(messages)},
                          {"state", reply.state},
                          {"route", reply.route ? nlohmann::json{{"desk", reply.route->desk},
                                                                 {"product", reply.route->product}}
                                                : nlohmann::json()},
                          {"done", reply.done}};
    if (reply.booking) out["booking"] = public_card(card_json(*reply.booking), session_id);
    if (!reply.expect.empty()) out["expect"] = reply.expect;
    if (reply.hold_seconds > 0) out["hold"] = {{"seconds_left", reply.hold_seconds}};
    return out;
}

nlohmann::json ChatHistory::to_json() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : messages) {
        nlohmann::json j = {{"from", m.from}, {"text", m.text}};
        if (!m.key.empty()) j["key"] = m.key;
        if (m.locale != locale) j["locale"] = m.locale;
        if (!m.choices.empty()) {
            j["choices"] = choices_json(m.choices);
        }
        if (!m.booking.is_null()) j["booking"] = public_card(m.booking, session_id);
        list.push_back(std::move(j));
    }
    nlohmann::json out = {{"session_id", session_id},
                          {"locale", locale},
                          {"state", state},
                          {"done", done},
                          {"messages", std::move(list)}};
    if (!expect.empty()) out["expect"] = expect;
    if (hold_seconds > 0) out["hold"] = {{"seconds_left", hold_seconds}};
    return out;
}

std::optional<ChatHistory> Assistant::history(const std::string& session_id) {
    const auto s = store_.load(session_id);
    if (!s || expired(*s, clock_())) return std::nullopt;
    const std::int64_t now = clock_();
    ChatHistory h{s->id, s->locale, s->state, s->done, {}, 0, {}};
    if (s->booking.active() && s->booking.hold_id != 0 && s->booking.hold_expires_ms > now)
        h.hold_seconds = (s->booking.hold_expires_ms - now + 999) / 1000;
    std::vector<dialog::ReplyChoice> offered;  // by the assistant's last turn
    for (const auto& r : store_.transcript(session_id)) {
        if (r.direction == "in") {
            // A tapped choice reads as its label, as the citizen saw it; a
            // command a channel sends without offering it (the widget's "start
            // again") as the label the dialog gives that choice elsewhere.
            std::string text = r.text;
            for (const auto& c : offered)
                if (text.empty() && c.id == r.choice) text = c.label;
            if (text.empty() && !r.choice.empty() &&
                data_.messages.has(r.locale, "choice." + r.choice))
                text = data_.messages.format(r.locale, "choice." + r.choice);
            if (text.empty()) text = r.choice;
            if (!text.empty()) h.messages.push_back({"citizen", text, r.locale, {}, nullptr});
            continue;
        }
        const nlohmann::json meta = r.understanding.empty()
                                        ? nlohmann::json::object()
                                        : nlohmann::json::parse(r.understanding);
        offered.clear();
        if (meta.contains("choices"))
            for (const auto& c : meta.at("choices"))
                if (c.is_object()) offered.push_back(choice_of(c));
        std::size_t at = 0;
        const auto parts = meta.value("messages", nlohmann::json::array());
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const auto& part = parts[i];
            if (!part.is_object() || !part.contains("bytes")) {  // a record from before the parts
                h.messages.push_back({"assistant", r.text.substr(at), r.locale, {}, nullptr, ""});
                at = r.text.size();
                break;
            }
            const std::size_t bytes = part.at("bytes").get<std::size_t>();
            h.messages.push_back({"assistant",
                                  r.text.substr(at, bytes),
                                  part.value("locale", r.locale),
                                  {},
                                  nullptr,
                                  part.value("key", std::string())});
            at += bytes + kMessageBreak.size();
        }
        if (h.messages.empty() || h.messages.back().from != "assistant") continue;
        h.messages.back().choices = offered;
        if (meta.contains("booking")) h.messages.back().booking = meta.at("booking");
        h.expect = meta.value("expect", std::string());
    }
    // Only the last reply's choices can still be tapped.
    for (std::size_t i = 0; i + 1 < h.messages.size(); ++i) h.messages[i].choices.clear();
    return h;
}

std::optional<std::string> Assistant::booking_ics(const std::string& session_id) {
    if (options_.bookings == nullptr) return std::nullopt;
    const auto s = store_.load(session_id);
    if (!s || s->booking.code.empty()) return std::nullopt;
    const auto b = options_.bookings->find(s->booking.code, s->booking.email);
    if (!b || b->status != "confirmed") return std::nullopt;
    const std::int64_t now = clock_();
    return booking::to_ics(dialog::ics_event(data_, *b, b->details.locale, now),
                           data_.calendar.zone().id());
}

bool Assistant::expired(const dialog::Session& s, std::int64_t now) const {
    return now - s.updated_ms > std::chrono::milliseconds(options_.idle_timeout).count();
}

Assistant::Assistant(const dialog::DialogData& data, store::SessionStore& store,
                     AssistantOptions options, Clock clock)
    : data_(data),
      store_(store),
      options_(options),
      clock_(std::move(clock)),
      booking_(options.bookings
                   ? std::make_optional<dialog::BookingDialog>(
                         data, *options.bookings, options.hold_for, options.hold_limiter,
                         options.retention_days, options.booking_retention_days)
                   : std::nullopt),
      engine_(data, booking_ ? &*booking_ : nullptr) {}

Assistant::Stripe& Assistant::stripe(const std::string& id) {
    return stripes_[std::hash<std::string>{}(id) % stripes_.size()];
}

// Holds a stripe for one turn: waits until its ticket is served, and serves
// the next ticket when it ends (also when the turn throws).
class Assistant::Turn {
  public:
    Turn(Stripe& s, std::atomic<int>& in_progress) : s_(s), in_progress_(in_progress) {
        ++in_progress_;
        std::unique_lock<std::mutex> lk(s_.lock);
        const std::uint64_t ticket = s_.next_ticket++;
        s_.served.wait(lk, [&] { return s_.now_serving == ticket; });
    }
    ~Turn() {
        {
            std::lock_guard<std::mutex> lk(s_.lock);
            ++s_.now_serving;
        }
        s_.served.notify_all();
        --in_progress_;
    }
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;

  private:
    Stripe& s_;
    std::atomic<int>& in_progress_;
};

ChatResponse Assistant::chat(const ChatRequest& request) {
    if (!request.session_id) return chat_locked(request);  // a new session: nobody else has it
    const Turn turn(stripe(*request.session_id), in_progress_);
    return chat_locked(request);
}

ChatResponse Assistant::chat_locked(const ChatRequest& request) {
    const std::int64_t now = clock_();
    std::optional<dialog::Session> session;
    std::string notice;
    // A tapped choice of an expired conversation is answered in its language.
    std::optional<std::string> locale = request.locale;
    std::optional<std::string> locale_hint = request.locale_hint;
    if (request.session_id) {
        session = store_.load(*request.session_id);
        if (!session)
            notice = "session.unknown";
        else if (expired(*session, now)) {
            notice = "session.expired";
            if (!locale && (!request.choice.empty() || !request.command.empty()))
                locale = session->locale;
            session.reset();
        } else if (request.delivery && session->done && !request.text.empty() &&
                   now - session->updated_ms >
                       std::chrono::milliseconds(options_.done_idle).count()) {
            // A messaging app has one thread per citizen: a new question
            // typed after a finished one is a new conversation, in the same
            // language (a button tapped on the old one still belongs to it).
            if (!locale && !request.locale_hint) locale_hint = session->locale;
            session.reset();
        }
    }
    const bool fresh = !session;
    if (fresh) {
        session.emplace();
        session->id = new_session_id(now);
        session->channel = request.channel;
        session->created_ms = now;
        if (locale) {
            session->locale = *locale;
        } else if (locale_hint && std::find(data_.locales.begin(), data_.locales.end(),
                                            *locale_hint) != data_.locales.end()) {
            session->locale = *locale_hint;  // not settled: the first words decide
        }
    }
    dialog::Session& s = *session;
    const std::string before = s.state;

    dialog::Reply reply;
    const bool said = !request.text.empty() || !request.choice.empty() || !request.command.empty();
    if (fresh && (!said || request.command == "restart")) {
        reply = engine_.start(s, notice);
    } else {
        reply = engine_.step(
            s, {request.text, request.choice, request.command, locale, now, request.client});
        if (!notice.empty())
            reply.messages.insert(reply.messages.begin(),
                                  {notice, data_.messages.format(s.locale, notice), s.locale, {}});
    }
    s.updated_ms = now;
    if (reply.route) s.product = reply.route->product;
    if (const std::string o = dialog::stronger_outcome(s.outcome, reply.outcome); o != s.outcome) {
        s.outcome = o;
        s.outcome_turn = s.turns;
    }

    std::vector<store::TurnRecord> records;
    // A language switch alone is a turn too (staff see it); a start is not.
    if (said || (!fresh && request.locale)) {
        // A command is kept as the choice of its name, with what it was in
        // the understanding, so staff tell a control from a tapped answer.
        std::string understanding = std::move(reply.understanding);
        if (!request.command.empty())
            understanding = text::dump(nlohmann::json{{"command", request.command}});
        store::TurnRecord in{
            now,      "in",         request.channel,
            s.locale, request.text, request.command.empty() ? request.choice : request.command,
            before,   s.state,      std::move(understanding)};
        if (request.command.empty()) in.flag = dialog::review_flag(reply);
        if (in.flag == "fallback") ++s.fallbacks;
        if (s.turns == 1 && reply.route) s.routed_first_turn = true;
        records.push_back(std::move(in));
    }
    // The out record's text is what staff read; its meta keeps what a channel
    // needs to show the reply again (GET /v1/chat/{id}): where each message
    // ends, its language, the choices with their labels, the booking card.
    std::string out_text;
    nlohmann::json meta_messages = nlohmann::json::array();
    std::vector<dialog::ReplyChoice> choices;
    for (const auto& m : reply.messages) {
        if (!out_text.empty()) out_text += kMessageBreak;
        out_text += m.text;
        nlohmann::json j = {{"key", m.key}, {"bytes", m.text.size()}};
        if (m.locale != s.locale) j["locale"] = m.locale;
        meta_messages.push_back(std::move(j));
        choices.insert(choices.end(), m.choices.begin(), m.choices.end());
    }
    nlohmann::json meta = {{"messages", std::move(meta_messages)},
                           {"choices", choices_json(choices)}};
    if (reply.route) meta["product"] = reply.route->product;
    if (reply.booking) meta["booking"] = card_json(*reply.booking);
    if (!reply.expect.empty()) meta["expect"] = reply.expect;
    records.push_back({now, "out", request.channel, s.locale, std::move(out_text), "", before,
                       s.state, text::dump(meta)});
    ChatResponse response{s.id, std::move(reply)};
    if (request.delivery) {
        const ChannelDelivery& d = *request.delivery;
        store_.save_turn(
            s, records,
            store::ChannelTurn{d.platform, d.user_key, d.message_id, d.render(response)});
    } else {
        store_.save_turn(s, records);
    }
    return response;
}

dialog::RouteResult Assistant::route(const std::string& text,
                                     const std::optional<std::string>& locale) const {
    return dialog::route(data_, text, locale);
}

}  // namespace wegwijs::app

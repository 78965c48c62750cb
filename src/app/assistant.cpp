#include "app/assistant.h"

#include <sys/random.h>

#include <stdexcept>

namespace wegwijs::app {

std::int64_t system_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string new_session_id(std::int64_t now_ms) {
    unsigned char bytes[16];
    // 48 bits of time first, like a UUIDv7: new sessions sort last, so the
    // store's indexes grow at their end instead of at a random page per turn.
    for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(now_ms >> (8 * (5 - i)));
    if (getrandom(bytes + 6, 10, 0) != 10)
        throw std::runtime_error("no randomness for a session id");
    static const char* hex = "0123456789abcdef";
    std::string id;
    for (unsigned char b : bytes) {
        id += hex[b >> 4];
        id += hex[b & 15];
    }
    return id;
}

nlohmann::json ChatResponse::to_json() const {
    nlohmann::json messages = nlohmann::json::array();
    for (const auto& m : reply.messages) {
        nlohmann::json j = {{"text", m.text}};
        if (m.locale != reply.locale) j["locale"] = m.locale;
        if (!m.choices.empty()) {
            j["choices"] = nlohmann::json::array();
            for (const auto& c : m.choices)
                j["choices"].push_back({{"id", c.id}, {"label", c.label}});
        }
        messages.push_back(std::move(j));
    }
    nlohmann::json route = nullptr;
    if (reply.route) route = {{"desk", reply.route->desk}, {"product", reply.route->product}};
    return {{"session_id", session_id}, {"locale", reply.locale}, {"messages", messages},
            {"state", reply.state},     {"route", route},         {"done", reply.done}};
}

Assistant::Assistant(const dialog::DialogData& data, store::SessionStore& store,
                     AssistantOptions options, Clock clock)
    : data_(data),
      store_(store),
      options_(options),
      clock_(std::move(clock)),
      booking_(options.bookings ? std::make_optional<dialog::BookingDialog>(data, *options.bookings,
                                                                            options.hold_for)
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
    if (request.session_id) {
        session = store_.load(*request.session_id);
        if (!session)
            notice = "session.unknown";
        else if (now - session->updated_ms >
                 std::chrono::milliseconds(options_.idle_timeout).count()) {
            notice = "session.expired";
            if (!locale && !request.choice.empty()) locale = session->locale;
            session.reset();
        }
    }
    const bool fresh = !session;
    if (fresh) {
        session.emplace();
        session->id = new_session_id(now);
        session->channel = request.channel;
        session->created_ms = now;
        if (locale) session->locale = *locale;
    }
    dialog::Session& s = *session;
    const std::string before = s.state;

    dialog::Reply reply;
    if (fresh && request.text.empty() && request.choice.empty()) {
        reply = engine_.start(s, notice);
    } else {
        reply = engine_.step(s, {request.text, request.choice, locale, now});
        if (!notice.empty())
            reply.messages.insert(reply.messages.begin(),
                                  {notice, data_.messages.format(s.locale, notice), s.locale, {}});
    }
    s.updated_ms = now;

    std::vector<store::TurnRecord> records;
    if (!request.text.empty() || !request.choice.empty()) {
        store::TurnRecord in{now,      "in",         request.channel,
                             s.locale, request.text, request.choice,
                             before,   s.state,      reply.understanding};
        records.push_back(std::move(in));
    }
    std::string out_text;
    nlohmann::json keys = nlohmann::json::array();
    nlohmann::json choices = nlohmann::json::array();
    for (const auto& m : reply.messages) {
        out_text += (out_text.empty() ? "" : "\n\n") + m.text;
        keys.push_back(m.key);
        for (const auto& c : m.choices) choices.push_back(c.id);
    }
    nlohmann::json out_meta = {{"messages", keys}, {"choices", choices}};
    if (reply.route) out_meta["product"] = reply.route->product;
    records.push_back(
        {now, "out", request.channel, s.locale, out_text, "", before, s.state, out_meta});
    store_.save_turn(s, records);
    return {s.id, std::move(reply)};
}

dialog::RouteResult Assistant::route(const std::string& text,
                                     const std::optional<std::string>& locale) const {
    return dialog::route(data_, text, locale);
}

}  // namespace wegwijs::app

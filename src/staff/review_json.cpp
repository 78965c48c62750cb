// Conversations as staff see them; see review_json.h.
#include "staff/review_json.h"

namespace wegwijs::staff {
namespace {

using nlohmann::json;

void mask_strings(json& j, const KnownDetails& known) {
    if (j.is_string())
        j = mask_text(j.get<std::string>(), known);
    else if (j.is_array() || j.is_object())
        for (auto& v : j) mask_strings(v, known);
}

// The detail the reply before asked for, if it asked one: its mask.
const char* asked_detail(const json& out_understanding) {
    if (!out_understanding.is_object() || !out_understanding.contains("messages")) return nullptr;
    for (const auto& m : out_understanding["messages"])
        if (m.is_object() && m.contains("key") && m["key"].is_string())
            if (const char* mask = mask_for_question(m["key"].get<std::string>())) return mask;
    return nullptr;
}

void add(std::vector<std::string>& to, const json& from, const char* key) {
    if (from.is_object() && from.contains(key) && from[key].is_string() &&
        !from[key].get<std::string>().empty())
        to.push_back(from[key].get<std::string>());
}

}  // namespace

KnownDetails known_details(const store::ReviewConversation& c) {
    KnownDetails k;
    const json data = json::parse(c.data, nullptr, false);
    if (data.is_object() && data.contains("booking")) {
        const json& b = data["booking"];
        add(k.names, b, "name");
        add(k.emails, b, "email");
        add(k.phones, b, "phone");
        add(k.codes, b, "code");
    }
    for (const auto& b : c.bookings) {
        for (auto [to, value] : {std::pair{&k.names, &b.name}, std::pair{&k.emails, &b.email},
                                 std::pair{&k.phones, &b.phone}, std::pair{&k.codes, &b.code}})
            if (!value->empty()) to->push_back(*value);
    }
    return k;
}

json summary_json(const store::ConversationSummary& s) {
    return {{"session_id", s.session_id},
            {"channel", s.channel},
            {"locale", s.locale},
            {"state", s.state},
            {"done", s.done},
            {"turns", s.turns},
            {"created_ms", s.created_ms},
            {"updated_ms", s.updated_ms},
            {"desk", s.desk},
            {"product", s.product},
            {"opening", mask_text(s.opening, {})},
            {"booked", !s.booking_code.empty()},
            {"delivery_failed", s.delivery_failed}};
}

json conversation_json(const store::ReviewConversation& c, bool reveal) {
    const KnownDetails known = known_details(c);
    json out = summary_json(c.summary);
    if (reveal) out["opening"] = c.summary.opening;
    out["revealed"] = reveal;
    json turns = json::array();
    const char* asked = nullptr;  // what the reply before the citizen's turn asked for
    for (const auto& t : c.turns) {
        json understanding =
            t.understanding.empty() ? json(nullptr) : json::parse(t.understanding, nullptr, false);
        if (understanding.is_discarded()) understanding = nullptr;
        std::string text = t.text;
        if (!reveal) {
            if (t.direction == "in" && asked && !text.empty())
                text = asked;
            else
                text = mask_text(text, known);
            mask_strings(understanding, known);
        }
        if (t.direction == "out") asked = asked_detail(understanding);
        turns.push_back({{"id", t.id},
                         {"at_ms", t.at_ms},
                         {"from", t.direction == "in" ? "citizen" : "assistant"},
                         {"channel", t.channel},
                         {"locale", t.locale},
                         {"text", text},
                         {"choice", t.choice},
                         {"state_before", t.state_before},
                         {"state_after", t.state_after},
                         {"understanding", understanding}});
    }
    out["turns"] = std::move(turns);
    json deliveries = json::array();
    for (const auto& d : c.deliveries)
        deliveries.push_back({{"id", d.id},
                              {"platform", d.platform},
                              {"status", d.status},
                              {"delivery", d.delivery},
                              {"error", d.error},
                              {"attempts", d.attempts},
                              {"created_ms", d.created_ms},
                              {"sent_ms", d.sent_ms},
                              {"delivery_ms", d.delivery_ms}});
    out["deliveries"] = std::move(deliveries);
    json bookings = json::array();
    for (const auto& b : c.bookings) {
        json j = {{"code", reveal ? b.code : kMaskedCode},
                  {"status", b.status},
                  {"product", b.product},
                  {"location", b.location},
                  {"start_ms", b.start_ms},
                  {"people", b.people},
                  {"name", reveal ? b.name : (b.name.empty() ? "" : kMaskedName)},
                  {"email", reveal ? b.email : (b.email.empty() ? "" : kMaskedEmail)},
                  {"phone", reveal ? b.phone : (b.phone.empty() ? "" : kMaskedPhone)}};
        bookings.push_back(std::move(j));
    }
    out["bookings"] = std::move(bookings);
    return out;
}

}  // namespace wegwijs::staff

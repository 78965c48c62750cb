// Conversations as staff see them; see review_json.h.
#include "staff/review_json.h"

#include "dialog/session.h"

namespace wegwijs::staff {
namespace {

using nlohmann::json;

void mask_strings(json& j, const KnownDetails& known) {
    if (j.is_string())
        j = mask_text(j.get<std::string>(), known);
    else if (j.is_array() || j.is_object())
        for (auto& v : j) mask_strings(v, known);
}

// The mask for the answer to a reply, when the reply expected a detail.
const char* asked_detail(const json& out_understanding) {
    if (!out_understanding.is_object()) return nullptr;
    return mask_for_answer(out_understanding.value("expect", std::string()));
}

void add(KnownDetails& k, const std::string& name, const std::string& email,
         const std::string& phone, const std::string& code) {
    for (auto [to, value] : {std::pair{&k.names, &name}, std::pair{&k.emails, &email},
                             std::pair{&k.phones, &phone}, std::pair{&k.codes, &code}})
        if (!value->empty()) to->push_back(*value);
}

}  // namespace

KnownDetails known_details(const store::ReviewConversation& c,
                           const std::vector<std::string>& public_details) {
    KnownDetails k;
    k.public_details = public_details;
    dialog::Session session;  // read as the dialog reads it
    if (const json data = json::parse(c.data, nullptr, false); data.is_object())
        session.load_data_json(data);
    const dialog::BookingState& b = session.booking;
    add(k, b.name, b.email, b.phone, b.code);
    for (const auto& booked : c.bookings)
        add(k, booked.name, booked.email, booked.phone, booked.code);
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
            {"delivery_failed", s.delivery_failed},
            {"outcome", s.outcome},
            {"reviewed", !s.reviewed_by.empty()},
            {"reviewed_by", s.reviewed_by},
            {"reviewed_ms", s.reviewed_ms},
            {"annotations", s.annotations},
            {"flagged", s.flagged}};
}

json audit_json(const store::AuditEntry& e) {
    return {{"id", e.id},          {"at_ms", e.at_ms},           {"account", e.account},
            {"action", e.action},  {"session_id", e.session_id}, {"detail", e.detail},
            {"address", e.address}};
}

json conversation_json(const store::ReviewConversation& c, bool reveal,
                       const std::vector<std::string>& public_details) {
    const KnownDetails known = known_details(c, public_details);
    json out = summary_json(c.summary);
    if (reveal) out["opening"] = c.summary.opening;
    out["revealed"] = reveal;
    json turns = json::array();
    const char* asked = nullptr;  // what the reply before the citizen's turn asked for
    for (const auto& [id, t] : c.turns) {
        json understanding =
            t.understanding.empty() ? json(nullptr) : json::parse(t.understanding, nullptr, false);
        if (understanding.is_discarded()) understanding = nullptr;
        const char* asks = t.direction == "out" ? asked_detail(understanding) : nullptr;
        std::string text = t.text;
        if (!reveal) {
            if (t.direction == "in" && asked && !text.empty())
                text = asked;
            else
                text = mask_text(text, known);
            mask_strings(understanding, known);
        }
        if (t.direction == "out") asked = asks;
        json annotation = nullptr;
        for (const auto& a : c.annotations)
            if (a.turn_id == id)
                annotation = {{"product", a.product},
                              {"intent", a.intent},
                              {"note", reveal ? a.note : mask_text(a.note, known)},
                              {"account", a.account},
                              {"at_ms", a.at_ms}};
        turns.push_back({{"id", id},
                         {"at_ms", t.at_ms},
                         {"from", t.direction == "in" ? "citizen" : "assistant"},
                         {"channel", t.channel},
                         {"locale", t.locale},
                         {"text", text},
                         {"choice", t.choice},
                         {"state_before", t.state_before},
                         {"state_after", t.state_after},
                         {"understanding", understanding},
                         {"flag", t.flag},
                         {"annotation", std::move(annotation)}});
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

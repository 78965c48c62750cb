// Replies as WhatsApp messages; see whatsapp_format.h.
#include "webhook/channels/whatsapp_format.h"

#include "text/fit.h"
#include "text/utf8.h"

namespace wegwijs::webhook {
namespace {

using text::characters;
using text::fit;

using nlohmann::json;
using L = WhatsAppLimits;

json request(const std::string& phone_number_id, json body) {
    return {{"path", "/" + phone_number_id + "/messages"}, {"json", std::move(body)}};
}

json envelope(const std::string& to) {
    return {{"messaging_product", "whatsapp"}, {"recipient_type", "individual"}, {"to", to}};
}

}  // namespace

json whatsapp_text(const std::string& to, const std::string& phone_number_id,
                   const std::string& text) {
    json body = envelope(to);
    body["type"] = "text";
    body["text"] = {{"preview_url", false}, {"body", text}};
    return request(phone_number_id, std::move(body));
}

std::vector<json> whatsapp_messages(const dialog::DialogData& data,
                                    const app::ChatResponse& response, const std::string& to,
                                    const std::string& phone_number_id,
                                    const std::string& public_url) {
    const dialog::Reply& r = response.reply;
    const auto& msg = data.messages;
    std::vector<json> out;
    auto texts = [&](const std::string& text) {
        for (const auto& p : text::split_to_fit(text, L::kText))
            out.push_back(whatsapp_text(to, phone_number_id, p));
    };
    for (std::size_t i = 0; i < r.messages.size(); ++i) {
        const dialog::ReplyMessage& m = r.messages[i];
        std::string text = m.text;
        const bool last = i + 1 == r.messages.size();
        if (last && r.booking)
            text += "\n\n" +
                    msg.format(
                        m.locale, "channel.ics",
                        {{"url", public_url + "/v1/chat/" + response.session_id + "/booking.ics"}});
        const auto& choices = m.choices;
        if (choices.empty()) {
            texts(text);
            continue;
        }
        if (choices.size() <= L::kButtons) {
            std::string body_text = text;
            if (characters(text) > L::kButtonBody) {  // the text first, then the buttons
                texts(text);
                body_text = msg.format(m.locale, "channel.choose");
            }
            json buttons = json::array();
            for (const auto& c : choices)
                buttons.push_back({{"type", "reply"},
                                   {"reply",
                                    {{"id", c.id},
                                     {"title", fit(c.short_label.empty() ? c.label : c.short_label,
                                                   L::kButtonTitle)}}}});
            json body = envelope(to);
            body["type"] = "interactive";
            body["interactive"] = {{"type", "button"},
                                   {"body", {{"text", body_text}}},
                                   {"action", {{"buttons", buttons}}}};
            out.push_back(request(phone_number_id, std::move(body)));
            continue;
        }
        // Lists of at most 10 rows; rows of one group (a day) in one section.
        std::string body_text = text;
        if (characters(text) > L::kText) {
            texts(text);
            body_text = msg.format(m.locale, "channel.choose");
        }
        for (std::size_t from = 0; from < choices.size(); from += L::kRows) {
            json sections = json::array();
            std::string group = "\x01";
            for (std::size_t k = from; k < std::min(choices.size(), from + L::kRows); ++k) {
                const auto& c = choices[k];
                if (sections.empty() || c.group != group) {
                    group = c.group;
                    json section = {{"rows", json::array()}};
                    if (!group.empty()) section["title"] = fit(group, L::kSectionTitle);
                    sections.push_back(std::move(section));
                }
                const std::string title =
                    fit(c.short_label.empty() ? c.label : c.short_label, L::kRowTitle);
                json row = {{"id", c.id}, {"title", title}};
                if (title != c.label) row["description"] = fit(c.label, L::kRowDescription);
                sections.back()["rows"].push_back(std::move(row));
            }
            // A list with several sections needs a title on each.
            if (sections.size() > 1)
                for (auto& s : sections)
                    if (!s.contains("title"))
                        s["title"] =
                            fit(msg.format(m.locale, "channel.other_answers"), L::kSectionTitle);
            json body = envelope(to);
            body["type"] = "interactive";
            body["interactive"] = {
                {"type", "list"},
                {"body",
                 {{"text", from == 0 ? body_text : msg.format(m.locale, "channel.more_choices")}}},
                {"action",
                 {{"button", fit(msg.format(m.locale, "channel.list_button"), L::kButtonTitle)},
                  {"sections", sections}}}};
            out.push_back(request(phone_number_id, std::move(body)));
        }
    }
    return out;
}

}  // namespace wegwijs::webhook

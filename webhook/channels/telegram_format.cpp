// Replies as Telegram Bot API requests; see telegram_format.h.
#include "webhook/channels/telegram_format.h"

#include "text/fit.h"
#include "text/utf8.h"

namespace wegwijs::webhook {
namespace {

using nlohmann::json;
using L = TelegramLimits;

json request(const char* method, json parameters) {
    return {{"path", std::string("/") + method}, {"json", std::move(parameters)}};
}

// Telegram's chat ids are integers; the store keeps them as text.
json chat(const std::string& chat_id) {
    if (!chat_id.empty() && chat_id.size() < 19 &&
        chat_id.find_first_not_of("-0123456789") == std::string::npos)
        return std::stoll(chat_id);
    return chat_id;
}

json send(const std::string& chat_id, const std::string& text) {
    return {{"chat_id", chat(chat_id)},
            {"text", text},
            {"link_preview_options", {{"is_disabled", true}}}};
}

std::string button_text(const dialog::ReplyChoice& c) {
    if (text::characters(c.label) <= L::kButtonText) return c.label;
    if (!c.short_label.empty()) return c.short_label;
    return text::fit(c.label, L::kButtonText);
}

// The choices in order, cut where the group changes.
std::vector<std::vector<const dialog::ReplyChoice*>> blocks(
    const std::vector<dialog::ReplyChoice>& choices) {
    std::vector<std::vector<const dialog::ReplyChoice*>> out;
    for (const auto& c : choices) {
        if (out.empty() || out.back().front()->group != c.group) out.emplace_back();
        out.back().push_back(&c);
    }
    return out;
}

json keyboard(const std::vector<const dialog::ReplyChoice*>& block) {
    const bool grouped = !block.front()->group.empty();
    json rows = json::array();
    for (const auto* c : block) {
        json button = {
            {"text", grouped && !c->short_label.empty() ? c->short_label : button_text(*c)},
            {"callback_data", c->id}};
        if (grouped && !rows.empty() && rows.back().size() < L::kGroupedPerRow)
            rows.back().push_back(std::move(button));
        else
            rows.push_back(json::array({std::move(button)}));
    }
    return {{"inline_keyboard", std::move(rows)}};
}

}  // namespace

json telegram_text(const std::string& chat_id, const std::string& text) {
    return request("sendMessage", send(chat_id, text));
}

json telegram_answer_callback(const std::string& callback_query_id) {
    return request("answerCallbackQuery", {{"callback_query_id", callback_query_id}});
}

std::vector<json> telegram_messages(const dialog::DialogData& data,
                                    const app::ChatResponse& response, const std::string& chat_id,
                                    const std::string& public_url) {
    const dialog::Reply& r = response.reply;
    std::vector<json> out;
    for (std::size_t i = 0; i < r.messages.size(); ++i) {
        const dialog::ReplyMessage& m = r.messages[i];
        std::string text = m.text;
        if (i + 1 == r.messages.size() && r.booking)
            text += "\n\n" +
                    data.messages.format(
                        m.locale, "channel.ics",
                        {{"url", public_url + "/v1/chat/" + response.session_id + "/booking.ics"}});
        const auto parts = blocks(m.choices);
        auto pieces = text::split_to_fit(text, L::kText);
        if (pieces.empty() && parts.empty()) continue;
        if (pieces.empty()) pieces.push_back(data.messages.format(m.locale, "channel.choose"));
        // The first block of choices under the question (after its group's
        // name), each later block in a message of its own under its group.
        for (std::size_t b = 0; b < std::max<std::size_t>(parts.size(), 1); ++b) {
            std::string head;
            if (b < parts.size()) {
                head = parts[b].front()->group;
                if (head.empty() && b > 0)
                    head = data.messages.format(m.locale, "channel.other_answers");
            }
            if (b == 0 && !head.empty()) {
                if (text::characters(pieces.back()) + 2 + text::characters(head) <= L::kText)
                    pieces.back() += "\n\n" + head;
                else
                    pieces.push_back(head);
            }
            if (b > 0) pieces = {head};
            for (std::size_t p = 0; p < pieces.size(); ++p) {
                json message = send(chat_id, pieces[p]);
                if (p + 1 == pieces.size() && b < parts.size())
                    message["reply_markup"] = keyboard(parts[b]);
                out.push_back(request("sendMessage", std::move(message)));
            }
        }
    }
    return out;
}

}  // namespace wegwijs::webhook

// The WhatsApp Cloud API webhook; see whatsapp.h.
#include "webhook/channels/whatsapp.h"

#include <memory>

#include "security/hmac.h"
#include "text/json_dump.h"
#include "webhook/channels/channel_inbox.h"
#include "webhook/channels/whatsapp_format.h"
#include "webhook/json_io.h"

namespace wegwijs::webhook {
namespace {

using nlohmann::json;
constexpr const char* kPlatform = "whatsapp";

std::string string_at(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// What a message says to the assistant: its text, or the id of the tapped
// button or row; nothing for a message that is no text.
struct Said {
    std::string text;
    std::string choice;
};
std::optional<Said> said(const json& m) {
    const std::string type = string_at(m, "type");
    if (type == "text" && m.contains("text") && m["text"].is_object()) {
        const std::string body = string_at(m["text"], "body");
        if (!body.empty()) return Said{body, ""};
    }
    if (type == "interactive" && m.contains("interactive") && m["interactive"].is_object()) {
        const json& i = m["interactive"];
        for (const char* kind : {"button_reply", "list_reply"})
            if (i.contains(kind) && i[kind].is_object()) {
                const std::string id = string_at(i[kind], "id");
                if (!id.empty()) return Said{"", id};
            }
    }
    if (type == "button" && m.contains("button") &&
        m["button"].is_object()) {  // a template's quick reply
        const std::string payload = string_at(m["button"], "payload");
        const std::string text = string_at(m["button"], "text");
        if (!payload.empty()) return Said{"", payload};
        if (!text.empty()) return Said{text, ""};
    }
    return std::nullopt;
}

// The webhook's work, one status and one message at a time.
struct WhatsApp {
    WhatsApp(app::Assistant& a, store::ChannelStore& c, WhatsAppOptions o, app::Clock k)
        : data(a.data()),
          channels(c),
          options(std::move(o)),
          clock(k),
          inbox(kPlatform, a, c, k, options.queued) {}

    const dialog::DialogData& data;
    store::ChannelStore& channels;
    const WhatsAppOptions options;
    app::Clock clock;
    ChannelInbox inbox;

    void status(const json& st) {
        store::DeliveryStatus d{kPlatform, string_at(st, "id"), string_at(st, "status"), clock(),
                                ""};
        const std::string at = string_at(st, "timestamp");
        if (!at.empty() && at.size() < 12 &&
            at.find_first_not_of("0123456789") == std::string::npos)
            d.at_ms = std::stoll(at) * 1000;
        for (const json& e : st.value("errors", json::array()))
            if (e.is_object())
                d.error = std::to_string(e.value("code", 0)) + " " + string_at(e, "title");
        if (!d.platform_message_id.empty() && !d.status.empty()) channels.record_status(d);
    }

    void message(const json& m, const std::string& number_id) {
        const std::string id = string_at(m, "id");
        const std::string from = string_at(m, "from");
        if (id.empty() || from.empty() || number_id.empty()) return;
        const auto words = said(m);
        if (!words) {
            inbox.take_unreadable(id, from, [&](const std::string& text) {
                return std::vector<store::ChannelMessage>{
                    {from, text::dump(whatsapp_text(from, number_id, text))}};
            });
            return;
        }
        const std::string& public_url = *options.public_url;
        inbox.take({id, from, words->text, words->choice, ""},
                   [this, &public_url, &from, &number_id](const app::ChatResponse& r) {
                       std::vector<store::ChannelMessage> out;
                       for (const json& j : whatsapp_messages(data, r, from, number_id, public_url))
                           out.push_back({from, text::dump(j)});
                       return out;
                   });
    }
};

}  // namespace

void install_whatsapp(httplib::Server& server, app::Assistant& assistant,
                      store::ChannelStore& channels, WhatsAppOptions options, app::Clock clock) {
    const auto wa =
        std::make_shared<WhatsApp>(assistant, channels, std::move(options), std::move(clock));

    server.Get("/v1/channels/whatsapp", [wa](const httplib::Request& req, httplib::Response& res) {
        const std::string mode = req.get_param_value("hub.mode");
        const std::string token = req.get_param_value("hub.verify_token");
        const std::string& expected = wa->options.verify_token;
        if (expected.empty() || mode != "subscribe" ||
            !security::equal_in_constant_time(token, expected)) {
            send_error(res, 403, "verification_failed",
                       "The verify token does not match, or hub.mode is not subscribe.");
            return;
        }
        res.status = 200;
        res.set_content(req.get_param_value("hub.challenge"), "text/plain; charset=utf-8");
    });

    server.Post(
        "/v1/channels/whatsapp", with_body([wa](const httplib::Request& req, httplib::Response& res,
                                                const std::string& body) {
            const std::string& secret = wa->options.app_secret;
            if (secret.empty())
                throw BadRequest{503, "channel_not_configured",
                                 "WEGWIJS_WHATSAPP_APP_SECRET is not set."};
            const std::string signature = req.get_header_value("X-Hub-Signature-256");
            if (signature.empty())
                throw BadRequest{401, "missing_signature", "X-Hub-Signature-256 is missing."};
            if (!security::equal_in_constant_time(
                    signature, "sha256=" + security::hmac_sha256_hex(secret, body)))
                throw BadRequest{401, "invalid_signature",
                                 "X-Hub-Signature-256 does not match the body."};
            const json update = parse_object(body);
            for (const json& entry : update.value("entry", json::array()))
                for (const json& change :
                     entry.is_object() ? entry.value("changes", json::array()) : json::array()) {
                    if (!change.is_object() || !change.contains("value") ||
                        !change["value"].is_object())
                        continue;
                    const json& value = change["value"];
                    const json meta = value.value("metadata", json::object());
                    const std::string number_id =
                        meta.is_object() ? string_at(meta, "phone_number_id") : "";
                    for (const json& st : value.value("statuses", json::array()))
                        if (st.is_object()) wa->status(st);
                    for (const json& m : value.value("messages", json::array()))
                        if (m.is_object()) wa->message(m, number_id);
                }
            send_json(res, 200, {{"status", "ok"}});
        }));
}

}  // namespace wegwijs::webhook

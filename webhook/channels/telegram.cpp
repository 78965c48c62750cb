// The Telegram Bot API webhook; see telegram.h.
#include "webhook/channels/telegram.h"

#include <cctype>
#include <memory>

#include "security/hmac.h"
#include "text/json_dump.h"
#include "webhook/channels/channel_inbox.h"
#include "webhook/channels/telegram_format.h"
#include "webhook/json_io.h"

namespace wegwijs::webhook {
namespace {

using nlohmann::json;
constexpr const char* kPlatform = "telegram";

const json& object_at(const json& j, const char* key) {
    static const json none = json::object();
    const auto it = j.find(key);
    return it != j.end() && it->is_object() ? *it : none;
}

std::string string_at(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// An id Telegram sends as an integer, as text; empty when there is none.
std::string id_at(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end()) return "";
    if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
    return it->is_string() ? it->get<std::string>() : std::string();
}

// The language of a user's app ("nl", "en-GB"): its primary subtag.
std::optional<std::string> language_of(const json& user) {
    std::string tag = string_at(user, "language_code");
    tag = tag.substr(0, tag.find_first_of("-_"));
    if (tag.empty() || tag.size() > 8) return std::nullopt;
    for (char& c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return tag;
}

bool is_start(const std::string& text) {
    return text == "/start" || text.rfind("/start ", 0) == 0 || text.rfind("/start@", 0) == 0;
}

struct Telegram {
    Telegram(app::Assistant& a, store::ChannelStore& c, TelegramOptions o, app::Clock k)
        : data(a.data()), options(std::move(o)), inbox(kPlatform, a, c, k, options.queued) {}

    const dialog::DialogData& data;
    const TelegramOptions options;
    ChannelInbox inbox;

    ChannelInbox::Render replies(const std::string& chat_id, const std::string& callback_id) {
        return [this, chat_id, callback_id](const app::ChatResponse& r) {
            std::vector<store::ChannelMessage> out;
            if (!callback_id.empty())
                out.push_back({chat_id, text::dump(telegram_answer_callback(callback_id))});
            for (const json& j : telegram_messages(data, r, chat_id, *options.public_url))
                out.push_back({chat_id, text::dump(j)});
            return out;
        };
    }

    void message(const std::string& update, const json& m) {
        const json& chat = object_at(m, "chat");
        const std::string chat_id = id_at(chat, "id");
        if (chat_id.empty() || string_at(chat, "type") != "private") return;
        const std::string words = string_at(m, "text");
        if (words.empty()) {
            inbox.take_unreadable(update, chat_id, [&](const std::string& text) {
                return std::vector<store::ChannelMessage>{
                    {chat_id, text::dump(telegram_text(chat_id, text))}};
            });
            return;
        }
        Inbound in{update, chat_id, words, "", "", language_of(object_at(m, "from"))};
        if (is_start(words)) {
            in.text.clear();
            in.command = "restart";
        }
        inbox.take(in, replies(chat_id, ""));
    }

    void callback(const std::string& update, const json& q) {
        const std::string id = string_at(q, "id");
        if (id.empty()) return;
        const json& chat = object_at(object_at(q, "message"), "chat");
        const std::string chat_id = id_at(chat, "id");
        const std::string choice = string_at(q, "data");
        if (chat_id.empty() || string_at(chat, "type") != "private" || choice.empty()) {
            // Not a button of ours in a private chat: only stop its spinner.
            const std::string from = id_at(object_at(q, "from"), "id");
            inbox.answer_only(update,
                              {{"callback:" + from, text::dump(telegram_answer_callback(id))}});
            return;
        }
        inbox.take({update, chat_id, "", choice, "", language_of(object_at(q, "from"))},
                   replies(chat_id, id));
    }
};

}  // namespace

bool valid_telegram_secret(const std::string& secret) {
    if (secret.empty() || secret.size() > 256) return false;
    for (const unsigned char c : secret)
        if (!std::isalnum(c) && c != '_' && c != '-') return false;
    return true;
}

void install_telegram(httplib::Server& server, app::Assistant& assistant,
                      store::ChannelStore& channels, TelegramOptions options, app::Clock clock) {
    const auto tg =
        std::make_shared<Telegram>(assistant, channels, std::move(options), std::move(clock));
    server.Post("/v1/channels/telegram",
                with_body([tg](const httplib::Request& req, httplib::Response& res,
                               const std::string& body) {
                    const std::string& secret = tg->options.secret;
                    if (secret.empty())
                        throw BadRequest{503, "channel_not_configured",
                                         "WEGWIJS_TELEGRAM_SECRET is not set."};
                    if (!req.has_header("X-Telegram-Bot-Api-Secret-Token"))
                        throw BadRequest{401, "missing_secret",
                                         "X-Telegram-Bot-Api-Secret-Token is missing."};
                    if (!security::equal_in_constant_time(
                            req.get_header_value("X-Telegram-Bot-Api-Secret-Token"), secret))
                        throw BadRequest{401, "invalid_secret",
                                         "X-Telegram-Bot-Api-Secret-Token does not match."};
                    const json update = parse_object(body);
                    const auto id = update.find("update_id");
                    if (id == update.end() || !id->is_number_integer())
                        throw BadRequest{400, "invalid_field", "update_id must be an integer."};
                    const std::string key = "update." + std::to_string(id->get<std::int64_t>());
                    if (const json& m = object_at(update, "message"); !m.empty())
                        tg->message(key, m);
                    else if (const json& q = object_at(update, "callback_query"); !q.empty())
                        tg->callback(key, q);
                    send_json(res, 200, {{"status", "ok"}});
                }));
}

}  // namespace wegwijs::webhook

// The sender of the messaging channels' outbox; see channel_sender.h.
#include "app/channel_sender.h"

#include <algorithm>
#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "net/http_client.h"

namespace wegwijs::app {

ChannelSender::ChannelSender(store::ChannelStore& store, std::map<std::string, Platform> platforms,
                             ChannelSenderOptions options, std::ostream& log, Clock clock)
    : store_(store),
      platforms_(std::move(platforms)),
      options_(options),
      log_(log),
      clock_(std::move(clock)),
      worker_(options_.poll, [this] {
          try {
              send_due();
              // Inbound ids are kept past the platforms' redelivery (7 days), then forgotten.
              const std::int64_t now = clock_();
              if (now - forgot_ms_ > 3'600'000) {
                  store_.forget_inbound(now - 8LL * 24 * 3'600'000);
                  forgot_ms_ = now;
              }
          } catch (const std::exception& e) {  // the database, say: next interval
              say(std::string("channels: cannot read the outbox: ") + e.what());
          }
      }) {}

ChannelSender::~ChannelSender() = default;

void ChannelSender::send_due() {
    // Several rounds while there is work: a user's next message is due as
    // soon as the one before it went. A round holds at most one message per
    // user (due() hands out only each user's oldest), so its messages go out
    // side by side without changing any user's order.
    for (int round = 0; round < 50; ++round) {
        const auto due = store_.due(clock_(), 100);
        if (due.empty()) return;
        std::atomic<std::size_t> next{0};
        const auto work = [&] {
            for (std::size_t i; (i = next++) < due.size() && !worker_.stopping();) send_one(due[i]);
        };
        {
            std::vector<std::jthread> helpers;
            for (std::size_t t = 1; t < std::min(options_.parallel, due.size()); ++t)
                helpers.emplace_back(work);
            work();
        }
        if (worker_.stopping()) return;
    }
}

void ChannelSender::send_one(const store::OutboundMessage& m) {
    using std::chrono::milliseconds;
    const std::string what = m.platform + " message " + std::to_string(m.id);
    try {
        const auto platform = platforms_.find(m.platform);
        if (platform == platforms_.end()) {
            store_.give_up(m.id, "no such platform configured");
            return;
        }
        PlatformAnswer a;
        try {
            a = platform->second(m);
        } catch (const std::exception& e) {
            a = {PlatformAnswer::Kind::retry, "", e.what()};
        }
        const std::int64_t now = clock_();
        const std::int64_t give_up_ms =
            std::chrono::duration_cast<milliseconds>(options_.give_up).count();
        if (a.kind == PlatformAnswer::Kind::sent) {
            store_.mark_sent(m.id, a.message_id, now);
        } else if (a.kind == PlatformAnswer::Kind::refused || now - m.created_ms >= give_up_ms) {
            store_.give_up(m.id, a.error);
            say(what + ": given up: " + a.error);
        } else {
            const std::int64_t base = options_.retry_base.count();
            const std::int64_t wait =
                std::max<std::int64_t>(std::min<std::int64_t>(base << std::min(m.attempts, 16),
                                                              options_.retry_max.count()),
                                       std::min<std::int64_t>(a.retry_after_ms, 3'600'000));
            store_.retry_later(m.id, now + wait, a.error);
            say(what + ": " + a.error + "; again in " + std::to_string(wait) + " ms");
        }
    } catch (const std::exception& e) {  // the store: the message stays pending
        say(what + ": cannot record the outcome: " + e.what());
    }
}

void ChannelSender::say(const std::string& line) {
    const std::lock_guard<std::mutex> one(log_lock_);
    log_ << line << "\n" << std::flush;
}

Platform whatsapp_platform(std::string api_base, std::string access_token) {
    while (!api_base.empty() && api_base.back() == '/') api_base.pop_back();
    return [api_base, access_token](const store::OutboundMessage& m) {
        const auto request = nlohmann::json::parse(m.body);
        const net::HttpAnswer answer =
            net::post_json(api_base + request.at("path").get<std::string>(),
                           {"Authorization: Bearer " + access_token}, request.at("json").dump());
        PlatformAnswer out;
        const auto body = nlohmann::json::parse(answer.body, nullptr, false);
        if (answer.status >= 200 && answer.status < 300) {
            out.kind = PlatformAnswer::Kind::sent;
            if (body.is_object() && body.contains("messages") && body["messages"].is_array() &&
                !body["messages"].empty() && body["messages"][0].is_object())
                out.message_id = body["messages"][0].value("id", "");
            return out;
        }
        out.kind = answer.status == 429 || answer.status >= 500 ? PlatformAnswer::Kind::retry
                                                                : PlatformAnswer::Kind::refused;
        out.error = "HTTP " + std::to_string(answer.status);
        if (body.is_object() && body.contains("error") && body["error"].is_object())
            out.error += ": " + body["error"].value("message", std::string());
        return out;
    };
}

Platform telegram_platform(std::string api_base, std::string bot_token) {
    while (!api_base.empty() && api_base.back() == '/') api_base.pop_back();
    return [api_base, bot_token](const store::OutboundMessage& m) {
        const auto request = nlohmann::json::parse(m.body);
        const net::HttpAnswer answer =
            net::post_json(api_base + "/bot" + bot_token + request.at("path").get<std::string>(),
                           {}, request.at("json").dump());
        PlatformAnswer out;
        const auto body = nlohmann::json::parse(answer.body, nullptr, false);
        const bool ok = body.is_object() && body.value("ok", false);
        if (answer.status >= 200 && answer.status < 300 && ok) {
            out.kind = PlatformAnswer::Kind::sent;
            const auto& result = body.contains("result") ? body["result"] : nlohmann::json();
            // A message id is unique within its chat only.
            if (result.is_object() && result.contains("message_id") &&
                result["message_id"].is_number_integer() && result.contains("chat") &&
                result["chat"].is_object() && result["chat"].contains("id"))
                out.message_id = result["chat"]["id"].dump() + ":" +
                                 std::to_string(result["message_id"].get<std::int64_t>());
            return out;
        }
        out.kind = answer.status == 429 || answer.status >= 500 ? PlatformAnswer::Kind::retry
                                                                : PlatformAnswer::Kind::refused;
        out.error = "HTTP " + std::to_string(answer.status);
        if (body.is_object()) {
            if (body.contains("description") && body["description"].is_string())
                out.error += ": " + body["description"].get<std::string>();
            const auto& p = body.contains("parameters") ? body["parameters"] : nlohmann::json();
            if (p.is_object() && p.contains("retry_after") && p["retry_after"].is_number_integer())
                out.retry_after_ms = p["retry_after"].get<std::int64_t>() * 1000;
        }
        return out;
    };
}

}  // namespace wegwijs::app

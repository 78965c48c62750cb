// The WhatsApp Cloud API channel: GET /v1/channels/whatsapp (Meta's
// verification handshake) and POST /v1/channels/whatsapp (its webhook).
//
// Guarantees:
// - the handshake answers hub.challenge only for hub.mode=subscribe and the
//   verify token (compared in constant time); otherwise 403;
// - every POST is checked against X-Hub-Signature-256 (HMAC-SHA256 of the
//   body bytes with the app secret, compared in constant time): a missing or
//   wrong signature is 401 and nothing is stored or done;
// - every entry[].changes[].value.messages[] and .statuses[] is read; each
//   message goes through the channel inbox (channel_inbox.h: processed once
//   by its wamid, one user at a time, stored before the 200, the only-text
//   reply to an image, audio, location or sticker); a storage failure
//   answers 503, so Meta delivers the message again;
// - a delivery status only moves forward (store/channel_store.h).
#pragma once

#include <httplib.h>

#include <functional>
#include <memory>
#include <string>

#include "app/assistant.h"
#include "store/channel_store.h"

namespace wegwijs::webhook {

struct WhatsAppOptions {
    std::string verify_token;  // WEGWIJS_WHATSAPP_VERIFY_TOKEN
    std::string app_secret;    // WEGWIJS_WHATSAPP_APP_SECRET
    // The service's origin for the links to calendar files; shared, since
    // it is known once the port is bound, after the routes are installed.
    std::shared_ptr<const std::string> public_url = std::make_shared<std::string>();
    // Called after replies were stored (the sender's wake-up); may be empty.
    std::function<void()> queued = {};
};

void install_whatsapp(httplib::Server& server, app::Assistant& assistant,
                      store::ChannelStore& channels, WhatsAppOptions options,
                      app::Clock clock = app::system_clock_ms);

}  // namespace wegwijs::webhook

#include "webhook/http_api.h"

#include <sys/socket.h>

#include <chrono>
#include <iostream>
#include <optional>
#include <regex>

#include "text/normalizer.h"
#include "webhook/connection_server.h"
#include "webhook/json_io.h"

namespace wegwijs::webhook {
namespace {

std::optional<std::string> optional_locale(const nlohmann::json& body,
                                           const dialog::DialogData& d) {
    auto locale = optional_string(body, "locale", 16);
    if (locale && std::find(d.locales.begin(), d.locales.end(), *locale) == d.locales.end())
        throw BadRequest{400, "invalid_locale", "'locale' must be \"nl\" or \"en\"."};
    return locale;
}

}  // namespace

std::string loggable_path(const std::string& path) {
    // A session id opens its transcript and a booking code its appointment:
    // keys to personal data, so a log never holds them.
    static const std::regex kKeyed(R"(^/v1/(chat|bookings)/[^/]+)");
    return std::regex_replace(path, kKeyed, "/v1/$1/{id}");
}

std::unique_ptr<httplib::Server> make_server(app::Assistant& assistant,
                                             const ServerOptions& options) {
    std::unique_ptr<httplib::Server> server = std::make_unique<ConnectionServer>();
    const std::size_t threads = options.threads;
    server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server->set_tcp_nodelay(true);
    server->set_read_timeout(5, 0);
    server->set_write_timeout(5, 0);
    server->set_keep_alive_timeout(5);
    server->set_keep_alive_max_count(10000);
    server->set_payload_max_length(64 * 1024);

    const std::size_t max_text = options.max_text_bytes;
    const auto& data = assistant.data();

    server->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
        send_json(res, 200, {{"status", "ok"}});
    });

    server->Post(
        "/v1/chat", json_handler([&assistant, &data, max_text](const httplib::Request& req,
                                                               httplib::Response& res) {
            const nlohmann::json body = parse_object(req);
            app::ChatRequest chat;
            chat.session_id = optional_string(body, "session_id", 128);
            chat.text = optional_string(body, "text", max_text).value_or("");
            chat.choice = optional_string(body, "choice", 200).value_or("");
            chat.locale = optional_locale(body, data);
            if (chat.session_id && chat.session_id->empty())
                throw BadRequest{400, "invalid_field", "'session_id' must not be empty."};
            // A locale alone continues a conversation too: the
            // channel's language switch; the question comes again.
            if (chat.session_id && chat.text.empty() && chat.choice.empty() && !chat.locale)
                throw BadRequest{400, "missing_input",
                                 "Send 'text', 'choice' or 'locale' to continue a "
                                 "conversation."};
            send_json_text(res, 200, assistant.chat(chat).to_json_text());
        }));

    // The transcript so far, for a channel that shows it again (a reloaded
    // page). The session id is the only key to it: it is random, and the
    // answer is neither cached nor kept longer than the session lives.
    server->Get(R"(/v1/chat/([A-Za-z0-9_-]{1,128}))",
                json_handler([&assistant](const httplib::Request& req, httplib::Response& res) {
                    const auto h = assistant.history(req.matches[1].str());
                    if (!h)
                        throw BadRequest{404, "unknown_session",
                                         "No conversation with that id, or it has expired."};
                    res.set_header("Cache-Control", "no-store");
                    send_json(res, 200, h->to_json());
                }));
    server->Get(R"(/v1/chat/([A-Za-z0-9_-]{1,128})/booking\.ics)",
                json_handler([&assistant](const httplib::Request& req, httplib::Response& res) {
                    const auto ics = assistant.booking_ics(req.matches[1].str());
                    if (!ics)
                        throw BadRequest{404, "no_booking",
                                         "This conversation has no confirmed appointment."};
                    res.status = 200;
                    res.set_header("Cache-Control", "no-store");
                    res.set_header("Content-Disposition",
                                   "attachment; filename=\"appointment.ics\"");
                    res.set_content(*ics, "text/calendar; charset=utf-8");
                }));

    server->Post(
        "/v1/route", json_handler([&assistant, &data, max_text](const httplib::Request& req,
                                                                httplib::Response& res) {
            const nlohmann::json body = parse_object(req);
            const auto text = optional_string(body, "text", max_text);
            if (!text || text->find_first_not_of(" \t\r\n") == std::string::npos)
                throw BadRequest{400, "missing_input", "'text' is required."};
            send_json(res, 200, assistant.route(*text, optional_locale(body, data)).to_json());
        }));

    server->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return;
        if (res.status == 404)
            send_error(res, 404, "not_found", "No such endpoint: " + req.method + " " + req.path);
        else if (res.status == 413)
            send_error(res, 413, "too_large", "The body is too large.");
        else if (res.status == 405)
            send_error(res, 405, "method_not_allowed", "Method not allowed.");
        else
            send_error(res, res.status, "http_" + std::to_string(res.status),
                       "The request could not be served.");
    });
    server->set_exception_handler(
        [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
            std::string what = "unknown";
            try {
                std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            std::cerr << "error: " << req.method << " " << loggable_path(req.path) << ": " << what
                      << "\n";
            send_error(res, 500, "internal", "Something went wrong on our side; please try again.");
        });
    if (options.access_log) {
        server->set_logger([](const httplib::Request& req, const httplib::Response& res) {
            // method, path and status only: bodies hold personal data
            std::cerr << req.method << " " << loggable_path(req.path) << " " << res.status << "\n";
        });
    }
    return server;
}

int bind_server(httplib::Server& server, const std::string& host, int port) {
    // SO_REUSEADDR only: cpp-httplib's default also sets SO_REUSEPORT, which
    // lets a second wegwijs bind the same port and silently take half of the
    // traffic into another database. A port in use must refuse the start.
    int listening = -1;
    server.set_socket_options([&listening](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
        listening = sock;
    });
    const int bound =
        port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
    // The capture of `listening` ends here: leave a callback that does not use it.
    server.set_socket_options([](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    if (bound < 0) return -1;
    // Debian's cpp-httplib is a compiled library that listens with a backlog
    // of 5: a burst of new clients would lose connections (the handshake is
    // dropped and retried a second later, or fails). listen() again on the
    // bound socket raises the backlog; the kernel caps it at somaxconn.
    if (listening >= 0 && ::listen(listening, 1024) != 0) return -1;
    return bound;
}

}  // namespace wegwijs::webhook

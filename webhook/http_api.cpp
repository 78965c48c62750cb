#include "webhook/http_api.h"

#include <sys/socket.h>

#include <algorithm>
#include <iostream>
#include <regex>
#include <typeinfo>

#include "store/sqlite.h"
#include "text/normalizer.h"
#include "webhook/thread_pool.h"

namespace wegwijs::webhook {
namespace {

std::optional<std::string> optional_locale(const nlohmann::json& body,
                                           const dialog::DialogData& d) {
    auto locale = optional_string(body, "locale", 16);
    if (locale && std::find(d.locales.begin(), d.locales.end(), *locale) == d.locales.end())
        throw BadRequest{400, "invalid_locale", "'locale' must be \"nl\" or \"en\"."};
    return locale;
}

// The language of a refusal the citizen may read: the request's Accept-Language
// when it prefers English, else Dutch (the city's language).
std::string command_list() {
    std::string out;
    for (const char* c : dialog::kCommands) out += (out.empty() ? "" : ", ") + std::string(c);
    return out;
}

std::string answer_locale(const httplib::Request& req) {
    const std::string accept = req.get_header_value("Accept-Language");
    return accept.rfind("en", 0) == 0 ? "en" : "nl";
}

// A path as an error message may repeat it: short, and as valid UTF-8.
std::string shown_path(const std::string& path) {
    std::string p = path.substr(0, 100);
    return text::is_valid_utf8(p) ? p : std::string("(a path that is not UTF-8)");
}

// What a log may say of an exception: never request content, which the
// messages of JSON parse errors carry.
std::string loggable(std::exception_ptr ep) {
    try {
        std::rethrow_exception(ep);
    } catch (const store::SqliteError& e) {
        return std::string("SQLite: ") + e.what();
    } catch (const nlohmann::json::exception& e) {
        return "JSON error " + std::to_string(e.id);
    } catch (const std::exception& e) {
        return std::string(typeid(e).name()) + ": " + std::string(e.what()).substr(0, 120);
    } catch (...) {
        return "an exception of unknown type";
    }
}

// What the catch-alls and the error handler say of a path nothing serves.
std::string no_such_endpoint(const httplib::Request& req) {
    return "No such endpoint: " + req.method.substr(0, 10) + " " + shown_path(req.path);
}

// A write the storage could not take, as the client hears it: reported to
// the health check (which logs it once), and a 503 in `locale`.
BadRequest storage_refusal(app::StorageHealth& health, const dialog::DialogData& data,
                           const store::SqliteError& e, const std::string& locale) {
    health.failed(e);
    return {503, "storage_unavailable", data.messages.format(locale, "error.storage_unavailable")};
}

}  // namespace

bool refuse_bad_headers(const httplib::Request& req, httplib::Response& res) {
    const auto problem = header_problem(req);
    if (!problem) return false;
    res.set_header("Connection", "close");
    send_error(res, problem->status, problem->code, problem->message);
    return true;
}

std::string loggable_path(const std::string& path) {
    // A session id opens its transcript and a booking code its appointment:
    // keys to personal data, so a log never holds them.
    static const std::regex kKeyed(R"(^/v1/(chat|bookings|holds)/[^/]+)");
    std::string shown = std::regex_replace(path.substr(0, 200), kKeyed, "/v1/$1/{id}");
    // A decoded path may hold line breaks (%0a): never a forged log line.
    for (char& c : shown)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return shown;
}

std::string client_address(const httplib::Request& req,
                           const std::vector<std::string>& trusted_proxies) {
    if (std::find(trusted_proxies.begin(), trusted_proxies.end(), req.remote_addr) ==
        trusted_proxies.end())
        return req.remote_addr;
    // The proxy appends the address it saw: the last entry is the one it vouches for.
    const std::string forwarded = req.get_header_value("X-Forwarded-For");
    const std::size_t comma = forwarded.rfind(',');
    std::string last = comma == std::string::npos ? forwarded : forwarded.substr(comma + 1);
    last.erase(0, last.find_first_not_of(" \t"));
    last.erase(last.find_last_not_of(" \t") + 1);
    return last.empty() || last.size() > 64 ? req.remote_addr : last;
}

std::optional<BadRequest> header_problem(const httplib::Request& req) {
    std::size_t bytes = 0;
    for (const auto& [name, value] : req.headers) bytes += name.size() + value.size() + 4;
    if (req.headers.size() > kMaxHeaderCount || bytes > kMaxHeaderBytes)
        return BadRequest{431, "headers_too_large",
                          "At most " + std::to_string(kMaxHeaderCount) + " headers of " +
                              std::to_string(kMaxHeaderBytes / 1024) + " KiB in all."};
    if (req.has_header("Content-Length")) {
        const std::string length = req.get_header_value("Content-Length");
        if (length.size() > 18 || length.find_first_not_of("0123456789") != std::string::npos ||
            std::stoull(length) > kMaxBodyBytes)
            return BadRequest{
                413, "too_large",
                "The body is larger than " + std::to_string(kMaxBodyBytes / 1024) + " KiB."};
    }
    if (req.is_multipart_form_data())
        return BadRequest{415, "unsupported_media_type", "Send the body as application/json."};
    return std::nullopt;
}

std::unique_ptr<httplib::Server> make_server(app::Assistant& assistant,
                                             const ServerOptions& options) {
    auto server = std::make_unique<httplib::Server>();
    const std::size_t max_threads = options.max_threads;
    const std::size_t keep_threads = options.keep_threads;
    server->new_task_queue = [max_threads, keep_threads] {
        return new ElasticThreadPool(max_threads, keep_threads);
    };
    server->set_tcp_nodelay(true);
    // Each read and write waits at most this long; an idle keep-alive
    // connection is closed after its timeout, and after 100 requests.
    server->set_read_timeout(5, 0);
    server->set_write_timeout(5, 0);
    server->set_keep_alive_timeout(5);
    server->set_keep_alive_max_count(100);
    server->set_payload_max_length(kMaxBodyBytes);  // Content-Length; with_body caps the rest

    const std::size_t max_text = options.max_text_bytes;
    const auto& data = assistant.data();
    app::StorageHealth* health = options.health;
    const std::vector<std::string> proxies = options.trusted_proxies;

    // Header limits for every server; install_browser_policy keeps them first.
    server->set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
        return refuse_bad_headers(req, res) ? httplib::Server::HandlerResponse::Handled
                                            : httplib::Server::HandlerResponse::Unhandled;
    });

    server->Get("/healthz", [health](const httplib::Request&, httplib::Response& res) {
        const auto status = health ? health->status() : app::StorageHealth::Status{};
        if (status.ok)
            send_json(res, 200, {{"status", "ok"}});
        else
            send_json(res, 503, {{"status", "degraded"}, {"reason", "storage: " + status.reason}});
    });

    server->Post("/v1/chat", with_body([&assistant, &data, max_text, health, proxies](
                                           const httplib::Request& req, httplib::Response& res,
                                           const std::string& text) {
                     const nlohmann::json body = parse_object(text);
                     app::ChatRequest chat;
                     chat.client = client_address(req, proxies);
                     chat.session_id = optional_string(body, "session_id", 128);
                     chat.text = optional_string(body, "text", max_text).value_or("");
                     chat.choice = optional_string(body, "choice", 200).value_or("");
                     chat.command = optional_string(body, "command", 40).value_or("");
                     if (!chat.command.empty() &&
                         std::find(std::begin(dialog::kCommands), std::end(dialog::kCommands),
                                   chat.command) == std::end(dialog::kCommands))
                         throw BadRequest{400, "invalid_field",
                                          "'command' must be one of: " + command_list() + "."};
                     if (!chat.command.empty() && (!chat.text.empty() || !chat.choice.empty()))
                         throw BadRequest{400, "invalid_field",
                                          "Send 'command' alone, without 'text' or 'choice'."};
                     chat.locale = optional_locale(body, data);
                     if (chat.session_id && chat.session_id->empty())
                         throw BadRequest{400, "invalid_field", "'session_id' must not be empty."};
                     // A locale alone continues a conversation too: the
                     // channel's language switch; the question comes again.
                     if (chat.session_id && chat.text.empty() && chat.choice.empty() &&
                         chat.command.empty() && !chat.locale)
                         throw BadRequest{
                             400, "missing_input",
                             "Send 'text', 'choice', 'command' or 'locale' to continue a "
                             "conversation."};
                     try {
                         send_json(res, 200, assistant.chat(chat).to_json());
                     } catch (const store::SqliteError& e) {
                         if (!e.storage_unavailable() || !health) throw;
                         // Said in the conversation's language (reading still works);
                         // the exception handler would only know the request's.
                         std::string locale = chat.locale.value_or("nl");
                         try {
                             if (!chat.locale && chat.session_id)
                                 if (const auto h = assistant.history(*chat.session_id))
                                     locale = h->locale;
                         } catch (const std::exception&) {
                             // the Dutch sentence, then
                         }
                         throw storage_refusal(*health, data, e, locale);
                     }
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
        "/v1/route",
        with_body([&assistant, &data, max_text](const httplib::Request&, httplib::Response& res,
                                                const std::string& text) {
            const nlohmann::json body = parse_object(text);
            const auto sentence = optional_string(body, "text", max_text);
            if (!sentence || sentence->find_first_not_of(" \t\r\n") == std::string::npos)
                throw BadRequest{400, "missing_input", "'text' is required."};
            send_json(res, 200, assistant.route(*sentence, optional_locale(body, data)).to_json());
        }));

    // Runs for every answer of 400 and up; it must not throw (httplib calls
    // it outside its own exception handling).
    server->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        try {
            if (!res.body.empty()) return;
            if (res.status == 404)
                send_error(res, 404, "not_found", no_such_endpoint(req));
            else if (res.status == 413)
                send_error(res, 413, "too_large", "The body is too large.");
            else if (res.status == 414)
                send_error(res, 414, "uri_too_long", "The address is too long.");
            else if (res.status == 405)
                send_error(res, 405, "method_not_allowed", "Method not allowed.");
            else if (res.status == 400)
                send_error(res, 400, "bad_request", "The request could not be read.");
            else
                send_error(res, res.status, "http_" + std::to_string(res.status),
                           "The request could not be served.");
        } catch (...) {
            res.body.clear();  // an empty answer with its status, rather than a crash
        }
    });
    server->set_exception_handler([health, &data](const httplib::Request& req,
                                                  httplib::Response& res, std::exception_ptr ep) {
        try {
            std::rethrow_exception(ep);
        } catch (const store::SqliteError& e) {
            if (e.storage_unavailable() && health) {
                const BadRequest refusal = storage_refusal(*health, data, e, answer_locale(req));
                send_error(res, refusal.status, refusal.code, refusal.message);
                return;
            }
        } catch (...) {
        }
        // Writing to the log and the answer cannot throw here: no formatting
        // of request content, and send_error writes with replacement.
        std::cerr << "error: " << req.method.substr(0, 10) << " " << loggable_path(req.path) << ": "
                  << loggable(ep) << "\n";
        send_error(res, 500, "internal", "Something went wrong on our side; please try again.");
    });
    if (options.access_log) {
        server->set_logger([](const httplib::Request& req, const httplib::Response& res) {
            // method, path and status only: bodies hold personal data
            std::cerr << req.method.substr(0, 10) << " " << loggable_path(req.path) << " "
                      << res.status << "\n";
        });
    }
    return server;
}

int bind_server(httplib::Server& server, const std::string& host, int port) {
    // Last, so that every route comes first: a request with a body to a path
    // nothing else takes is read within the limit too, then answered 404.
    const auto not_found =
        with_body([](const httplib::Request& req, httplib::Response& res, const std::string&) {
            send_error(res, 404, "not_found", no_such_endpoint(req));
        });
    server.Post(".*", not_found);
    server.Put(".*", not_found);
    server.Patch(".*", not_found);
    server.Delete(".*", not_found);

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

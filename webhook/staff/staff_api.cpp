// The staff area's JSON API; see staff_api.h.
#include "webhook/staff/staff_api.h"

#include <algorithm>
#include <tuple>

#include "calendar/zone.h"
#include "security/digest.h"
#include "security/hmac.h"
#include "security/random.h"
#include "staff/password.h"
#include "staff/review_json.h"
#include "webhook/http_api.h"
#include "webhook/json_io.h"

namespace wegwijs::webhook {
namespace {

using nlohmann::json;

constexpr int kPageSize = 25;

// The staff session a request carries, once checked.
struct Caller {
    std::string token_hash;
    store::StaffSession session;
    std::string address;
};

std::string cookie_token(const httplib::Request& req) {
    const std::string cookies = req.get_header_value("Cookie");
    const std::string name = std::string(kStaffCookie) + "=";
    for (std::size_t at = 0; at < cookies.size();) {
        while (at < cookies.size() && (cookies[at] == ' ' || cookies[at] == ';')) ++at;
        const std::size_t end = std::min(cookies.find(';', at), cookies.size());
        if (cookies.compare(at, name.size(), name) == 0)
            return cookies.substr(at + name.size(), end - at - name.size());
        at = end;
    }
    return "";
}

// Every staff answer is personal or a secret (the CSRF token): never kept
// by a browser or a proxy.
void answer(httplib::Response& res, const nlohmann::json& body) {
    res.set_header("Cache-Control", "no-store");
    send_json(res, 200, body);
}

bool loopback_http(const std::string& origin) {
    return origin.rfind("http://127.0.0.1", 0) == 0 || origin.rfind("http://localhost", 0) == 0 ||
           origin.rfind("http://[::1]", 0) == 0;
}

std::int64_t page_of(const httplib::Request& req) {
    if (!req.has_param("page")) return 1;
    const std::string p = req.get_param_value("page");
    if (p.empty() || p.size() > 6 || p.find_first_not_of("0123456789") != std::string::npos ||
        std::stoll(p) < 1)
        throw BadRequest{400, "invalid_field", "page must be a whole number from 1."};
    return std::stoll(p);
}

std::string param(const httplib::Request& req, const char* name, std::size_t max_bytes = 200) {
    const std::string v = req.has_param(name) ? req.get_param_value(name) : "";
    if (v.size() > max_bytes)
        throw BadRequest{
            400, "invalid_field",
            std::string(name) + " is longer than " + std::to_string(max_bytes) + " bytes."};
    return v;
}

struct StaffApi {
    StaffApi(store::StaffStore& s, store::ReviewStore& r, const calendar::Zone& z, StaffOptions o,
             app::Clock c)
        : staff(s), review(r), zone(z), options(std::move(o)), clock(std::move(c)) {}

    store::StaffStore& staff;
    store::ReviewStore& review;
    const calendar::Zone& zone;
    const StaffOptions options;
    const app::Clock clock;

    std::int64_t ms(std::chrono::milliseconds d) const { return d.count(); }

    void audit(const std::string& account, const std::string& action, const std::string& address,
               const std::string& session_id = "", const std::string& detail = "") {
        staff.append({0, clock(), account, action, session_id, detail, address});
    }

    void check_origin(const httplib::Request& req) const {
        if (!req.has_header("Origin")) return;
        const std::string origin = req.get_header_value("Origin");
        const auto& own = *options.own_origins;
        if (std::find(own.begin(), own.end(), origin) == own.end())
            throw BadRequest{403, "origin_not_allowed",
                             "The staff area answers only pages of this service."};
    }

    Caller caller(const httplib::Request& req, bool state_changing) {
        check_origin(req);
        const std::string token = cookie_token(req);
        if (token.empty() || token.size() > 128)
            throw BadRequest{401, "not_logged_in", "Log in to the staff area first."};
        const std::int64_t now = clock();
        Caller c;
        c.token_hash = security::sha256_hex(token);
        const auto s = staff.touch_session(c.token_hash, now - ms(options.idle),
                                           now - ms(options.absolute), now);
        if (!s)
            throw BadRequest{401, "not_logged_in",
                             "The staff session has ended or expired; log in again."};
        c.session = *s;
        c.address = client_address(req, options.trusted_proxies);
        if (state_changing &&
            !security::equal_in_constant_time(req.get_header_value("X-CSRF-Token"), s->csrf))
            throw BadRequest{403, "csrf", "X-CSRF-Token is missing or does not match."};
        return c;
    }

    void require_admin(const Caller& c, const std::string& what,
                       const std::string& session_id = "") {
        if (c.session.role == "admin") return;
        audit(c.session.account, "refused", c.address, session_id, what);
        throw BadRequest{403, "admin_only", "Only an admin may do this."};
    }

    std::string cookie(const std::string& value, std::int64_t max_age_s) const {
        const auto& own = *options.own_origins;
        const bool secure = own.empty() || !loopback_http(own.front());
        return std::string(kStaffCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" +
               (secure ? "; Secure" : "") + "; Max-Age=" + std::to_string(max_age_s);
    }

    void login(const httplib::Request& req, httplib::Response& res, const std::string& body) {
        check_origin(req);
        const json j = parse_object(body);
        const std::string name = optional_string(j, "name", 100).value_or("");
        const std::string password =
            optional_string(j, "password", staff::kMaxPasswordBytes).value_or("");
        if (name.empty() || password.empty())
            throw BadRequest{400, "invalid_field", "name and password are both needed."};
        const std::string address = client_address(req, options.trusted_proxies);
        const std::int64_t now = clock();
        const std::int64_t since = now - options.throttle.window_ms;
        const std::int64_t wait =
            staff::login_wait_ms(options.throttle, staff.login_failures_of_account(name, since),
                                 staff.login_failures_from(address, since), now);
        if (wait > 0) {
            audit(name, "login_throttled", address);
            res.set_header("Retry-After", std::to_string((wait + 999) / 1000));
            throw BadRequest{429, "login_throttled",
                             "Too many failed logins; try again in " +
                                 std::to_string((wait + 999) / 1000) + " seconds."};
        }
        const auto account = staff.account(name);
        // The same work whether the name is known or not.
        const bool ok = staff::verify_password(
                            account ? account->password_hash : staff::decoy_hash(), password) &&
                        account.has_value();
        if (!ok) {
            staff.record_login_failure(name, address, now);
            audit(name, "login_failed", address);
            throw BadRequest{401, "invalid_login", "The name or the password is not right."};
        }
        if (staff::needs_rehash(account->password_hash))
            staff.set_password_hash(name, staff::hash_password(password), now, false);
        staff.clear_login_failures(name);
        // A new token at every login; the old cookie's session, if any, ends.
        if (const std::string old = cookie_token(req); !old.empty())
            staff.end_session(security::sha256_hex(old));
        const std::string token = security::random_hex(32);
        const std::string csrf = security::random_hex(32);
        staff.start_session(security::sha256_hex(token), name, csrf, now);
        audit(name, "login", address);
        res.set_header("Set-Cookie", cookie(token, ms(options.absolute) / 1000));
        answer(res, {{"account", name}, {"role", account->role}, {"csrf", csrf}});
    }

    void logout(const httplib::Request& req, httplib::Response& res) {
        const Caller c = caller(req, true);
        staff.end_session(c.token_hash);
        audit(c.session.account, "logout", c.address);
        res.set_header("Set-Cookie", cookie("", 0));
        answer(res, {{"status", "logged_out"}});
    }

    void me(const httplib::Request& req, httplib::Response& res) {
        const Caller c = caller(req, false);
        answer(res, {{"account", c.session.account},
                     {"role", c.session.role},
                     {"csrf", c.session.csrf},
                     {"idle_minutes", options.idle.count()}});
    }

    // The first instant of a day where the service is, or of the day after it.
    std::int64_t day_start(const std::string& text, const char* name, int days_after = 0) const {
        std::chrono::year_month_day day;
        try {
            day = calendar::parse_date(text);
        } catch (const std::exception&) {
            throw BadRequest{400, "invalid_field", std::string(name) + " must be YYYY-MM-DD."};
        }
        return zone.to_utc_ms(std::chrono::sys_days(day) + std::chrono::days(days_after), 0);
    }

    // ?from=&to= as instants: from the first day's start to the last day's end.
    std::pair<std::int64_t, std::int64_t> days(const httplib::Request& req) const {
        const std::string from = param(req, "from");
        const std::string to = param(req, "to");
        return {from.empty() ? 0 : day_start(from, "from"),
                to.empty() ? INT64_MAX : day_start(to, "to", 1)};
    }

    std::optional<store::ReviewConversation> conversation_of(const httplib::Request& req) {
        const std::string id = req.matches[1];
        auto conv = id.size() <= 64 ? review.conversation(id) : std::nullopt;
        if (!conv) throw BadRequest{404, "unknown_session", "No such conversation."};
        return conv;
    }

    void conversations(const httplib::Request& req, httplib::Response& res) {
        const Caller c = caller(req, false);
        store::ConversationFilter f;
        std::tie(f.from_ms, f.to_ms) = days(req);
        json filter = json::object();  // as asked, for the audit log
        for (const char* k : {"from", "to", "channel", "locale", "desk", "q"})
            if (const std::string v = param(req, k, 500); !v.empty()) filter[k] = v;
        f.channel = filter.value("channel", "");
        f.locale = filter.value("locale", "");
        f.desk = filter.value("desk", "");
        f.query = filter.value("q", "");
        const std::int64_t page = page_of(req);
        f.limit = kPageSize;
        f.offset = static_cast<int>((page - 1) * kPageSize);
        const store::ConversationPage found = review.conversations(f);
        audit(c.session.account, f.query.empty() ? "list" : "search", c.address, "",
              filter.empty() ? "" : filter.dump());
        json list = json::array();
        for (const auto& r : found.conversations) list.push_back(staff::summary_json(r));
        answer(res, {{"conversations", list}, {"page", page}, {"more", found.more}});
    }

    void conversation(const httplib::Request& req, httplib::Response& res) {
        const Caller c = caller(req, false);
        const auto conv = conversation_of(req);
        audit(c.session.account, "view", c.address, conv->summary.session_id);
        answer(res, staff::conversation_json(*conv, false));
    }

    void reveal(const httplib::Request& req, httplib::Response& res, const std::string& body) {
        const Caller c = caller(req, true);
        require_admin(c, "reveal", req.matches[1]);
        const std::string reason = optional_string(parse_object(body), "reason", 500).value_or("");
        if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
            throw BadRequest{400, "reason_needed", "Say why the personal data must be shown."};
        const auto conv = conversation_of(req);
        audit(c.session.account, "reveal", c.address, conv->summary.session_id, reason);
        answer(res, staff::conversation_json(*conv, true));
    }

    void audit_log(const httplib::Request& req, httplib::Response& res) {
        const Caller c = caller(req, false);
        require_admin(c, "audit");
        store::AuditQuery q;
        std::tie(q.from_ms, q.to_ms) = days(req);
        q.account = param(req, "account");
        q.action = param(req, "action");
        const std::int64_t page = page_of(req);
        q.offset = static_cast<int>((page - 1) * q.limit);
        const store::AuditPage found = staff.audit(q);
        audit(c.session.account, "audit_read", c.address);
        json list = json::array();
        for (const auto& e : found.entries) list.push_back(staff::audit_json(e));
        answer(res, {{"entries", list}, {"page", page}, {"more", found.more}});
    }
};

}  // namespace

void install_staff_api(httplib::Server& server, store::StaffStore& staff,
                       store::ReviewStore& review, const calendar::Zone& zone, StaffOptions options,
                       app::Clock clock) {
    const auto api =
        std::make_shared<StaffApi>(staff, review, zone, std::move(options), std::move(clock));
    server.Post("/v1/staff/login", with_body([api](const auto& req, auto& res, const auto& body) {
                    api->login(req, res, body);
                }));
    server.Post("/v1/staff/logout", with_body([api](const auto& req, auto& res, const auto&) {
                    api->logout(req, res);
                }));
    server.Get("/v1/staff/me",
               json_handler([api](const auto& req, auto& res) { api->me(req, res); }));
    server.Get("/v1/staff/conversations",
               json_handler([api](const auto& req, auto& res) { api->conversations(req, res); }));
    server.Get(R"(/v1/staff/conversations/([^/]+))",
               json_handler([api](const auto& req, auto& res) { api->conversation(req, res); }));
    server.Post(R"(/v1/staff/conversations/([^/]+)/reveal)",
                with_body([api](const auto& req, auto& res, const auto& body) {
                    api->reveal(req, res, body);
                }));
    server.Get("/v1/staff/audit",
               json_handler([api](const auto& req, auto& res) { api->audit_log(req, res); }));
}

void forget_stale_staff_data(store::StaffStore& staff, const StaffOptions& options,
                             std::int64_t now_ms) {
    using std::chrono::milliseconds;
    const auto ms = [](auto d) { return std::chrono::duration_cast<milliseconds>(d).count(); };
    staff.end_stale_sessions(now_ms - ms(options.idle), now_ms - ms(options.absolute));
    staff.forget_login_failures(now_ms - options.throttle.window_ms);
    staff.purge_audit(now_ms - ms(options.audit_retention));
}

}  // namespace wegwijs::webhook

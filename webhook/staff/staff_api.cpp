// The staff area's JSON API; see staff_api.h.
#include "webhook/staff/staff_api.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "booking/details_check.h"
#include "calendar/zone.h"
#include "dialog/outcome.h"
#include "security/digest.h"
#include "security/hmac.h"
#include "security/random.h"
#include "staff/dashboard.h"
#include "staff/export.h"
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

// A parameter that must be one of `allowed` (or absent: empty).
std::string one_of(const httplib::Request& req, const char* name,
                   const std::vector<std::string>& allowed) {
    const std::string v = param(req, name);
    if (!v.empty() && std::find(allowed.begin(), allowed.end(), v) == allowed.end())
        throw BadRequest{400, "invalid_field", std::string(name) + " is not one staff can choose."};
    return v;
}

std::optional<bool> yes_or_no(const httplib::Request& req, const char* name) {
    const std::string v = one_of(req, name, {"yes", "no"});
    if (v.empty()) return std::nullopt;
    return v == "yes";
}

template <std::size_t N>
std::vector<std::string> names(const char* const (&list)[N]) {
    return {std::begin(list), std::end(list)};
}

// A finished file for the browser to save.
void attachment(httplib::Response& res, const std::string& body, const std::string& type,
                const std::string& filename) {
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.status = 200;
    res.set_content(body, type);
}

struct StaffApi {
    StaffApi(StaffStores s, const calendar::Zone& z, StaffOptions o, app::Clock c)
        : staff(s.staff),
          review(s.review),
          personal(s.personal),
          zone(z),
          options(std::move(o)),
          clock(std::move(c)) {}

    store::StaffStore& staff;
    store::ReviewStore& review;
    store::PersonalDataStore& personal;
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
                     {"idle_minutes", options.idle.count()},
                     // what the filters and annotations may name
                     {"products", options.products},
                     {"intents", options.intents},
                     {"outcomes", names(dialog::kOutcomes)},
                     {"flags", names(dialog::kReviewFlags)}});
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

    std::int64_t idle_before() const { return clock() - ms(options.chat_idle); }

    // A conversation as staff see it: masked, or revealed (an admin's).
    json shown(const store::ReviewConversation& c, bool reveal) const {
        return staff::conversation_json(c, reveal, options.public_details);
    }

    std::optional<store::ReviewConversation> conversation_of(const httplib::Request& req) {
        const std::string id = req.matches[1];
        auto conv = id.size() <= 64 ? review.conversation(id, idle_before()) : std::nullopt;
        if (!conv) throw BadRequest{404, "unknown_session", "No such conversation."};
        return conv;
    }

    // The list's filters from the query, and as asked (for the audit log).
    std::pair<store::ConversationFilter, json> filter_of(const httplib::Request& req) const {
        store::ConversationFilter f;
        std::tie(f.from_ms, f.to_ms) = days(req);
        f.channel = one_of(req, "channel", {"web", "whatsapp", "telegram", "terminal"});
        f.locale = one_of(req, "locale", {"nl", "en"});
        f.desk = one_of(req, "desk", {"infopunt", "loket"});
        f.product = one_of(req, "product", options.products);
        f.outcome = one_of(req, "outcome", names(dialog::kOutcomes));
        f.reviewed = yes_or_no(req, "reviewed");
        f.annotated = yes_or_no(req, "annotated");
        f.query = param(req, "q", 500);
        f.idle_before_ms = idle_before();
        json asked = json::object();
        for (const char* k : {"from", "to", "channel", "locale", "desk", "product", "outcome",
                              "reviewed", "annotated", "q"})
            if (const std::string v = param(req, k, 500); !v.empty()) asked[k] = v;
        return {f, asked};
    }

    void conversations(const httplib::Request& req, httplib::Response& res) {
        const Caller c = caller(req, false);
        auto [f, filter] = filter_of(req);
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
        answer(res, shown(*conv, false));
    }

    void reveal(const httplib::Request& req, httplib::Response& res, const std::string& body) {
        const Caller c = caller(req, true);
        require_admin(c, "reveal", req.matches[1]);
        const std::string reason =
            reason_of(parse_object(body), "Say why the personal data must be shown.");
        const auto conv = conversation_of(req);
        audit(c.session.account, "reveal", c.address, conv->summary.session_id, reason);
        answer(res, shown(*conv, true));
    }

    void mark_reviewed(const httplib::Request& req, httplib::Response& res,
                       const std::string& body) {
        const Caller c = caller(req, true);
        const json j = parse_object(body);
        const auto v = j.find("reviewed");
        if (v == j.end() || !v->is_boolean())
            throw BadRequest{400, "invalid_field", "reviewed must be true or false."};
        const std::string id = req.matches[1];
        if (id.size() > 64 || !review.mark_reviewed(id, c.session.account, clock(), v->get<bool>()))
            throw BadRequest{404, "unknown_session", "No such conversation."};
        audit(c.session.account, v->get<bool>() ? "reviewed" : "unreviewed", c.address, id);
        answer(res, {{"session_id", id}, {"reviewed", v->get<bool>()}});
    }

    std::int64_t turn_of(const httplib::Request& req) const {
        const std::string t = req.matches[2];
        if (t.empty() || t.size() > 18)
            throw BadRequest{404, "unknown_turn", "No such citizen's turn in this conversation."};
        return std::stoll(t);
    }

    void annotate(const httplib::Request& req, httplib::Response& res, const std::string& body) {
        const Caller c = caller(req, true);
        const json j = parse_object(body);
        store::Annotation a;
        a.session_id = req.matches[1];
        a.turn_id = turn_of(req);
        a.account = c.session.account;
        a.at_ms = clock();
        a.product = optional_string(j, "product", 100).value_or("");
        a.intent = optional_string(j, "intent", 100).value_or("");
        a.note = optional_string(j, "note", 1000).value_or("");
        if (!a.product.empty() && std::find(options.products.begin(), options.products.end(),
                                            a.product) == options.products.end())
            throw BadRequest{400, "invalid_field", "product is not one of the catalog's."};
        if (!a.intent.empty() && std::find(options.intents.begin(), options.intents.end(),
                                           a.intent) == options.intents.end())
            throw BadRequest{400, "invalid_field", "intent is not one of the lexicon's."};
        if (a.product.empty() && a.intent.empty() &&
            a.note.find_first_not_of(" \t\r\n") == std::string::npos)
            throw BadRequest{400, "annotation_empty", "Give a product, an intent or a note."};
        if (a.session_id.size() > 64 || !review.annotate(a))
            throw BadRequest{404, "unknown_turn", "No such citizen's turn in this conversation."};
        // The note may hold personal data: the log keeps what was chosen only.
        audit(c.session.account, "annotate", c.address, a.session_id,
              json{{"turn", a.turn_id}, {"product", a.product}, {"intent", a.intent}}.dump());
        answer(res, {{"turn_id", a.turn_id},
                     {"product", a.product},
                     {"intent", a.intent},
                     {"account", a.account},
                     {"at_ms", a.at_ms}});
    }

    void unannotate(const httplib::Request& req, httplib::Response& res) {
        const Caller c = caller(req, true);
        const std::string id = req.matches[1];
        const std::int64_t turn = turn_of(req);
        if (id.size() > 64 || !review.remove_annotation(id, turn))
            throw BadRequest{404, "unknown_annotation", "That turn has no annotation."};
        audit(c.session.account, "unannotate", c.address, id, json{{"turn", turn}}.dump());
        answer(res, {{"turn_id", turn}, {"removed", true}});
    }

    // The misunderstood inbox: each flagged turn as the transcript shows it
    // (masked), with the assistant's answer to it.
    void inbox(const httplib::Request& req, httplib::Response& res) {
        const Caller c = caller(req, false);
        store::FlaggedFilter f;
        std::tie(f.from_ms, f.to_ms) = days(req);
        f.flag = one_of(req, "flag", names(dialog::kReviewFlags));
        f.unannotated_only = param(req, "all") != "1";
        const std::int64_t page = page_of(req);
        f.limit = kPageSize;
        f.offset = static_cast<int>((page - 1) * kPageSize);
        const store::FlaggedPage found = review.flagged(f);
        std::map<std::string, json> masked;  // a conversation's masked JSON, once per page
        json list = json::array();
        for (const auto& t : found.turns) {
            auto it = masked.find(t.session_id);
            if (it == masked.end()) {
                const auto conv = review.conversation(t.session_id, idle_before());
                if (!conv) continue;  // purged since
                it = masked.emplace(t.session_id, shown(*conv, false)).first;
            }
            const json& conv = it->second;
            const json& turns = conv.at("turns");
            for (std::size_t i = 0; i < turns.size(); ++i) {
                if (turns[i].value("id", std::int64_t(0)) != t.turn_id) continue;
                json entry = turns[i];
                entry["session_id"] = t.session_id;
                entry["reply"] = i + 1 < turns.size() ? turns[i + 1].value("text", "") : "";
                entry["conversation"] = {{"channel", conv.value("channel", "")},
                                         {"desk", conv.value("desk", "")},
                                         {"product", conv.value("product", "")},
                                         {"outcome", conv.value("outcome", "")}};
                list.push_back(std::move(entry));
            }
        }
        json asked = json::object();
        for (const char* k : {"from", "to", "flag", "all"})
            if (const std::string v = param(req, k); !v.empty()) asked[k] = v;
        audit(c.session.account, "inbox", c.address, "", asked.empty() ? "" : asked.dump());
        answer(res, {{"turns", list}, {"page", page}, {"more", found.more}});
    }

    std::string today() const { return calendar::format_date(zone.to_local(clock()).date); }

    void export_conversations(const httplib::Request& req, httplib::Response& res) {
        const Caller c = caller(req, false);
        const std::string format = one_of(req, "format", {"csv", "jsonl"});
        const std::string rows_of = one_of(req, "rows", {"conversation", "turn"});
        const staff::ExportRows rows =
            rows_of == "turn" ? staff::ExportRows::turn : staff::ExportRows::conversation;
        auto [f, asked] = filter_of(req);
        // Every matching conversation, page by page, up to the limit.
        std::vector<std::string> ids;
        f.limit = 500;
        for (bool more = true; more;) {
            const store::ConversationPage found = review.conversations(f);
            for (const auto& s : found.conversations) ids.push_back(s.session_id);
            more = found.more;
            f.offset += f.limit;
            if (static_cast<int>(ids.size()) > options.export_max)
                throw BadRequest{413, "export_too_large",
                                 "More than " + std::to_string(options.export_max) +
                                     " conversations: choose fewer days."};
        }
        asked["format"] = format.empty() ? "csv" : format;
        asked["rows"] = rows_of.empty() ? "conversation" : rows_of;
        asked["count"] = ids.size();
        audit(c.session.account, "export", c.address, "", asked.dump());
        const auto& columns = staff::export_columns(rows);
        std::string out = format == "jsonl" ? "" : staff::csv_header(columns);
        for (const auto& id : ids) {
            const auto conv = review.conversation(id, f.idle_before_ms);
            if (!conv) continue;  // purged while exporting
            for (const json& row : staff::export_rows(shown(*conv, false), rows, zone))
                out += format == "jsonl" ? staff::jsonl_line(row) : staff::csv_line(columns, row);
        }
        const std::string name =
            "wegwijs-" + std::string(rows == staff::ExportRows::turn ? "turns" : "conversations") +
            "-" + today();
        if (format == "jsonl")
            attachment(res, out, "application/x-ndjson; charset=utf-8", name + ".jsonl");
        else
            attachment(res, out, "text/csv; charset=utf-8", name + ".csv");
    }

    void export_annotations(const httplib::Request& req, httplib::Response& res) {
        const Caller c = caller(req, false);
        const std::string format = one_of(req, "format", {"route-eval", "conversations"});
        if (format.empty())
            throw BadRequest{400, "invalid_field", "format must be route-eval or conversations."};
        const auto [from, to] = days(req);
        const std::vector<std::string> ids = review.annotated_sessions(from, to);
        if (static_cast<int>(ids.size()) > options.export_max)
            throw BadRequest{413, "export_too_large", "Too many conversations: choose fewer days."};
        json asked = {{"format", format}, {"count", ids.size()}};
        for (const char* k : {"from", "to"})
            if (const std::string v = param(req, k); !v.empty()) asked[k] = v;
        audit(c.session.account, "export", c.address, "", asked.dump());
        std::string out;
        json scripts = json::array();
        for (const auto& id : ids) {
            const auto conv = review.conversation(id, idle_before());
            if (!conv) continue;
            const json masked = shown(*conv, false);
            if (format == "route-eval") {
                for (const json& line : staff::route_eval_lines(masked))
                    out += staff::jsonl_line(line);
            } else if (json script = staff::conversation_script(masked, zone); !script.is_null()) {
                scripts.push_back(std::move(script));
            }
        }
        if (format == "route-eval") {
            attachment(res, out, "application/x-ndjson; charset=utf-8",
                       "wegwijs-annotations-" + today() + ".jsonl");
            return;
        }
        const json file = {{"_about",
                            "Conversations staff annotated in Wegwijs, masked, as "
                            "conversation tests: copy into tests/conversations/."},
                           {"conversations", std::move(scripts)}};
        attachment(res, file.dump(1, ' ', false, json::error_handler_t::replace) + "\n",
                   "application/json; charset=utf-8", "staff-review-" + today() + ".json");
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

    static std::string reason_of(const json& body, const char* why) {
        const std::string reason = optional_string(body, "reason", 500).value_or("");
        if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
            throw BadRequest{400, "reason_needed", why};
        return reason;
    }

    // The person a request names, as the store compares them.
    static store::Person person_of(const json& body) {
        store::Person p;
        const std::string email = optional_string(body, "email", 254).value_or("");
        const std::string phone = optional_string(body, "phone", 40).value_or("");
        if (!email.empty()) {
            const auto checked = booking::checked_email(email);
            if (!checked) throw BadRequest{400, "invalid_field", "email is not an e-mail address."};
            p.email = *checked;
        }
        if (!phone.empty()) {
            const auto checked = booking::checked_phone(phone);
            if (!checked) throw BadRequest{400, "invalid_field", "phone is not a phone number."};
            p.phone = *checked;
        }
        if (p.email.empty() && p.phone.empty())
            throw BadRequest{400, "invalid_field", "Give an e-mail address or a phone number."};
        return p;
    }

    void delete_conversation(const httplib::Request& req, httplib::Response& res,
                             const std::string& body) {
        const Caller c = caller(req, true);
        const std::string id = req.matches[1];
        require_admin(c, "delete", id);
        const std::string reason =
            reason_of(parse_object(body), "Say why the conversation must be deleted.");
        if (id.size() > 64 || !personal.delete_conversation(id))
            throw BadRequest{404, "unknown_session", "No such conversation."};
        audit(c.session.account, "delete", c.address, id, reason);
        answer(res, {{"session_id", id}, {"deleted", true}});
    }

    // An admin's request about one person: who asks, why, about whom. The
    // search index is brought up to date first, so an address typed in any
    // turn written so far is found.
    struct PersonRequest {
        Caller caller;
        std::string reason;
        store::Person person;
    };
    PersonRequest person_request(const httplib::Request& req, const std::string& body,
                                 const char* action, bool needs_reason) {
        PersonRequest r{caller(req, true), "", {}};
        require_admin(r.caller, action);
        const json j = parse_object(body);
        if (needs_reason) r.reason = reason_of(j, "Say whose request this answers.");
        r.person = person_of(j);
        review.index_pending();
        return r;
    }

    void find_person(const httplib::Request& req, httplib::Response& res, const std::string& body) {
        const auto [c, reason, p] = person_request(req, body, "find_person", false);
        const store::PersonRecords found = personal.find(p);
        audit(c.session.account, "find_person", c.address, "",
              json{{"conversations", found.session_ids.size()}, {"bookings", found.bookings.size()}}
                  .dump());
        answer(res, {{"conversations", found.session_ids}, {"bookings", found.bookings.size()}});
    }

    void access(const httplib::Request& req, httplib::Response& res, const std::string& body) {
        const auto [c, reason, p] = person_request(req, body, "access", true);
        const store::PersonRecords found = personal.find(p);
        json bookings = json::array();
        for (const auto& b : found.bookings)
            bookings.push_back({{"code", b.code},
                                {"status", b.status},
                                {"product", b.product},
                                {"location", b.location},
                                {"desk", b.desk},
                                {"start", zone.iso8601(b.start_ms)},
                                {"end", zone.iso8601(b.end_ms)},
                                {"people", b.people},
                                {"name", b.name},
                                {"email", b.email},
                                {"phone", b.phone},
                                {"language", b.locale},
                                {"made", zone.iso8601(b.created_ms)},
                                {"changed", zone.iso8601(b.changed_ms)}});
        json conversations = json::array();
        for (const auto& id : found.session_ids)
            if (const auto conv = review.conversation(id, idle_before()))
                conversations.push_back(shown(*conv, true));
        audit(c.session.account, "access", c.address, "",
              json{{"reason", reason},
                   {"conversations", conversations.size()},
                   {"bookings", bookings.size()}}
                  .dump());
        const json file = {{"about",
                            "Everything Wegwijs keeps about one person, made at their "
                            "request (right of access)."},
                           {"made", zone.iso8601(clock())},
                           {"person", {{"email", p.email}, {"phone", p.phone}}},
                           {"bookings", std::move(bookings)},
                           {"conversations", std::move(conversations)}};
        attachment(res, file.dump(1, ' ', false, json::error_handler_t::replace) + "\n",
                   "application/json; charset=utf-8", "wegwijs-access-" + today() + ".json");
    }

    void erase(const httplib::Request& req, httplib::Response& res, const std::string& body) {
        const auto [c, reason, p] = person_request(req, body, "erase", true);
        const store::Erased erased = personal.erase(p);
        audit(c.session.account, "erase", c.address, "",
              json{{"reason", reason},
                   {"conversations", erased.conversations},
                   {"bookings", erased.bookings}}
                  .dump());
        answer(res, {{"conversations", erased.conversations}, {"bookings", erased.bookings}});
    }

    struct DashboardAsked {
        std::chrono::year_month_day first, last;
        staff::Bucket bucket = staff::Bucket::day;
        staff::GroupBy by = staff::GroupBy::none;
    };

    // ?from=&to=&bucket=&by=; by default the 30 days up to today.
    DashboardAsked dashboard_asked(const httplib::Request& req) const {
        using namespace std::chrono;
        DashboardAsked a;
        const auto date = [&](const char* name, year_month_day fallback) {
            const std::string v = param(req, name);
            if (v.empty()) return fallback;
            try {
                return calendar::parse_date(v);
            } catch (const std::exception&) {
                throw BadRequest{400, "invalid_field", std::string(name) + " must be YYYY-MM-DD."};
            }
        };
        a.last = date("to", zone.to_local(clock()).date);
        a.first = date("from", year_month_day{sys_days{a.last} - std::chrono::days(29)});
        if (sys_days{a.first} > sys_days{a.last} ||
            sys_days{a.last} - sys_days{a.first} > std::chrono::days(400))
            throw BadRequest{400, "invalid_field", "from must be before to, at most 400 days."};
        a.bucket = one_of(req, "bucket", {"day", "week"}) == "week" ? staff::Bucket::week
                                                                    : staff::Bucket::day;
        const std::string by = one_of(req, "by", {"product", "desk", "locale", "channel"});
        a.by = by == "product"   ? staff::GroupBy::product
               : by == "desk"    ? staff::GroupBy::desk
               : by == "locale"  ? staff::GroupBy::locale
               : by == "channel" ? staff::GroupBy::channel
                                 : staff::GroupBy::none;
        return a;
    }

    staff::Dashboard dashboard_of(const DashboardAsked& a) {
        using namespace std::chrono;
        const std::int64_t from = zone.to_utc_ms(a.first, 0);
        const std::int64_t to =
            zone.to_utc_ms(year_month_day{sys_days{a.last} + std::chrono::days(1)}, 0);
        return staff::build_dashboard(review.facts(from, to, idle_before()), zone, a.bucket, a.by,
                                      a.first, a.last);
    }

    void dashboard(const httplib::Request& req, httplib::Response& res) {
        const Caller c = caller(req, false);
        const DashboardAsked a = dashboard_asked(req);
        const staff::Dashboard d = dashboard_of(a);
        audit(c.session.account, "dashboard", c.address, "",
              json{{"from", calendar::format_date(a.first)}, {"to", calendar::format_date(a.last)}}
                  .dump());
        json out = staff::dashboard_json(d);
        out["from"] = calendar::format_date(a.first);
        out["to"] = calendar::format_date(a.last);
        answer(res, out);
    }

    void chart(const httplib::Request& req, httplib::Response& res) {
        caller(req, false);
        const DashboardAsked a = dashboard_asked(req);
        const std::string asked = one_of(req, "lang", {"nl", "en"});
        const std::string lang = asked.empty() ? "nl" : asked;
        const auto text = [&](const std::string& key) { return options.text(lang, key); };
        const staff::Dashboard d = dashboard_of(a);
        const std::string kind = req.matches[1];
        std::string svg;
        if (kind == "rates") {
            svg = staff::rates_svg(d, text);
        } else {
            svg = staff::conversations_svg(d, text, [&](const std::string& g) {
                if (g.empty()) return text("staff.chart.none");
                if (a.by != staff::GroupBy::product) return g;
                const std::string name = options.text(lang, "product." + g);
                return name == "product." + g ? g : name;
            });
        }
        res.set_header("Cache-Control", "no-store");
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        res.status = 200;
        res.set_content(svg, "image/svg+xml; charset=utf-8");
    }

    void audit_export(const httplib::Request& req, httplib::Response& res) {
        const Caller c = caller(req, false);
        require_admin(c, "audit_export");
        const std::string format = one_of(req, "format", {"csv", "jsonl"});
        store::AuditQuery q;
        std::tie(q.from_ms, q.to_ms) = days(req);
        q.limit = 1000;
        std::vector<json> rows;
        for (bool more = true; more; q.offset += q.limit) {
            const store::AuditPage found = staff.audit(q);
            for (const auto& e : found.entries) {
                json row = staff::audit_json(e);
                row["at"] = zone.iso8601(e.at_ms);
                rows.push_back(std::move(row));
            }
            more = found.more;
        }
        audit(c.session.account, "audit_export", c.address, "",
              json{{"format", format.empty() ? "csv" : format}, {"count", rows.size()}}.dump());
        const std::vector<std::string> columns = {"id",         "at",     "account", "action",
                                                  "session_id", "detail", "address"};
        std::string out = format == "jsonl" ? "" : staff::csv_header(columns);
        for (const json& row : rows)
            out += format == "jsonl" ? staff::jsonl_line(row) : staff::csv_line(columns, row);
        if (format == "jsonl")
            attachment(res, out, "application/x-ndjson; charset=utf-8",
                       "wegwijs-audit-" + today() + ".jsonl");
        else
            attachment(res, out, "text/csv; charset=utf-8", "wegwijs-audit-" + today() + ".csv");
    }
};

}  // namespace

void install_staff_api(httplib::Server& server, StaffStores stores, const calendar::Zone& zone,
                       StaffOptions options, app::Clock clock) {
    const auto api = std::make_shared<StaffApi>(stores, zone, std::move(options), std::move(clock));
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
    server.Post(R"(/v1/staff/conversations/([^/]+)/review)",
                with_body([api](const auto& req, auto& res, const auto& body) {
                    api->mark_reviewed(req, res, body);
                }));
    server.Post(R"(/v1/staff/conversations/([^/]+)/turns/([0-9]+)/annotation)",
                with_body([api](const auto& req, auto& res, const auto& body) {
                    api->annotate(req, res, body);
                }));
    server.Delete(
        R"(/v1/staff/conversations/([^/]+)/turns/([0-9]+)/annotation)",
        with_body([api](const auto& req, auto& res, const auto&) { api->unannotate(req, res); }));
    server.Delete(R"(/v1/staff/conversations/([^/]+))",
                  with_body([api](const auto& req, auto& res, const auto& body) {
                      api->delete_conversation(req, res, body);
                  }));
    server.Post("/v1/staff/people/find",
                with_body([api](const auto& req, auto& res, const auto& body) {
                    api->find_person(req, res, body);
                }));
    server.Post("/v1/staff/people/access",
                with_body([api](const auto& req, auto& res, const auto& body) {
                    api->access(req, res, body);
                }));
    server.Post("/v1/staff/people/erase",
                with_body([api](const auto& req, auto& res, const auto& body) {
                    api->erase(req, res, body);
                }));
    server.Get("/v1/staff/dashboard",
               json_handler([api](const auto& req, auto& res) { api->dashboard(req, res); }));
    server.Get(R"(/v1/staff/dashboard/(conversations|rates)\.svg)",
               json_handler([api](const auto& req, auto& res) { api->chart(req, res); }));
    server.Get("/v1/staff/inbox",
               json_handler([api](const auto& req, auto& res) { api->inbox(req, res); }));
    server.Get("/v1/staff/export/conversations", json_handler([api](const auto& req, auto& res) {
                   api->export_conversations(req, res);
               }));
    server.Get("/v1/staff/export/annotations", json_handler([api](const auto& req, auto& res) {
                   api->export_annotations(req, res);
               }));
    server.Get("/v1/staff/audit",
               json_handler([api](const auto& req, auto& res) { api->audit_log(req, res); }));
    server.Get("/v1/staff/audit/export",
               json_handler([api](const auto& req, auto& res) { api->audit_export(req, res); }));
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

// The staff area's JSON API under /v1/staff/, used by the staff pages.
//
//   POST /v1/staff/login   {name, password}   -> {account, role, csrf} and the cookie
//   POST /v1/staff/logout                     -> ends the session on the server
//   GET  /v1/staff/me   -> {account, role, csrf, products, intents, outcomes, flags}
//   GET  /v1/staff/conversations?from=&to=&channel=&locale=&desk=&product=
//            &outcome=&reviewed=yes|no&annotated=yes|no&q=&page=
//   GET  /v1/staff/conversations/{id}         -> the transcript, masked
//   POST /v1/staff/conversations/{id}/reveal  {reason} -> unmasked (admin)
//   POST /v1/staff/conversations/{id}/review  {reviewed: true|false}
//   POST   /v1/staff/conversations/{id}/turns/{turn}/annotation {product, intent, note}
//   DELETE /v1/staff/conversations/{id}/turns/{turn}/annotation
//   GET  /v1/staff/inbox?from=&to=&flag=&all=1&page=   the misunderstood inbox
//   GET  /v1/staff/export/conversations?format=csv|jsonl&rows=conversation|turn
//            &(the list's filters)               -> a file, masked
//   GET  /v1/staff/export/annotations?format=route-eval|conversations&from=&to=
//   GET  /v1/staff/audit?from=&to=&account=&action=&page=   (admin)
//   GET  /v1/staff/audit/export?format=csv|jsonl&from=&to=  (admin)
//   GET  /v1/staff/dashboard?from=&to=&bucket=day|week&by=product|desk|locale|channel
//   GET  /v1/staff/dashboard/conversations.svg?(the same)&lang=nl|en, and rates.svg
//   DELETE /v1/staff/conversations/{id}  {reason}  the transcript (admin)
//   POST /v1/staff/people/find   {email, phone}          -> what is kept (admin)
//   POST /v1/staff/people/access {email, phone, reason}  -> a file of all of it (admin)
//   POST /v1/staff/people/erase  {email, phone, reason}  -> deleted (admin)
//   (a person's details travel in the body, never in a URL that logs keep)
//
// Guarantees:
// - every route but login answers 401 `not_logged_in` without a valid
//   session: the cookie's opaque token (256 random bits; the store keeps its
//   SHA-256) seen within the idle time (30 minutes) of a session begun within
//   the absolute time (8 hours). The cookie is HttpOnly, SameSite=Strict,
//   Path=/, and Secure unless the service's own origin is http on loopback
//   (development). Each login gets a new token; logout deletes it on the
//   server;
// - every POST and DELETE but login needs the session's CSRF token in X-CSRF-Token
//   (403 `csrf`); any request with an Origin header must come from the
//   service's own origin (403 `origin_not_allowed`), not from a site that
//   may only embed the widget;
// - logins are throttled (staff/login_throttle.h): 429 `login_throttled`
//   with Retry-After; an unknown name and a wrong password get the same
//   401 `invalid_login` after the same work;
// - a reviewer asking for an admin's route gets 403 `admin_only`;
// - the audit log gets every login (and failure), logout, list, search,
//   view, reveal (with its reason), inbox reading, annotation, review mark,
//   export, audit reading, deletion, a person's look-up, access and erasure
//   (with the reason and what was found, never the person's details), and
//   refusal, with the
//   account, the time, the conversation and the address; an entry is written
//   before the answer goes out, and no answer goes out when it cannot be;
// - personal data is masked in every answer but a reveal's.
#pragma once

#include <httplib.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/assistant.h"
#include "calendar/zone.h"
#include "staff/login_throttle.h"
#include "store/personal_data_store.h"
#include "store/review_store.h"
#include "store/staff_store.h"

namespace wegwijs::webhook {

struct StaffOptions {
    std::chrono::minutes idle{30};
    std::chrono::hours absolute{8};
    staff::LoginThrottle throttle;
    // The service's own origins (set once it listens); the first decides
    // whether the cookie is Secure.
    std::shared_ptr<const std::vector<std::string>> own_origins =
        std::make_shared<std::vector<std::string>>();
    std::vector<std::string> trusted_proxies;      // as ServerOptions::trusted_proxies
    std::chrono::hours audit_retention{24 * 730};  // --audit-retention-days
    // The catalog's product ids and the lexicon's intents: what a filter or
    // an annotation may name.
    std::vector<std::string> products;
    std::vector<std::string> intents;
    // A conversation with no outcome idle this long is abandoned (the chat's
    // --idle-minutes: nobody can go on with it).
    std::chrono::minutes chat_idle{30};
    // An export holds at most this many conversations; narrow the dates for more.
    int export_max = 10000;
    // The city's own contacts (the catalog's), never masked.
    std::vector<std::string> public_details;
    // A sentence of locales/ in a language (for the dashboard's charts); the
    // key itself when there is none.
    std::function<std::string(const std::string& locale, const std::string& key)> text =
        [](const std::string&, const std::string& key) { return key; };
};

constexpr const char* kStaffCookie = "wegwijs_staff";

// The stores the staff area works on (one database).
struct StaffStores {
    store::StaffStore& staff;
    store::ReviewStore& review;
    store::PersonalDataStore& personal;
};

void install_staff_api(httplib::Server& server, StaffStores stores, const calendar::Zone& zone,
                       StaffOptions options, app::Clock clock = app::system_clock_ms);

// Forgets what the staff area no longer needs: sessions past their idle or
// absolute time, failed logins past the throttle's window, audit entries
// past their retention. The service runs it every minute.
void forget_stale_staff_data(store::StaffStore& staff, const StaffOptions& options,
                             std::int64_t now_ms);

}  // namespace wegwijs::webhook

#!/usr/bin/env python3
"""The staff area's API against the real `wegwijs serve`, with accounts made
by the real `wegwijs staff` command:

- `staff add|passwd|remove|list`: the password from standard input, never an
  argument; too short refused; stored as argon2id, never as given;
- every staff route without a session: 401 (and the pages themselves load);
- login: the cookie's attributes, a new token at each login, a wrong
  password and an unknown name alike, throttling that a clerk outlives;
- CSRF: a state-changing call without the token, or with another session's,
  is refused; a foreign Origin is refused, also one allowed to embed the
  widget;
- a reviewer is refused an admin's route, and that refusal is audited;
- list, filters and search (diacritics folded); a transcript masked; a
  reveal with a reason shows it, and the audit log has the login, the
  failure, the search, the view and the reveal with its reason;
- logout ends the session on the server; the idle timeout ends it too;
- a failed WhatsApp delivery is visible in the list and the transcript.

usage: staff_test.py <path to wegwijs>"""
import hashlib
import hmac
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "support"))
from fake_platform import FakePlatform  # noqa: E402
from checks import Checks  # noqa: E402
from service import Service  # noqa: E402
import staff_client  # noqa: E402
from staff_client import ADMIN_PW, NOW, REVIEWER_PW, Client, book, chat  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
checks = Checks()


def check(cond, what):
    checks(what, cond)


def staff_cmd(db, *args, stdin=""):
    return staff_client.staff_cmd(BIN, db, *args, stdin=stdin)


def audit_actions(db):
    with sqlite3.connect(db) as c:
        return [r for r in c.execute(
            "SELECT account, action, coalesce(session_id, ''), coalesce(detail, '') "
            "FROM audit_log ORDER BY id")]


def main():
    tmp = tempfile.mkdtemp(prefix="wegwijs-staff-")
    db = os.path.join(tmp, "wegwijs.db")

    # Accounts, from the command line.
    r = staff_cmd(db, "add", "ann", "--role", "admin", stdin=ADMIN_PW + "\n")
    check(r.returncode == 0, "staff add: " + r.stderr.decode())
    check(staff_cmd(db, "add", "bob", "--role", "reviewer", stdin="too short\n").returncode == 1,
          "a password under 12 characters is refused")
    check(staff_cmd(db, "add", "bob", "--role", "chief", stdin=REVIEWER_PW + "\n").returncode == 2,
          "an unknown role is refused")
    check(staff_cmd(db, "add", "bob", "--role", "reviewer",
                    stdin=REVIEWER_PW + "\n").returncode == 0, "a reviewer is added")
    check(staff_cmd(db, "add", "bob", "--role", "admin",
                    stdin=REVIEWER_PW + "\n").returncode == 1, "a name is taken once")
    listed = staff_cmd(db, "list").stdout.decode()
    check(listed == "ann\tadmin\nbob\treviewer\n", "staff list: " + listed)
    with sqlite3.connect(db) as c:
        hashes = [r[0] for r in c.execute("SELECT password_hash FROM staff_accounts")]
    check(all(h.startswith("$argon2id$") and ADMIN_PW not in h for h in hashes),
          "passwords are stored as argon2id hashes")

    svc = Service(BIN, db, ["--now", NOW, "--allow-origin", "https://stad.gent"],
                  env={"WEGWIJS_WHATSAPP_APP_SECRET": "s", "WEGWIJS_WHATSAPP_TOKEN": "t",
                       "WEGWIJS_WHATSAPP_VERIFY_TOKEN": "v"})
    try:
        # Without a session, every route is refused.
        anon = Client(svc)
        for method, path in [("GET", "/v1/staff/me"), ("GET", "/v1/staff/conversations"),
                             ("GET", "/v1/staff/conversations/abc"),
                             ("POST", "/v1/staff/conversations/abc/reveal"),
                             ("POST", "/v1/staff/conversations/abc/review"),
                             ("POST", "/v1/staff/conversations/abc/turns/1/annotation"),
                             ("DELETE", "/v1/staff/conversations/abc/turns/1/annotation"),
                             ("GET", "/v1/staff/inbox"),
                             ("GET", "/v1/staff/export/conversations"),
                             ("GET", "/v1/staff/export/annotations?format=route-eval"),
                             ("GET", "/v1/staff/audit/export"),
                             ("GET", "/v1/staff/dashboard"),
                             ("GET", "/v1/staff/dashboard/conversations.svg"),
                             ("GET", "/v1/staff/dashboard/rates.svg"),
                             ("DELETE", "/v1/staff/conversations/abc"),
                             ("POST", "/v1/staff/people/find"),
                             ("POST", "/v1/staff/people/access"),
                             ("POST", "/v1/staff/people/erase"),
                             ("GET", "/v1/staff/audit"), ("POST", "/v1/staff/logout")]:
            status, _, body = anon.call(method, path, {} if method != "GET" else None)
            check(status == 401 and body.get("error", {}).get("code") == "not_logged_in",
                  f"{method} {path} without a session: {status} {body}")
        anon.cookie = "0" * 64
        check(anon.call("GET", "/v1/staff/me")[0] == 401, "a made-up token: 401")
        for path in ["/staff/", "/staff/staff.js", "/staff/staff.css"]:
            with urllib.request.urlopen(svc.url + path, timeout=10) as r:
                check(r.status == 200 and r.headers["Cache-Control"] == "no-store",
                      f"{path} is served, never cached")
        with urllib.request.urlopen(svc.url + "/staff/staff.js", timeout=10) as r:
            script = r.read().decode()
        check('"staff.login_title":"Aanmelden als medewerker"' in script and
              '"staff.login_title":"Staff login"' in script, "the pages' sentences from locales/")

        # Conversations to review: a booking, and a WhatsApp chat whose reply fails.
        sid, done = book(svc, "Mijn verblijfskaart is vervallen en ik heb een brief",
                         "Fatima Benali", "fatima.benali@example.org", "0470 12 34 56")
        code = done.get("booking", {}).get("code")
        check(code, "the booking was made: " + json.dumps(done)[:300])
        other = chat(svc, {"text": "Ik heb een vraag over gezinshereniging, café"})["session_id"]
        # A wrong code typed where a code is asked: no known code, no code's shape.
        cancel = chat(svc, {"text": "Ik wil mijn afspraak annuleren"})["session_id"]
        chat(svc, {"session_id": cancel, "text": "zz9q7"})

        # Login: a wrong password and an unknown name look the same.
        ann = Client(svc)
        s1 = ann.login("ann", "wrong password here")
        s2 = ann.login("nobody", "wrong password here")
        check(s1[0] == s2[0] == 401 and s1[2] == s2[2], f"wrong password / unknown name: {s1[2]}")
        status, headers, body = ann.login("ann", ADMIN_PW)
        check(status == 200 and body["role"] == "admin" and len(body["csrf"]) >= 32,
              f"admin login: {status} {body}")
        cookie = headers.get("Set-Cookie", "")
        check("HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie,
              "the cookie's attributes: " + cookie)
        check("Secure" not in cookie, "not Secure on http://127.0.0.1 (development)")
        check(len(ann.cookie) >= 32, "an opaque token of at least 128 bits")
        with sqlite3.connect(db) as c:
            stored = [r[0] for r in c.execute("SELECT token_hash FROM staff_sessions")]
        check(ann.cookie not in stored and
              hashlib.sha256(ann.cookie.encode()).hexdigest() in stored,
              "the store keeps the token's hash, not the token")
        first = ann.cookie
        ann.login("ann", ADMIN_PW)
        check(ann.cookie != first, "a new token at each login")
        old = Client(svc)
        old.cookie = first
        check(old.call("GET", "/v1/staff/me")[0] == 401, "the old cookie's session ended")

        # The list, filters and search.
        status, _, page = ann.call("GET", "/v1/staff/conversations")
        ids = [c["session_id"] for c in page.get("conversations", [])]
        check(status == 200 and sid in ids and other in ids, f"the list: {status} {page}")
        check(ids.index(other) < ids.index(sid), "newest first")
        row = next(c for c in page["conversations"] if c["session_id"] == sid)
        check(row["booked"] and row["desk"] == "loket" and row["product"] == "loket.residence_card",
              f"a row: {row}")
        _, _, found = ann.call("GET", "/v1/staff/conversations?q=cafe")
        check([c["session_id"] for c in found["conversations"]] == [other],
              f"search folds diacritics: {found}")
        _, _, found = ann.call("GET", "/v1/staff/conversations?q=gezinsher")
        check([c["session_id"] for c in found["conversations"]] == [other],
              "the last word may be a beginning")
        _, _, found = ann.call("GET", "/v1/staff/conversations?q=%22%20OR%20*")
        check(found.get("conversations") == [], "FTS syntax in a query is only words")
        _, _, found = ann.call("GET", "/v1/staff/conversations?desk=infopunt&locale=nl")
        check(sid not in [c["session_id"] for c in found.get("conversations", [])],
              "the desk filter")
        _, _, found = ann.call("GET", "/v1/staff/conversations?channel=whatsapp")
        check(found.get("conversations") == [], "the channel filter")
        status, _, body = ann.call("GET", "/v1/staff/conversations?from=2026-13-01")
        check(status == 400 and body["error"]["code"] == "invalid_field", "a bad date: 400")
        _, _, found = ann.call("GET", "/v1/staff/conversations?from=2026-12-02")
        check(found.get("conversations") == [], "the from filter (all began on 1 December)")
        _, _, found = ann.call("GET", "/v1/staff/conversations?to=2026-12-01")
        check(len(found.get("conversations", [])) == 3, "to includes its whole day")

        # A transcript, masked.
        status, _, conv = ann.call("GET", f"/v1/staff/conversations/{sid}")
        raw = json.dumps(conv, ensure_ascii=False)
        check(status == 200 and not conv["revealed"], f"the transcript: {status}")
        for secret in ["Fatima", "Benali", "fatima.benali", "0470", "12 34 56", code or "none"]:
            check(secret not in raw, f"masked: {secret}")
        check("[naam]" in raw and "[e-mail]" in raw and "[telefoon]" in raw and "[code]" in raw,
              "the masks show what was there")
        check(conv["turns"][0]["understanding"]["topics"][0]["label"] == "loket.residence_card",
              "what the understanding matched, with scores")
        check(ann.call("GET", "/v1/staff/conversations/nope")[0] == 404, "an unknown one: 404")
        _, _, typed = ann.call("GET", f"/v1/staff/conversations/{cancel}")
        said = [t["text"] for t in typed.get("turns", []) if t["from"] == "citizen"]
        check(said[-1:] == ["[code]"] and "zz9q7" not in json.dumps(typed),
              f"the answer to the code question is masked whole: {said}")

        # CSRF and origins.
        status, _, body = ann.call("POST", f"/v1/staff/conversations/{sid}/reveal",
                                   {"reason": "x"}, csrf=False)
        check(status == 403 and body["error"]["code"] == "csrf", f"no CSRF token: {status}")
        bob = Client(svc)
        check(bob.login("bob", REVIEWER_PW)[0] == 200, "reviewer login")
        theirs = ann.csrf
        ann.csrf = bob.csrf
        status, _, _ = ann.call("POST", f"/v1/staff/conversations/{sid}/reveal", {"reason": "x"})
        check(status == 403, "another session's CSRF token is refused")
        ann.csrf = theirs
        for origin in ["https://evil.example", "https://stad.gent"]:
            status, _, body = ann.call("GET", "/v1/staff/me", headers={"Origin": origin})
            check(status == 403 and body["error"]["code"] == "origin_not_allowed",
                  f"Origin {origin}: {status} {body}")
        check(ann.call("GET", "/v1/staff/me", headers={"Origin": svc.url})[0] == 200,
              "the service's own origin")

        # A reviewer is refused an admin's routes.
        status, _, body = bob.call("POST", f"/v1/staff/conversations/{sid}/reveal",
                                   {"reason": "curious"})
        check(status == 403 and body["error"]["code"] == "admin_only", f"reviewer reveal: {status}")
        check(bob.call("GET", "/v1/staff/audit")[0] == 403, "reviewer audit: 403")

        # Reveal, with a reason.
        status, _, body = ann.call("POST", f"/v1/staff/conversations/{sid}/reveal", {"reason": " "})
        check(status == 400 and body["error"]["code"] == "reason_needed", "a reveal needs a reason")
        status, _, shown = ann.call("POST", f"/v1/staff/conversations/{sid}/reveal",
                                    {"reason": "Burger vraagt inzage, ticket 4711"})
        raw = json.dumps(shown, ensure_ascii=False)
        check(status == 200 and shown["revealed"] and "Fatima Benali" in raw and code in raw,
              f"revealed: {status}")

        # The audit log.
        status, _, log = ann.call("GET", "/v1/staff/audit")
        check(status == 200, f"audit: {status}")
        entries = audit_actions(db)
        check(("ann", "login_failed", "", "") in entries and ("nobody", "login_failed", "", "")
              in entries, "failed logins are audited")
        check(("ann", "login", "", "") in entries, "a login is audited")
        check(any(e[1] == "search" and "cafe" in e[3] for e in entries), "a search, with its words")
        check(("ann", "view", sid, "") in entries, "a view, with its conversation")
        check(("ann", "reveal", sid, "Burger vraagt inzage, ticket 4711") in entries,
              "a reveal, with its reason")
        check(("bob", "refused", sid, "reveal") in entries, "a refusal")
        check(("(command line)", "account_added", "", "ann as admin") in entries,
              "an account made on the command line")
        check([e["action"] for e in log["entries"]][:1] == ["reveal"], "newest first")
        with sqlite3.connect(db) as c:
            try:
                c.execute("UPDATE audit_log SET detail = 'x'")
                check(False, "an audit entry can be changed")
            except sqlite3.DatabaseError as e:
                check("append-only" in str(e), "the database refuses to change an entry")
            try:
                c.execute("DELETE FROM audit_log")
                check(False, "an audit entry can be deleted")
            except sqlite3.DatabaseError as e:
                check("append-only" in str(e), "the database refuses to delete a recent entry")

        # Logout ends the session on the server.
        kept = ann.cookie
        check(ann.call("POST", "/v1/staff/logout", {})[0] == 200, "logout")
        ann.cookie = kept
        check(ann.call("GET", "/v1/staff/me")[0] == 401, "the cookie is dead after logout")

        # Throttling: five wrong passwords are free, then a wait that stays short.
        eve = Client(svc)
        codes = [eve.login("bob", f"guess number {i}")[0] for i in range(6)]
        check(codes[:5] == [401] * 5 and codes[5] == 429, f"throttled after five: {codes}")
        status, headers, body = eve.login("bob", REVIEWER_PW)
        check(status == 429 and 1 <= int(headers.get("Retry-After", "0")) <= 60,
              f"even the right password waits, at most a minute: {status} {headers.get('Retry-After')}")
        time.sleep(int(headers.get("Retry-After", "2")) + 0.2)
        check(eve.login("bob", REVIEWER_PW)[0] == 200, "then the clerk gets in")
    finally:
        svc.stop()

    # A WhatsApp reply that failed, then the idle timeout on a later clock.
    platform = FakePlatform(token="t")
    args = ["--now", svc.clock(), "--whatsapp-api-base", platform.url]
    svc = Service(BIN, db, args, env={"WEGWIJS_WHATSAPP_APP_SECRET": "s",
                                      "WEGWIJS_WHATSAPP_TOKEN": "t",
                                      "WEGWIJS_WHATSAPP_VERIFY_TOKEN": "v"})
    try:
        ann = Client(svc)
        ann.login("ann", ADMIN_PW)
        platform.answers = [400]  # the platform refuses the reply for good
        body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
            "field": "messages", "value": {"messaging_product": "whatsapp",
                                           "metadata": {"phone_number_id": "1"},
                                           "messages": [{"from": "32470999999", "id": "wamid.s1",
                                                         "timestamp": "1", "type": "text",
                                                         "text": {"body": "Hallo"}}]}}]}]}).encode()
        sig = "sha256=" + hmac.new(b"s", body, hashlib.sha256).hexdigest()
        req = urllib.request.Request(svc.url + "/v1/channels/whatsapp", data=body, headers={
            "Content-Type": "application/json", "X-Hub-Signature-256": sig})
        urllib.request.urlopen(req, timeout=20).read()
        deadline = time.time() + 20
        flagged = []
        while time.time() < deadline and not flagged:
            _, _, page = ann.call("GET", "/v1/staff/conversations?channel=whatsapp")
            flagged = [c for c in page.get("conversations", []) if c["delivery_failed"]]
            time.sleep(0.2)
        check(len(flagged) == 1, f"a failed delivery is flagged in the list: {page}")
        if flagged:
            _, _, conv = ann.call("GET", "/v1/staff/conversations/" + flagged[0]["session_id"])
            failed = [d for d in conv["deliveries"] if d["status"] == "failed"]
            check(failed and "HTTP 400" in failed[0]["error"], f"and in the transcript: {conv['deliveries']}")
            check("32470999999" not in json.dumps(conv), "the phone number is not shown")
    finally:
        svc.stop()
        platform.stop()
    idle = Service(BIN, db, ["--now", "2026-12-02T12:00:00+01:00"])
    try:
        ann.svc = idle
        status, _, body = ann.call("GET", "/v1/staff/me")
        check(status == 401, f"a session idle past 30 minutes has ended: {status}")
    finally:
        idle.stop()
    log = open(idle.log_path, encoding="utf-8", errors="replace").read()
    check(ADMIN_PW not in log and "Benali" not in log, "no password and no name in the log")

    checks.finish()


if __name__ == "__main__":
    main()

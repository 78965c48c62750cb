#!/usr/bin/env python3
"""The WhatsApp channel against a fake WhatsApp Cloud API on loopback
(tests/support/fake_platform.py: a real HTTP server that checks every
request's shape and WhatsApp's limits), with the real `wegwijs serve`:

- Meta's verification handshake: the right token gets the challenge, a wrong
  one or another mode 403;
- signatures: valid over the exact bytes (a body with emoji and accents),
  missing or wrong: 401 and nothing stored;
- every fixture of ../shared/fixtures/channels replayed (text, button reply,
  list reply, statuses);
- a redelivered message is processed once; duplicates in one batch too;
- a whole booking by buttons and list rows in Dutch, and one by free text in
  English, within WhatsApp's limits, the code and the .ics link in the
  confirmation;
- delivery statuses out of order: a late "delivered" never overwrites "read";
  "failed" is kept with its error;
- a message that is no text gets the "only text" reply;
- the platform answering 500 and 429, then down, then up: delivered after
  retries, in order; a SIGKILL with replies waiting: sent after the restart,
  once;
- 500 inbound messages in a burst from 100 conversations: all answered.

usage: whatsapp_test.py <path to wegwijs>"""
import concurrent.futures
import copy
import hashlib
import hmac
import json
import os
import sqlite3
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "support"))
from fake_platform import FakePlatform  # noqa: E402
from service import Service  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
FIXTURES = os.path.join(HERE, "..", "..", "shared", "fixtures", "channels")
SECRET = "test-app-secret"
VERIFY = "test-verify-token"
TOKEN = "test-access-token"
NOW = "2026-12-01T09:00:00+01:00"
NUMBER_ID = "106540352242922"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def sign(raw):
    return "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()


def post(svc, raw, signature=True, headers=None):
    h = {"Content-Type": "application/json", **(headers or {})}
    if signature is True:
        h["X-Hub-Signature-256"] = sign(raw)
    elif signature:
        h["X-Hub-Signature-256"] = signature
    req = urllib.request.Request(svc.url + "/v1/channels/whatsapp", data=raw, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def get(svc, query):
    try:
        with urllib.request.urlopen(svc.url + "/v1/channels/whatsapp?" + query, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


counter = [0]


def update(wa_id, message=None, statuses=None):
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550783881", "phone_number_id": NUMBER_ID}}
    if message is not None:
        counter[0] += 1
        message = {"from": wa_id, "id": message.pop("id", f"wamid.in.{counter[0]}.{time.time_ns()}"),
                   "timestamp": str(int(time.time())), **message}
        value["contacts"] = [{"profile": {"name": "Test"}, "wa_id": wa_id}]
        value["messages"] = [message]
    if statuses is not None:
        value["statuses"] = statuses
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}]}


def text(wa_id, body, **extra):
    return update(wa_id, {"type": "text", "text": {"body": body}, **extra})


def tap(wa_id, choice, kind="button_reply"):
    return update(wa_id, {"type": "interactive",
                          "interactive": {"type": kind, kind: {"id": choice, "title": "x"}}})


def raw(payload):
    return json.dumps(payload, ensure_ascii=False).encode()


def turns(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT count(*) FROM turns").fetchone()[0]


class User:
    """One WhatsApp user talking to the service through the fake platform."""

    def __init__(self, svc, platform, wa_id):
        self.svc, self.platform, self.wa_id = svc, platform, wa_id
        self.seen = 0

    def send(self, payload, expect_replies=True):
        status, _ = post(self.svc, raw(payload))
        check(status == 200, f"webhook answered {status}")
        return self.replies() if expect_replies else []

    def replies(self, timeout=15):
        """The messages sent to this user since the last call."""
        got = self.platform.new_messages(self.wa_id, self.seen, timeout)
        self.seen += len(got)
        return got

    def say(self, words):
        return self.send(text(self.wa_id, words))

    def tap(self, choice, kind="button_reply"):
        return self.send(tap(self.wa_id, choice, kind))


def choices_of(messages):
    out = []
    for m in messages:
        i = m.get("interactive", {})
        if i.get("type") == "button":
            out += [(b["reply"]["id"], "button_reply") for b in i["action"]["buttons"]]
        elif i.get("type") == "list":
            out += [(r["id"], "list_reply") for s in i["action"]["sections"] for r in s["rows"]]
    return out


def words_of(messages):
    out = []
    for m in messages:
        if m.get("type") == "text":
            out.append(m["text"]["body"])
        else:
            out.append(m["interactive"]["body"]["text"])
    return "\n".join(out)


def pick(user, messages, prefix):
    for cid, kind in choices_of(messages):
        if cid.startswith(prefix):
            return user.tap(cid, kind)
    check(False, f"no choice {prefix} in {choices_of(messages)}")
    return []


def main():
    tmp = tempfile.mkdtemp(prefix="wegwijs-whatsapp-")
    db = os.path.join(tmp, "wegwijs.db")
    platform = FakePlatform(token=TOKEN)
    env = {"WEGWIJS_WHATSAPP_VERIFY_TOKEN": VERIFY, "WEGWIJS_WHATSAPP_APP_SECRET": SECRET,
           "WEGWIJS_WHATSAPP_TOKEN": TOKEN}
    args = ["--now", NOW, "--whatsapp-api-base", platform.url, "--holds-per-client", "1000",
            "--holds-per-minute", "100000"]
    svc = Service(BIN, db, args, env=env)
    try:
        # The handshake.
        check(get(svc, f"hub.mode=subscribe&hub.verify_token={VERIFY}&hub.challenge=1158201444")
              == (200, "1158201444"), "the handshake answers the challenge")
        check(get(svc, "hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")[0] == 403,
              "a wrong verify token: 403")
        check(get(svc, f"hub.mode=unsubscribe&hub.verify_token={VERIFY}&hub.challenge=1")[0] == 403,
              "another mode: 403")

        # Signatures: over the exact bytes, with emoji and accents.
        body = raw(text("32470000001", "Mijn verblijfskaart is vervallen 😊 — café, naïef"))
        before = turns(db)
        check(post(svc, body, signature=False)[0] == 401, "no signature: 401")
        check(post(svc, body, signature="sha256=" + "0" * 64)[0] == 401, "a wrong signature: 401")
        resigned = json.dumps(json.loads(body)).encode()  # the same JSON, other bytes
        check(post(svc, body, signature=sign(resigned))[0] == 401, "a signature of other bytes: 401")
        check(turns(db) == before, "nothing stored for a refused signature")
        check(post(svc, body)[0] == 200, "a valid signature over emoji and accents: 200")
        check(turns(db) == before + 2, "its turn is stored")

        # Every fixture, replayed as Meta sends it.
        for name in sorted(os.listdir(FIXTURES)):
            if not name.startswith("whatsapp-"):
                continue
            with open(os.path.join(FIXTURES, name), "rb") as f:
                data = f.read()
            status, answer = post(svc, data)
            check(status == 200 and answer == {"status": "ok"}, f"fixture {name}: {status} {answer}")
        u = User(svc, platform, "16505551234")
        check(len(u.replies()) >= 1, "the fixtures' messages were answered")

        # Redelivery and duplicates: processed once.
        dup = text("32470000002", "Hallo")
        dup["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = "wamid.dup.1"
        user2 = User(svc, platform, "32470000002")
        n0 = turns(db)
        post(svc, raw(dup))
        first = user2.replies()
        post(svc, raw(dup))  # Meta delivers it again
        twice = copy.deepcopy(dup)
        twice["entry"][0]["changes"][0]["value"]["messages"].append(
            copy.deepcopy(twice["entry"][0]["changes"][0]["value"]["messages"][0]))
        post(svc, raw(twice))  # and twice in one batch
        time.sleep(1)
        check(turns(db) == n0 + 2, f"a redelivered message is processed once ({turns(db) - n0} rows)")
        check(len(user2.replies(timeout=2)) == 0 and first, "and answered once")

        # A booking by buttons and list rows, in Dutch.
        nl = User(svc, platform, "32470000003")
        m = nl.say("Mijn verblijfskaart is vervallen, ik heb een oproepingsbrief")
        for _ in range(6):
            ids = [c for c, _ in choices_of(m)]
            if "book" in ids:
                break
            m = pick(nl, m, "yes" if "yes" in ids else ids[0])
        m = pick(nl, m, "book")
        if any(c.startswith("location.") for c, _ in choices_of(m)):
            check(any(x["interactive"]["type"] == "list" for x in m if x["type"] == "interactive"),
                  "five places come as a list")
            m = pick(nl, m, "location.")
        m = pick(nl, m, "people.1")
        lists = [x for x in m if x["type"] == "interactive" and x["interactive"]["type"] == "list"]
        check(lists and lists[0]["interactive"]["action"]["sections"][0].get("title"),
              "the times come as a list, a section per day")
        m = pick(nl, m, "slot.")
        m = nl.say("Amal Haddad")
        m = nl.say("amal@example.org")
        m = pick(nl, m, "no_phone")
        check("Klopt dit?" in words_of(m), "the summary: " + words_of(m)[:100])
        m = pick(nl, m, "book_yes")
        confirmation = words_of(m)
        check("Je afspraak is geboekt" in confirmation, "booked by buttons: " + confirmation[:200])
        check("/booking.ics" in confirmation and svc.url in confirmation, "the .ics as a link")
        # A redelivered "ja" (the same id) does not book twice.
        yes = tap(nl.wa_id, "book_yes")
        yes["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = "wamid.yes.once"
        post(svc, raw(yes))
        post(svc, raw(yes))
        with sqlite3.connect(db) as c:
            booked = c.execute("SELECT count(*) FROM bookings WHERE status = 'confirmed' AND "
                               "email = 'amal@example.org'").fetchone()[0]
        check(booked == 1, f"one booking, not {booked}")

        # By free text, in English.
        en = User(svc, platform, "447700900123")
        for words in ["My residence card has expired and I have a letter", "yes",
                      "I want to book an appointment", "Gentbrugge", "just me",
                      "Wednesday at 10:30", "John Peeters", "john@example.org", "no", "yes"]:
            m = en.say(words)
        check("Your appointment is booked" in words_of(m), "booked by text: " + words_of(m)[:200])

        # Statuses: forward only; failed kept with its error.
        with sqlite3.connect(db) as c:
            out_id = c.execute("SELECT platform_message_id FROM channel_outbox WHERE recipient = ? "
                               "AND status = 'sent' ORDER BY id LIMIT 1", (en.wa_id,)).fetchone()[0]

        def status(s, **extra):
            return {"id": out_id, "status": s, "timestamp": str(int(time.time())),
                    "recipient_id": en.wa_id, **extra}

        for s in ["sent", "read", "delivered"]:  # out of order
            post(svc, raw(update(en.wa_id, statuses=[status(s)])))
        with sqlite3.connect(db) as c:
            d = c.execute("SELECT delivery FROM channel_outbox WHERE platform_message_id = ?",
                          (out_id,)).fetchone()[0]
        check(d == "read", f"a late delivered does not overwrite read ({d})")
        post(svc, raw(update(en.wa_id, statuses=[status("failed", errors=[
            {"code": 131049, "title": "This message was not delivered to maintain healthy ecosystem engagement."}])])))
        with sqlite3.connect(db) as c:
            d, err = c.execute("SELECT delivery, last_error FROM channel_outbox WHERE "
                               "platform_message_id = ?", (out_id,)).fetchone()
        check(d == "failed" and "131049" in (err or ""), f"failed is kept with its error ({d}, {err})")

        # A message that is no text.
        pic = User(svc, platform, "32470000004")
        m = pic.send(update(pic.wa_id, {"type": "image", "image": {"id": "1", "mime_type": "image/jpeg"}}))
        check("alleen tekst" in words_of(m) and "only read text" in words_of(m),
              "an image gets the text-only reply, in both languages before any is known")
        pic.say("Mijn verblijfskaart is vervallen")
        m = pic.send(update(pic.wa_id, {"type": "sticker", "sticker": {"id": "2"}}))
        check("alleen tekst" in words_of(m) and "only read" not in words_of(m),
              "later, in the conversation's language")

        # The platform fails, then is down, then up: delivered after retries, in order.
        platform.answers = [500, 429]
        flaky = User(svc, platform, "32470000005")
        m = flaky.say("Mijn verblijfskaart is verloren")
        check(m, "answered after a 500 and a 429")
        port = platform.port
        platform.stop()
        down = User(svc, None, "32470000006")
        status_code, _ = post(svc, raw(text(down.wa_id, "Ik heb een negatieve beslissing gekregen")))
        check(status_code == 200, "the webhook takes messages while the platform is down")
        post(svc, raw(text(down.wa_id, "wat nu?")))
        time.sleep(2.5)
        with sqlite3.connect(db) as c:
            waiting = c.execute("SELECT count(*), max(attempts) FROM channel_outbox WHERE "
                                "recipient = ? AND status = 'pending'", (down.wa_id,)).fetchone()
        check(waiting[0] >= 2 and waiting[1] >= 1, f"the replies wait, tried: {waiting}")
        # SIGKILL with replies waiting, then the platform and the service come back.
        args = svc.args_going_on()  # its clock goes on, as a real one does
        svc.kill()
        platform = FakePlatform(port=port, token=TOKEN)
        svc = Service(BIN, db, args, env=env)
        down.platform, down.svc = platform, svc
        got = down.replies(timeout=30)
        check(len(got) == waiting[0], f"every waiting reply went out once ({len(got)} of {waiting[0]})")
        with sqlite3.connect(db) as c:
            order = [r[0] for r in c.execute(
                "SELECT platform_message_id FROM channel_outbox WHERE recipient = ? ORDER BY id",
                (down.wa_id,))]
        sent_order = [mid for _, mid in platform.to(down.wa_id)]
        check(order == sent_order, "in the order they were written")
        time.sleep(1)
        check(len(platform.to(down.wa_id)) == waiting[0], "and only once")

        # A burst: 500 messages from 100 conversations.
        users = [f"3249{n:07d}" for n in range(100)]
        lines = ["Hallo", "Mijn verblijfskaart is vervallen", "ja", "Ik wil een afspraak", "dank je"]
        started = time.time()

        def conversation(wa):
            for words in lines:
                status_code, _ = post(svc, raw(text(wa, words)))
                if status_code != 200:
                    return False
            return True

        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            ok = list(pool.map(conversation, users))
        check(all(ok), "every burst message was taken")
        deadline = time.time() + 60
        while time.time() < deadline:
            answered = sum(1 for wa in users if len(platform.to(wa)) >= len(lines))
            if answered == len(users):
                break
            time.sleep(0.2)
        check(answered == len(users), f"all 100 conversations answered ({answered})")
        print(f"burst: 500 messages from 100 conversations answered in {time.time() - started:.1f} s")
        check(platform.breaches == [], f"WhatsApp's limits kept: {platform.breaches[:5]}")
    finally:
        svc.stop()
        platform.stop()

    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("whatsapp: all checks passed")


if __name__ == "__main__":
    main()

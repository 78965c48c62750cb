#!/usr/bin/env python3
"""The Telegram channel against a fake Bot API on loopback
(tests/support/fake_platform.py: a real HTTP server that checks every
request's shape, callback_data <= 64 bytes and texts <= 4096), with the real
`wegwijs serve`:

- the secret token: missing or wrong 401 and nothing stored; right, over a
  body with emoji and accents, 200;
- every fixture of ../shared/fixtures/channels replayed (a /start message, a
  callback of a bot's message, a callback of an inline message);
- an update is processed once by its update_id (redelivered, or repeated);
- a tapped button is answered (answerCallbackQuery) before the reply;
- a whole booking by buttons and one by free text, in each language, the
  code and the .ics link in the confirmation;
- language_code as a hint: /start greets in it, the first words decide;
- a photo gets the "only text" reply; a group chat is not answered;
- the platform answering 500 and 429 (retry_after), then down, then up:
  delivered after retries, in order; a SIGKILL with replies waiting: sent
  after the restart, once;
- 500 updates in a burst from 100 chats: all answered.

usage: telegram_test.py <path to wegwijs>"""
import concurrent.futures
import itertools
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
from checks import Checks  # noqa: E402
from service import Service  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
FIXTURES = os.path.join(HERE, "..", "..", "shared", "fixtures", "channels")
SECRET = "test-telegram-secret_1"
TOKEN = "123456:test-bot-token"
NOW = "2026-12-01T09:00:00+01:00"
checks = Checks()
update_ids = itertools.count(500000)
message_ids = itertools.count(1)


def check(cond, what):
    checks(what, cond)


def post(svc, raw, secret=SECRET):
    h = {"Content-Type": "application/json"}
    if secret is not None:
        h["X-Telegram-Bot-Api-Secret-Token"] = secret
    req = urllib.request.Request(svc.url + "/v1/channels/telegram", data=raw, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def raw(payload):
    return json.dumps(payload, ensure_ascii=False).encode()


def person(chat_id, lang):
    p = {"id": chat_id, "is_bot": False, "first_name": "Test"}
    if lang:
        p["language_code"] = lang
    return p


def message(chat_id, text=None, lang=None, chat_type="private", **extra):
    m = {"message_id": next(message_ids), "from": person(chat_id, lang),
         "chat": {"id": chat_id, "first_name": "Test", "type": chat_type},
         "date": int(time.time()), **extra}
    if text is not None:
        m["text"] = text
    return {"update_id": next(update_ids), "message": m}


def callback(chat_id, data, lang=None):
    return {"update_id": next(update_ids), "callback_query": {
        "id": f"cb{next(message_ids)}", "from": person(chat_id, lang),
        "message": {"message_id": next(message_ids), "date": int(time.time()), "text": "…",
                    "chat": {"id": chat_id, "first_name": "Test", "type": "private"}},
        "chat_instance": "-1234567890", "data": data}}


def turns(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT count(*) FROM turns").fetchone()[0]


class Chat:
    """One private chat with the bot, through the fake platform."""

    def __init__(self, svc, platform, chat_id, lang=None):
        self.svc, self.platform, self.chat_id, self.lang = svc, platform, chat_id, lang
        self.seen = 0

    def send(self, update):
        status, _ = post(self.svc, raw(update))
        check(status == 200, f"webhook answered {status}")
        return self.replies()

    def replies(self, timeout=15):
        got = self.platform.new_messages(self.chat_id, self.seen, timeout)
        self.seen += len(got)
        return got

    def say(self, words):
        return self.send(message(self.chat_id, words, self.lang))

    def tap(self, data):
        update = callback(self.chat_id, data, self.lang)
        got = self.send(update)
        query = update["callback_query"]["id"]
        check(query in self.platform.callbacks, f"the tap {data} was answered")
        return got


def choices_of(messages):
    return [b["callback_data"] for m in messages
            for row in m.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


def words_of(messages):
    return "\n".join(m["text"] for m in messages)


def pick(chat, messages, prefix):
    for data in choices_of(messages):
        if data.startswith(prefix):
            return chat.tap(data)
    check(False, f"no choice {prefix} in {choices_of(messages)}")
    return []


def book_by_buttons(chat, problem, name, email, booked):
    m = chat.say(problem)
    for _ in range(6):
        ids = choices_of(m)
        if "book" in ids:
            break
        m = pick(chat, m, "yes" if "yes" in ids else ids[0])
    m = pick(chat, m, "book")
    if any(c.startswith("location.") for c in choices_of(m)):
        m = pick(chat, m, "location.")
    m = pick(chat, m, "people.1")
    days = [x for x in m if any(c.startswith("slot.") for c in choices_of([x]))]
    check(days and all(x["text"].splitlines()[-1].split()[-1] == "2026" and
                       all(len(r) <= 4 for r in x["reply_markup"]["inline_keyboard"])
                       for x in days),
          "the times come under their day, four to a row: " + json.dumps(days)[:300])
    check(any(c in ("later", "another_day") for c in choices_of(m)),
          "other answers after the times")
    m = pick(chat, m, "slot.")
    chat.say(name)
    m = chat.say(email)
    m = pick(chat, m, "no_phone")
    m = pick(chat, m, "book_yes")
    confirmation = words_of(m)
    check(booked in confirmation, "booked by buttons: " + confirmation[:200])
    check("/booking.ics" in confirmation and chat.svc.url in confirmation, "the .ics as a link")
    return confirmation


def book_by_text(chat, lines, booked):
    for words in lines:
        m = chat.say(words)
    check(booked in words_of(m), "booked by text: " + words_of(m)[-300:])


def main():
    tmp = tempfile.mkdtemp(prefix="wegwijs-telegram-")
    db = os.path.join(tmp, "wegwijs.db")
    platform = FakePlatform(token=TOKEN)
    env = {"WEGWIJS_TELEGRAM_SECRET": SECRET, "WEGWIJS_TELEGRAM_TOKEN": TOKEN}
    args = ["--now", NOW, "--telegram-api-base", platform.url, "--holds-per-client", "1000",
            "--holds-per-minute", "100000"]
    svc = Service(BIN, db, args, env=env)
    try:
        # The secret token.
        body = raw(message(7001, "Mijn verblijfskaart is vervallen 😊 — café, naïef"))
        before = turns(db)
        check(post(svc, body, secret=None)[0] == 401, "no secret token: 401")
        status, answer = post(svc, body, secret="wrong")
        check(status == 401 and answer["error"]["code"] == "invalid_secret", "a wrong one: 401")
        check(turns(db) == before, "nothing stored for a refused request")
        check(post(svc, body)[0] == 200, "the right one over emoji and accents: 200")
        check(turns(db) == before + 2, "its turn is stored")
        check(post(svc, b'{"message": {}}')[0] == 400, "an update without update_id: 400")

        # The fixtures, as Telegram sends them. All three carry update_id
        # 10000, so the first counts and the others are replays of it...
        fixtures = {}
        for name in ["telegram-message.json", "telegram-callback-query.json",
                     "telegram-callback-query-inline.json"]:
            with open(os.path.join(FIXTURES, name), "rb") as f:
                fixtures[name] = f.read()
        n0 = turns(db)
        for name, data in fixtures.items():
            status, answer = post(svc, data)
            check(status == 200 and answer == {"status": "ok"}, f"fixture {name}: {status}")
        time.sleep(0.5)
        check(turns(db) == n0 + 2, f"one update_id, one turn ({turns(db) - n0} rows)")
        start = platform.new_messages(1111111, 0)
        check(start and "Wegwijs" in words_of(start), "/start is greeted: " + words_of(start)[:80])
        # ... and each is taken when it comes with an update_id of its own.
        for name, data in fixtures.items():
            update = json.loads(data)
            update["update_id"] = next(update_ids)
            check(post(svc, raw(update))[0] == 200, f"fixture {name} with a new update_id")
        check(platform.new_messages(2, 0), "the callback of a bot's message is answered in chat 2")
        time.sleep(0.5)
        check(platform.callbacks.count("4382bfdwdsb323b2d9") == 2,
              f"both callback queries were answered ({platform.callbacks})")

        # Redelivery: processed once.
        again = Chat(svc, platform, 7002)
        dup = message(again.chat_id, "Hallo")
        n0 = turns(db)
        first = again.send(dup)
        post(svc, raw(dup))
        time.sleep(1)
        check(turns(db) == n0 + 2 and first and not again.replies(timeout=1),
              f"a redelivered update is processed and answered once ({turns(db) - n0} rows)")

        # A tap is answered before its reply.
        tapper = Chat(svc, platform, 7003)
        m = tapper.say("Ik heb een vraag over gezinshereniging")
        update = callback(tapper.chat_id, choices_of(m)[0])
        mark = len(platform.sent)
        post(svc, raw(update))
        tapper.replies()
        new = platform.sent[mark:]
        check(len(new) >= 2 and new[0][0].endswith("/answerCallbackQuery") and
              new[0][1]["callback_query_id"] == update["callback_query"]["id"] and
              all(b.get("chat_id") == tapper.chat_id for _, b, _ in new[1:]),
              "answerCallbackQuery goes before the reply: " + str([p for p, _, _ in new]))

        # Whole bookings: by buttons and by text, in each language.
        book_by_buttons(Chat(svc, platform, 7010, "nl"),
                        "Mijn verblijfskaart is vervallen, ik heb een oproepingsbrief",
                        "Amal Haddad", "amal.tg@example.org", "Je afspraak is geboekt")
        book_by_buttons(Chat(svc, platform, 7011, "en"),
                        "My residence card has expired and I have a letter",
                        "Olena Kovalenko", "olena.tg@example.org", "Your appointment is booked")
        book_by_text(Chat(svc, platform, 7012, "en"),
                     ["My residence card has expired and I have a letter", "yes",
                      "I want to book an appointment", "Gentbrugge", "just me",
                      "Wednesday at 10:30", "John Peeters", "john.tg@example.org", "no", "yes"],
                     "Your appointment is booked")
        book_by_text(Chat(svc, platform, 7013, "nl"),
                     ["Mijn verblijfskaart is vervallen en ik heb een brief gekregen", "ja",
                      "Ik wil een afspraak maken", "Gentbrugge", "alleen ik",
                      "woensdag om 10:15", "Jan Peeters", "jan.tg@example.org", "nee", "ja"],
                     "Je afspraak is geboekt")
        # A repeated "ja" tap (the same update) does not book twice.
        yes = callback(7010, "book_yes")
        post(svc, raw(yes))
        post(svc, raw(yes))
        with sqlite3.connect(db) as c:
            booked = c.execute("SELECT count(*) FROM bookings WHERE status = 'confirmed' AND "
                               "email LIKE '%.tg@example.org'").fetchone()[0]
        check(booked == 4, f"four bookings, not {booked}")

        # language_code is a hint; the first words decide.
        hint = Chat(svc, platform, 7020, "en")
        greeting = words_of(hint.say("/start"))
        check("Hello" in greeting, "/start with language_code en greets in English: "
              + greeting[:120])
        m = hint.say("Mijn verblijfskaart is vervallen")
        check("verblijfskaart" in words_of(m).lower() or "kaart" in words_of(m),
              "Dutch words are answered in Dutch: " + words_of(m)[:120])

        # A photo, a sticker; a group chat.
        pic = Chat(svc, platform, 7030)
        m = pic.send(message(pic.chat_id, photo=[{"file_id": "x", "width": 90, "height": 90}]))
        check("alleen tekst" in words_of(m) and "only read text" in words_of(m),
              "a photo gets the text-only reply in both languages before any is known")
        pic.say("Mijn verblijfskaart is vervallen")
        m = pic.send(message(pic.chat_id, sticker={"file_id": "y"}))
        check("alleen tekst" in words_of(m) and "only read" not in words_of(m),
              "later, in the conversation's language")
        n0 = turns(db)
        post(svc, raw(message(-100777, "Hallo", chat_type="group")))
        time.sleep(0.5)
        check(turns(db) == n0 and not platform.to(-100777), "a group chat is not answered")

        # The platform fails, then is down, then up.
        platform.answers = [500, 429]
        flaky = Chat(svc, platform, 7040)
        check(flaky.say("Mijn verblijfskaart is verloren"), "answered after a 500 and a 429")
        port = platform.port
        platform.stop()
        down = Chat(svc, None, 7041)
        for words in ["Ik heb een negatieve beslissing gekregen", "wat nu?"]:
            check(post(svc, raw(message(down.chat_id, words)))[0] == 200,
                  "the webhook takes updates while the platform is down")
        time.sleep(2.5)
        with sqlite3.connect(db) as c:
            waiting = c.execute("SELECT count(*), max(attempts) FROM channel_outbox WHERE "
                                "platform = 'telegram' AND recipient = ? AND status = 'pending'",
                                (str(down.chat_id),)).fetchone()
            written = [json.loads(r[0])["json"]["text"] for r in c.execute(
                "SELECT body FROM channel_outbox WHERE recipient = ? ORDER BY id",
                (str(down.chat_id),))]
        check(waiting[0] >= 2 and waiting[1] >= 1, f"the replies wait, tried: {waiting}")
        args = svc.args_going_on()  # its clock goes on, as a real one does
        svc.kill()
        platform = FakePlatform(port=port, token=TOKEN)
        svc = Service(BIN, db, args, env=env)
        down.platform, down.svc = platform, svc
        got = down.replies(timeout=30)
        check([m["text"] for m in got] == written,
              f"every waiting reply went out once, in order ({len(got)} of {len(written)})")
        time.sleep(1)
        check(len(platform.to(down.chat_id)) == len(written), "and only once")

        # A burst: 500 updates from 100 chats.
        chats = list(range(8000, 8100))
        lines = ["Hallo", "Mijn verblijfskaart is vervallen", "ja", "Ik wil een afspraak", "dank je"]
        started = time.time()

        def conversation(chat_id):
            return all(post(svc, raw(message(chat_id, words)))[0] == 200 for words in lines)

        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            ok = list(pool.map(conversation, chats))
        check(all(ok), "every burst update was taken")
        deadline = time.time() + 60
        while time.time() < deadline:
            answered = sum(1 for c in chats if len(platform.to(c)) >= len(lines))
            if answered == len(chats):
                break
            time.sleep(0.2)
        check(answered == len(chats), f"all 100 chats answered ({answered})")
        print(f"burst: 500 updates from 100 chats answered in {time.time() - started:.1f} s")
        check(platform.breaches == [], f"the Bot API's rules kept: {platform.breaches[:5]}")
        log = svc.read_log()
        check(TOKEN not in log and "amal.tg" not in log, "no token and no address in the log")
    finally:
        svc.stop()
        platform.stop()

    checks.finish()


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""E-mail about bookings, against a real SMTP server: Debian's aiosmtpd on a
loopback port, receiving what the real `wegwijs serve` sends with libcurl.

- A booking in the chat, in Dutch and in English, sends one e-mail in that
  language: the headers (From, To, Subject in RFC 2047, Date, Message-ID,
  Content-Language), a multipart/mixed body with a UTF-8 text part that gives
  the code with the advice to write it down, the day, the place, what to bring
  for the case and how to cancel, and the calendar file attached.
- Moving and cancelling send their own e-mail (the new time; METHOD:CANCEL).
- A second appointment for the same e-mail address is not refused in the
  chat (that would tell anyone who types an address that it has one); the
  e-mail to that address says so.
- The mail server down: the booking is made at once, the mail waits in the
  database, survives a SIGKILL of the service, and arrives once the server is
  up, exactly once.
- Without --smtp-url nothing is queued; --smtp-url without --mail-from is
  refused at start.

Uses Debian's python3 (/usr/bin/python3), where python3-aiosmtpd is.
usage: mail_test.py <path to wegwijs>"""
import email
import email.policy
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from aiosmtpd.controller import Controller

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
from service import Service, free_port  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
NOW = "2026-12-01T09:00:00+01:00"
FROM = "Stad Gent – Wegwijs <wegwijs@example.org>"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


class Inbox:
    """What the SMTP server received: envelope and parsed message."""

    def __init__(self):
        self.mails = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.mails.append({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                               "raw": envelope.content, "msg": msg})
        return "250 OK"

    def wait(self, n, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if len(self.mails) >= n:
                    return list(self.mails)
            time.sleep(0.05)
        with self.lock:
            return list(self.mails)


def smtp_server(port, inbox):
    c = Controller(inbox, hostname="127.0.0.1", port=port)
    c.start()
    return c


def chat(svc, body):
    req = urllib.request.Request(svc.url + "/v1/chat", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


class Citizen:
    def __init__(self, svc, locale):
        self.svc = svc
        self.last = chat(svc, {"locale": locale})
        self.sid = self.last["session_id"]

    def send(self, **fields):
        self.last = chat(self.svc, {"session_id": self.sid, **fields})
        return self.last

    def choices(self):
        return [c["id"] for m in self.last["messages"] for c in m.get("choices", [])]

    def first(self, prefix):
        return next(c for c in self.choices() if c.startswith(prefix))

    def text(self):
        return "\n".join(m["text"] for m in self.last["messages"])


def book(svc, locale, name, address, lost=False):
    """A residence card appointment by taps, with the case's facts."""
    c = Citizen(svc, locale)
    for choice in ["loket", "residence_card", "lost" if lost else "expired"]:
        c.send(choice=choice)
    while "book" not in c.choices():  # the questions of the case, the first answer each
        c.send(choice=c.choices()[0])
    c.send(choice="book")
    c.send(choice=c.first("location."))
    c.send(choice="people.1")
    c.send(choice=c.first("slot."))
    c.send(text=name)
    c.send(text=address)
    c.send(choice="no_phone")
    c.send(choice="book_yes")
    assert c.last["state"] == "booking.done", c.text()
    return c, c.last["booking"]


def parts(msg):
    text = msg.get_body(preferencelist=("plain",))
    attachments = [p for p in msg.iter_attachments()]
    return text, attachments


def check_mail(mail, locale, code, address, name):
    msg = mail["msg"]
    where = f"the {locale} mail"
    check(mail["to"] == [address], f"{where}: envelope recipient")
    check(mail["from"] == "wegwijs@example.org", f"{where}: envelope sender")
    check(msg["To"].addresses[0].addr_spec == address, f"{where}: To")
    check(msg["From"].addresses[0].display_name == "Stad Gent – Wegwijs", f"{where}: From name")
    check(b"=?UTF-8?" in mail["raw"].split(b"\r\n\r\n")[0], f"{where}: non-ASCII headers encoded")
    check(code in str(msg["Subject"]), f"{where}: the code in the subject")
    check(msg["Message-ID"] and msg["Message-ID"].startswith("<wegwijs."), f"{where}: Message-ID")
    check(msg["Date"] is not None and msg["Date"].datetime is not None, f"{where}: Date")
    check(msg["Content-Language"] == locale, f"{where}: Content-Language")
    check(msg.get_content_type() == "multipart/mixed", f"{where}: multipart/mixed")
    text, attachments = parts(msg)
    check(text is not None and text.get_content_charset() == "utf-8", f"{where}: UTF-8 text")
    body = text.get_content() if text else ""
    check(code in body, f"{where}: the code in the text")
    check(name in body, f"{where}: the name")
    words = {"nl": ["Schrijf je code", "Breng", "annuleren", "2026", "om"],
             "en": ["Write down your code", "Bring", "cancel", "2026", "at"]}[locale]
    for w in words:
        check(w in body, f"{where}: says '{w}'")
    check("{" not in body and "}" not in body, f"{where}: no unformatted placeholders")
    check(len(attachments) == 1, f"{where}: one attachment")
    if attachments:
        ics = attachments[0]
        check(ics.get_content_type() == "text/calendar", f"{where}: text/calendar")
        check(ics.get_filename() == {"nl": "afspraak.ics", "en": "appointment.ics"}[locale],
              f"{where}: the file name")
        check(ics["Content-Transfer-Encoding"] == "base64", f"{where}: base64")
        cal = ics.get_content()
        cal = cal.decode() if isinstance(cal, bytes) else cal
        check("BEGIN:VEVENT" in cal and code in cal, f"{where}: the event with the code")
    return body


def main():
    tmp = tempfile.mkdtemp(prefix="wegwijs-mail-")
    db = os.path.join(tmp, "wegwijs.db")
    port = free_port()
    inbox = Inbox()
    smtp = smtp_server(port, inbox)
    args = ["--now", NOW, "--smtp-url", f"smtp://127.0.0.1:{port}", "--mail-from", FROM,
            "--mail-retry-seconds", "1"]
    svc = Service(BIN, db, args)
    try:
        # A booking in Dutch: one mail, in Dutch.
        nl, card = book(svc, "nl", "Amina Haddad", "amina@example.org", lost=True)
        mails = inbox.wait(1)
        check(len(mails) == 1, "one mail for the Dutch booking")
        body = check_mail(mails[0], "nl", card["code"], "amina@example.org", "Amina Haddad")
        # What to bring follows the case (a lost card), as the card in the chat does.
        for item in card["bring"]:
            check(item in body, f"the Dutch mail lists what the card lists: {item[:40]}")

        # In English: English.
        en, card_en = book(svc, "en", "John Smith", "john@example.org")
        mails = inbox.wait(2)
        check(len(mails) == 2, "one mail for the English booking")
        if len(mails) == 2:
            check_mail(mails[1], "en", card_en["code"], "john@example.org", "John Smith")

        # A second appointment for the same address and product: booked, not
        # refused; the chat says nothing of the first; the mail does.
        again, card2 = book(svc, "nl", "Amina Haddad", "AMINA@example.org")
        check(card["code"] not in again.text(), "the chat does not tell of the other appointment")
        mails = inbox.wait(3)
        check(len(mails) == 3, "a mail for the second appointment")
        if len(mails) == 3:
            text, _ = parts(mails[2]["msg"])
            check(card["code"] in text.get_content(), "its mail names the other appointment")

        # Moving: a mail with the new time.
        en.send(text="move my appointment")
        if en.last["state"] == "booking.code":
            en.send(text=card_en["code"])
        if en.last["state"] == "booking.find_email":
            en.send(text="john@example.org")
        en.send(choice=en.first("slot."))
        if "move_yes" in en.choices():
            en.send(choice="move_yes")
        check(en.last.get("booking") is not None, "the appointment was moved: " + en.text()[:200])
        mails = inbox.wait(4)
        check(len(mails) == 4, "a mail for the move")
        if len(mails) == 4 and en.last.get("booking"):
            msg = mails[3]["msg"]
            check("moved" in str(msg["Subject"]), "the move's subject says so")
            text, att = parts(msg)
            check(en.last["booking"]["time"] in text.get_content(), "the move's mail gives the new time")

        # Cancelling: a mail with METHOD:CANCEL.
        nl.send(text="mijn afspraak annuleren")
        if nl.last["state"] == "booking.code":
            nl.send(text=card["code"] + " amina@example.org")
        if "cancel_yes" in nl.choices():
            nl.send(choice="cancel_yes")
        mails = inbox.wait(5)
        check(len(mails) == 5, "a mail for the cancellation: " + nl.text()[:200])
        if len(mails) == 5:
            msg = mails[4]["msg"]
            check(msg["Content-Language"] == "nl", "the cancellation in the booking's language")
            _, att = parts(msg)
            cal = att[0].get_content() if att else ""
            cal = cal.decode() if isinstance(cal, bytes) else cal
            check("METHOD:CANCEL" in cal and "STATUS:CANCELLED" in cal, "the cancelled event")
            check(att and att[0]["Content-Type"].params.get("method") == "CANCEL",
                  "Content-Type method=CANCEL: " + (att[0]["Content-Type"] if att else ""))
        time.sleep(1.5)
        check(len(inbox.mails) == 5, "no mail twice")

        # The mail server goes down: the booking goes on, the mail waits.
        smtp.stop()
        down, card3 = book(svc, "en", "Olena Kovalenko", "olena@example.org")
        check(card3["code"], "booked while the mail server is down")
        time.sleep(2.5)  # tried and failed at least once
        with sqlite3.connect(db) as c:
            row = c.execute("SELECT status, attempts, last_error FROM mail_outbox "
                            "ORDER BY id DESC LIMIT 1").fetchone()
        check(row[0] == "pending" and row[1] >= 1, f"the mail waits, tried: {row}")
        check("olena" not in svc.read_log(), "no address in the log")
        # Killed while it waits, started again, the server back: it arrives, once.
        args = svc.args_going_on()  # its clock goes on, as a real one does
        svc.kill()
        smtp = smtp_server(port, inbox)
        svc = Service(BIN, db, args)
        mails = inbox.wait(6, timeout=90)
        check(len(mails) == 6, "the waiting mail arrives once the server is back")
        if len(mails) == 6:
            check_mail(mails[5], "en", card3["code"], "olena@example.org", "Olena Kovalenko")
        time.sleep(2)
        check(len(inbox.mails) == 6, "and only once")
        with sqlite3.connect(db) as c:
            statuses = [r[0] for r in c.execute("SELECT status FROM mail_outbox")]
        check(statuses == ["sent"] * 6, f"every job is marked sent: {statuses}")
    finally:
        svc.stop()
        smtp.stop()

    # No mail server configured: nothing queued.
    db2 = os.path.join(tmp, "nomail.db")
    plain = Service(BIN, db2, ["--now", NOW])
    try:
        book(plain, "nl", "Amina Haddad", "amina@example.org")
    finally:
        plain.stop()
    with sqlite3.connect(db2) as c:
        check(c.execute("SELECT count(*) FROM mail_outbox").fetchone()[0] == 0,
              "without --smtp-url nothing is queued")
    # A mail server without a sender is refused at start, with the reason.
    r = subprocess.run([BIN, "serve", "--port", "0", "--db", os.path.join(tmp, "x.db"),
                        "--smtp-url", "smtp://127.0.0.1:25"], capture_output=True, text=True,
                       timeout=60)
    check(r.returncode == 2 and "--mail-from" in r.stderr, "--smtp-url without --mail-from")

    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("mail: all checks passed")


if __name__ == "__main__":
    main()

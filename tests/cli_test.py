#!/usr/bin/env python3
"""The wegwijs command line as an operator uses it, on real processes:
--help of every command, `route`, `check` on broken data, `chat` in the
terminal (stored like any channel), and a conversation that survives a
restart of the real service on the same SQLite file.

usage: cli_test.py <path to the wegwijs binary>
"""
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(sys.argv[1])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
from checks import Checks  # noqa: E402

check = Checks()


def run(*args, stdin=None, env=None):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True,
                          timeout=60, cwd=ROOT, env=env)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, headers=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def post(port, path, body, headers=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", json.dumps(body).encode(),
                                 {"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


class Service:
    """`wegwijs serve` as a child process on a free port."""

    def __init__(self, db, data=ROOT, env=None, extra=()):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [BIN, "serve", "--port", str(self.port), "--db", db, "--data", data, *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, **(env or {})})
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("the service died: " + self.proc.stderr.read())
                time.sleep(0.05)
        raise RuntimeError("the service did not become ready")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        _, err = self.proc.communicate(timeout=20)
        return self.proc.returncode, err


tmp = tempfile.mkdtemp()
try:
    # --help for the tool and each command.
    r = run("--help")
    check("--help", r.returncode == 0 and "serve" in r.stdout and "chat" in r.stdout)
    for command in ("serve", "chat", "route", "check", "backup"):
        r = run(command, "--help")
        check(f"{command} --help", r.returncode == 0 and r.stdout.startswith("usage: wegwijs"))
    r = run("bogus")
    check("unknown command", r.returncode == 2 and "unknown command" in r.stderr)

    # route prints the routing JSON.
    r = run("route", "de chip van mijn verblijfskaart werkt niet meer")
    out = json.loads(r.stdout) if r.returncode == 0 else {}
    check("route", out.get("product") == "loket.residence_card" and out.get("locale") == "nl",
          r.stdout + r.stderr)
    r = run("route", "--locale", "en", "I need an appointment")
    out = json.loads(r.stdout) if r.returncode == 0 else {}
    check("route vague", out.get("product", "x") is None and out.get("locale") == "en", r.stdout)

    # check refuses broken data, listing the problem; so does serve.
    broken = os.path.join(tmp, "broken")
    shutil.copytree(os.path.join(ROOT, "dialogs"), os.path.join(broken, "dialogs"))
    shutil.copytree(os.path.join(ROOT, "locales"), os.path.join(broken, "locales"))
    with open(os.path.join(broken, "locales", "en.json")) as f:
        en = json.load(f)
    del en["ask.desk"]
    en["help"] = "{unclosed"
    with open(os.path.join(broken, "locales", "en.json"), "w") as f:
        json.dump(en, f)
    r = run("check", "--data", broken)
    check("check broken", r.returncode == 1 and "ask.desk" in r.stderr
          and "help" in r.stderr, r.stdout + r.stderr)
    r = run("serve", "--port", "0", "--db", os.path.join(tmp, "x.db"), "--data", broken)
    check("serve refuses broken data", r.returncode == 1 and "inconsistent" in r.stderr, r.stderr)
    check("check ok", run("check").returncode == 0)

    # chat in the terminal: a sentence, a choice by its number, /quit.
    db = os.path.join(tmp, "chat.db")
    r = run("chat", "--db", db, stdin="Ik ben mijn verblijfskaart verloren\n1\n/quit\n")
    check("chat exits 0", r.returncode == 0, r.stderr)
    check("chat asks for the annex 12", "bijlage 12" in r.stdout, r.stdout)
    check("chat numbers the choices", "  1. Ja" in r.stdout, r.stdout)
    check("chat confirms the product", "Verblijfskaart" in r.stdout and "Klopt dat?" in r.stdout,
          r.stdout)
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT direction, channel, text FROM turns ORDER BY id").fetchall()
    check("chat is stored as a terminal transcript",
          len(rows) == 5 and all(ch == "terminal" for _, ch, _ in rows)
          and rows[1][2] == "Ik ben mijn verblijfskaart verloren", str(rows))
    r = run("chat", "--db", db, "--locale", "en", stdin="")
    check("chat --locale en", r.returncode == 0 and "Hello" in r.stdout, r.stdout)

    # A conversation survives a restart of the real service.
    db = os.path.join(tmp, "restart.db")
    service = Service(db)
    first = post(service.port, "/v1/chat", {"text": "I lost my residence card"})
    sid = first["session_id"]
    check("before restart", first["state"] == "ask_annex12", str(first))
    # A second service on the same port must refuse to start, not share the
    # port (SO_REUSEPORT) and take part of the traffic into another file.
    r = run("serve", "--port", str(service.port), "--db", os.path.join(tmp, "other.db"))
    check("serve refuses a port in use", r.returncode == 1 and "cannot listen" in r.stderr,
          r.stderr)
    code, err = service.stop()
    check("stops cleanly on SIGTERM", code == 0 and "turns stored" in err, err)
    service = Service(db)
    after = post(service.port, "/v1/chat", {"session_id": sid, "choice": "yes"})
    check("after restart: same session", after["session_id"] == sid, str(after))
    check("after restart: the facts are kept",
          after["state"] == "confirm" and after["locale"] == "en"
          and after["route"] == {"desk": "loket", "product": "loket.residence_card"}, str(after))
    service.stop()

    # backup: a consistent copy while the service runs and takes bookings.
    db = os.path.join(tmp, "live.db")
    service = Service(db, env={"WEGWIJS_API_KEY": "cli-key"},
                      extra=["--now", "2026-11-27T10:00:00+01:00"])
    headers = {"Authorization": "Bearer cli-key"}
    slots = get(service.port, "/v1/slots?product=loket.residence_card&location=stadskantoor"
                "&from=2026-11-30&days=1", headers)["slots"]
    codes = []
    for i in range(3):
        b = post(service.port, "/v1/bookings",
                 {"product": "loket.residence_card", "location": "stadskantoor",
                  "start": slots[i]["start"], "name": "Backup Test",
                  "email": f"b{i}@example.org"}, headers)
        codes.append(b["code"])
    copy = os.path.join(tmp, "copy.db")
    r = run("backup", "--db", db, copy)
    check("backup while serving", r.returncode == 0 and "backed up" in r.stdout, r.stderr)
    post(service.port, "/v1/chat", {"text": "hallo"})  # the service goes on
    with sqlite3.connect(copy) as c:
        got = sorted(row[0] for row in c.execute(
            "SELECT code FROM bookings WHERE status = 'confirmed'"))
        integrity = c.execute("PRAGMA integrity_check").fetchone()[0]
    check("the backup holds every booking", got == sorted(codes), str(got))
    check("the backup is intact", integrity == "ok", integrity)
    check("the backup is one file", not os.path.exists(copy + "-wal"))
    r = run("backup", "--db", db, copy)
    check("backup never overwrites", r.returncode == 1 and "exists" in r.stderr, r.stderr)

    # A booking made in the chat, over HTTP, is the booking the API finds.
    def chat(body):
        if sid:
            body["session_id"] = sid
        return post(service.port, "/v1/chat", body)
    sid = None
    reply = chat({"text": "Ik heb een vraag over gezinshereniging", "locale": "nl"})
    sid = reply["session_id"]
    for step in ({"text": "ja"}, {"choice": "book"}, {"choice": "people.1"},
                 {"text": "donderdag na 14u"}):
        reply = chat(step)
    slot = next(c["id"] for m in reply["messages"] for c in m.get("choices", [])
                if c["id"].startswith("slot."))
    for step in ({"choice": slot}, {"text": "Amal Haddad"}, {"text": "amal@example.org"},
                 {"choice": "no_phone"}, {"text": "ja"}):
        reply = chat(step)
    text = "\n".join(m["text"] for m in reply["messages"])
    check("chat booking confirmed", reply["state"] == "booking.done" and "om 1" in text, text)
    code = next((w.strip(".") for w in text.split() if len(w.strip(".")) == 9
                 and w[4] == "-"), "")
    found = get(service.port, f"/v1/bookings/{code}?email=amal@example.org", headers)
    check("the API finds the chat's booking",
          found.get("status") == "confirmed"
          and found.get("product") == "infopunt.family_reunification"
          and found.get("start", "")[11:13] in ("14", "15", "16"), str(found))
    reply = chat({"text": "mijn afspraak annuleren"})
    reply = chat({"text": "ja"})
    found = get(service.port, f"/v1/bookings/{code}?email=amal@example.org", headers)
    check("cancelled in the chat", found.get("status") == "cancelled", str(found))
    service.stop()
finally:
    shutil.rmtree(tmp, ignore_errors=True)

check.finish()

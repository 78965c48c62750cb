#!/usr/bin/env python3
"""Durability: SIGKILL the real service, many times, while it does its largest
transactions (the retention purge of thousands of sessions with long
transcripts, which spills SQLite's page cache), while clients chat and book,
and after SQLite's own checkpoints ran; then restart it on the same file.

Rounds alternate: busy ones kill at a random moment while clients chat and
book; quiet ones wait until the purge is logged as done and the WAL had time
to be checkpointed, then kill (a commit that only seemed durable is lost
then, and a checkpoint of it damages the file: what the WAL-gathering VFS of
an earlier version did).

After every kill: the file passes PRAGMA integrity_check, the service starts
on it again, every chat turn whose reply reached a client is in the file,
every booking whose 201 reached a client is in the file, a purge the log
reported is complete, the sessions it had to keep are whole, and no time
cell holds more claims than its desk has counters.

usage: crash_test.py <path to wegwijs> [rounds]"""
import json
import os
import random
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
from service import Service  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 8
KEY = "crash-key"
HEADERS = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}
NOW = "2026-11-27T10:00:00+01:00"
OLD_SESSIONS = 6000  # past the retention: the purge deletes them
KEPT_SESSIONS = 3000
TRANSCRIPT = "x" * 1500  # per stored turn: a purge batch is megabytes of pages


def call(port, method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=json.dumps(body).encode() if body else None,
                                 headers=HEADERS)
    with urllib.request.urlopen(req, timeout=5) as r:
        return r.status, json.loads(r.read())


def fill(db):
    """Sessions long past the retention, and recent ones, with their turns."""
    with sqlite3.connect(db) as c:
        has_turns = any(r[1] == "turns" for r in c.execute("PRAGMA table_info(sessions)"))
        old_ms = 1_500_000_000_000  # 2017
        recent_ms = 1_795_000_000_000  # 2026-11
        for i in range(OLD_SESSIONS + KEPT_SESSIONS):
            sid = f"fill-{i:06d}"
            at = old_ms + i if i < OLD_SESSIONS else recent_ms + i
            c.execute("INSERT INTO sessions(id, channel, created_ms, updated_ms, state, data) "
                      "VALUES (?, 'web', ?, ?, 'ask_desk', '{\"turns\": 5}')", (sid, at, at))
            if has_turns:
                c.execute("UPDATE sessions SET turns = 5 WHERE id = ?", (sid,))
            for d in ("in", "out"):
                c.execute("INSERT INTO turns(session_id, at_ms, direction, channel, locale, text, "
                          "state_before, state_after) VALUES (?, ?, ?, 'web', 'nl', ?, '', '')",
                          (sid, at, d, TRANSCRIPT))


failures = 0
acknowledged = 0  # over all rounds: the checks above must have had something to check
rng = random.Random(18)
for round_ in range(ROUNDS):
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "crash.db")
    Service(BIN, db, extra=["--now", NOW]).stop()  # creates the schema
    fill(db)
    svc = Service(BIN, db, extra=["--now", NOW, "--retention-days", "30"],
                  env={"WEGWIJS_API_KEY": KEY})
    port = svc.port
    _, body = call(port, "GET", "/v1/slots?product=loket.residence_card&location=stadskantoor"
                   "&from=2026-11-30&days=60")
    slots = [s["start"] for s in body["slots"]]
    confirmed = []  # codes whose 201 reached a client
    turns = {}  # session id -> citizen turns whose reply reached a client
    lock = threading.Lock()

    def booker(n):
        i = 0
        while True:
            i += 1
            try:
                status, b = call(port, "POST", "/v1/bookings", {
                    "product": "loket.residence_card", "location": "stadskantoor",
                    "start": slots[(n * 7 + i) % len(slots)], "name": "Crash Test",
                    "email": f"c{round_}-{n}-{i}@example.org"})
                if status == 201:
                    with lock:
                        confirmed.append(b["code"])
            except urllib.error.HTTPError:
                pass  # 409: full
            except (OSError, ValueError):
                return  # the service is gone

    def chatter(n):
        sid = None
        while True:
            body = {"text": f"Ik ben mijn verblijfskaart verloren {n} " + "y" * 300}
            if sid:
                body["session_id"] = sid
            try:
                _, r = call(port, "POST", "/v1/chat", body)
            except (OSError, ValueError):
                return
            sid = r["session_id"]
            with lock:
                turns[sid] = turns.get(sid, 0) + 1
            if turns[sid] >= 5:
                sid = None

    clients = [threading.Thread(target=booker, args=(n,)) for n in range(3)]
    clients += [threading.Thread(target=chatter, args=(n,)) for n in range(3)]
    quiet = round_ % 2 == 1
    if quiet:
        clients = []
        deadline = time.time() + 20
        while "purged" not in svc.read_log() and time.time() < deadline:
            time.sleep(0.02)
        time.sleep(0.5)  # checkpoints run
    for t in clients:
        t.start()
    if not quiet:
        time.sleep(rng.uniform(0.1, 1.0))  # within the purge, or after it and its checkpoint
    reported = "purged" in svc.read_log()
    svc.kill()
    for t in clients:
        t.join()

    with sqlite3.connect(db) as c:
        integrity = c.execute("PRAGMA integrity_check").fetchone()[0]
    restarted = True
    try:
        Service(BIN, db, extra=["--now", NOW]).stop()  # starts on the file, as after a crash
    except RuntimeError:
        restarted = False
    with sqlite3.connect(db) as c:
        stored = {row[0] for row in c.execute(
            "SELECT code FROM bookings WHERE status = 'confirmed'")}
        over = c.execute(
            "SELECT count(*) FROM (SELECT desk, cell_ms, count(*) AS n FROM claims "
            "GROUP BY desk, cell_ms) g JOIN (SELECT desk, count(*) AS seats FROM seats "
            "GROUP BY desk) s USING (desk) WHERE g.n > s.seats").fetchone()[0]
        kept = dict(c.execute("SELECT session_id, count(*) FROM turns WHERE direction = 'in' "
                              "GROUP BY session_id").fetchall())
        purged = OLD_SESSIONS - c.execute(
            "SELECT count(*) FROM sessions WHERE id LIKE 'fill-%%' AND id < 'fill-%06d'"
            % OLD_SESSIONS).fetchone()[0]
        whole = c.execute("SELECT count(*) FROM turns WHERE session_id >= 'fill-%06d' AND "
                          "session_id LIKE 'fill-%%'" % OLD_SESSIONS).fetchone()[0]
    lost = [code for code in confirmed if code not in stored]
    lost_turns = sum(n - kept.get(sid, 0) for sid, n in turns.items() if kept.get(sid, 0) < n)
    acknowledged += len(confirmed) + sum(turns.values())
    ok = (not lost and lost_turns == 0 and over == 0
          and integrity == "ok" and restarted and whole == 2 * KEPT_SESSIONS
          and (purged == OLD_SESSIONS or not reported))
    print(f"round {round_ + 1} ({'quiet' if quiet else 'busy'}): purged {purged} of "
          f"{OLD_SESSIONS} ({'reported' if reported else 'not yet reported'}), kept sessions "
          f"{'whole' if whole == 2 * KEPT_SESSIONS else 'DAMAGED'}; {len(confirmed)} bookings "
          f"confirmed to clients, {len(lost)} lost; {sum(turns.values())} turns acknowledged, "
          f"{lost_turns} lost; {over} cells over capacity; integrity {integrity[:80]}; "
          f"restart {'ok' if restarted else 'REFUSED'}: {'ok' if ok else 'FAIL'}")
    failures += 0 if ok else 1

if acknowledged == 0:
    print("FAILED: no turn or booking was acknowledged in any round: nothing was tested")
    failures += 1
print(f"{ROUNDS - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)

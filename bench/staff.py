#!/usr/bin/env python3
"""Benchmark of the staff area on a large database: the conversations list,
its filters, full-text search, the misunderstood inbox, one transcript and
the dashboard, each timed as a staff page asks for it (an HTTP call with a
session to the real `wegwijs serve`), on a database of TURNS citizen and
assistant turns (1,000,000 by default) in conversations of 10 turns.

The conversations are written straight into the service's own schema (the
service creates and migrates the file first), with sentences from the
shared development set and the team's phrasings, so the search index holds
realistic words; the service indexes them before the first search (timed
apart). Each call is repeated REPEAT times (5); p50 and max are reported.
The issue's aim: under 100 ms a page. Figures are this machine's (2 cores).

usage: bench/staff.py build/wegwijs [TURNS] [REPEAT]"""
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "support"))
from service import Service  # noqa: E402
from staff_client import Client, staff_cmd  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
TURNS = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
REPEAT = int(sys.argv[3]) if len(sys.argv) > 3 else 5
PASSWORD = "a long benchmark password"
DAY = 24 * 3600 * 1000
END = 1796112000000  # 1 December 2026, 09:00 Brussels: the service's clock


def sentences():
    out = []
    for path in [os.path.join(HERE, "..", "..", "shared", "eval", "dev-route.jsonl")] + [
            os.path.join(HERE, "..", "tests", "eval", f"phrasings-{i}.jsonl") for i in (1, 2, 3)]:
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                out += [(json.loads(line)["text"], json.loads(line)["expect"][0])
                        for line in f if line.strip()]
    return out


def write(c, sessions, rows):
    c.executemany("INSERT INTO sessions(id, channel, created_ms, updated_ms, state, data, turns, "
                  "locale, desk, product, outcome, outcome_turn, routed_first, fallbacks) "
                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", sessions)
    c.executemany("INSERT INTO turns(session_id, at_ms, direction, channel, locale, text, choice, "
                  "state_before, state_after, understanding, flag) "
                  "VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    c.commit()


def fill(db, turns):
    """Conversations of 10 turns over 90 days, newest at END."""
    said = sentences()
    products = sorted({p for _, p in said if p})
    replies = ["Waarover gaat je vraag?", "Wat wil je aan het loket doen?",
               "Klopt het dat het hierover gaat?", "Sorry, dat begreep ik niet.",
               "Je hebt een afspraak nodig. Wil je er nu een maken?"]
    outcomes = [None, None, "booked", "no_appointment", "human", "misunderstood", "cancelled"]
    rng = random.Random(7)
    conversations = turns // 10
    c = sqlite3.connect(db)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("PRAGMA synchronous=OFF")
    t0 = time.time()
    sessions, rows = [], []
    for n in range(conversations):
        sid = f"{n:032x}"
        start = END - int((conversations - n) * (90 * DAY / conversations))
        product = rng.choice(products)
        outcome = rng.choice(outcomes)
        locale = rng.choice(["nl", "nl", "en"])
        data = {"locale": locale, "slots": {"desk": product.split(".")[0]},
                "product": product, "turns": 5}
        if outcome:
            data["outcome"] = outcome
        data = json.dumps(data)
        flags = [("fallback" if rng.random() < 0.04 else
                  "correction" if rng.random() < 0.02 else None) for _ in range(5)]
        sessions.append((sid, rng.choice(["web", "web", "whatsapp", "telegram"]), start,
                         start + 5 * 20000, "outcome", data, 5, locale, product.split(".")[0],
                         product, outcome, 4 if outcome else 0, int(rng.random() < 0.7),
                         flags.count("fallback")))
        for k in range(5):
            text, _ = rng.choice(said)
            flag = flags[k]
            at = start + k * 20000
            rows.append((sid, at, "in", "web", locale, text, None, "ask", "ask", "{}", flag))
            rows.append((sid, at, "out", "web", locale, rng.choice(replies), None, "ask", "ask",
                         json.dumps({"product": product}), None))
        if len(rows) >= 100_000:
            write(c, sessions, rows)
            sessions, rows = [], []
    write(c, sessions, rows)
    c.close()
    return conversations, time.time() - t0


def timed(client, path, repeat):
    times, status = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        status, _, _ = client.raw(path)
        times.append((time.perf_counter() - t) * 1000)
    return status, statistics.median(times), max(times)


def main():
    tmp = tempfile.mkdtemp(prefix="wegwijs-bench-staff-")
    db = os.path.join(tmp, "bench.db")
    subprocess.run([BIN, "check", "--db", db], capture_output=True)  # creates and migrates
    staff_cmd(BIN, db, "add", "ann", "--role", "admin", stdin=PASSWORD + "\n")
    conversations, took = fill(db, TURNS)
    print(f"database: {conversations:,} conversations, {conversations * 10:,} turns, "
          f"written in {took:.1f} s; {os.path.getsize(db) / 1e6:.0f} MB")
    # Kept a year, so the 90 days written stay (the default purges after 30).
    svc = Service(BIN, db, ["--now", "2026-12-01T09:00:00+01:00", "--retention-days", "365"])
    try:
        ann = Client(svc)
        ann.login("ann", PASSWORD)
        t = time.perf_counter()
        status, _, _ = ann.call("GET", "/v1/staff/conversations?q=verblijfskaart")
        print(f"first search, indexing the turns not yet indexed: "
              f"{(time.perf_counter() - t):.1f} s (status {status})")
        sid = f"{conversations // 2:032x}"
        calls = [
            ("list, page 1", "/v1/staff/conversations"),
            ("list, page 200", "/v1/staff/conversations?page=200"),
            ("filter: outcome booked", "/v1/staff/conversations?outcome=booked"),
            ("filter: abandoned", "/v1/staff/conversations?outcome=abandoned"),
            ("filter: product + language", "/v1/staff/conversations?product=loket.guarantor&locale=en"),
            ("filter: not reviewed, one week", "/v1/staff/conversations?reviewed=no&from=2026-11-24"),
            ("filter: annotated (none are)", "/v1/staff/conversations?annotated=yes"),
            ("search: a common word", "/v1/staff/conversations?q=verblijfskaart"),
            ("search: two words", "/v1/staff/conversations?q=kaart%20verloren"),
            ("search: a rare word", "/v1/staff/conversations?q=garant"),
            ("search + filter", "/v1/staff/conversations?q=kaart&outcome=human"),
            ("inbox, page 1", "/v1/staff/inbox"),
            ("inbox: corrections", "/v1/staff/inbox?flag=correction"),
            ("one transcript", f"/v1/staff/conversations/{sid}"),
            ("dashboard, 30 days", "/v1/staff/dashboard"),
            ("dashboard, 90 days by product, weekly",
             "/v1/staff/dashboard?from=2026-09-02&bucket=week&by=product"),
            ("chart (SVG), 30 days", "/v1/staff/dashboard/conversations.svg"),
            ("export CSV, one day (~1,100 conversations)",
             "/v1/staff/export/conversations?from=2026-11-30&to=2026-11-30"),
        ]
        print(f"\n{'call':42} {'p50 ms':>8} {'max ms':>8}")
        for label, path in calls:
            status, p50, worst = timed(ann, path, REPEAT)
            mark = "" if status == 200 else f"  (status {status})"
            print(f"{label:42} {p50:8.1f} {worst:8.1f}{mark}")
    finally:
        svc.stop()


if __name__ == "__main__":
    main()

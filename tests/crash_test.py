#!/usr/bin/env python3
"""Kill the service with SIGKILL while clients book; restart it: every booking
whose confirmation (a 201) reached a client is in the file, and no time cell
holds more claims than its desk has counters.

usage: crash_test.py <path to wegwijs>"""
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

BIN = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY = "crash-key"
HEADERS = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(db, port):
    proc = subprocess.Popen([BIN, "serve", "--port", str(port), "--db", db, "--data", ROOT,
                             "--now", "2026-11-27T10:00:00+01:00"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "WEGWIJS_API_KEY": KEY})
    for _ in range(400):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the service did not start")


def call(port, method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=json.dumps(body).encode() if body else None,
                                 headers=HEADERS)
    with urllib.request.urlopen(req, timeout=5) as r:
        return r.status, json.loads(r.read())


failures = 0
for round_ in range(3):
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "crash.db")
    port = free_port()
    proc = start(db, port)
    _, body = call(port, "GET", "/v1/slots?product=loket.residence_card&location=stadskantoor"
                   "&from=2026-11-30&days=60")
    slots = [s["start"] for s in body["slots"]]
    confirmed = []  # codes whose 201 reached a client
    lock = threading.Lock()

    def client(n):
        i = 0
        while True:
            i += 1
            try:
                status, b = call(port, "POST", "/v1/bookings", {
                    "product": "loket.residence_card", "location": "stadskantoor",
                    "start": slots[(n * 7 + i) % len(slots)], "name": "Crash Test",
                    "email": f"c{n}-{i}@example.org"})
                if status == 201:
                    with lock:
                        confirmed.append(b["code"])
            except urllib.error.HTTPError:
                pass  # 409: full
            except (OSError, ValueError):
                return  # the service is gone

    clients = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in clients:
        t.start()
    time.sleep(0.3 + 0.2 * round_)  # well before the slots run out
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for t in clients:
        t.join()

    proc = start(db, port)  # restarts on the same file, as after a crash
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=20)
    with sqlite3.connect(db) as c:
        stored = {row[0] for row in c.execute(
            "SELECT code FROM bookings WHERE status = 'confirmed'")}
        over = c.execute(
            "SELECT count(*) FROM (SELECT desk, cell_ms, count(*) AS n FROM claims "
            "GROUP BY desk, cell_ms) g JOIN (SELECT desk, count(*) AS seats FROM seats "
            "GROUP BY desk) s USING (desk) WHERE g.n > s.seats").fetchone()[0]
        integrity = c.execute("PRAGMA integrity_check").fetchone()[0]
    lost = [code for code in confirmed if code not in stored]
    ok = confirmed and not lost and over == 0 and integrity == "ok"
    print(f"round {round_ + 1}: {len(confirmed)} confirmed to clients, {len(stored)} in the file, "
          f"{len(lost)} lost, {over} cells over capacity, integrity {integrity}: "
          f"{'ok' if ok else 'FAIL'}")
    failures += 0 if ok else 1

sys.exit(1 if failures else 0)

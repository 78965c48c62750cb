#!/usr/bin/env python3
"""The real service on storage that fails, as a disk does:

- a damaged database file: the service refuses to start, naming the file and
  how to restore from `wegwijs backup`; `wegwijs check --db` says the same,
  and passes the backup;
- a full disk (a small tmpfs): clients get 503 storage_unavailable with a
  message for the citizen, never a 500; /healthz says degraded with the
  reason; the log says it once; no acknowledged booking is lost; once there
  is space again, the service is healthy without a restart;
- a read-only file system: the start fails with a message naming the file.

The tmpfs parts need root (mount); elsewhere they are skipped, and say so.
usage: fault_test.py <path to wegwijs>"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
from service import ROOT, Service, request  # noqa: E402
from checks import Checks  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
KEY = "fault-key"
AUTH = {"Authorization": "Bearer " + KEY}
NOW = "2026-11-27T10:00:00+01:00"
check = Checks()


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60, cwd=ROOT)


def serve_once(db):
    """`serve` on a file it should refuse: (exit code, standard error); an exit
    code of None means it served instead, and was stopped after 15 s."""
    proc = subprocess.Popen([BIN, "serve", "--port", "0", "--db", db, "--data", ROOT],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _, err = proc.communicate(timeout=15)
        return proc.returncode, err
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        return None, err


def book(port, n, start):
    a = request(port, "POST", "/v1/bookings", {
        "product": "loket.residence_card", "location": "stadskantoor", "start": start,
        "name": "Fault Test", "email": f"f{n}@example.org"}, AUTH)
    return a


def slots(port):
    a = request(port, "GET", "/v1/slots?product=loket.residence_card&location=stadskantoor"
                "&from=2026-11-30&days=20", headers=AUTH)
    return [s["start"] for s in a.json()["slots"]]


def mount_tmpfs(path, size):
    os.makedirs(path, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", path],
                       capture_output=True, text=True)
    return r.returncode == 0


def umount(path):
    subprocess.run(["umount", "-l", path], capture_output=True)


tmp = tempfile.mkdtemp()
try:
    # --- A damaged file -----------------------------------------------------
    db = os.path.join(tmp, "damaged.db")
    svc = Service(BIN, db, extra=["--now", NOW], env={"WEGWIJS_API_KEY": KEY})
    starts = slots(svc.port)
    codes = [book(svc.port, i, starts[i]).json()["code"] for i in range(20)]
    svc.stop()
    with sqlite3.connect(db) as c:  # enough pages that 80 KB in the middle hit tables
        for i in range(3000):
            c.execute("INSERT INTO sessions(id, channel, created_ms, updated_ms, state, data) "
                      "VALUES (?, 'web', 1, 1795000000000, 'ask_desk', ?)", (f"d{i}", "z" * 900))
    backup = os.path.join(tmp, "backup.db")
    r = run("backup", "--db", db, backup)
    check("a backup before the damage", r.returncode == 0, r.stderr)
    size = os.path.getsize(db)
    with open(db, "r+b") as f:
        f.seek(size // 2 // 4096 * 4096)
        f.write(os.urandom(80 * 1024))
    code, err = serve_once(db)
    check("serve refuses a damaged file", code == 1, err)
    check("... naming the file and how to restore it",
          db in err and "damaged" in err and "wegwijs backup" in err, err)
    r = run("check", "--db", db)
    check("check --db finds the damage", r.returncode == 1 and "damaged" in r.stderr, r.stderr)
    r = run("check", "--db", backup)
    check("check --db passes the backup", r.returncode == 0 and "quick_check" in r.stdout,
          r.stdout + r.stderr)
    shutil.copy(backup, db)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    svc = Service(BIN, db, extra=["--now", NOW], env={"WEGWIJS_API_KEY": KEY})
    found = request(svc.port, "GET", f"/v1/bookings/{codes[0]}?email=f0@example.org",
                    headers=AUTH)
    check("restored from the backup, the bookings are there",
          found is not None and found.status == 200, repr(found))
    svc.stop()

    # --- A full disk ----------------------------------------------------------
    disk = os.path.join(tmp, "disk")
    if not mount_tmpfs(disk, "6m"):
        print("skipped: the full-disk and read-only checks need root to mount a tmpfs")
    else:
        try:
            db = os.path.join(disk, "full.db")
            svc = Service(BIN, db, extra=["--now", NOW], env={"WEGWIJS_API_KEY": KEY},
                          log=os.path.join(tmp, "full.log"))
            starts = slots(svc.port)
            kept = [book(svc.port, i, starts[i]).json()["code"] for i in range(3)]
            english = request(svc.port, "POST", "/v1/chat",
                              {"text": "I lost my residence card", "locale": "en"}).json()
            filler = os.path.join(disk, "filler")
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
            try:
                while True:
                    os.write(fd, b"\0" * 4096)
            except OSError:
                pass  # the disk is full
            os.close(fd)
            statuses = {}
            refusal = None
            for i in range(300):
                a = request(svc.port, "POST", "/v1/chat",
                            {"text": "Mijn verblijfskaart is verloren " + "w" * 3500,
                             "locale": "nl"})
                status = a.status if a else None
                statuses[status] = statuses.get(status, 0) + 1
                if status == 503:
                    refusal = a
                    if statuses[503] >= 5:
                        break
            check("a full disk gives 503s, never a 500",
                  statuses.get(503, 0) >= 5 and set(statuses) <= {200, 503}, str(statuses))
            check("... as storage_unavailable with a message for the citizen",
                  refusal is not None and refusal.error_code() == "storage_unavailable"
                  and "bewaren" in refusal.json()["error"]["message"], repr(refusal))
            a = request(svc.port, "POST", "/v1/chat",
                        {"session_id": english["session_id"], "text": "yes " + "w" * 3500})
            check("... in the conversation's language", a is not None and a.status == 503
                  and "cannot save" in a.json()["error"]["message"], repr(a))
            h = request(svc.port, "GET", "/healthz")
            check("/healthz says degraded, and why", h is not None and h.status == 503
                  and h.json() == {"status": "degraded", "reason": "storage: disk full"}, repr(h))
            b = book(svc.port, 9, starts[9])
            check("a booking on a full disk: 503 or booked, never a 500",
                  b is not None and b.status in (201, 503), repr(b))
            log = svc.read_log()
            check("the log says it once", log.count("storage unavailable") == 1, log[-2000:])
            os.remove(filler)
            time.sleep(2.2)  # the health check tries a write every 2 s while degraded
            h = request(svc.port, "GET", "/healthz")
            check("with space again, healthy without a restart",
                  h is not None and h.status == 200, repr(h))
            a = request(svc.port, "POST", "/v1/chat", {"text": "hallo"})
            check("... and chatting again", a is not None and a.status == 200, repr(a))
            check("the recovery is logged once", svc.read_log().count("available again") == 1)
            svc.stop()
            with sqlite3.connect(db) as c:
                stored = {r[0] for r in c.execute("SELECT code FROM bookings")}
                integrity = c.execute("PRAGMA integrity_check").fetchone()[0]
            check("no acknowledged booking lost", set(kept) <= stored, str(kept))
            check("the file is intact", integrity == "ok", integrity)
        finally:
            umount(disk)

        # --- A read-only file system ------------------------------------------
        if mount_tmpfs(disk, "6m"):
            try:
                db = os.path.join(disk, "ro.db")
                Service(BIN, db).stop()
                subprocess.run(["mount", "-o", "remount,ro", disk], check=True)
                code, err = serve_once(db)
                check("serve refuses a read-only database, naming it",
                      code == 1 and db in err and "read-only" in err, err)
            finally:
                umount(disk)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

check.finish()

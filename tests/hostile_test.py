#!/usr/bin/env python3
"""The real service as a hostile or careless client meets it, over TCP:

- bytes that are not UTF-8 in the path, the query, headers and the body, and
  JSON that overflows or nests deep: a JSON 4xx each time, never a crash;
- bodies past the limit when chunked or gzip-compressed, too many headers:
  413 and 431, without the memory growing;
- 200 idle connections and 40 slowloris clients do not keep /healthz or a
  new chat from being answered within a second;
- one client cannot hold the calendar: holds per client and in all are
  limited, a session holds one slot set at a time, staff list and release
  holds;
- an Idempotency-Key reused for another body is refused; hold ids are
  opaque; bookings are not cached; the origin check does not trust Host.

Each check prints its name when it fails; the last line counts them.
usage: hostile_test.py <path to wegwijs>"""
import gzip
import json
import os
import socket
import sqlite3
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
from service import Service, raw, read_answer, request  # noqa: E402
from checks import Checks  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
KEY = "hostile-key"
AUTH = {"Authorization": "Bearer " + KEY}
NOW = "2026-12-01T09:00:00+01:00"
check = Checks()


def json_4xx(name, answer, codes=None):
    ok = answer is not None and 400 <= answer.status < 500 and answer.error_code() is not None
    if ok and codes:
        ok = answer.error_code() in codes
    check(name, ok, repr(answer))


tmp = tempfile.mkdtemp()
db = os.path.join(tmp, "hostile.db")
svc = Service(BIN, db, extra=["--now", NOW], env={"WEGWIJS_API_KEY": KEY})
port = svc.port
pid = svc.pid

# --- 1. Bytes that are not UTF-8, anywhere in a request ----------------------
for method, path in [("GET", "/%ff"), ("POST", "/v1/%c0%af"), ("GET", "/v1/chat/%ff"),
                     ("GET", "/v1/chat/%ff/booking.ics"), ("DELETE", "/%fe%ff"),
                     ("GET", "/v1/bookings/%ff?email=a%40b.be"),
                     ("GET", "/v1/slots?product=%ff&location=%c0"),
                     ("GET", "/v1/bookings/ABCD-EFGH?email=%ff%fe")]:
    body = b"{}" if method in ("POST", "DELETE") else None
    json_4xx(f"{method} {path}", request(port, method, path, body, AUTH))
head = raw(port, b"HEAD /%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", head_only=True)
check("HEAD /%ff", head is not None and 400 <= head.status < 500, repr(head))
json_4xx("a raw 0xff byte in the path",
         raw(port, b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
for name, header in [("Origin", b"Origin: http://\xff\xfe.example\r\n"),
                     ("User-Agent", b"User-Agent: \xc0\xaf\xff\r\n"),
                     ("Idempotency-Key", b"Idempotency-Key: \xff\r\n")]:
    body = b'{"text": "hallo"}'
    answer = raw(port, b"POST /v1/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                 header + b"Content-Type: application/json\r\nContent-Length: " +
                 str(len(body)).encode() + b"\r\n\r\n" + body)
    ok = answer is not None and answer.status != 500 and answer.json() is not None
    check(f"invalid UTF-8 in {name}", ok, repr(answer))
bad_bodies = {
    "invalid UTF-8": b'{"text": "\xff\xfe"}',
    "a lone surrogate": b'{"text": "\\ud800"}',
    "an overflowing number": b'{"text": "hallo", "x": 1e999}',
    "not an object": b"[1, 2]",
    "truncated": b'{"text": "hal',
    "a NUL byte": b'{"text": "a\x00b"}',
    "text a number": b'{"text": 12}',
}
for name, body in {  # valid JSON, if odd: any answer but a crash or a 500
        "a huge integer": b'{"text": "hallo", "x": 123456789012345678901234567890}',
        "deep nesting": b'{"x": ' + b"[" * 20000 + b"]" * 20000 + b"}"}.items():
    for path in ("/v1/chat", "/v1/route"):
        a = request(port, "POST", path, body)
        check(f"{path} with {name}", a is not None and a.status < 500 and a.json() is not None,
              repr(a))
for name, body in bad_bodies.items():
    json_4xx(f"chat with {name}", request(port, "POST", "/v1/chat", body))
    json_4xx(f"route with {name}", request(port, "POST", "/v1/route", body))
for name, body in {
    "hold_id past int64": {"hold_id": "9223372036854775808", "name": "A B",
                           "email": "a@example.org"},
    "hold_id a number": {"hold_id": 12, "name": "A B", "email": "a@example.org"},
    "people 1e999": b'{"product": "loket.residence_card", "location": "stadskantoor", '
                    b'"start": "2026-12-02T09:15:00+01:00", "name": "A B", '
                    b'"email": "a@example.org", "people": 1e999}',
    "people -1": {"product": "loket.residence_card", "location": "stadskantoor",
                  "start": "2026-12-02T09:15:00+01:00", "name": "A B",
                  "email": "a@example.org", "people": -1},
}.items():
    json_4xx(f"booking with {name}", request(port, "POST", "/v1/bookings", body, AUTH))
json_4xx("hold with people 1e999", request(
    port, "POST", "/v1/holds", b'{"product": "loket.residence_card", "location": '
    b'"stadskantoor", "start": "2026-12-02T09:15:00+01:00", "people": 1e999}', AUTH))
check("the same process is still serving", svc.alive() and svc.pid == pid)
check("an overflowing number is not written to the log", "1e999" not in svc.read_log())

# --- 3. Limits on bodies and headers ----------------------------------------
def chunked_post(path, total, chunk=65536):
    """Sends `total` bytes chunked from a thread; returns the answer."""
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              "Transfer-Encoding: chunked\r\n\r\n".encode())

    def send():
        piece = b"%x\r\n" % chunk + b"a" * chunk + b"\r\n"
        try:
            for _ in range(total // chunk):
                s.sendall(piece)
            s.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the service stopped reading: what it should do
    sender = threading.Thread(target=send)
    sender.start()
    try:
        answer = read_answer(s)
    except OSError:
        answer = None
    s.close()
    sender.join()
    return answer


rss_before = svc.rss_kib()
started = time.time()
answer = chunked_post("/v1/chat", 64 << 20)
json_4xx("a 64 MiB chunked chat body", answer, {"too_large"})
check("413 for a chunked body", answer is not None and answer.status == 413, repr(answer))
check("the chunked body is not read to its end", time.time() - started < 5)
for method, path in [("POST", "/nowhere"), ("DELETE", "/v1/bookings/ABCD-EFGH?email=a@b.be"),
                     ("PUT", "/v1/chat")]:
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
              "\r\n".encode() + (b"10000\r\n" + b"b" * 65536 + b"\r\n") * 4 + b"0\r\n\r\n")
    answer = read_answer(s)
    s.close()
    json_4xx(f"a 256 KiB chunked body to {method} {path}", answer)
bomb = gzip.compress(b'{"text": "' + b"a" * (50 << 20) + b'"}')
answer = raw(port, b"POST /v1/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
             b"Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: " +
             str(len(bomb)).encode() + b"\r\n\r\n" + bomb)
json_4xx(f"a {len(bomb) // 1024} KiB gzip body of 50 MiB", answer, {"too_large"})
plain = json.dumps({"text": "x" * 100_000}).encode()
json_4xx("a 100 KB body", request(port, "POST", "/v1/chat", plain), {"too_large"})
many = b"".join(b"X-Filler-%d: %d\r\n" % (i, i) for i in range(5000))
answer = raw(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + many + b"\r\n")
check("5,000 headers get a JSON 431", answer is not None and answer.status == 431
      and answer.error_code() == "headers_too_large", repr(answer))
big = b"X-Big: " + b"b" * 7000 + b"\r\n"
answer = raw(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + big * 6 + b"\r\n")
check("42 KB of headers get a JSON 431", answer is not None and answer.status == 431, repr(answer))
rss_after = svc.rss_kib()
check("memory stays bounded under large bodies", rss_after - rss_before < 64 * 1024,
      f"{rss_before} -> {rss_after} KiB")
# httplib (0.11) reads every header line before a handler can refuse them:
# the memory that took must go back to the system once the request is over.
lots = b"".join(b"X-Filler-%d: %d\r\n" % (i, i) for i in range(300_000))
before = svc.rss_kib()
answer = raw(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + lots + b"\r\n",
             timeout=60)
check("300,000 headers get a 431", answer is not None and answer.status == 431, repr(answer))
deadline = time.time() + 20
while svc.rss_kib() > before + 16 * 1024 and time.time() < deadline:
    time.sleep(0.5)
check("... and the memory they took is given back", svc.rss_kib() <= before + 16 * 1024,
      f"{before} -> {svc.rss_kib()} KiB")
check("still the same process", svc.alive() and svc.pid == pid)

# --- 5. Idle and slow clients do not take the service -----------------------
idle = []
for _ in range(200):
    idle.append(socket.create_connection(("127.0.0.1", port)))
stop_slow = threading.Event()


def slowloris():
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    try:
        while not stop_slow.wait(0.5):
            s.sendall(b"a")
    except OSError:
        pass
    s.close()


slow = [threading.Thread(target=slowloris) for _ in range(40)]
for t in slow:
    t.start()
time.sleep(1.0)
started = time.time()
answer = request(port, "GET", "/healthz", timeout=5)
health_s = time.time() - started
check("/healthz within a second beside 240 idle or slow connections",
      answer is not None and answer.status == 200 and health_s < 1.0, f"{health_s:.2f}s {answer}")
started = time.time()
answer = request(port, "POST", "/v1/chat", {"text": "hallo"}, timeout=5)
chat_s = time.time() - started
check("a new chat within a second beside them", answer is not None and answer.status == 200
      and chat_s < 1.0, f"{chat_s:.2f}s {answer}")
stop_slow.set()
for t in slow:
    t.join()
for s in idle:
    s.close()

# --- 6. Holds: per session, per client, in all; staff see and release -------
def chat_to_slots(source="127.0.0.1", text="De chip van mijn verblijfskaart werkt niet meer",
                  forwarded=None, to_port=None):
    """A conversation up to the list of times; returns (session id, slot choices)."""
    def send(body):
        s = socket.create_connection(("127.0.0.1", to_port or port), source_address=(source, 0))
        data = json.dumps(body).encode()
        extra = b"X-Forwarded-For: %s\r\n" % forwarded.encode() if forwarded else b""
        s.sendall(b"POST /v1/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra +
                  b"Content-Type: application/json\r\nContent-Length: " + str(len(data)).encode()
                  + b"\r\n\r\n" + data)
        a = read_answer(s)
        s.close()
        return a.json()
    r = send({"text": text, "locale": "nl"})
    sid = r["session_id"]
    for choice in ("yes", "book", "location.stadskantoor", "people.4"):
        r = send({"session_id": sid, "choice": choice})
    slots = [c["id"] for m in r["messages"] for c in m.get("choices", [])
             if c["id"].startswith("slot.")]
    return sid, slots, send


def active_holds(session_filter=None):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT count(*) FROM bookings WHERE status = 'held' AND "
                         "hold_expires_ms > strftime('%s', '2026-12-01T08:00:00') * 1000"
                         ).fetchone()[0]


sid, slots, send = chat_to_slots()
r = send({"session_id": sid, "choice": slots[0]})
check("a time is held", r["state"] == "booking.name", str(r)[:300])
held = active_holds()
for i in range(3):  # choosing again and again keeps one hold for the session
    send({"session_id": sid, "text": "terug"})
    r = send({"session_id": sid, "choice": slots[i + 1]})
check("one session holds one slot set at a time", active_holds() == held, str(active_holds()))

refused = 0
for i in range(14):
    s_id, s_slots, s_send = chat_to_slots()
    r = s_send({"session_id": s_id, "choice": s_slots[0]})
    if r["state"] != "booking.name":
        refused += 1
        text = " ".join(m["text"] for m in r["messages"])
check("one client address gets a polite refusal past its hold limit", refused >= 3,
      f"{refused} refused of 14")
check("the refusal says to try again shortly",
      refused > 0 and ("minu" in text), text if refused else "")
check("holds of one address stay at the limit", active_holds() <= 10, str(active_holds()))
s_id, s_slots, s_send = chat_to_slots(source="127.0.0.2")
r = s_send({"session_id": s_id, "choice": s_slots[0]})
check("another address may still hold", r["state"] == "booking.name", str(r)[:300])

# X-Forwarded-For is ignored from a client that is no trusted proxy ...
s_id, s_slots, s_send = chat_to_slots(forwarded="10.1.2.3")
r = s_send({"session_id": s_id, "choice": s_slots[0]})
check("X-Forwarded-For from an untrusted client does not escape its limit",
      r["state"] != "booking.name", str(r)[:300])
# ... and names the client behind a trusted one (its own budget).
proxied = Service(BIN, os.path.join(tmp, "proxied.db"),
                  extra=["--now", NOW, "--trusted-proxy", "127.0.0.3", "--holds-per-client", "2"])
states = []
for who in ("198.51.100.7", "198.51.100.7", "198.51.100.7", "198.51.100.8"):
    s_id, s_slots, s_send = chat_to_slots(source="127.0.0.3", forwarded="10.0.0.1, " + who,
                                          to_port=proxied.port)
    states.append(s_send({"session_id": s_id, "choice": s_slots[0]})["state"])
check("behind a trusted proxy each forwarded client has its own limit",
      states == ["booking.name", "booking.name", "booking.slot", "booking.name"], str(states))
proxied.stop()

listing = request(port, "GET", "/v1/holds", headers=AUTH)
holds = (listing.json() or {}).get("holds", []) if listing else []
check("staff list the holds", listing is not None and listing.status == 200
      and len(holds) == active_holds(), repr(listing))
check("hold ids are opaque", holds and all(len(h["hold_id"]) >= 20 and not h["hold_id"].isdigit()
                                           for h in holds), str(holds[:2]))
check("the list is not cached", listing is not None
      and listing.headers.get("cache-control") == "no-store")
if holds:
    gone = request(port, "DELETE", f"/v1/holds/{holds[0]['hold_id']}", headers=AUTH)
    check("staff release a hold", gone is not None and gone.status == 200, repr(gone))
    check("a released hold is gone", active_holds() == len(holds) - 1)
json_4xx("a hold list without the key", request(port, "GET", "/v1/holds"), {"unauthorized"})

# --- 7. Idempotency keys ----------------------------------------------------
slots = request(port, "GET", "/v1/slots?product=infopunt.work&location=stadskantoor"
                "&from=2026-12-07&days=5", headers=AUTH).json()["slots"]
first = {"product": "infopunt.work", "location": "stadskantoor", "start": slots[0]["start"],
         "name": "Ana Idem", "email": "ana@example.org"}
one = request(port, "POST", "/v1/bookings", first, {**AUTH, "Idempotency-Key": "k-1"})
again = request(port, "POST", "/v1/bookings", first, {**AUTH, "Idempotency-Key": "k-1"})
check("a retry returns the first booking", one.status == 201 and again.status == 201
      and one.json()["code"] == again.json()["code"], f"{one} {again}")
other = dict(first, start=slots[1]["start"], email="bob@example.org", name="Bob Idem")
reused = request(port, "POST", "/v1/bookings", other, {**AUTH, "Idempotency-Key": "k-1"})
json_4xx("the same key with another body", reused, {"idempotency_key_reused"})
check("... is a 422", reused is not None and reused.status == 422, repr(reused))

# --- 10. Smaller points -----------------------------------------------------
code = one.json()["code"]
for path in (f"/v1/bookings/{code}?email=ana@example.org",
             f"/v1/bookings/{code}.ics?email=ana@example.org"):
    a = request(port, "GET", path, headers=AUTH)
    check(f"GET {path.split('?')[0]} is not cached",
          a.status == 200 and a.headers.get("cache-control") == "no-store", repr(a))
forged = raw(port, b"POST /v1/chat HTTP/1.1\r\nHost: evil.example\r\nOrigin: http://evil.example"
             b"\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
             b"\r\n{}")
json_4xx("an Origin that only matches a forged Host", forged, {"origin_not_allowed"})
own = raw(port, b"POST /v1/chat HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nOrigin: http://127.0.0.1:%d"
          b"\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 17\r\n"
          b"\r\n{\"text\": \"hallo\"}" % (port, port))
check("the service's own origin may", own is not None and own.status == 200, repr(own))

check("the process never restarted", svc.alive() and svc.pid == pid)
svc.stop()
check.finish()

#!/usr/bin/env python3
"""Benchmark of a messaging channel (WhatsApp or Telegram): 100 conversations
at once (or as many as asked), each sending its messages one after the other
(as a person does), through authenticated webhook calls to the real
`wegwijs serve`, with replies going out through the outbox to the fake
platform on loopback (tests/support/fake_platform.py).

Reports, for the same run: the webhook's acknowledgement (request to 200)
p50/p99, and end to end (request sent to the first reply taken by the fake
platform) p50/p99. Figures are this machine's; compare them within one run.

The fake platform answers at once unless --latency gives it a delay such as
a real API's round trip (try 0.1); --send-parallel is passed to the service.

usage: bench/channels.py build/wegwijs [whatsapp|telegram, default whatsapp]
                                      [messages per conversation, default 5]
                                      [conversations at once, default 100]
                                      [--latency SECONDS] [--send-parallel N]"""
import concurrent.futures
import hashlib
import hmac
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "support"))
from fake_platform import FakePlatform  # noqa: E402
from service import Service  # noqa: E402


def option(name, default):
    if name in sys.argv:
        i = sys.argv.index(name)
        value = sys.argv[i + 1]
        del sys.argv[i:i + 2]
        return value
    return default


LATENCY = float(option("--latency", "0"))
PARALLEL = option("--send-parallel", None)
BIN = os.path.abspath(sys.argv[1])
CHANNEL = sys.argv[2] if len(sys.argv) > 2 else "whatsapp"
PER = int(sys.argv[3]) if len(sys.argv) > 3 else 5
USERS = int(sys.argv[4]) if len(sys.argv) > 4 else 100
SECRET, TOKEN = "bench-secret", "123:bench-token"
LINES = ["Hallo", "Mijn verblijfskaart is vervallen", "ja", "Ik wil een afspraak", "dank je"]


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def whatsapp(i, n):
    """The user's address, and the signed webhook call of their n-th message."""
    wa = f"3248{i:07d}"
    body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"phone_number_id": "106540352242922"},
            "messages": [{"from": wa, "id": f"wamid.bench.{i}.{n}", "type": "text",
                          "timestamp": "1", "text": {"body": LINES[n % len(LINES)]}}]}}]}]}).encode()
    sig = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return wa, body, {"X-Hub-Signature-256": sig}


def telegram(i, n):
    chat = 900000 + i
    body = json.dumps({"update_id": i * 1000 + n, "message": {
        "message_id": n + 1, "date": 1, "text": LINES[n % len(LINES)],
        "from": {"id": chat, "is_bot": False, "first_name": "B"},
        "chat": {"id": chat, "type": "private", "first_name": "B"}}}).encode()
    return str(chat), body, {"X-Telegram-Bot-Api-Secret-Token": SECRET}


CHANNELS = {
    "whatsapp": (whatsapp, {"WEGWIJS_WHATSAPP_APP_SECRET": SECRET, "WEGWIJS_WHATSAPP_TOKEN": TOKEN,
                            "WEGWIJS_WHATSAPP_VERIFY_TOKEN": "x"}),
    "telegram": (telegram, {"WEGWIJS_TELEGRAM_SECRET": SECRET, "WEGWIJS_TELEGRAM_TOKEN": TOKEN}),
}


def main():
    request_of, env = CHANNELS[CHANNEL]
    platform = FakePlatform(token=TOKEN)
    platform.latency = LATENCY
    arrived = {}  # (user, n-th reply) -> time the platform took it
    lock = threading.Lock()
    class Recording(list):
        def append(self, item):
            super().append(item)
            to = item[1].get("to", str(item[1].get("chat_id")))
            with lock:
                k = sum(1 for key in arrived if key[0] == to)
                arrived[(to, k)] = time.perf_counter()

    platform.sent = Recording()
    tmp = tempfile.mkdtemp(prefix="wegwijs-bench-channel-")
    svc = Service(BIN, os.path.join(tmp, "b.db"),
                  [f"--{CHANNEL}-api-base", platform.url, "--holds-per-client", "100000",
                   "--holds-per-minute", "1000000",
                   *(["--send-parallel", PARALLEL] if PARALLEL else [])], env=env)
    acks, ends = [], []
    try:
        def conversation(i):
            for n in range(PER):
                wa, body, auth = request_of(i, n)
                with lock:
                    before = sum(1 for key in arrived if key[0] == wa)
                req = urllib.request.Request(f"{svc.url}/v1/channels/{CHANNEL}", data=body,
                                             headers={"Content-Type": "application/json", **auth})
                t0 = time.perf_counter()
                with urllib.request.urlopen(req, timeout=30) as r:
                    r.read()
                acks.append(time.perf_counter() - t0)
                deadline = time.time() + 30
                while time.time() < deadline:
                    with lock:
                        at = arrived.get((wa, before))
                    if at:
                        ends.append(at - t0)
                        break
                    time.sleep(0.002)

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(USERS) as pool:
            list(pool.map(conversation, range(USERS)))
        wall = time.perf_counter() - started
    finally:
        svc.stop()
        platform.stop()
    ms = lambda v: f"{v * 1000:.1f} ms"  # noqa: E731
    print(f"{CHANNEL}, platform latency {LATENCY * 1000:.0f} ms, send-parallel "
          f"{PARALLEL or 'default'}, machine: {os.cpu_count()} cores; {USERS} conversations x "
          f"{PER} messages in {wall:.1f} s")
    print(f"webhook acknowledgement: p50 {ms(statistics.median(acks))}, p99 {ms(pct(acks, 99))}")
    print(f"end to end (webhook -> first reply at the platform): p50 {ms(statistics.median(ends))}, "
          f"p99 {ms(pct(ends, 99))} ({len(ends)} of {len(acks)} measured)")
    print(f"end to end / acknowledgement, p50: {statistics.median(ends) / statistics.median(acks):.1f}x")


if __name__ == "__main__":
    main()

"""A fake messaging platform on loopback for the channel tests: a real HTTP
server that takes the WhatsApp Cloud API's POST /<phone number id>/messages
and the Telegram Bot API's POST /bot<token>/sendMessage and
/answerCallbackQuery, checks every request's shape and the platform's limits
(recording each breach), records what it was sent, and answers as Meta and
Telegram do (a message id), or with 429 or 500 when the test asks for them."""
import http.server
import itertools
import json
import os
import threading
import time

LIMITS = {"buttons": 3, "button_title": 20, "rows": 10, "row_title": 24, "row_description": 72,
          "section_title": 24, "list_button": 20, "button_body": 1024, "text": 4096}


def check_whatsapp(body):
    """The breaches of WhatsApp's rules in one request body."""
    bad = []
    if body.get("messaging_product") != "whatsapp":
        bad.append("messaging_product")
    if not body.get("to"):
        bad.append("no recipient")
    kind = body.get("type")
    if kind == "text":
        text = body.get("text", {}).get("body", "")
        if not text or len(text) > LIMITS["text"]:
            bad.append(f"text body of {len(text)}")
    elif kind == "interactive":
        i = body.get("interactive", {})
        text = i.get("body", {}).get("text", "")
        if i.get("type") == "button":
            buttons = i.get("action", {}).get("buttons", [])
            if not 1 <= len(buttons) <= LIMITS["buttons"]:
                bad.append(f"{len(buttons)} buttons")
            if len(text) > LIMITS["button_body"] or not text:
                bad.append(f"button body of {len(text)}")
            for b in buttons:
                r = b.get("reply", {})
                if b.get("type") != "reply" or not r.get("id") or not r.get("title"):
                    bad.append("button shape")
                if len(r.get("title", "")) > LIMITS["button_title"]:
                    bad.append("button title " + r.get("title", ""))
            ids = [b.get("reply", {}).get("id") for b in buttons]
            if len(set(ids)) != len(ids):
                bad.append("button ids repeat")
        elif i.get("type") == "list":
            action = i.get("action", {})
            if not action.get("button") or len(action["button"]) > LIMITS["list_button"]:
                bad.append("list button")
            if len(text) > LIMITS["text"] or not text:
                bad.append(f"list body of {len(text)}")
            sections = action.get("sections", [])
            rows = [r for s in sections for r in s.get("rows", [])]
            if not 1 <= len(rows) <= LIMITS["rows"]:
                bad.append(f"{len(rows)} rows")
            if len(sections) > 1 and any(not s.get("title") for s in sections):
                bad.append("sections without titles")
            for s in sections:
                if len(s.get("title", "")) > LIMITS["section_title"]:
                    bad.append("section title " + s["title"])
            for r in rows:
                if not r.get("id") or not r.get("title"):
                    bad.append("row shape")
                if len(r.get("title", "")) > LIMITS["row_title"]:
                    bad.append("row title " + r["title"])
                if len(r.get("description", "")) > LIMITS["row_description"]:
                    bad.append("row description " + r["description"])
            ids = [r.get("id") for r in rows]
            if len(set(ids)) != len(ids):
                bad.append("row ids repeat")
        else:
            bad.append("interactive type " + str(i.get("type")))
    else:
        bad.append("type " + str(kind))
    return bad


TELEGRAM = {"text": 4096, "callback_data": 64}


def utf16_units(text):
    return len(text.encode("utf-16-le")) // 2


def check_telegram(method, body):
    """The breaches of the Bot API's rules in one request body."""
    bad = []
    if method == "answerCallbackQuery":
        if not isinstance(body.get("callback_query_id"), str) or not body["callback_query_id"]:
            bad.append("callback_query_id")
        return bad
    if method != "sendMessage":
        return ["method " + method]
    if not isinstance(body.get("chat_id"), int):
        bad.append("chat_id is not an integer")
    text = body.get("text", "")
    if not isinstance(text, str) or not text.strip() or utf16_units(text) > TELEGRAM["text"]:
        bad.append(f"text of {len(text)}")
    if "parse_mode" in body:
        bad.append("parse_mode: the texts are plain")
    markup = body.get("reply_markup")
    if markup is not None:
        rows = markup.get("inline_keyboard")
        if not isinstance(rows, list) or not rows:
            bad.append("inline_keyboard")
            return bad
        datas = []
        for row in rows:
            if not isinstance(row, list) or not row or len(row) > 8:
                bad.append("keyboard row")
                continue
            for b in row:
                if not isinstance(b.get("text"), str) or not b["text"].strip():
                    bad.append("button text")
                data = b.get("callback_data", "")
                if not 1 <= len(data.encode()) <= TELEGRAM["callback_data"]:
                    bad.append("callback_data " + data)
                datas.append(data)
        if len(set(datas)) != len(datas):
            bad.append("callback_data repeats")
    return bad


class FakePlatform:
    def __init__(self, port=0, token="test-access-token"):
        self.token = token
        self.sent = []  # (path, body) in the order taken
        self.breaches = []
        self.callbacks = []  # Telegram's answered callback query ids, in order
        self.answers = []  # statuses to give before the next successes (500, 429, ...)
        self.latency = 0.0  # seconds each answer takes, as a platform far away does
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        self.run_id = os.urandom(4).hex()  # ids stay unique across restarts, as Meta's are
        platform = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                if platform.latency:
                    time.sleep(platform.latency)
                with platform.lock:
                    if self.path.startswith("/bot"):
                        return self.telegram(raw)
                    if self.headers.get("Authorization") != "Bearer " + platform.token:
                        platform.breaches.append("authorization")
                        return self.answer(401, {"error": {"message": "bad token"}})
                    if platform.answers:
                        status = platform.answers.pop(0)
                        return self.answer(status, {"error": {"message": "try later"}})
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        platform.breaches.append("not JSON")
                        return self.answer(400, {"error": {"message": "not JSON"}})
                    if not self.path.endswith("/messages"):
                        platform.breaches.append("path " + self.path)
                    platform.breaches.extend(check_whatsapp(body))
                    mid = f"wamid.out.{platform.run_id}.{next(platform.ids)}"
                    platform.sent.append((self.path, body, mid))
                    return self.answer(200, {"messaging_product": "whatsapp",
                                             "contacts": [{"input": body.get("to"),
                                                           "wa_id": body.get("to")}],
                                             "messages": [{"id": mid}]})

            def telegram(self, raw):
                token, _, method = self.path[len("/bot"):].partition("/")
                if token != platform.token:
                    platform.breaches.append("telegram token")
                    return self.answer(401, {"ok": False, "error_code": 401,
                                             "description": "Unauthorized"})
                if platform.answers:
                    status = platform.answers.pop(0)
                    body = {"ok": False, "error_code": status,
                            "description": "Too Many Requests: retry after 1"
                            if status == 429 else "Internal Server Error"}
                    if status == 429:
                        body["parameters"] = {"retry_after": 1}
                    return self.answer(status, body)
                try:
                    body = json.loads(raw)
                except ValueError:
                    platform.breaches.append("not JSON")
                    return self.answer(400, {"ok": False, "error_code": 400,
                                             "description": "Bad Request"})
                platform.breaches.extend(check_telegram(method, body))
                if method == "answerCallbackQuery":
                    platform.callbacks.append(body.get("callback_query_id"))
                    platform.sent.append((self.path, body, None))
                    return self.answer(200, {"ok": True, "result": True})
                n = next(platform.ids)
                mid = f"{body.get('chat_id')}:{n}"
                platform.sent.append((self.path, body, mid))
                return self.answer(200, {"ok": True, "result": {
                    "message_id": n, "date": 1764576000, "text": body.get("text"),
                    "chat": {"id": body.get("chat_id"), "type": "private"}}})

            def answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def to(self, recipient):
        with self.lock:
            return [(b, mid) for (_, b, mid) in self.sent
                    if b.get("to", str(b.get("chat_id"))) == str(recipient)]

    def new_messages(self, recipient, seen, timeout=15):
        """The messages sent to recipient after the first `seen`, once no more
        have come for 0.3 s (or at the timeout)."""
        deadline = time.time() + timeout
        last, stable = -1, 0
        while time.time() < deadline:
            n = len(self.to(recipient))
            if n > seen and n == last:
                stable += 1
                if stable >= 3:
                    break
            else:
                stable = 0
            last = n
            time.sleep(0.1)
        return [b for b, _ in self.to(recipient)[seen:]]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

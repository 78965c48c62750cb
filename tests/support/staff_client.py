"""The staff area as a browser and a clerk's command line use it, for tests:
the `wegwijs staff` command, a client with one cookie and its CSRF token,
and the web chat that makes the conversations staff review."""
import json
import subprocess
import urllib.error
import urllib.request

# The clock the staff tests start the service at, and their accounts' passwords.
NOW = "2026-12-01T09:00:00+01:00"
ADMIN_PW = "correct horse battery staple"
REVIEWER_PW = "a reviewer's passphrase"


def staff_cmd(binary, db, *args, stdin=""):
    return subprocess.run([binary, "staff", *args, "--db", db], input=stdin.encode(),
                          capture_output=True, timeout=60)


class Client:
    """A browser's view of the staff API: a cookie jar of one cookie."""

    def __init__(self, svc):
        self.svc, self.cookie, self.csrf = svc, None, None

    def call(self, method, path, body=None, headers=None, csrf=True):
        h = {"Accept": "application/json", **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if self.cookie:
            h["Cookie"] = "wegwijs_staff=" + self.cookie
        if csrf and self.csrf and method != "GET":
            h["X-CSRF-Token"] = self.csrf
        req = urllib.request.Request(self.svc.url + path, data=data, headers=h, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, dict(r.headers), json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {"raw": raw.decode("utf-8", "replace")}
            return e.code, dict(e.headers), body

    def raw(self, path):
        """A GET whose answer is a file: (status, headers, bytes)."""
        h = {"Cookie": "wegwijs_staff=" + self.cookie} if self.cookie else {}
        req = urllib.request.Request(self.svc.url + path, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def raw_post(self, path, body):
        """A POST whose answer is a file: (status, headers, bytes)."""
        h = {"Content-Type": "application/json", "X-CSRF-Token": self.csrf or "",
             "Cookie": "wegwijs_staff=" + (self.cookie or "")}
        req = urllib.request.Request(self.svc.url + path, data=json.dumps(body).encode(),
                                     headers=h, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def login(self, name, password, headers=None):
        status, h, body = self.call("POST", "/v1/staff/login", {"name": name, "password": password},
                                    headers=headers)
        if status == 200:
            cookie = h.get("Set-Cookie", "")
            self.cookie = cookie.split(";")[0].split("=", 1)[1]
            self.csrf = body["csrf"]
        return status, h, body


def chat(svc, body):
    req = urllib.request.Request(svc.url + "/v1/chat", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def book(svc, problem, name, email, phone):
    """A whole booking in the web chat; the session id."""
    r = chat(svc, {"text": problem})
    sid = r["session_id"]
    for step in [{"choice": "yes"}, {"choice": "book"}]:
        r = chat(svc, {"session_id": sid, **step})
    ids = [c["id"] for m in r["messages"] for c in m.get("choices", [])]
    loc = next((i for i in ids if i.startswith("location.")), None)
    if loc:
        r = chat(svc, {"session_id": sid, "choice": loc})
    for words in ["1", "woensdag om 10:30", name, email, phone, "ja"]:
        r = chat(svc, {"session_id": sid, "text": words})
    return sid, r

"""The real `wegwijs serve` as a child process on a free port, and a bare
HTTP/1.1 client for requests no polite library would send (bytes that are
not UTF-8, bodies chunked or compressed, thousands of headers).

Used by the Python tests beside this folder: they talk to the service the way
clients on the network do, over a real TCP port."""
import datetime
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """`wegwijs serve`; its standard error goes to a file the test reads."""

    def __init__(self, binary, db, extra=(), env=None, log=None, port=None):
        self.port = port or free_port()
        self.extra = list(extra)
        self.started = time.time()
        self.log_path = log or db + ".log"
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [binary, "serve", "--port", str(self.port), "--db", db, "--data", ROOT, *extra],
            stdout=subprocess.DEVNULL, stderr=self.log, env={**os.environ, **(env or {})})
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1):
                    return
            except urllib.error.HTTPError:
                return  # it answers (a degraded store is still an answer)
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("the service died at start: " + self.read_log())
                time.sleep(0.05)
        raise RuntimeError("the service did not become ready")

    def clock(self):
        """The time the service's clock shows now, as --now takes it: a
        service started with --now runs on from there, so a test that starts
        it again passes this, or the clock would go back (and work the first
        one set for later would wait for as long as that one ran)."""
        if "--now" not in self.extra:
            return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        start = datetime.datetime.fromisoformat(self.extra[self.extra.index("--now") + 1])
        return (start + datetime.timedelta(seconds=time.time() - self.started + 1)).isoformat(
            timespec="seconds")

    def args_going_on(self):
        """Its options, with --now where its clock is now (see clock())."""
        if "--now" not in self.extra:
            return list(self.extra)
        args = list(self.extra)
        args[args.index("--now") + 1] = self.clock()
        return args

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def read_log(self):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def rss_kib(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.log.close()

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case name -> value
        self.body = body

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def error_code(self):
        j = self.json()
        if isinstance(j, dict) and isinstance(j.get("error"), dict):
            e = j["error"]
            if isinstance(e.get("code"), str) and isinstance(e.get("message"), str):
                return e["code"]
        return None

    def __repr__(self):
        return f"<{self.status} {self.body[:200]!r}>"


def read_answer(sock, head_only=False):
    """Reads one HTTP/1.1 response; None when the peer closed first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = 0 if head_only else int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return Answer(status, headers, rest[:length])


def raw(port, request, timeout=10, head_only=False):
    """Sends bytes as they are and reads one answer (None: closed unanswered)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(request)
            return read_answer(s, head_only)
    except OSError:  # refused, reset, timed out: no answer
        return None


def request(port, method, path, body=None, headers=None, timeout=10):
    """A well-formed request with a JSON body (bytes or an object)."""
    if body is not None and not isinstance(body, bytes):
        body = json.dumps(body).encode()
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
    for name, value in (headers or {}).items():
        head += f"{name}: {value}\r\n"
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return raw(port, head.encode() + b"\r\n" + (body or b""), timeout)

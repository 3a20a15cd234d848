"""Reusable helpers for end-to-end tests against the real sseccoe-registry.

Standard library only. Binaries come from $SSECCOE_BUILD_DIR/bin, sources
(docs/openapi.yaml, tools/) from $SSECCOE_SOURCE_DIR.

- free_port(): a loopback TCP port nobody listens on right now.
- make_token(institution): runs `sseccoe-registry token new` and returns the
  token and the [[institution]] block it printed.
- HttpClient / Response: a small urllib client that never raises on an HTTP
  status, never uses proxies, and parses JSON answers.
- Registry: a throw-away registry (temporary state, tokens for INM and SAT,
  port 0) as a context manager, restartable on the same state.
- PrismProxy: Stoplight Prism in `proxy --errors` mode in front of an
  upstream, to check real traffic against docs/openapi.yaml.
- require_tools(): skip when tools/node_modules is missing, fail under CI.
"""
import hashlib
import json
import os
import queue
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD_DIR = os.path.abspath(os.environ.get("SSECCOE_BUILD_DIR", os.path.join(HERE, "..", "..", "build")))
SOURCE_DIR = os.path.abspath(os.environ.get("SSECCOE_SOURCE_DIR", os.path.join(HERE, "..", "..")))
BIN_DIR = os.path.join(BUILD_DIR, "bin")
REGISTRY_BIN = os.path.join(BIN_DIR, "sseccoe-registry")
OPENAPI = os.path.join(SOURCE_DIR, "docs", "openapi.yaml")
TOOLS_BIN = os.path.join(SOURCE_DIR, "tools", "node_modules", ".bin")
API = "/api/v1"

# How long a process may take to come up before a test gives up. Generous:
# the machine is shared and may be busy compiling.
START_TIMEOUT = 60


def free_port():
    """A loopback port that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def toml_str(s):
    """A TOML basic string (JSON string syntax is a subset of it)."""
    return json.dumps(str(s), ensure_ascii=False)


def make_token(institution, binary=REGISTRY_BIN):
    """Runs `token new INSTITUTION`; returns (token, toml_block)."""
    proc = subprocess.run([binary, "token", "new", institution], capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        raise AssertionError(f"token new {institution} failed ({proc.returncode}): {proc.stderr}")
    lines = proc.stdout.splitlines()
    return lines[0], "\n".join(lines[1:]) + "\n"


class Response:
    """An HTTP answer: status, headers (case-insensitive), raw body, JSON."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def json(self):
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def __repr__(self):
        text = self.body[:2000].decode("utf-8", "replace") if self.body else ""
        return f"<HTTP {self.status} {text}>"


class HttpClient:
    """urllib without proxies and without exceptions for HTTP statuses.

    `base` is the API root (".../api/v1"); paths starting with "http" are
    used as they are. `token` goes into Authorization: Bearer.
    """

    def __init__(self, base, token=None, timeout=60, ssl_context=None):
        self.base = base.rstrip("/")
        self.token = token
        self.timeout = timeout
        handlers = [urllib.request.ProxyHandler({})]
        if ssl_context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=ssl_context))
        self._opener = urllib.request.build_opener(*handlers)

    def request(self, method, path, body=None, headers=None, content_type=None, token=...):
        """body: bytes, str, a JSON-able dict/list, or an iterable of bytes
        (sent chunked, without Content-Length)."""
        url = path if path.startswith("http") else self.base + path
        hdrs = dict(headers or {})
        tok = self.token if token is ... else token
        if tok is not None:
            hdrs.setdefault("Authorization", f"Bearer {tok}")
        data = body
        if isinstance(body, (dict, list)):
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            content_type = content_type or "application/json"
        elif isinstance(body, str):
            data = body.encode("utf-8")
        if content_type is not None:
            hdrs["Content-Type"] = content_type
        req = urllib.request.Request(url, data=data, headers=hdrs, method=method)
        try:
            with self._opener.open(req, timeout=self.timeout) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            with e:
                return Response(e.code, e.headers, e.read())

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def head(self, path, **kw):
        return self.request("HEAD", path, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def put_file(self, data, sha=None, content_type="application/octet-stream"):
        return self.put(f"/files/{sha or sha256_hex(data)}", data, content_type=content_type)

    def put_record(self, record, record_id=None):
        return self.put(f"/evidence/{record_id or record['id']}", record)


def _wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _port_open(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


class Registry:
    """A temporary reference registry.

    with Registry() as reg:
        reg.client("INM").put_file(b"...")
        status, body = reg.get("/evidence/ev-...", institution="INM")

    The state (registry.db, files/) lives in `root`; stop() and start() (or
    restart()) keep it. Logs go to `log_path`. Without `catalog_dir` the
    registry uses its default, the catalogs the build copied beside the
    binary (build/share/sseccoe-agent/catalog).
    """

    def __init__(self, institutions=("INM", "SAT"), limits=None, catalog_dir=None, server=None,
                 root=None, extra_config=""):
        self._own_root = root is None
        self.root = root or tempfile.mkdtemp(prefix="sseccoe-registry-")
        self.state_dir = os.path.join(self.root, "state")
        self.config_path = os.path.join(self.root, "registry.toml")
        self.log_path = os.path.join(self.root, "registry.log")
        self.institutions = list(institutions)
        self.limits = dict(limits or {})
        self.server = dict(server or {})
        self.catalog_dir = catalog_dir
        self.extra_config = extra_config
        self.proc = None
        self.port = None
        self.scheme = "http"
        self._tokens = {}
        self._blocks = {}
        self._lines = queue.Queue()

    # -- configuration ---------------------------------------------------

    def token(self, institution):
        return self._tokens[institution]

    def token_file(self, institution):
        path = os.path.join(self.root, f"{institution}.token")
        if not os.path.exists(path):
            with open(path, "w", encoding="ascii") as f:
                f.write(self.token(institution) + "\n")
            os.chmod(path, 0o600)
        return path

    def write_config(self):
        blocks = []
        for inst in self.institutions:
            if inst not in self._tokens:
                self._tokens[inst], self._blocks[inst] = make_token(inst)
            blocks.append(self._blocks[inst])
        server = {"listen": "127.0.0.1:0", **self.server}
        text = "[server]\n" + "".join(f"{k} = {self._toml(v)}\n" for k, v in server.items())
        text += f"\n[storage]\nbackend = \"sqlite\"\npath = {toml_str(self.state_dir)}\n"
        if self.limits:
            text += "\n[limits]\n" + "".join(f"{k} = {self._toml(v)}\n" for k, v in self.limits.items())
        if self.catalog_dir:
            text += f"\n[catalog]\ndir = {toml_str(self.catalog_dir)}\n"
        text += "\n[log]\nlevel = \"debug\"\n"
        text += self.extra_config
        text += "\n" + "\n".join(blocks)
        with open(self.config_path, "w", encoding="utf-8") as f:
            f.write(text)
        return text

    @staticmethod
    def _toml(v):
        return str(v).lower() if isinstance(v, bool) else (str(v) if isinstance(v, int) else toml_str(v))

    # -- process ---------------------------------------------------------

    def start(self):
        if not self._tokens:
            self.write_config()
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen([REGISTRY_BIN, "--config", self.config_path, "serve"],
                                         stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL)
        finally:
            log.close()
        self._lines = queue.Queue()
        threading.Thread(target=self._pump, args=(self.proc, self._lines), daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.stop()
                raise AssertionError(f"sseccoe-registry printed no 'listening on' line:\n{self.log()}")
            if line is None:
                raise AssertionError(f"sseccoe-registry exited with {self.proc.wait()}:\n{self.log()}")
            if line.startswith("listening on "):
                address = line[len("listening on "):].strip()
                self.scheme, rest = address.split("://", 1)
                self.port = int(rest.rsplit(":", 1)[1])
                break
        if self.scheme == "http":
            _wait_for(lambda: self.client().get("/health").status == 200, START_TIMEOUT, "/api/v1/health")
        return self

    @staticmethod
    def _pump(proc, lines):
        for raw in proc.stdout:
            lines.put(raw.decode("utf-8", "replace"))
        lines.put(None)

    def stop(self, timeout=20):
        """SIGTERM, then SIGKILL after `timeout` seconds; returns the exit code."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout:
            proc.stdout.close()
        return proc.returncode

    def restart(self):
        code = self.stop()
        self.start()
        return code

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    # -- HTTP ------------------------------------------------------------

    @property
    def base_url(self):
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def url(self):
        """The API root, as the agent's [registry] url wants it."""
        return self.base_url + API

    def client(self, institution=None, token=..., ssl_context=None):
        tok = token if token is not ... else (self._tokens[institution] if institution else None)
        return HttpClient(self.url, tok, ssl_context=ssl_context)

    def get(self, path, institution=None):
        """Shorthand: (status, parsed JSON) of GET /api/v1<path>."""
        r = self.client(institution).get(path)
        return r.status, r.json


def tools_missing():
    """Why the npm tools cannot run, or None when they can."""
    for tool in ("redocly", "prism"):
        if not os.access(os.path.join(TOOLS_BIN, tool), os.X_OK):
            return f"{TOOLS_BIN}/{tool} is missing: run scripts/deps.sh (or `cd tools && npm install`)"
    if shutil.which("node") is None:
        return "node is not installed (scripts/deps.sh installs it)"
    return None


def require_tools(testcase=None):
    """Skips the calling test when the npm tools are missing, except under CI
    (environment variable CI set), where a missing tool is a failure."""
    reason = tools_missing()
    if reason is None:
        return
    if os.environ.get("CI"):
        raise AssertionError(f"CI is set and the contract tools are missing: {reason}")
    raise unittest.SkipTest(reason)


class PrismProxy:
    """`prism proxy --errors SPEC UPSTREAM` on a free loopback port.

    with Registry() as reg, PrismProxy(reg.url) as prism:
        r = prism.client(reg.token("INM")).get("/programs/PAT-2021")
        assert not is_prism_error(r)

    Prism forwards each request to the upstream and checks both the request
    and the response against the spec; with --errors a violation becomes an
    error answer (422 for a request, 500 for a response) whose JSON body
    carries the validation errors, so a test only needs the status.
    """

    def __init__(self, upstream, spec=OPENAPI):
        self.upstream = upstream
        self.spec = spec
        self.port = None
        self.proc = None
        self.log_file = None

    def __enter__(self):
        require_tools()
        self.port = free_port()
        self.log_file = tempfile.NamedTemporaryFile(prefix="sseccoe-prism-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [os.path.join(TOOLS_BIN, "prism"), "proxy", "--errors", "-h", "127.0.0.1", "-p", str(self.port),
             self.spec, self.upstream],
            stdout=self.log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

        def up():
            if self.proc.poll() is not None:
                raise AssertionError(f"prism exited with {self.proc.returncode}:\n{self.log()}")
            return _port_open("127.0.0.1", self.port)

        _wait_for(up, START_TIMEOUT, "prism to listen")
        return self

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log_file:
            self.log_file.close()
            os.unlink(self.log_file.name)

    def log(self):
        with open(self.log_file.name, encoding="utf-8", errors="replace") as f:
            return f.read()

    @property
    def url(self):
        """Where to send requests. Prism serves the spec's paths at its root
        (it ignores the base path of `servers`) and forwards each to
        upstream + path, so the upstream is the API root (Registry.url) and
        this URL has no /api/v1."""
        return f"http://127.0.0.1:{self.port}"

    def client(self, token=None):
        return HttpClient(self.url, token)


def is_prism_error(resp):
    """True when the answer was made by Prism (a request or response that
    violates the spec, or a route the spec lacks), not by the upstream."""
    body = resp.json
    return isinstance(body, dict) and "stoplight.io/prism/errors" in str(body.get("type", ""))


def trust_context(cert_file):
    """An SSL context that trusts exactly `cert_file` (a test's self-signed CA)."""
    ctx = ssl.create_default_context(cafile=cert_file)
    return ctx

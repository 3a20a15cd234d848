#!/usr/bin/env python3
"""A fault-injecting HTTP/1.1 front between the agent and the registry.

Standard library only. It listens on 127.0.0.1 (a free port unless one is
given), answers every request on its own connection (`Connection: close`),
and for each request decides by seeded chance to:

  503       answer 503 with a JSON body, without forwarding
  429       answer 429 with Retry-After, in seconds or as an HTTP date
  reset     reset the connection (SO_LINGER 0) before forwarding anything
  stall     hold the connection a little longer than the agent's timeout,
            then close it, without forwarding
  truncate  forward, then send the answer's headers (full Content-Length)
            and only part of its body (or part of the headers when it has
            none), then close
  drop      forward, let the registry commit, then reset the connection
            without answering: the case only idempotent retries survive
  forward   pass the request through untouched

Decisions are a pure function of (seed, request number): request N under
seed S always gets the same fault, and every decision is logged as
`front seed=S req=N METHOD PATH -> FAULT`, so a failure can be replayed with
the same seed. Requests to /__front/ are answered by the front itself and
never faulted: GET /__front/stats (counters), PUT /__front/rates (a JSON
object of new rates, e.g. {"503": 0} or all zeros to stop faulting).

Bodies are streamed in both directions in fixed-size chunks, so memory does
not depend on the size of an uploaded file.

Use as a module:

    with FaultFront("http://127.0.0.1:8080", seed=7, rates={"503": 0.1}) as front:
        ... point the agent at front.url + "/api/v1" ...
        print(front.stats())

or as a script:

    python3 fault_front.py --upstream http://127.0.0.1:8080 --seed 7 \\
        --rates 503=0.1,429=0.05,reset=0.05,stall=0.01,truncate=0.05,drop=0.05 \\
        --stall 2.5 --stats-file stats.json
"""
import argparse
import email.utils
import http.client
import http.server
import json
import random
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse

FAULTS = ("503", "429", "reset", "stall", "truncate", "drop")
CHUNK = 64 * 1024
# Hop-by-hop headers (RFC 9110 7.6.1) are the front's business, not forwarded.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "proxy-connection"}
# Longest request line / header line / header count the front accepts; a
# longer one is answered 400 rather than read into memory.
MAX_LINE = 16 * 1024


def parse_rates(text):
    """'503=0.1,reset=0.05' -> {"503": 0.1, "reset": 0.05}; raises ValueError
    naming the bad part (unknown fault, not a number, outside [0, 1], or a
    total above 1)."""
    rates = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or name not in FAULTS:
            raise ValueError(f"bad rate {part!r}: expected FAULT=P with FAULT one of {', '.join(FAULTS)}")
        try:
            p = float(value)
        except ValueError:
            raise ValueError(f"bad rate {part!r}: {value!r} is not a number") from None
        rates[name] = p
    return check_rates(rates)


def check_rates(rates):
    out = {}
    for name, p in rates.items():
        if name not in FAULTS:
            raise ValueError(f"unknown fault {name!r}: expected one of {', '.join(FAULTS)}")
        if not isinstance(p, (int, float)) or isinstance(p, bool) or not 0.0 <= p <= 1.0:
            raise ValueError(f"rate of {name} must be a number in [0, 1], got {p!r}")
        out[name] = float(p)
    if sum(out.values()) > 1.0 + 1e-9:
        raise ValueError(f"rates add up to {sum(out.values()):.3f}, more than 1")
    return out


def decide(seed, number, rates):
    """The fault for request `number` under `seed` (deterministic)."""
    x = random.Random(f"{seed}:{number}").random()
    acc = 0.0
    for name in FAULTS:
        acc += rates.get(name, 0.0)
        if x < acc:
            return name
    return "forward"


class _State:
    def __init__(self, upstream, seed, rates, stall, log):
        u = urllib.parse.urlsplit(upstream)
        if u.scheme != "http" or not u.hostname:
            raise ValueError(f"upstream {upstream!r}: only http://host[:port][/prefix] is supported")
        self.host = u.hostname
        self.port = u.port or 80
        self.prefix = u.path.rstrip("/")
        self.seed = seed
        self.rates = check_rates(rates)
        self.stall = stall
        self.log = log
        self.lock = threading.Lock()
        self.number = 0
        self.counts = {name: 0 for name in FAULTS + ("forward",)}
        self.upstream_errors = 0
        self.closing = threading.Event()

    def next_decision(self):
        with self.lock:
            self.number += 1
            fault = decide(self.seed, self.number, self.rates)
            self.counts[fault] += 1
            return self.number, fault

    def stats(self):
        with self.lock:
            return {"seed": self.seed, "requests": self.number, "faults": dict(self.counts),
                    "upstream_errors": self.upstream_errors, "rates": dict(self.rates)}


class _BadRequest(Exception):
    pass


def _reset(conn):
    """Closes with an RST instead of a FIN: the peer sees 'connection reset'."""
    try:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        conn.close()
    except OSError:
        pass


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault-front"
    state = None  # set on the subclass made per server

    def log_message(self, fmt, *args):  # decisions are logged by us, not per access
        pass

    # Every method goes through one path; the front does not care which.
    def do_GET(self):
        self._handle()

    do_HEAD = do_PUT = do_POST = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    # -- request body ----------------------------------------------------

    def _body_chunks(self):
        """Yields the request body in chunks of at most CHUNK bytes, decoding
        chunked transfer coding; raises _BadRequest on malformed framing."""
        te = self.headers.get("Transfer-Encoding", "").lower()
        if "chunked" in te:
            while True:
                line = self.rfile.readline(MAX_LINE + 1)
                if not line.endswith(b"\n") or len(line) > MAX_LINE:
                    raise _BadRequest("truncated or overlong chunk size line")
                try:
                    size = int(line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    raise _BadRequest(f"bad chunk size {line[:40]!r}") from None
                if size < 0:
                    raise _BadRequest("negative chunk size")
                if size == 0:
                    while True:  # trailers, then the empty line
                        t = self.rfile.readline(MAX_LINE + 1)
                        if not t.endswith(b"\n"):
                            raise _BadRequest("truncated chunk trailer")
                        if t in (b"\r\n", b"\n"):
                            return
                while size:
                    data = self.rfile.read(min(size, CHUNK))
                    if not data:
                        raise _BadRequest("request body ended inside a chunk")
                    size -= len(data)
                    yield data
                if self.rfile.readline(3) not in (b"\r\n", b"\n"):
                    raise _BadRequest("chunk not followed by CRLF")
        length = self.headers.get("Content-Length")
        if length is None:
            return
        try:
            remaining = int(length)
        except ValueError:
            raise _BadRequest(f"bad Content-Length {length!r}") from None
        if remaining < 0:
            raise _BadRequest("negative Content-Length")
        while remaining:
            data = self.rfile.read(min(remaining, CHUNK))
            if not data:
                raise _BadRequest("request body shorter than Content-Length")
            remaining -= len(data)
            yield data

    def _check_framing(self):
        """Refuses a Content-Length that is not a non-negative integer before
        anything is forwarded (chunk framing is checked while streaming)."""
        length = self.headers.get("Content-Length")
        if length is not None and not length.strip().isdigit():
            raise _BadRequest(f"bad Content-Length {length!r}")

    def _drain(self):
        for _ in self._body_chunks():
            pass

    # -- answers made by the front ---------------------------------------

    def _answer(self, status, body, extra=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self.close_connection = True

    def _control(self):
        st = self.state
        if self.path == "/__front/stats" and self.command == "GET":
            self._drain()
            return self._answer(200, st.stats())
        if self.path == "/__front/rates" and self.command == "PUT":
            raw = b"".join(self._body_chunks())
            try:
                rates = check_rates(json.loads(raw or b"{}"))
            except (ValueError, TypeError, AttributeError) as e:
                return self._answer(400, {"error": str(e)})
            with st.lock:
                st.rates = rates
            st.log(f"front seed={st.seed} rates -> {json.dumps(rates, sort_keys=True)}")
            return self._answer(200, st.stats())
        self._drain()
        return self._answer(404, {"error": f"unknown front endpoint {self.path}"})

    # -- the request -----------------------------------------------------

    def _handle(self):
        st = self.state
        self.close_connection = True
        if self.path.startswith("/__front/"):
            try:
                return self._control()
            except _BadRequest as e:
                return self._answer(400, {"error": str(e)})
        try:
            self._check_framing()
        except _BadRequest as e:
            return self._answer(400, {"code": "bad_request", "message": f"fault-front: {e}"})
        number, fault = st.next_decision()
        st.log(f"front seed={st.seed} req={number} {self.command} {self.path.split('?', 1)[0]} -> {fault}")
        try:
            if fault == "reset":
                return _reset(self.connection)
            if fault == "stall":
                self._drain()
                st.closing.wait(st.stall)
                return _reset(self.connection)
            if fault == "503":
                self._drain()
                return self._answer(503, {"code": "unavailable", "message": "injected by fault-front"},
                                    [("Retry-After", "1")])
            if fault == "429":
                self._drain()
                # Alternate the two forms RFC 9110 allows, by request number.
                retry = "1" if number % 2 else email.utils.formatdate(time.time() + 1, usegmt=True)
                return self._answer(429, {"code": "too_many_requests", "message": "injected by fault-front"},
                                    [("Retry-After", retry)])
            self._forward(number, fault)
        except _BadRequest as e:
            st.log(f"front seed={st.seed} req={number} bad request: {e}")
            try:
                self._answer(400, {"code": "bad_request", "message": f"fault-front: {e}"})
            except OSError:
                pass
        except (OSError, http.client.HTTPException) as e:
            # The agent went away (killed) or the upstream failed mid-way.
            st.log(f"front seed={st.seed} req={number} connection error: {type(e).__name__}: {e}")
            _reset(self.connection)

    def _forward(self, number, fault):
        st = self.state
        up = http.client.HTTPConnection(st.host, st.port, timeout=60)
        try:
            try:
                up.putrequest(self.command, st.prefix + self.path, skip_host=True, skip_accept_encoding=True)
                up.putheader("Host", f"{st.host}:{st.port}")
                for k, v in self.headers.items():
                    if k.lower() not in HOP_BY_HOP and k.lower() != "host":
                        up.putheader(k, v)
                chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
                if chunked:
                    up.putheader("Transfer-Encoding", "chunked")
                up.putheader("Connection", "close")
                up.endheaders()
                for data in self._body_chunks():
                    up.send(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
                if chunked:
                    up.send(b"0\r\n\r\n")
                resp = up.getresponse()
            except ConnectionRefusedError as e:
                # Registry down (the test kills it): a gateway error, transient for the agent.
                with st.lock:
                    st.upstream_errors += 1
                st.log(f"front seed={st.seed} req={number} upstream down: {e}")
                return self._answer(502, {"code": "bad_gateway", "message": "fault-front: upstream refused"})
            if fault == "drop":
                while resp.read(CHUNK):
                    pass
                return _reset(self.connection)
            self._relay(resp, truncate=(fault == "truncate"))
        finally:
            up.close()

    def _relay(self, resp, truncate):
        head = [f"HTTP/1.1 {resp.status} {resp.reason}\r\n".encode("latin-1")]
        length = resp.getheader("Content-Length")
        has_body = self.command != "HEAD" and resp.status not in (204, 304) and resp.status >= 200
        # Without a length from upstream, stream and let the close delimit it.
        for k, v in resp.getheaders():
            if k.lower() not in HOP_BY_HOP:
                head.append(f"{k}: {v}\r\n".encode("latin-1"))
        head.append(b"Connection: close\r\n\r\n")
        head = b"".join(head)
        out = self.connection
        if truncate and (not has_body or length in (None, "0")):
            # Nothing to cut in a body: cut the headers instead.
            out.sendall(head[: max(1, len(head) // 2)])
            return _reset(out)
        out.sendall(head)
        if not has_body:
            return
        budget = int(length) // 2 if truncate else None
        while True:
            data = resp.read(CHUNK)
            if not data:
                break
            if budget is not None:
                out.sendall(data[:budget])
                budget -= min(budget, len(data))
                if budget == 0:
                    return _reset(out)
                continue
            out.sendall(data)


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class FaultFront:
    """The front as a context manager (or start()/stop()); `url` is where to
    send requests, `stats()` the counters."""

    def __init__(self, upstream, seed=0, rates=None, stall=2.5, port=0, log=None):
        self._log_file = log
        self._log_lock = threading.Lock()
        self.state = _State(upstream, seed, rates or {}, stall, self._write_log)
        handler = type("Handler", (_Handler,), {"state": self.state})
        self._server = _Server(("127.0.0.1", port), handler)
        self.port = self._server.server_address[1]
        self._thread = None

    def _write_log(self, line):
        if self._log_file is None:
            return
        with self._log_lock:
            self._log_file.write(f"{time.strftime('%H:%M:%S')} {line}\n")
            self._log_file.flush()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def stats(self):
        return self.state.stats()

    def set_rates(self, rates):
        rates = check_rates(rates)
        with self.state.lock:
            self.state.rates = rates
        self._write_log(f"front seed={self.state.seed} rates -> {json.dumps(rates, sort_keys=True)}")

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.state.closing.set()  # wakes stalled handlers
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv=None):
    ap = argparse.ArgumentParser(description="Fault-injecting HTTP/1.1 front (see the module docstring).")
    ap.add_argument("--upstream", required=True, help="http://host:port[/prefix] of the real server")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rates", default="", help="FAULT=P,... with FAULT in " + ", ".join(FAULTS))
    ap.add_argument("--stall", type=float, default=2.5, help="seconds a stalled request is held (default 2.5)")
    ap.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    ap.add_argument("--stats-file", help="write the counters as JSON here on exit")
    ap.add_argument("--log", help="decision log file (default stderr)")
    args = ap.parse_args(argv)
    try:
        rates = parse_rates(args.rates)
    except ValueError as e:
        ap.error(str(e))
    log = open(args.log, "a", encoding="utf-8") if args.log else sys.stderr
    try:
        front = FaultFront(args.upstream, args.seed, rates, args.stall, args.port, log)
    except (ValueError, OSError) as e:
        print(f"fault-front: {e}", file=sys.stderr)
        return 2
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    front.start()
    print(f"listening on {front.url}", flush=True)
    stop.wait()
    front.stop()
    stats = front.stats()
    print(json.dumps(stats), file=sys.stderr)
    if args.stats_file:
        with open(args.stats_file, "w", encoding="utf-8") as f:
            json.dump(stats, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

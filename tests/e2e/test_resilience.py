"""Resilience of the running agent ("nothing lost, nothing twice"):

- SIGTERM during a large upload to a registry that reads slowly ends the
  service promptly (the transfer is abandoned, not waited for), leaves the
  record pending with no attempt counted, and a later run registers it.
- A state directory that fills up during a harvest pauses harvesting with a
  clear message and the alarm metric (sseccoe_harvest_paused), keeps what is
  stored intact, and resumes by itself once space is freed: every file
  registered exactly once.
- A long registry outage with thousands of items queued does not make the
  agent's memory grow with the backlog, and everything syncs on return.
"""
import http.server
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest

from agent_harness import AGENT, MAY_2021, Agent, wait_until
from harness import Registry, free_port

PDF = b"%PDF-1.4\n%%EOF\n"
RULES = [("**/*.pdf", "course_certificate", "1.1.1")]


def outbox_attempts(agent):
    db = sqlite3.connect(f"file:{os.path.join(agent.state, 'agent.db')}?mode=ro", uri=True)
    try:
        return [r[0] for r in db.execute("SELECT attempts FROM outbox")]
    finally:
        db.close()


def paused_metric(agent):
    """sseccoe_harvest_paused{reason="disk_full"} from the agent's metrics
    file (the alarm an operator's Prometheus rule watches), or None."""
    try:
        with open(os.path.join(agent.state, "metrics.prom"), encoding="utf-8") as f:
            for line in f:
                if line.startswith('sseccoe_harvest_paused{reason="disk_full"} '):
                    return float(line.split()[-1])
    except FileNotFoundError:
        pass
    return None


class SlowRegistry:
    """Answers HEAD /files/* with 404, then reads a PUT body one byte every
    half second: an upload that would take days."""

    def __init__(self):
        self.upload_started = threading.Event()
        self.closing = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _json(self, status, obj):
                body = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_HEAD(self):
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_PUT(self):
                if "/files/" in self.path:
                    outer.upload_started.set()
                    while not outer.closing.is_set():
                        if not self.rfile.read(1):
                            return  # the client gave up: what the test wants
                        time.sleep(0.5)
                    return
                self._json(503, {"error": {"code": "unavailable", "message": "slow registry"}})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()


class BoundedShutdown(unittest.TestCase):
    def test_sigterm_abandons_a_slow_upload_and_the_record_stays_pending(self):
        with SlowRegistry() as slow, Registry() as reg, Agent() as a:
            token = reg.token_file("INM")
            a.write_config(slow.url, token, RULES)
            # 48 MiB: more than loopback socket buffers take, so the upload
            # is still in curl's hands when SIGTERM comes.
            big = a.put_file("Constancias/grande.pdf", PDF, MAY_2021)
            chunk = os.urandom(1 << 20)
            with open(big, "ab") as f:
                for _ in range(48):  # in chunks: the agent's peak_rss_bytes inherits this process's RSS at fork
                    f.write(chunk)
            os.utime(big, (MAY_2021, MAY_2021))

            log_path = os.path.join(a.root, "agent.log")
            log = open(log_path, "wb")
            self.addCleanup(log.close)
            proc = subprocess.Popen([AGENT, "--config", a.config, "run"], stdout=log, stderr=log)
            self.addCleanup(lambda: proc.poll() is None and proc.kill())

            self.assertTrue(slow.upload_started.wait(120), "the agent never started the upload")
            time.sleep(2)  # well inside the transfer
            proc.send_signal(signal.SIGTERM)
            # Bounded: the transfer is abandoned, not finished (it would take days).
            self.assertEqual(proc.wait(timeout=15), 0)
            with open(log_path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            self.assertIn("abandoned to stop", text)
            self.assertIn("stopped", text)

            pending = a.records("pending")
            self.assertEqual(len(pending), 1, pending)
            # Stopping is nobody's fault: no attempt was counted.
            self.assertEqual(outbox_attempts(a), [0])

            a.write_config(reg.url, token, RULES)
            r = a.run("run", "--once", "--json", check=True).json()
            self.assertEqual(r["registered"], 1, r)
            self.assertEqual(r["pending"], 0, r)
            self.assertEqual(len(a.records("synced")), 1)


def can_mount_tmpfs():
    if os.geteuid() != 0 or not shutil.which("mount"):
        return "needs root to mount a size-limited tmpfs"
    probe = tempfile.mkdtemp(prefix="sseccoe-mount-probe-")
    try:
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe], capture_output=True, text=True)
        if r.returncode != 0:
            return f"mount -t tmpfs is not permitted here: {r.stderr.strip()}"
        subprocess.run(["umount", probe], check=True)
        return None
    finally:
        os.rmdir(probe)


def unmount(path):
    """Unmounts a test's tmpfs; lazily when something still holds it, so
    that the directory above can go."""
    if os.path.ismount(path) and subprocess.run(["umount", path], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", path], check=True)


class DiskFull(unittest.TestCase):
    def fill_and_free(self, file_sizes, filler_mib, expected_reason):
        """A 24 MiB tmpfs state dir, a filler leaving room for part of the
        share, the daemon running: the pause, then the filler removed."""
        reason = can_mount_tmpfs()
        if reason:
            self.skipTest(reason)
        # Cleanups run last-added first: the daemon is killed, then the
        # tmpfs unmounted, then the directories removed (removing them
        # first would leave the mount point and its tmpfs behind).
        reg = Registry()
        reg.__enter__()
        self.addCleanup(reg.__exit__, None, None, None)
        a = Agent()
        self.addCleanup(a.close)
        os.makedirs(a.state)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", a.state], check=True)
        self.addCleanup(unmount, a.state)
        filler = os.path.join(a.state, "filler.bin")
        with open(filler, "wb") as f:
            for _ in range(filler_mib):
                f.write(b"\0" * (1 << 20))
        names = []
        for i, size in enumerate(file_sizes):
            name = f"Constancias/c{i:02d}.pdf"
            a.put_file(name, PDF + os.urandom(size), MAY_2021)
            names.append(name)
        a.write_config(reg.url, reg.token_file("INM"), RULES)

        log_path = os.path.join(a.root, "agent.log")
        log = open(log_path, "wb")
        self.addCleanup(log.close)
        proc = subprocess.Popen([AGENT, "--config", a.config, "run"], stdout=log, stderr=log)
        self.addCleanup(lambda: proc.poll() is None and (proc.kill(), proc.wait()))

        def log_text():
            with open(log_path, encoding="utf-8", errors="replace") as f:
                return f.read()

        wait_until(lambda: "harvesting paused" in log_text(), 120, "the disk-full pause")
        text = log_text()
        self.assertIn(f"the state directory {a.state} is full", text)
        self.assertIn(expected_reason, text)
        self.assertIn("syncing goes on", text)
        self.assertIn("resumes by itself when space is freed", text)
        # The alarm metric is raised (it is written on the full disk: the
        # reserve leaves room for it).
        wait_until(lambda: paused_metric(a) == 1, 60, "the harvest_paused metric to be 1")

        # While paused, what is stored keeps being registered.
        stored_while_paused = wait_until(lambda: len(a.records("synced")), 60, "sync during the pause")
        self.assertLess(stored_while_paused, len(names))
        status = wait_until(lambda: (lambda s: s if s.get("harvest_paused") else None)(
            a.run("status", "--json", check=True).json()), 30, "status to show the pause")
        self.assertIn("harvesting paused", status["harvest_paused"])
        self.assertIn("harvesting paused", status["sources"]["comite"]["health"]["last_error"])
        self.assertIn("HARVEST PAUSED", a.run("status", check=True).out)

        os.remove(filler)
        wait_until(lambda: len(a.records("synced")) == len(names), 120, "every file to be registered")
        wait_until(lambda: "harvesting resumed" in log_text(), 30, "the resume message")
        wait_until(lambda: paused_metric(a) == 0, 60, "the harvest_paused metric to be 0 again")

        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=30), 0)

        # Nothing lost, nothing twice: one record per file, none refused.
        records = a.records()
        self.assertEqual(len(records), len(names))
        self.assertEqual(len({r["id"] for r in records}), len(names))
        self.assertEqual(a.run("quarantine", "list", "--json", check=True).json()["quarantine"], [])
        db = sqlite3.connect(os.path.join(a.state, "agent.db"))
        try:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        finally:
            db.close()
        again = a.run("run", "--once", "--json", check=True).json()
        self.assertEqual(again["registered"], 0, again)
        self.assertIsNone(a.run("status", "--json", check=True).json()["harvest_paused"])

    def test_many_files_fill_the_reserve_then_resume(self):
        # ~10 MiB free, 20 files of 1 MiB: the pre-check stops at the reserve.
        self.fill_and_free([1 << 20] * 20, 14, "under the reserve of")

    def test_one_file_larger_than_what_is_left_hits_enospc_then_resumes(self):
        # ~10 MiB free, above the reserve, and one 12 MiB file: the blob
        # store's write fails with ENOSPC mid-file.
        self.fill_and_free([1 << 10, 12 << 20, 1 << 10], 14, "No space left on device")


class LongOutage(unittest.TestCase):
    """The backlog lives in the store, not in memory: the sync pass's peak is
    measured with the source disabled, so only the outbox differs between a
    backlog of 1,000 and one of 3,000."""

    def backlog(self, count, url, token):
        a = Agent()
        self.addCleanup(a.close)
        a.write_config(url, token, RULES)
        for i in range(count):
            a.put_file(f"Constancias/c{i:05d}.pdf", PDF + str(i).encode(), MAY_2021)
        r = a.run("run", "--once", "--json", "--max-wait", "0s")
        self.assertEqual(r.code, 1, r)  # pending: not a success yet
        self.assertEqual(r.json()["pending"], count, r)
        # From now on only the syncer works.
        a.write_config(url, token, RULES, extra_source="enabled = false\n")
        return a

    def sync_peak(self, agent, expect_code):
        r = agent.run("run", "--once", "--json", "--max-wait", "0s")
        self.assertEqual(r.code, expect_code, r)
        return r.json()

    def test_backlog_does_not_grow_memory_and_drains_on_return(self):
        reg = Registry(server={"listen": f"127.0.0.1:{free_port()}"})  # the same port after the outage
        reg.start()
        self.addCleanup(reg.__exit__, None, None, None)  # stops it and removes its directory
        token, url = reg.token_file("INM"), reg.url
        reg.stop()  # the outage

        small, big = self.backlog(1000, url, token), self.backlog(3000, url, token)
        time.sleep(2.5)  # retry_max is 2s: every entry is due again, each pass tries them all
        down_small = self.sync_peak(small, 1)
        down_big = self.sync_peak(big, 1)
        self.assertEqual(down_big["pending"], 3000, down_big)
        # A bound, not a timing: three times the backlog costs under 2 MiB more.
        self.assertLess(down_big["peak_rss_bytes"] - down_small["peak_rss_bytes"], 2 << 20,
                        (down_small["peak_rss_bytes"], down_big["peak_rss_bytes"]))

        reg.start()  # the registry returns (same port, same state)
        time.sleep(2.5)  # the down passes' backoffs (at most retry_max, 2s) have expired: all due
        up_small = self.sync_peak(small, 0)
        up_big = self.sync_peak(big, 0)
        self.assertEqual((up_small["registered"], up_small["pending"]), (1000, 0), up_small)
        self.assertEqual((up_big["registered"], up_big["pending"]), (3000, 0), up_big)
        self.assertLess(up_big["peak_rss_bytes"] - up_small["peak_rss_bytes"], 2 << 20,
                        (up_small["peak_rss_bytes"], up_big["peak_rss_bytes"]))
        self.assertEqual(len(big.records("synced")), 3000)


if __name__ == "__main__":
    unittest.main()

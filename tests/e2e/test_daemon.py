"""The agent as a service: `run` without --once tells systemd it is ready,
picks up a file dropped into the share without a restart (inotify), syncs
it, refuses a second agent on the same state directory, and stops cleanly
on SIGTERM with everything stored."""
import os
import signal
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

from agent_harness import AGENT, MAY_2021, Agent, wait_until
from harness import Registry

PDF = b"%PDF-1.4\n%%EOF\n"
RULES = [("**/*.pdf", "course_certificate", "1.1.1")]


class Daemon(unittest.TestCase):
    def test_ready_watch_sync_and_sigterm(self):
        with Registry() as reg, Agent() as a:
            # A long poll interval: only inotify can explain a quick pick-up.
            a.write_config(reg.url, reg.token_file("INM"), RULES, extra_source='interval = "1h"\n')
            a.put_file("Constancias/primero.pdf", PDF + b"1", MAY_2021)

            sock_dir = tempfile.mkdtemp(prefix="sseccoe-notify-")
            self.addCleanup(shutil.rmtree, sock_dir, True)
            sock_path = os.path.join(sock_dir, "notify")
            notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            notify.bind(sock_path)
            notify.settimeout(30)
            self.addCleanup(notify.close)

            log = open(os.path.join(a.root, "agent.log"), "wb")
            self.addCleanup(log.close)
            proc = subprocess.Popen([AGENT, "--config", a.config, "run"], stdout=log, stderr=log,
                                    env={**os.environ, "NOTIFY_SOCKET": sock_path})
            self.addCleanup(lambda: proc.poll() is None and proc.kill())

            msg = notify.recv(4096).decode()
            self.assertIn("READY=1", msg)

            wait_until(lambda: len(a.records("synced")) == 1, 30, "the first file to be registered")
            a.put_file("Constancias/segundo.pdf", PDF + b"2", MAY_2021)
            wait_until(lambda: len(a.records("synced")) == 2, 30, "the dropped file to be registered")

            # The token is in a file, never on a command line.
            ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
            self.assertNotIn(reg.token("INM"), ps)

            # One agent per state directory.
            second = a.run("run", "--once", timeout=60)
            self.assertEqual(second.code, 1, second)
            self.assertIn("another sseccoe-agent is running", second.err)

            status = a.run("status", "--json", check=True).json()
            self.assertEqual(status["records"]["synced"], 2)

            # SIGHUP (systemctl reload) must not stop the service.
            proc.send_signal(signal.SIGHUP)
            a.put_file("Constancias/tercero.pdf", PDF + b"3", MAY_2021)
            wait_until(lambda: len(a.records("synced")) == 3, 30, "a file dropped after SIGHUP to be registered")
            self.assertIsNone(proc.poll())

            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=30), 0)
            with open(os.path.join(a.root, "agent.log"), encoding="utf-8", errors="replace") as f:
                text = f.read()
            self.assertIn("SIGTERM", text)
            self.assertIn("stopped", text)
            self.assertIn("SIGHUP", text)
            # Everything stays stored and registered after the stop.
            self.assertEqual(len(a.records("synced")), 3)


if __name__ == "__main__":
    unittest.main()

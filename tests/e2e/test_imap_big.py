"""End to end, at scale: the imap plugin against a real Dovecot with a
100,000-message folder and with a message carrying a 200 MB attachment.

The folder's messages are written straight into the Maildir (seconds, not
100,000 APPENDs) and indexed by Dovecot before the agent looks. The agent's
state directory lives on /dev/shm in the 100,000-message test: what is
measured there is the source and the pipeline, not this machine's fsync
latency (about 15 ms an item on the test VM's disk; bench/imap measures
both). The 200 MB test runs on the ordinary temporary directory and checks
the agent's peak memory from `run --once --json`."""
import os
import shutil
import tempfile
import time
import unittest

import mailgen
from agent_harness import Agent
from dovecot_harness import Dovecot, imap_source_toml

SOURCE = "correo"
MESSAGES = 100_000
TEMPLATE = ("From: Plataforma SICAVISP <constancias@sicavisp.example>\r\nTo: comite@inm.gob.mx\r\n"
            "Subject: Aviso {n}\r\nDate: Fri, 14 May 2021 10:00:00 -0500\r\n"
            "Message-ID: <aviso.{n}@sicavisp.example>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n\r\nAviso número {n} del curso.\r\n")


class ImapAtScale(unittest.TestCase):
    def setUp(self):
        self.dovecot = Dovecot()
        self.addCleanup(self.dovecot.close)
        self.dovecot.start()

    def agent_for(self, root=None):
        agent = Agent(root=root)
        self.addCleanup(agent.close)
        password = os.path.join(agent.root, "imap.pass")
        with open(password, "w", encoding="utf-8") as f:
            f.write("s3cret\n")
        agent.write_config(sources=imap_source_toml(SOURCE, f"imap://127.0.0.1:{self.dovecot.imap_port}", password))
        return agent

    def test_a_folder_of_100000_messages(self):
        started = time.monotonic()
        self.dovecot.add_messages("comite", "INBOX",
                                  (TEMPLATE.format(n=n).encode() for n in range(1, MESSAGES + 1)))
        self.dovecot.index("comite")
        prepared = time.monotonic() - started
        root = tempfile.mkdtemp(prefix="sseccoe-agent-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        self.addCleanup(shutil.rmtree, root, True)
        agent = self.agent_for(root)

        started = time.monotonic()
        first = agent.run("run", "--once", "--json", timeout=1800)
        harvest = time.monotonic() - started
        self.assertEqual(first.code, 0, first.err[-3000:])
        out = first.json()
        self.assertEqual(out["sources"][SOURCE]["new"], MESSAGES, out)
        self.assertEqual(out["records"], MESSAGES)
        # 100,000 messages cost a few bytes each in the source, never a copy of the folder.
        self.assertLess(out["peak_rss_bytes"], 160 << 20, out)

        started = time.monotonic()
        second = agent.run("run", "--once", "--json", timeout=600)
        rerun = time.monotonic() - started
        self.assertEqual(second.json()["sources"][SOURCE]["new"], 0, second)
        self.assertNotIn("messages above the cursor", second.err, "nothing new: not one FETCH")

        # A renumbered folder is re-approved by Message-ID: no body is fetched.
        old, new = self.dovecot.reset_uidvalidity("comite", "INBOX")
        started = time.monotonic()
        third = agent.run("run", "--once", "--json", timeout=1800)
        reapprove = time.monotonic() - started
        self.assertEqual(third.code, 0, third.err[-3000:])
        self.assertEqual(third.json()["records"], MESSAGES)
        self.assertIn(f"{MESSAGES} messages above the cursor: 0 new or changed, 0 unchanged, {MESSAGES} already "
                      f"harvested (by Message-ID)", third.err)
        self.assertIn("0 KiB fetched", third.err)
        print(f"\n100,000 messages: prepared in {prepared:.1f} s, harvested in {harvest:.1f} s "
              f"({MESSAGES / harvest:.0f} msg/s), peak RSS {out['peak_rss_bytes'] >> 20} MiB; re-run {rerun:.2f} s; "
              f"re-approved after a UIDVALIDITY reset in {reapprove:.1f} s", flush=True)

    def test_a_200_mb_attachment_keeps_memory_flat(self):
        size = 200 * 1000 * 1000
        path = os.path.join(self.dovecot.maildir("comite"), "tmp", "grande")
        msg_sha, att_sha = mailgen.write_big_message(path, size, name="grande.pdf")
        os.rename(path, os.path.join(self.dovecot.maildir("comite"), "cur", "1621000000.big.sseccoe:2,S"))
        self.dovecot.chown("comite")
        agent = self.agent_for()
        result = agent.run("run", "--once", "--json", timeout=1800)
        self.assertEqual(result.code, 0, result.err[-3000:])
        out = result.json()
        self.assertEqual(out["records"], 1, out)
        self.assertRegex(result.err, r"1 new or changed, .* (2[6-9]\d|3\d\d) MiB fetched")
        [record] = agent.records()
        shown = agent.run("records", "show", record["id"], "--json", check=True).json()
        files = {f["name"]: f for f in shown["record"]["files"]}
        self.assertEqual(files["grande.pdf"]["sha256"], att_sha)
        self.assertEqual(files["grande.pdf"]["size"], size)
        # The message went through the socket, a spool file, the parser and the
        # blob store, and the process never held more than a few buffers of it.
        self.assertLess(out["peak_rss_bytes"], 96 << 20, out)
        print(f"\n200 MB attachment: peak RSS {out['peak_rss_bytes'] >> 20} MiB", flush=True)


if __name__ == "__main__":
    unittest.main()

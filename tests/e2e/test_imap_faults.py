"""End to end: the imap plugin when things go wrong, against a real Dovecot
(behind a TCP relay that cuts or pauses the connection at an exact point) and
the real registry. The connection dropped in the middle of a FETCH and the
server restarted mid-harvest: the pass reconnects and resumes, and every
message is registered exactly once. A message expunged during the harvest is
simply gone. Each bad message is quarantined alone."""
import os
import unittest

import mailgen
from agent_harness import Agent
from dovecot_harness import Dovecot, FaultProxy, imap_source_toml
from harness import Registry

SOURCE = "correo"
RULES = f"""
[[rule]]
source = "{SOURCE}"
match = {{ attachment = "*.pdf", subject = "constancia" }}
kind = "course_certificate"
activity = "1.1.1"
"""


def certificate(n, padding=60_000):
    """A certificate mail made bigger by a second attachment, so that a FETCH
    of a few of them spans many TCP segments."""
    pdf = mailgen.certificate_pdf(f"Servidor {n}", "Ética pública", f"SICAVISP-2021-{n:05d}")
    filler = mailgen._pseudo_random_block(padding, seed=f"relleno-{n}".encode())
    return mailgen.build_message(
        subject=f"Constancia del curso «Ética pública» {n}", sender=mailgen.PLATFORM,
        to=f"Servidor {n} <servidor{n}@inm.gob.mx>", date=mailgen.mx_date(2021, 5, 14, 9, n % 60),
        message_id=f"constancia.{n}.falla@sicavisp.apps.funcionpublica.gob.mx", body="Adjuntamos su constancia.",
        attachments=[mailgen.Attachment(f"Constancia {n}.pdf", pdf),
                     mailgen.Attachment("anexo.bin", filler, media_type="application/octet-stream")])


class ImapFaults(unittest.TestCase):
    def setUp(self):
        self.dovecot = Dovecot()
        self.addCleanup(self.dovecot.close)
        self.dovecot.start()
        self.proxy = FaultProxy(self.dovecot.imap_port)
        self.addCleanup(self.proxy.close)
        self.registry = Registry()
        self.registry.__enter__()
        self.addCleanup(self.registry.__exit__, None, None, None)
        self.agent = Agent()
        self.addCleanup(self.agent.close)
        password = os.path.join(self.agent.root, "imap.pass")
        with open(password, "w", encoding="utf-8") as f:
            f.write("s3cret\n")
        source = imap_source_toml(SOURCE, f"imap://127.0.0.1:{self.proxy.port}", password)
        self.agent.write_config(self.registry.url, self.registry.token_file("INM"), sources=source + RULES)

    def run_once(self, registered):
        result = self.agent.run("run", "--once", "--json")
        self.assertEqual(result.code, 0, result)
        self.assertEqual(result.json()["sources"][SOURCE]["error"], "", result)
        self.assertEqual(result.json()["registered"], registered, result)
        return result

    def add_certificates(self, count):
        for n in range(1, count + 1):
            self.dovecot.add_message("comite", "INBOX", certificate(n))
        self.dovecot.index("comite")

    def assert_each_registered_once(self, count):
        synced = self.agent.records("synced")
        self.assertEqual(len(synced), count)
        self.assertEqual(len({r["key"] for r in synced}), count)
        status, page = self.registry.get("/evidence?program=PAT-2021&page_size=100", institution="INM")
        self.assertEqual(status, 200)
        self.assertEqual(len(page["items"]), count)

    def test_connection_dropped_mid_fetch_resumes_and_registers_each_once(self):
        self.add_certificates(20)
        self.proxy.cut_after(700_000)  # well inside the bodies (20 x ~85 KB)
        result = self.run_once(registered=20)
        self.assertEqual(self.proxy.cuts, 1)
        self.assertIn("connecting again to resume", result.err)
        self.assertEqual(self.proxy.connections, 2)
        self.assert_each_registered_once(20)
        self.run_once(registered=0)

    def test_server_restarted_mid_harvest_resumes(self):
        self.add_certificates(10)
        self.proxy.before_client(b"BODY.PEEK[]", self.dovecot.restart)
        result = self.run_once(registered=10)
        self.assertIn("connecting again to resume", result.err)
        self.assert_each_registered_once(10)
        self.run_once(registered=0)

    def test_a_message_expunged_during_the_harvest_is_simply_gone(self):
        self.add_certificates(6)
        victim = self.dovecot.uid_of("comite", "INBOX", "constancia.3.falla@sicavisp.apps.funcionpublica.gob.mx")
        # After the sizes and Message-IDs were listed, before the bodies are asked for.
        self.proxy.before_client(b"BODY.PEEK[]", lambda: self.dovecot.expunge("comite", "INBOX", [victim]))
        result = self.run_once(registered=5)
        self.assertRegex(result.err, r"folder 'INBOX': 6 messages above the cursor: 5 new or changed, .*"
                                     r"0 quarantined, 0 deferred, 1 expunged meanwhile")
        self.assertEqual(self.agent.run("quarantine", "list", "--json", check=True).json()["quarantine"], [])
        keys = {r["key"] for r in self.agent.records()}
        self.assertNotIn("msgid:constancia.3.falla@sicavisp.apps.funcionpublica.gob.mx", keys)
        self.run_once(registered=0)

    def test_each_bad_message_is_quarantined_alone(self):
        broken = mailgen.broken_messages()
        for name, data in broken.items():
            self.dovecot.add_message("comite", "INBOX", data)
        good = [mailgen.certificate_message(n, f"Servidor {n}", "Ética pública") for n in (1, 2)]
        for data in good:
            self.dovecot.add_message("comite", "INBOX", data)
        result = self.agent.run("run", "--once", "--json")
        self.assertEqual(result.code, 0, result)
        entries = self.agent.run("quarantine", "list", "--json", check=True).json()["quarantine"]
        reasons = sorted(e["reason"] for e in entries)
        self.assertEqual(len(entries), 2, entries)
        self.assertTrue(any("empty" in r for r in reasons), reasons)
        self.assertTrue(any("not a mail message" in r for r in reasons), reasons)
        for e in entries:
            self.assertRegex(e["locator"], rf"^imap://127.0.0.1:{self.proxy.port}/INBOX;UIDVALIDITY=\d+/;UID=\d+$")
        keys = {r["key"] for r in self.agent.records()}
        for data in good:
            self.assertIn(mailgen.message_key(data), keys)
        for name in ("broken_multipart", "bad_base64", "latin1_headers"):
            self.assertIn(mailgen.message_key(broken[name]), keys, name)
        self.assertEqual(len(keys), len(broken) - 2 + len(good))
        # The next pass does not stumble on them again.
        again = self.agent.run("run", "--once", "--json")
        self.assertEqual(again.json()["registered"], 0, again)
        self.assertEqual(len(self.agent.run("quarantine", "list", "--json", check=True).json()["quarantine"]), 2)


if __name__ == "__main__":
    unittest.main()

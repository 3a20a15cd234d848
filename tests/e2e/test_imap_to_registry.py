"""End to end: a mailbox on a real Dovecot, harvested over IMAPS by the real
agent into the real reference registry. Certificates become
course_certificate records, the dispatch in the Sent folder (found by its
special-use attribute, whatever its name) an email_dispatch record with its
acuse; and nothing is registered twice: not on a re-run, not when a message
moves to another folder, not when it is delivered again, not when the server
resets UIDVALIDITY."""
import os
import signal
import subprocess
import unittest

import mailgen
from agent_harness import AGENT, Agent, wait_until
from dovecot_harness import Dovecot, imap_source_toml
from harness import Registry

SOURCE = "correo"
RULES = f"""
[[rule]]
source = "{SOURCE}"
match = {{ special_use = "Sent" }}
kind = "email_dispatch"
activity = "5.2.1"

[[rule]]
source = "{SOURCE}"
match = {{ attachment = "*.pdf", subject = "constancia" }}
kind = "course_certificate"
activity = "1.1.1"
title = "Constancia: {{stem}}"
"""


def crlf(data):
    """The bytes as an IMAP server serves them (it turns LF into CRLF)."""
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


class ImapToRegistry(unittest.TestCase):
    def setUp(self):
        self.dovecot = Dovecot(tls=True)
        self.addCleanup(self.dovecot.close)
        self.dovecot.create_folder("comite", "Enviados", special_use="\\Sent")
        self.dovecot.create_folder("comite", "Archivo")
        self.dovecot.start()
        self.registry = Registry()
        self.registry.__enter__()
        self.addCleanup(self.registry.__exit__, None, None, None)
        self.agent = Agent()
        self.addCleanup(self.agent.close)
        password = os.path.join(self.agent.root, "imap.pass")
        with open(password, "w", encoding="utf-8") as f:
            f.write("s3cret\n")
        os.chmod(password, 0o600)
        source = imap_source_toml(SOURCE, self.dovecot.url(tls=True), password,
                                  folders=["INBOX", "Sent", "Archivo"], ca_file=self.dovecot.ca_file)
        self.agent.write_config(self.registry.url, self.registry.token_file("INM"), sources=source + RULES)

    def run_once(self, registered):
        result = self.agent.run("run", "--once", "--json")
        self.assertEqual(result.code, 0, result)
        self.assertEqual(result.json()["sources"][SOURCE]["error"], "", result)
        self.assertEqual(result.json()["registered"], registered, result)
        return result

    def remote(self, record_id):
        status, body = self.registry.get(f"/evidence/{record_id}", institution="INM")
        self.assertEqual(status, 200, body)
        return body

    def test_certificates_and_a_dispatch_exactly_once_whatever_the_server_does(self):
        dc = self.dovecot
        cert1 = crlf(mailgen.certificate_message(1, "José Núñez Peña", "Conflictos de interés"))
        cert2 = crlf(mailgen.certificate_message(2, "María López", "Ética pública", name_style="rfc2047"))
        dispatch = crlf(mailgen.dispatch_message(1))
        dc.add_message("comite", "INBOX", cert1)
        dc.add_message("comite", "INBOX", cert2, seen=False)
        dc.add_message("comite", "INBOX", crlf(mailgen.consultation(1)))  # no rule: stays local
        dc.append("comite", "Enviados", dispatch)

        first = self.run_once(registered=3)
        self.assertIn("folder 'Enviados'", first.err, "the Sent folder is found by its \\Sent attribute")
        synced = {r["key"]: r for r in self.agent.records("synced")}
        self.assertEqual(set(synced), {mailgen.message_key(cert1), mailgen.message_key(cert2),
                                       mailgen.message_key(dispatch)})
        for raw, holder, course, n in ((cert1, "José Núñez Peña", "Conflictos de interés", 1),
                                       (cert2, "María López", "Ética pública", 2)):
            remote = self.remote(synced[mailgen.message_key(raw)]["id"])
            self.assertEqual((remote["kind"], remote["activity"]), ("course_certificate", "1.1.1"))
            self.assertEqual(remote["occurred_on"], "2021-05-14")
            pdf = mailgen.certificate_pdf(holder, course, f"SICAVISP-2021-{n:05d}")
            self.assertEqual([(f["name"], f["sha256"]) for f in remote["files"]],
                             [(f"Constancia {holder} - {course}.pdf", mailgen.sha256(pdf))])
            self.assertNotIn("Adjuntamos su constancia", str(remote), "the body is never sent")
        remote = self.remote(synced[mailgen.message_key(dispatch)]["id"])
        self.assertEqual((remote["kind"], remote["activity"]), ("email_dispatch", "5.2.1"))
        files = {f["name"]: f for f in remote["files"]}
        self.assertEqual(files["mensaje.eml"]["sha256"], mailgen.sha256(dispatch))
        self.assertIn("acuse.pdf", files)
        local = [r for r in self.agent.records() if r["key"] == mailgen.message_key(dispatch)][0]
        shown = self.agent.run("records", "show", local["id"], "--json", check=True).json()
        self.assertRegex(shown["record"]["source"]["locator"],
                         rf"^imap://localhost:{dc.imaps_port}/Enviados;UIDVALIDITY=\d+/;UID=1$")
        # Harvesting is read-only: the unread certificate is still unread.
        self.assertIn(b"UNSEEN 1", self.status_line("INBOX"))

        # A second run downloads nothing and registers nothing.
        second = self.run_once(registered=0)
        self.assertNotIn("new or changed", second.err)

        # Moved to another harvested folder: not fetched, not registered.
        dc.move("comite", "INBOX", "Archivo", [dc.uid_of("comite", "INBOX", mailgen.message_key(cert1)[6:])])
        moved = self.run_once(registered=0)
        self.assertRegex(moved.err, r"folder 'Archivo': 1 messages above the cursor: 0 new or changed, "
                                    r"0 unchanged, 1 already harvested")

        # Delivered again (another Received line, so other bytes): the same record.
        dc.append("comite", "INBOX", b"Received: from relay.inm.gob.mx by mail.inm.gob.mx\r\n" + cert2)
        self.run_once(registered=0)

        # The server renumbers INBOX: every message is re-approved by Message-ID,
        # none is downloaded or registered again.
        old, new = dc.reset_uidvalidity("comite", "INBOX")
        reset = self.run_once(registered=0)
        self.assertIn(f"UIDVALIDITY changed from {old} to {new}", reset.err)
        self.assertRegex(reset.err, r"folder 'INBOX': 3 messages above the cursor: 0 new or changed, 0 unchanged, "
                                    r"3 already harvested \(by Message-ID\), 0 quarantined, 0 deferred, "
                                    r"0 expunged meanwhile; 0 KiB fetched")
        self.assertEqual(len(self.agent.records("synced")), 3)
        for rid in (r["id"] for r in self.agent.records("synced")):
            self.assertEqual(self.remote(rid)["revision"], 1)

        # What arrives after all that is registered, once.
        cert3 = crlf(mailgen.certificate_message(3, "Ana Pérez", "Ética pública"))
        dc.append("comite", "INBOX", cert3)
        self.run_once(registered=1)
        self.run_once(registered=0)
        status, page = self.registry.get("/evidence?program=PAT-2021", institution="INM")
        self.assertEqual(status, 200)
        self.assertEqual(len(page["items"]), 4)

    def test_the_service_waits_with_idle_and_picks_up_new_mail_at_once(self):
        """interval is 10 minutes: only IDLE can bring a new message in seconds."""
        source = imap_source_toml(SOURCE, self.dovecot.url(tls=True), os.path.join(self.agent.root, "imap.pass"),
                                  folders=["INBOX", "Sent"], ca_file=self.dovecot.ca_file,
                                  extra='interval = "10m"\n')
        self.agent.write_config(self.registry.url, self.registry.token_file("INM"), sources=source + RULES)
        self.dovecot.append("comite", "INBOX", crlf(mailgen.certificate_message(1, "José Núñez", "Ética pública")))
        log = open(os.path.join(self.agent.root, "agent.log"), "wb")
        self.addCleanup(log.close)
        proc = subprocess.Popen([AGENT, "--config", self.agent.config, "run"], stdout=log, stderr=log,
                                stdin=subprocess.DEVNULL)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        wait_until(lambda: self.synced_while_running() == 1, 60, "the first certificate to be registered")
        wait_until(self.idling, 30, "the agent to stay connected (IDLE) after its pass")
        self.dovecot.append("comite", "INBOX", crlf(mailgen.certificate_message(2, "María López", "Ética pública")))
        wait_until(lambda: self.synced_while_running() == 2, 60, "the new certificate, through IDLE")
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=30), 0, "a stop while idling ends the service promptly")
        self.assertEqual(len(self.agent.records("synced")), 2)

    def synced_while_running(self):
        """Records registered so far, from the service's log (the CLI would
        compete with the running service for the database)."""
        with open(os.path.join(self.agent.root, "agent.log"), encoding="utf-8", errors="replace") as f:
            return f.read().count(" registered as SSECCOE-INM-2021-")

    def idling(self):
        who = subprocess.run(["doveadm", "-c", self.dovecot.config_path, "who", "-1"], capture_output=True,
                             text=True).stdout
        return "comite" in who

    def status_line(self, folder):
        c = self.dovecot.imap("comite")
        try:
            return c.status(folder, "(UNSEEN)")[1][0]
        finally:
            c.logout()


if __name__ == "__main__":
    unittest.main()

"""End to end: a Maildir harvested by the real agent into the real reference
registry over loopback. Certificates become course_certificate records whose
files are the PDFs; a message in Sent becomes an email_dispatch record that
cites the raw message and its acuse PDF; nothing is registered twice (re-run,
flag change, new/ -> cur/, the same message in two folders); each bad message
is quarantined alone."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import unittest

import mailgen
from agent_harness import AGENT, Agent, toml_str, wait_until
from harness import Registry

SOURCE = "buzon"


def rules_toml():
    return f"""
[[rule]]
source = "{SOURCE}"
match = {{ folder = "^Sent$" }}
kind = "email_dispatch"
activity = "5.2.1"

[[rule]]
source = "{SOURCE}"
match = {{ attachment = "*.pdf", subject = "constancia" }}
kind = "course_certificate"
activity = "1.1.1"
title = "Constancia: {{stem}}"
"""


class MaildirToRegistry(unittest.TestCase):
    def setUp(self):
        self.registry = Registry()
        self.registry.__enter__()
        self.agent = Agent()
        self.maildir = mailgen.Maildir(os.path.join(self.agent.root, "Maildir"))
        self.configure()

    def tearDown(self):
        self.agent.close()
        self.registry.__exit__(None, None, None)

    def configure(self, extra=""):
        source = (f"\n[[source]]\nname = \"{SOURCE}\"\nplugin = \"maildir\"\n"
                  f"path = {toml_str(self.maildir.root)}\n{extra}")
        self.agent.write_config(self.registry.url, self.registry.token_file("INM"), sources=source + rules_toml())

    def run_once(self, registered):
        result = self.agent.run("run", "--once", "--json")
        self.assertEqual(result.code, 0, result)
        self.assertEqual(result.json()["registered"], registered, result)
        return result.json()

    def remote(self, record_id):
        status, body = self.registry.get(f"/evidence/{record_id}", institution="INM")
        self.assertEqual(status, 200, body)
        return body

    def registry_file(self, sha256):
        return os.path.join(self.registry.state_dir, "files", sha256[:2], sha256[2:])

    def record_for(self, key):
        found = [r for r in self.agent.records() if r["key"] == key]
        self.assertEqual(len(found), 1, f"{key}: {self.agent.records()}")
        return found[0]

    def test_certificates_and_a_dispatch_exactly_once(self):
        m = self.maildir
        cert1 = mailgen.certificate_message(1, "José Núñez Peña", "Conflictos de interés", name_style="rfc2231")
        cert2 = mailgen.certificate_message(2, "María López", "Ética pública", name_style="rfc2047")
        dispatch = mailgen.dispatch_message(1)
        p1 = m.add("INBOX", cert1)
        p2 = m.add("INBOX", cert2, new=True)
        m.add("Sent", dispatch)
        m.add("INBOX", mailgen.consultation(1))  # no rule: stays local

        self.run_once(registered=3)
        synced = {r["key"]: r for r in self.agent.records("synced")}
        self.assertEqual(set(synced), {mailgen.message_key(cert1), mailgen.message_key(cert2),
                                       mailgen.message_key(dispatch)})

        # Certificates: course_certificate 1.1.1, the PDF (decoded name) as the file.
        for raw, holder, course, n in ((cert1, "José Núñez Peña", "Conflictos de interés", 1),
                                       (cert2, "María López", "Ética pública", 2)):
            remote = self.remote(synced[mailgen.message_key(raw)]["id"])
            self.assertEqual((remote["kind"], remote["activity"]), ("course_certificate", "1.1.1"))
            self.assertEqual(remote["occurred_on"], "2021-05-14")
            pdf = mailgen.certificate_pdf(holder, course, f"SICAVISP-2021-{n:05d}")
            self.assertEqual([(f["name"], f["sha256"], f["media_type"]) for f in remote["files"]],
                             [(f"Constancia {holder} - {course}.pdf", mailgen.sha256(pdf), "application/pdf")])
            self.assertEqual(remote["title"], f"Constancia: Constancia del curso «{course}»")
            with open(self.registry_file(mailgen.sha256(pdf)), "rb") as f:
                self.assertEqual(f.read(), pdf)
            self.assertNotIn("Adjuntamos su constancia", str(remote), "the body is never sent")

        # The dispatch: email_dispatch 5.2.1 citing the raw message and its acuse.
        remote = self.remote(synced[mailgen.message_key(dispatch)]["id"])
        self.assertEqual((remote["kind"], remote["activity"]), ("email_dispatch", "5.2.1"))
        self.assertEqual(remote["occurred_on"], "2021-06-10")
        files = {f["name"]: f for f in remote["files"]}
        self.assertIn("mensaje.eml", files)
        self.assertIn("acuse.pdf", files)
        self.assertEqual(files["mensaje.eml"]["sha256"], mailgen.sha256(dispatch))
        self.assert_acuse(self.registry_file(files["acuse.pdf"]["sha256"]), dispatch)

        # A second run registers nothing.
        self.run_once(registered=0)
        # Flags change (read, replied) and a first look moves new/ -> cur/: nothing.
        m.set_flags(p1, "RS")
        m.move_to_cur(p2, "S")
        self.run_once(registered=0)
        # The same message filed in a second folder is the same record.
        m.copy(p1 if os.path.exists(p1) else self.find(cert1), "Archivo")
        self.run_once(registered=0)
        self.assertEqual(len(self.agent.records("synced")), 3)
        for rec in synced.values():
            self.assertEqual(self.remote(rec["id"])["revision"], 1)

        status, page = self.registry.get("/evidence?program=PAT-2021", institution="INM")
        self.assertEqual(status, 200)
        self.assertEqual(len(page["items"]), 3)

    def find(self, raw):
        for d, _, names in os.walk(self.maildir.root):
            for n in names:
                p = os.path.join(d, n)
                with open(p, "rb") as f:
                    if f.read() == raw:
                        return p
        raise AssertionError("message not found in the Maildir")

    def assert_acuse(self, path, raw):
        with open(path, "rb") as f:
            self.assertEqual(f.read(5), b"%PDF-")
        if shutil.which("pdftotext") is None:
            return
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, text=True,
                              check=True).stdout
        for s in ("Acuse de envío de correo electrónico", "De:", "Para:", "Asunto:", "Fecha:", "Adjuntos",
                  "Huella SHA-256 del mensaje", "UEPPCI <ueppci@funcionpublica.gob.mx>",
                  "Buena práctica: campaña de difusión del Código de Conducta", "10 de junio de 2021",
                  "Informe de buena práctica.pdf", mailgen.sha256(raw)):
            self.assertIn(s, text)

    def test_each_bad_message_is_quarantined_alone(self):
        m = self.maildir
        broken = mailgen.broken_messages()
        for name in ("empty", "not_a_message", "broken_multipart", "bad_base64", "latin1_headers",
                     "no_message_id"):
            m.add("INBOX", broken[name])
        good = mailgen.certificate_message(3, "Ana Pérez", "Ética pública")
        m.add("INBOX", good)

        out = self.run_once(registered=5)
        self.assertEqual(out["sources"][SOURCE]["quarantined"], 2, out)
        keys = {r["key"] for r in self.agent.records("synced")}
        self.assertIn(mailgen.message_key(good), keys)
        self.assertIn("msgid:latin1@inm.gob.mx", keys)
        self.assertIn("sha256:" + mailgen.sha256(broken["no_message_id"]), keys)
        latin1 = self.remote(self.record_for("msgid:latin1@inm.gob.mx")["id"])
        self.assertEqual([f["name"] for f in latin1["files"]], ["Constancia Peña.pdf"])

        quarantine = self.agent.run("quarantine", "list", "--json", check=True).json()
        entries = quarantine["quarantine"]
        self.assertEqual(len(entries), 2, quarantine)
        text = str(entries)
        self.assertIn("sha256:" + mailgen.sha256(b""), text)
        self.assertIn("sha256:" + mailgen.sha256(broken["not_a_message"]), text)
        self.assertIn("not a mail message", text)
        # Quarantined once, not again on every pass; the rest is not disturbed.
        again = self.run_once(registered=0)
        self.assertEqual(again["sources"][SOURCE]["new"], 0, again)

    def test_a_consultation_and_its_answer_are_one_record(self):
        # The thread metadata (the root's Message-ID) lets the core group a
        # request in INBOX and its answer in Sent, whichever comes first.
        rules = f"""
[[rule]]
source = "{SOURCE}"
match = {{ folder = "^INBOX$", subject = "consulta" }}
kind = "consultation"
activity = "1.2.1"
group_by = "thread"
attributes = {{ requested_at = "{{date}}" }}

[[rule]]
source = "{SOURCE}"
match = {{ folder = "^Sent$" }}
kind = "consultation"
activity = "1.2.1"
group_by = "thread"
attributes = {{ answered_at = "{{date}}" }}
"""
        source = (f"\n[[source]]\nname = \"{SOURCE}\"\nplugin = \"maildir\"\n"
                  f"path = {toml_str(self.maildir.root)}\n")
        self.agent.write_config(self.registry.url, self.registry.token_file("INM"), sources=source + rules)
        request = mailgen.consultation(7)
        answer = mailgen.reply_to(request, 7, days_later=3)
        self.maildir.add("Sent", answer)  # the answer is read first
        self.run_once(registered=1)
        self.maildir.add("INBOX", request)
        self.run_once(registered=1)  # a revision of the same record
        records = self.agent.records()
        self.assertEqual(len({r["id"] for r in records}), 1, records)
        remote = self.remote(records[0]["id"])
        self.assertEqual((remote["kind"], remote["activity"]), ("consultation", "1.2.1"))
        self.assertEqual(remote["attributes"].get("requested_at"), "2021-07-05T15:00:00Z", remote)
        self.assertEqual(remote["attributes"].get("answered_at"), "2021-07-08T15:00:00Z", remote)
        self.assertEqual(remote["occurred_on"], "2021-07-05")

    def test_the_service_notices_a_delivery_at_once(self):
        # A poll interval of an hour: only inotify can explain a quick pick-up.
        self.configure(extra='interval = "1h"\n')
        self.maildir.add("INBOX", mailgen.certificate_message(1, "Ana Pérez", "Ética pública"))
        # Wait for READY=1 (as systemd would) before asking the store anything.
        sock_dir = tempfile.mkdtemp(prefix="sseccoe-notify-")
        self.addCleanup(shutil.rmtree, sock_dir, True)
        sock_path = os.path.join(sock_dir, "notify")
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(sock_path)
        notify.settimeout(60)
        self.addCleanup(notify.close)
        log_path = os.path.join(self.agent.root, "agent.log")
        log = open(log_path, "wb")
        self.addCleanup(log.close)
        proc = subprocess.Popen([AGENT, "--config", self.agent.config, "run"], stdout=log, stderr=log,
                                env={**os.environ, "NOTIFY_SOCKET": sock_path})
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        self.assertIn("READY=1", notify.recv(4096).decode())

        def registered(n, what):
            try:
                wait_until(lambda: len(self.agent.records("synced")) == n, 60, what)
            except AssertionError:
                with open(log_path, encoding="utf-8", errors="replace") as f:
                    raise AssertionError(f"timed out waiting for {what}; agent log:\n{f.read()}") from None

        registered(1, "the first certificate to be registered")
        sent = self.maildir.add("Sent", mailgen.dispatch_message(2), new=True)  # delivered into new/
        registered(2, "the delivered dispatch to be registered")
        self.maildir.move_to_cur(sent, "S")
        self.maildir.add("INBOX", mailgen.certificate_message(2, "Luis Gómez", "Ética pública"), new=True)
        registered(3, "the second certificate to be registered")
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=60), 0)
        self.assertEqual(len(self.agent.records()), 3, "the move into cur/ made no record")

    def test_one_record_per_certificate_when_asked(self):
        self.configure(extra="per_attachment = true\n")
        group = mailgen.multi_certificate_message(1, ["Ana Pérez", "Luis Gómez", "Eva Ruiz"], "Ética pública")
        self.maildir.add("INBOX", group)
        self.run_once(registered=3)
        key = mailgen.message_key(group)
        names = set()
        for i in (1, 2, 3):
            remote = self.remote(self.record_for(f"{key}/{i}")["id"])
            self.assertEqual(len(remote["files"]), 1)
            names.add(remote["files"][0]["name"])
        self.assertEqual(names, {"Constancia Ana Pérez.pdf", "Constancia Luis Gómez.pdf", "Constancia Eva Ruiz.pdf"})
        self.run_once(registered=0)


class Mailgen(unittest.TestCase):
    """The shared generator is deterministic and writes what it says."""

    def test_same_arguments_same_bytes(self):
        self.assertEqual(mailgen.certificate_message(4, "Ana Pérez", "Ética"),
                         mailgen.certificate_message(4, "Ana Pérez", "Ética"))
        self.assertEqual(mailgen.broken_messages(), mailgen.broken_messages())
        self.assertNotEqual(mailgen.certificate_message(4, "Ana Pérez", "Ética"),
                            mailgen.certificate_message(5, "Ana Pérez", "Ética"))

    def test_names_decode_as_written(self):
        import email
        import email.policy
        long_name = "José Núñez Peña - Conflictos de interés en la Administración Pública Federal"
        for style in ("rfc2231", "rfc2047", "plain", "latin1"):
            holder = "Ana Perez" if style == "plain" else long_name
            raw = mailgen.certificate_message(1, holder, "Etica", name_style=style)
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            [att] = list(msg.iter_attachments())
            if style != "latin1":  # Python's parser does not guess Latin-1
                self.assertEqual(att.get_filename(), f"Constancia {holder} - Etica.pdf", style)
            self.assertEqual(att.get_content(), mailgen.certificate_pdf(holder, "Etica", "SICAVISP-2021-00001"))
        self.assertEqual(mailgen.message_key(mailgen.broken_messages()["no_message_id"])[:7], "sha256:")

    def test_big_message_streams(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "big.eml")
            msg_sha, att_sha = mailgen.write_big_message(path, 3 * 1024 * 1024 + 5)
            with open(path, "rb") as f:
                data = f.read()
            self.assertEqual(mailgen.sha256(data), msg_sha)
            import email
            import email.policy
            [att] = list(email.message_from_bytes(data, policy=email.policy.default).iter_attachments())
            self.assertEqual(mailgen.sha256(att.get_content()), att_sha)


if __name__ == "__main__":
    unittest.main()

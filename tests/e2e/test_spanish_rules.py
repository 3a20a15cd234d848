"""Rules as a Spanish-speaking IT person writes them, end to end with the
real agent, a Maildir and the real reference registry over loopback:

- check-config accepts accented classes, "(?i)" and accented capitals, and
  refuses what RE2 cannot do (a back-reference) with its line and reason;
- subjects with accents land in the registry under the rule that names them
  ("pr[aá]cticas?" on "Buenas prácticas", "capacitaci[oó]n", "PRÁCTICA" on
  "práctica", "AÑO" on "año"); explain shows the value a rule missed;
- a rule corrected while the service runs, then SIGHUP, reclassifies the
  backlog: `reclassify --dry-run` prints the change first and changes
  nothing; the reload applies it (a dispatch is re-read from the Maildir for
  its acuse); the record already registered is not touched.
"""
import os
import re
import signal
import subprocess
import unittest

import mailgen
from agent_harness import AGENT, Agent, toml_str, wait_until
from harness import Registry

SOURCE = "buzon"


def rule(subject, kind, activity, extra=""):
    return (f"\n[[rule]]\nsource = \"{SOURCE}\"\nmatch = {{ subject = {toml_str(subject)} }}\n"
            f"kind = \"{kind}\"\nactivity = \"{activity}\"\n{extra}")


def message(n, subject, folder_day=(2021, 6, 10), attachments=None):
    pdf = mailgen.certificate_pdf(f"Persona {n}", subject, f"ES-{n}")
    return mailgen.build_message(
        subject=subject, sender=mailgen.PLATFORM, to=f"Persona {n} <persona{n}@{mailgen.DOMAIN}>",
        date=mailgen.mx_date(*folder_day, hour=9, minute=n), message_id=f"es.{n}@{mailgen.DOMAIN}",
        body="Mensaje de prueba.\n",
        attachments=attachments if attachments is not None else [mailgen.Attachment(f"documento-{n}.pdf", pdf)])


class SpanishRules(unittest.TestCase):
    def setUp(self):
        self.registry = Registry()
        self.registry.__enter__()
        self.addCleanup(self.registry.__exit__, None, None, None)
        self.agent = Agent()
        self.addCleanup(self.agent.close)
        self.maildir = mailgen.Maildir(os.path.join(self.agent.root, "Maildir"))

    def configure(self, rules):
        source = (f"\n[[source]]\nname = \"{SOURCE}\"\nplugin = \"maildir\"\npath = {toml_str(self.maildir.root)}\n"
                  "interval = \"1h\"\n")
        self.agent.write_config(self.registry.url, self.registry.token_file("INM"), sources=source + rules)

    def remote(self, record_id):
        status, body = self.registry.get(f"/evidence/{record_id}", institution="INM")
        return status, body

    def by_key(self, raw):
        key = mailgen.message_key(raw)
        found = [r for r in self.agent.records() if r["key"] == key]
        self.assertEqual(len(found), 1, f"{key}: {self.agent.records()}")
        return found[0]

    def test_check_config_reads_spanish_and_names_what_re2_refuses(self):
        self.configure(rule("pr[aá]cticas?", "email_dispatch", "5.2.1")
                       + rule("(?i)capacitaci[oó]n", "course_certificate", "1.1.1")
                       + rule("PRÁCTICA|AÑO", "diffusion_material", "2.1.1"))
        result = self.agent.run("check-config")
        self.assertEqual(result.code, 0, result)

        with open(self.agent.config, encoding="utf-8") as f:
            text = f.read()
        line = text.splitlines().index('match = { subject = "(?i)capacitaci[oó]n" }') + 1
        with open(self.agent.config, "w", encoding="utf-8") as f:
            f.write(text.replace('"(?i)capacitaci[oó]n"', '"(curso)\\\\1"'))
        result = self.agent.run("check-config")
        self.assertEqual(result.code, 2, result)
        self.assertRegex(result.err, rf"agent\.toml:{line}:\d+")
        self.assertIn("invalid escape sequence", result.err)
        self.assertIn("RE2 syntax", result.err)

    def test_accented_subjects_land_under_the_rule_that_names_them(self):
        self.configure(rule("PRÁCTICA DE INTEGRIDAD|\\bAÑO\\b", "diffusion_material", "2.1.1")
                       + rule("pr[aá]cticas?", "course_certificate", "1.1.2")
                       + rule("capacitaci[oó]n", "course_certificate", "1.1.1")
                       + rule("(?i)^difusión$", "diffusion_material", "2.1.3"))
        m = self.maildir
        msgs = {
            "1.1.2": message(1, "Buenas prácticas en el INM"),
            "1.1.1": message(2, "Constancia de capacitación 2021"),
            "2.1.1": message(3, "Campaña del año: una práctica de integridad"),
            "2.1.3": message(4, "DIFUSIÓN"),
        }
        for raw in msgs.values():
            m.add("INBOX", raw)
        unmatched = message(5, "Reunión ordinaria del comité")
        m.add("INBOX", unmatched)

        result = self.agent.run("run", "--once", "--json")
        self.assertEqual(result.code, 0, result)
        self.assertEqual(result.json()["registered"], 4, result)
        for activity, raw in msgs.items():
            rec = self.by_key(raw)
            self.assertEqual(rec["status"], "synced", rec)
            status, remote = self.remote(rec["id"])
            self.assertEqual(status, 200, remote)
            self.assertEqual(remote["activity"], activity, remote)

        rec = self.by_key(unmatched)
        self.assertEqual(rec["status"], "unclassified")
        explain = self.agent.run("explain", rec["id"])
        self.assertEqual(explain.code, 0, explain)
        self.assertIn("'subject' does not match /pr[aá]cticas?/ (ignoring case): it is \"Reunión ordinaria del comité\"",
                      explain.out)
        status, _ = self.remote(rec["id"])
        self.assertEqual(status, 404, "never sent on a guess")

    def test_a_rule_corrected_and_reloaded_reclassifies_the_backlog(self):
        wrong = (rule("constancia", "course_certificate", "1.1.1")
                 + rule("capacitacion", "course_certificate", "1.1.2")       # no accent: misses
                 + rule("^Buenas practicas", "email_dispatch", "5.2.1"))     # idem
        self.configure(wrong)
        m = self.maildir
        registered = message(1, "Constancia del curso de ética")
        training = message(2, "Constancia de capacitación")  # the first rule takes it: 1.1.1
        missed = message(3, "Evidencia de capacitación en línea")
        dispatch = message(4, "Buenas prácticas: campaña de integridad", attachments=[])
        m.add("INBOX", registered)
        m.add("INBOX", training)
        m.add("INBOX", missed)
        m.add("Sent", dispatch)

        log_path = os.path.join(self.agent.root, "agent.log")
        log = open(log_path, "wb")
        self.addCleanup(log.close)
        proc = subprocess.Popen([AGENT, "--config", self.agent.config, "run"], stdout=log, stderr=log)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())

        def read_log():
            with open(log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        wait_until(lambda: "sseccoe-agent running" in read_log() or proc.poll() is not None, 60, "the agent to start")
        self.assertIsNone(proc.poll(), read_log())
        wait_until(lambda: len(self.agent.records("synced")) == 2, 60, "the two constancias to be registered")
        self.assertEqual(len(self.agent.records("unclassified")), 2)
        first = self.by_key(registered)
        _, remote_before = self.remote(first["id"])

        # IT corrects the rules, and moves "constancia" to 1.1.2 as well.
        corrected = (rule("constancia", "course_certificate", "1.1.2")
                     + rule("capacitaci[oó]n", "course_certificate", "1.1.2")
                     + rule("^Buenas pr[aá]cticas", "email_dispatch", "5.2.1"))
        self.configure(corrected)

        dry = self.agent.run("reclassify", "--dry-run")
        self.assertEqual(dry.code, 0, dry)
        self.assertIn("2 would change", dry.out)
        self.assertRegex(dry.out, re.escape(self.by_key(missed)["id"]) +
                         r"  unclassified -> pending 1\.1\.2/course_certificate  rule\[2\]")
        self.assertRegex(dry.out, re.escape(self.by_key(dispatch)["id"]) + r"  unclassified -> re-read by its source")
        self.assertIn("dry run: nothing was changed", dry.out)
        self.assertEqual(len(self.agent.records("unclassified")), 2, "a dry run changes nothing")

        before = read_log().count("configuration applied")
        proc.send_signal(signal.SIGHUP)
        wait_until(lambda: read_log().count("configuration applied") > before, 60, "the reload")
        wait_until(lambda: len(self.agent.records("synced")) == 4, 60, "the backlog to be registered")
        self.assertIn("reclassify: 1 of 2 unclassified or held record(s) changed by today's rules, "
                      "1 to be re-read by their source", read_log())

        rec = self.by_key(missed)
        _, remote = self.remote(rec["id"])
        self.assertEqual((remote["activity"], remote["kind"]), ("1.1.2", "course_certificate"))
        self.assertEqual([f["name"] for f in remote["files"]], ["documento-3.pdf"])
        rec = self.by_key(dispatch)
        _, remote = self.remote(rec["id"])
        self.assertEqual((remote["activity"], remote["kind"]), ("5.2.1", "email_dispatch"))
        self.assertIn("acuse.pdf", [f["name"] for f in remote["files"]], "re-read with its acuse")

        # Registered records are untouched: same activity, revision and folio.
        for raw in (registered, training):
            rec = self.by_key(raw)
            self.assertEqual(rec["status"], "synced")
            _, remote = self.remote(rec["id"])
            self.assertEqual(remote["activity"], "1.1.1", "a registered record changes only by new content")
            self.assertEqual(remote["revision"], 1)
        _, remote_after = self.remote(first["id"])
        self.assertEqual(remote_after["folio"], remote_before["folio"])

        # Applied once: another reclassify has nothing to do.
        again = self.agent.run("reclassify", "--json")
        self.assertEqual(again.code, 0, again)
        self.assertEqual(again.json()["changes"], [])
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=60), 0, read_log())


if __name__ == "__main__":
    unittest.main()

"""End to end: an Outlook mail whose certificate is inside a winmail.dat
(application/ms-tnef), in a Maildir harvested by the real agent into the
real reference registry. The rule `attachment = "*.pdf"` sees the PDF inside,
and the registry receives it, byte for byte, as the record's file; a broken
winmail.dat next to it costs nothing but itself (its message is harvested,
the winmail.dat kept as it is, and the rule does not match)."""
import os
import unittest

import mailgen
from agent_harness import Agent, toml_str
from harness import Registry

SOURCE = "buzon"

RULES = f"""
[[rule]]
source = "{SOURCE}"
match = {{ attachment = "*.pdf" }}
kind = "course_certificate"
activity = "1.1.1"
title = "Constancia: {{stem}}"
"""


class WinmailToRegistry(unittest.TestCase):
    def setUp(self):
        self.registry = Registry()
        self.registry.__enter__()
        self.agent = Agent()
        self.maildir = mailgen.Maildir(os.path.join(self.agent.root, "Maildir"))
        source = (f"\n[[source]]\nname = \"{SOURCE}\"\nplugin = \"maildir\"\n"
                  f"path = {toml_str(self.maildir.root)}\n")
        self.agent.write_config(self.registry.url, self.registry.token_file("INM"), sources=source + RULES)

    def tearDown(self):
        self.agent.close()
        self.registry.__exit__(None, None, None)

    def test_the_pdf_inside_a_winmail_dat_is_registered(self):
        good = mailgen.winmail_message(1, "María López", "Ética pública")
        whole = mailgen.tnef([("constancia-ética.pdf", mailgen.certificate_pdf("Luis", "Ética", "X"))])
        broken = mailgen.winmail_message(2, "Luis Pérez", "Ética pública", tnef_bytes=whole[: len(whole) - 50])
        self.maildir.add("INBOX", good)
        self.maildir.add("INBOX", broken)

        result = self.agent.run("run", "--once", "--json")
        self.assertEqual(result.code, 0, result)
        self.assertEqual(result.json()["registered"], 1, result)
        # IT is told, in the log, which message's winmail.dat stayed whole and why.
        self.assertIn("winmail.dat 'winmail.dat' was not unpacked and is kept as one attachment", result.err)
        self.assertIn("truncated", result.err)

        synced = self.agent.records("synced")
        self.assertEqual([r["key"] for r in synced], [mailgen.message_key(good)])
        status, remote = self.registry.get(f"/evidence/{synced[0]['id']}", institution="INM")
        self.assertEqual(status, 200, remote)
        self.assertEqual((remote["kind"], remote["activity"]), ("course_certificate", "1.1.1"))
        pdf = mailgen.certificate_pdf("María López", "Ética pública", "OUTLOOK-2021-00001")
        self.assertEqual([(f["name"], f["sha256"], f["media_type"]) for f in remote["files"]],
                         [("constancia-ética.pdf", mailgen.sha256(pdf), "application/pdf")])
        stored = os.path.join(self.registry.state_dir, "files", mailgen.sha256(pdf)[:2], mailgen.sha256(pdf)[2:])
        with open(stored, "rb") as f:
            self.assertEqual(f.read(), pdf)
        self.assertEqual(remote["title"], "Constancia: Constancia del curso «Ética pública»")

        # The broken one: harvested (not quarantined), its winmail.dat kept,
        # not a certificate by this rule.
        kept = [r for r in self.agent.records() if r["key"] == mailgen.message_key(broken)]
        self.assertEqual(len(kept), 1, self.agent.records())
        self.assertEqual(kept[0]["status"], "unclassified", kept[0])
        shown = self.agent.run("records", "show", kept[0]["id"], "--json", check=True).json()
        self.assertEqual([(f["name"], f["media_type"]) for f in shown["record"]["files"]],
                         [("winmail.dat", "application/vnd.ms-tnef")])  # typed by its bytes (libmagic)
        quarantine = self.agent.run("quarantine", "list", "--json", check=True).json()
        self.assertEqual(quarantine["quarantine"], [], quarantine)

        # Nothing twice.
        again = self.agent.run("run", "--once", "--json")
        self.assertEqual(again.json()["registered"], 0, again)


if __name__ == "__main__":
    unittest.main()

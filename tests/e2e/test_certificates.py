"""Evidence understanding end to end: the real agent reads certificate PDFs
(through its out-of-process reader and the shipped templates) from a share
and a mailbox, matches their holders against the people register HR filled,
and registers each certificate once in the real registry over loopback:

- the holder (with HR's CURP), course, hours and the date written on the
  certificate reach the registry; a fresh copy dated 2026 by its mtime is
  dated by its text, inside the 2021 window;
- a scan without text is registered with its fields listed as unread; a PNG
  named .pdf is typed by its content; a truncated PDF costs only itself;
- the same certificate mailed and forwarded is one record with two aliases;
- indicator 1.1 counts the matched holders.
"""
import json
import os
import signal
import subprocess
import time
import unittest

import mailgen
from agent_harness import AGENT, MAY_2021, Agent, toml_str, wait_until
from harness import Registry

CURP_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ"


def curp(first17):
    total = sum(CURP_ALPHABET.index(c) * (18 - i) for i, c in enumerate(first17))
    return first17 + str((10 - total % 10) % 10)


ANA = ("Ana María López Hernández", curp("LOHA850514MDFPRN0"), "INM-1001")
JOSE = ("José Núñez Peña", curp("NUPJ800101HDFXXS0"), "INM-1002")

SICAVISP = mailgen.text_pdf([
    "CONSTANCIA",
    "La Secretaría de la Función Pública otorga la presente",
    "CONSTANCIA a: ANA MARÍA LÓPEZ HERNÁNDEZ",
    "por haber acreditado el curso «La Nueva Ética e Integridad en el",
    "Servicio Público» con una duración de 20 horas.",
    "Ciudad de México, a 14 de mayo de 2021",
])
HACE_CONSTAR = mailgen.text_pdf([
    "CONSTANCIA",
    "Se hace constar que José Núñez Peña acreditó el curso",
    "«Los conflictos de intereses en el ejercicio del servicio público»",
    "con duración de 10 horas, concluido el 3 de septiembre de 2021.",
])
FRESH_2026 = time.time()  # a copy saved today: its mtime says nothing about 2021


class Certificates(unittest.TestCase):
    def setUp(self):
        self.registry = Registry()
        self.registry.__enter__()
        self.addCleanup(self.registry.__exit__, None, None, None)
        self.agent = Agent()
        self.addCleanup(self.agent.close)
        self.maildir = mailgen.Maildir(os.path.join(self.agent.root, "Maildir"))

    def write_hr(self):
        with open(os.path.join(self.hr, "cartas.csv"), "w", encoding="utf-8") as f:
            f.write("No. Empleado,Nombre,CURP,Fecha\n")
            for name, c, emp in (ANA, JOSE):
                f.write(f"{emp},{name.upper()},{c},2021-03-01\n")

    def configure(self, with_hr=True):
        a = self.agent
        self.hr = os.path.join(a.root, "rh")
        os.makedirs(self.hr, exist_ok=True)
        if with_hr:
            self.write_hr()
        sources = f"""
[[source]]
name = "cartas"
plugin = "csv"
path = {toml_str(os.path.join(self.hr, "*.csv"))}
interval = "1s"
settle = "0s"
key = ["employee_id"]
columns = {{ employee_id = "No. Empleado", name = "Nombre", curp = "CURP", occurred_on = "Fecha" }}

[[source]]
name = "comite"
plugin = "folder"
path = {toml_str(a.share)}
settle = "0s"

[[source]]
name = "buzon"
plugin = "maildir"
path = {toml_str(self.maildir.root)}

[[rule]]
source = "cartas"
match = {{ table = "cartas" }}
kind = "conduct_pledge"
activity = "4.1.2"

[[rule]]
source = "comite"
match = {{ glob = "Constancias/**" }}
kind = "course_certificate"
activity = "1.1.1"

[[rule]]
source = "buzon"
match = {{ attachment = "*.pdf" }}
kind = "course_certificate"
activity = "1.1.1"
"""
        a.write_config(self.registry.url, self.registry.token_file("INM"), sources=sources)
        if with_hr:
            check = a.run("check-config")
            self.assertEqual(check.code, 0, check)
            self.assertIn("certificate template(s)", check.out)

    def remote(self, record_id):
        status, body = self.registry.get(f"/evidence/{record_id}", institution="INM")
        self.assertEqual(status, 200, body)
        return body

    def record(self, source, key):
        found = [r for r in self.agent.records() if r["source"] == source and r["key"] == key]
        self.assertEqual(len(found), 1, f"{source}:{key} in {self.agent.records()}")
        return found[0]

    def test_certificates_are_read_matched_and_counted_once(self):
        self.configure()
        a = self.agent
        a.put_file("Constancias/ana.pdf", SICAVISP, FRESH_2026)
        a.put_file("Constancias/jose.pdf", HACE_CONSTAR, MAY_2021)
        a.put_file("Constancias/escaneo.pdf", mailgen.text_pdf([], image_only=True), MAY_2021)
        a.put_file("Constancias/captura.pdf", b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + b"\0" * 40, MAY_2021)
        a.put_file("Constancias/rota.pdf", SICAVISP[: len(SICAVISP) // 2], MAY_2021)
        mail = mailgen.build_message(
            subject="Constancia del curso", sender=mailgen.PLATFORM, to="Ana <ana@inm.gob.mx>",
            date=mailgen.mx_date(2021, 5, 15), message_id="constancia.ana@sicavisp",
            body="Adjuntamos su constancia.\n", attachments=[mailgen.Attachment("Constancia Ana.pdf", SICAVISP)])
        forward = mailgen.build_message(
            subject="RV: Constancia del curso", sender="Ana <ana@inm.gob.mx>", to=mailgen.COMMITTEE,
            date=mailgen.mx_date(2021, 5, 16), message_id="rv.constancia.ana@inm",
            body="Para su registro.\n", attachments=[mailgen.Attachment("constancia.pdf", SICAVISP)])
        self.maildir.add("INBOX", mail)
        self.maildir.add("INBOX", forward)

        result = a.run("run", "--once", "--json")
        self.assertEqual(result.code, 0, result)

        ana = self.remote(self.record("comite", "Constancias/ana.pdf")["id"])
        self.assertEqual(ana["occurred_on"], "2021-05-14", "the written date, not the 2026 mtime")
        self.assertEqual(ana["attributes"]["occurred_on_from"], "text")
        self.assertEqual(ana["attributes"]["hours"], 20)
        self.assertIn("Integridad", ana["attributes"]["course"])
        self.assertEqual([(p["name"], p.get("curp")) for p in ana["people"]], [("Ana María López Hernández", ANA[1])])
        self.assertNotIn("unread", ana["attributes"])

        jose = self.remote(self.record("comite", "Constancias/jose.pdf")["id"])
        self.assertEqual(jose["occurred_on"], "2021-09-03")
        self.assertEqual(jose["attributes"]["hours"], 10)
        self.assertEqual(jose["people"][0].get("curp"), JOSE[1], "matched by name: HR's CURP")

        scan = self.remote(self.record("comite", "Constancias/escaneo.pdf")["id"])
        self.assertEqual(sorted(scan["attributes"]["unread"]), ["course", "name", "occurred_on"])
        png = self.remote(self.record("comite", "Constancias/captura.pdf")["id"])
        self.assertEqual(png["files"][0]["media_type"], "image/png", "typed by content, not by name")
        broken = self.record("comite", "Constancias/rota.pdf")
        self.assertIn(broken["status"], ("synced",), broken)

        # The mailed copy and the forward: no record of their own, two aliases.
        buzon = [r for r in a.records() if r["source"] == "buzon"]
        self.assertEqual(buzon, [], "the same content for the same activity is one record")
        explain = a.run("explain", self.record("comite", "Constancias/ana.pdf")["id"], "--json", check=True).json()
        self.assertEqual(sorted(x["key"] for x in explain["aliases"]),
                         sorted([mailgen.message_key(mail), mailgen.message_key(forward)]))
        text = a.run("explain", self.record("comite", "Constancias/ana.pdf")["id"], check=True).out
        self.assertIn("also seen", text)
        self.assertIn("holder: matched in the people register", text)

        # Review: the scan is listed with what could not be read.
        review = {r["key"]: r["review"] for r in a.run("unclassified", "list", "--json", check=True).json()["records"]}
        self.assertIn("fields not read from its file", review["Constancias/escaneo.pdf"])

        # Indicator 1.1 counts people: Ana and José, once each.
        report = json.loads(a.run("report", "--format", "json", check=True).out)
        ind = [i for i in report["indicators"] if i["key"] == "1.1"][0]
        self.assertEqual(ind["numerator"], 2, ind)

        # Nothing twice on a second pass.
        again = a.run("run", "--once", "--json")
        self.assertEqual(again.json()["registered"], 0, again)


    def test_a_holder_read_before_hr_is_matched_when_hr_arrives(self):
        """The service: the certificate is registered with its holder as
        read; HR's export arrives later; the holder is matched and the
        registry gets revision 2 with HR's CURP, same folio."""
        self.configure(with_hr=False)
        a = self.agent
        a.put_file("Constancias/ana.pdf", SICAVISP, MAY_2021)
        log_path = os.path.join(a.root, "agent.log")
        log = open(log_path, "wb")
        self.addCleanup(log.close)
        proc = subprocess.Popen([AGENT, "--config", a.config, "run"], stdout=log, stderr=log)
        self.addCleanup(lambda: proc.poll() is None and (proc.kill(), proc.wait()))

        def read_log():
            with open(log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        wait_until(lambda: "sseccoe-agent running" in read_log() or proc.poll() is not None, 60, "the start")
        self.assertIsNone(proc.poll(), read_log())
        wait_until(lambda: a.records("synced"), 60, "the certificate to be registered")
        rid = self.record("comite", "Constancias/ana.pdf")["id"]
        first = self.remote(rid)
        self.assertEqual(first["attributes"]["unmatched"], ["Ana María López Hernández"])
        self.assertNotIn("curp", first["people"][0])

        self.write_hr()
        wait_until(lambda: self.remote(rid)["revision"] == 2, 60, "the holder to be matched and sent again")
        now = self.remote(rid)
        self.assertEqual(now["people"][0].get("curp"), ANA[1])
        self.assertEqual(now["people"][0].get("employee_id"), ANA[2])
        self.assertNotIn("unmatched", now["attributes"])
        self.assertEqual(now["folio"], first["folio"])
        self.assertIn("certificate holder(s) matched now", read_log())
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=60), 0, read_log())


if __name__ == "__main__":
    unittest.main()

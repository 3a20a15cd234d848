"""End to end: HR exports in CSV harvested by the real agent (csv plugin)
into the real reference registry over loopback: each row exactly once, a
corrected row as a revision, a removed row noted gone locally and kept in
the registry, and a census that registers only its count."""
import os
import sqlite3
import unittest

from agent_harness import MAY_2021, Agent, toml_str
from harness import Registry

CURP_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ"


def curp(first17):
    """A CURP with its check digit (RENAPO's algorithm, as python-stdnum)."""
    total = sum(CURP_ALPHABET.index(c) * (18 - i) for i, c in enumerate(first17))
    return first17 + str((10 - total % 10) % 10)


JOSE = curp("NUJO800514HDFXRS0")
MARIA = curp("PEMA850601MDFXXR0")
LUIS = curp("GOPL790320HDFNRS0")

HEADER = "No. Empleado;Nombre;CURP;Curso;Fecha de conclusión;Horas"
ROWS = [
    f"1001;José Núñez;{JOSE};Ética pública;14/05/2021;10",
    f"1002;\"Peña, María\";{MARIA};Conflictos de interés;2021-06-01;8",
    f"1003;Luis Gómez;{LUIS};Ética pública;2021-07-20;10",
]


def cp1252_csv(lines):
    """The export as Excel writes it on a Spanish Windows: Windows-1252, CRLF."""
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


class CsvToRegistry(unittest.TestCase):
    def setUp(self):
        self.registry = Registry()
        self.registry.__enter__()
        self.agent = Agent()

    def tearDown(self):
        self.agent.close()
        self.registry.__exit__(None, None, None)

    def configure(self, sources):
        self.agent.write_config(self.registry.url, self.registry.token_file("INM"), sources=sources)
        check = self.agent.run("check-config")
        self.assertEqual(check.code, 0, check)

    def training_source(self):
        return f"""
[[source]]
name = "capacitacion"
plugin = "csv"
path = {toml_str(os.path.join(self.agent.share, "capacitacion.csv"))}
settle = "0s"
key = ["employee_id", "course"]
columns = {{ employee_id = "No. Empleado", name = "Nombre", curp = "CURP", course = "Curso", occurred_on = "Fecha de conclusion", hours = "Horas" }}

[[rule]]
source = "capacitacion"
match = {{ table = '^capacitacion\\.csv$' }}
kind = "course_certificate"
activity = "1.1.2"
title = "Capacitación: {{meta.course}}"
attributes = {{ curso = "{{meta.course}}", horas = "{{meta.hours}}" }}
"""

    def remote(self, record_id):
        status, body = self.registry.get(f"/evidence/{record_id}", institution="INM")
        self.assertEqual(status, 200, body)
        return body

    def gone_keys(self):
        db = sqlite3.connect(f"file:{os.path.join(self.agent.state, 'agent.db')}?mode=ro", uri=True)
        try:
            return {k for (k,) in db.execute("SELECT natural_key FROM items WHERE gone_at IS NOT NULL")}
        finally:
            db.close()

    def test_rows_once_then_revision_then_gone(self):
        a = self.agent
        a.put_file("capacitacion.csv", cp1252_csv([HEADER] + ROWS + ["1004;Ana;;Ética;2021-05-14;2;extra"]), MAY_2021)
        self.configure(self.training_source())

        first = a.run("run", "--once", "--json")
        self.assertEqual(first.code, 0, first)
        self.assertEqual(first.json()["registered"], 3, first)
        synced = {r["key"]: r for r in a.records("synced")}
        self.assertEqual(set(synced), {"row:1001|Ética pública", "row:1002|Conflictos de interés",
                                       "row:1003|Ética pública"})
        jose = self.remote(synced["row:1001|Ética pública"]["id"])
        self.assertEqual((jose["kind"], jose["activity"], jose["revision"]), ("course_certificate", "1.1.2", 1))
        self.assertEqual(jose["occurred_on"], "2021-05-14")
        self.assertEqual(jose["title"], "Capacitación: Ética pública")
        self.assertEqual(jose["attributes"]["curso"], "Ética pública")
        self.assertEqual([(p["name"], p["curp"], p["employee_id"]) for p in jose["people"]],
                         [("José Núñez", JOSE, "1001")], "Windows-1252 accents come out right")
        maria = self.remote(synced["row:1002|Conflictos de interés"]["id"])
        self.assertEqual(maria["people"][0]["name"], "Peña, María", "a quoted name keeps its comma")
        folios = {k: r["folio"] for k, r in synced.items()}

        # The ragged row waits in the quarantine with its line; nothing of it was sent.
        quarantine = a.run("quarantine", "list", "--json", check=True)
        self.assertIn("line 5 has 7 fields, the header has 6", quarantine.out)

        # A second pass over the unchanged export registers nothing.
        second = a.run("run", "--once", "--json")
        self.assertEqual(second.code, 0, second)
        self.assertEqual(second.json()["registered"], 0, second)

        # María's date corrected, Luis removed, José's row moved down a line.
        a.put_file("capacitacion.csv", cp1252_csv([HEADER, ROWS[1].replace("2021-06-01", "2021-06-02"), ROWS[0]]),
                   MAY_2021 + 3600)
        third = a.run("run", "--once", "--json")
        self.assertEqual(third.code, 0, third)
        self.assertEqual(third.json()["registered"], 1, third)
        maria = self.remote(synced["row:1002|Conflictos de interés"]["id"])
        self.assertEqual((maria["revision"], maria["folio"]), (2, folios["row:1002|Conflictos de interés"]))
        self.assertEqual(maria["occurred_on"], "2021-06-02")
        self.assertEqual(self.remote(synced["row:1001|Ética pública"]["id"])["revision"], 1, "moving is no change")

        # Luis is gone locally and stays registered.
        self.assertEqual(self.gone_keys(), {"row:1003|Ética pública"})
        luis = self.remote(synced["row:1003|Ética pública"]["id"])
        self.assertEqual(luis["folio"], folios["row:1003|Ética pública"])
        status, page = self.registry.get("/evidence?program=PAT-2021", institution="INM")
        self.assertEqual(status, 200)
        self.assertEqual(len(page["items"]), 3)

    def test_a_hostile_export_quarantines_each_bad_row_alone_and_registers_the_rest_once(self):
        """UTF-8 with a BOM, a quoted newline, a duplicate key, a malformed
        CURP, a row with bytes that are not UTF-8 and a ragged row, in one
        file: each bad row is quarantined with its line, every good row is
        registered once, and nothing changes on a second pass."""
        a = self.agent
        bad_curp = "NUJO800514HDFXRS0X"  # right shape, wrong check digit
        lines = [HEADER.replace(";", ","),
                 f"2001,\"Ana\nLópez\",{MARIA},Ética pública,2021-05-14,10",  # a quoted newline (lines 2-3)
                 f"2002,Berta Ruiz,{LUIS},Ética pública,2021-05-15,10",
                 f"2002,Berta Ruiz,{LUIS},Ética pública,2021-05-16,10",  # duplicate key (line 5)
                 f"2003,Carlos Díaz,{bad_curp},Ética pública,2021-05-17,10",
                 "2004,Dora,,Ética pública,2021-05-18,10,extra",  # ragged (line 7)
                 f"2005,Elena Soto,{JOSE},Ética pública,2021-05-19,10"]
        data = "\ufeff".encode() + "\r\n".join(lines).encode() + b"\r\n"
        data += b"2006,Fer\xf1ando,,\xc9tica p\xfablica,2021-05-20,10\r\n"  # Latin-1 bytes in a UTF-8 file (line 9)
        a.put_file("capacitacion.csv", data, MAY_2021)
        self.configure(self.training_source())

        first = a.run("run", "--once", "--json")
        self.assertEqual(first.code, 0, first)
        self.assertEqual(first.json()["registered"], 3, first)
        self.assertEqual(sorted(r["key"] for r in a.records("synced")),
                         ["row:2001|Ética pública", "row:2002|Ética pública", "row:2005|Ética pública"])
        ana = self.remote([r for r in a.records("synced") if r["key"].startswith("row:2001")][0]["id"])
        self.assertEqual(ana["people"][0]["name"], "Ana\nLópez")
        berta = self.remote([r for r in a.records("synced") if r["key"].startswith("row:2002")][0]["id"])
        self.assertEqual(berta["occurred_on"], "2021-05-15", "the first of two duplicate rows is the one kept")

        reasons = [e["reason"] for e in a.run("quarantine", "list", "--json", check=True).json()["quarantine"]]
        text = "\n".join(reasons)
        self.assertEqual(len(reasons), 4, text)
        self.assertRegex(text, r"duplicate key.*line 4.*line 5|duplicate key.*lines? 4 and 5")
        self.assertIn("CURP", text)
        self.assertNotIn(bad_curp, text, "the CURP is masked in the reason")
        self.assertIn("line 7 has 7 fields, the header has 6", text)
        self.assertRegex(text, r"line 9")
        self.assertNotIn("Fer", text)

        second = a.run("run", "--once", "--json")
        self.assertEqual(second.json()["registered"], 0, second)
        self.assertEqual(len(a.run("quarantine", "list", "--json", check=True).json()["quarantine"]), 4)

    def test_census_registers_only_the_count(self):
        a = self.agent
        rows = ["No. Empleado,Nombre,CURP,Unidad"]
        rows += [f"{5000 + i},Persona {i},{JOSE},Oficina {i % 7}" for i in range(250)]
        a.put_file("plantilla.csv", "\n".join(rows) + "\n", MAY_2021)
        self.configure(f"""
[[source]]
name = "plantilla"
plugin = "csv"
role = "census"
path = {toml_str(os.path.join(a.share, "plantilla.csv"))}
settle = "0s"
key = []
""")
        first = a.run("run", "--once", "--json")
        self.assertEqual(first.code, 0, first)
        self.assertEqual(first.json()["registered"], 1, first)
        [record] = a.records("synced")
        self.assertEqual(record["kind"], "headcount")
        body = self.remote(record["id"])
        self.assertEqual(body.get("people", []), [], "a census sends no people")
        self.assertEqual(body["attributes"]["count"], 250)
        self.assertEqual(body["occurred_on"], "2021-05-14")
        self.assertNotIn("Persona", str(body))
        self.assertEqual(a.run("run", "--once", "--json").json()["registered"], 0)


if __name__ == "__main__":
    unittest.main()

"""End to end: a committee roster kept in an XLSX workbook, harvested by the
real agent (xlsx plugin) into the real reference registry over loopback:
each member once, a changed cell as revision 2 of the same folio, and a
truncated copy of the workbook quarantined with a clear reason while nothing
already registered is lost or marked gone.

The workbooks are written here with zipfile, as Excel lays them out: texts in
the shared strings, employee numbers as numbers, dates as serial days under a
date format."""
import datetime
import os
import sqlite3
import unittest
import zipfile
from xml.sax.saxutils import escape

from agent_harness import MAY_2021, Agent, toml_str
from harness import Registry

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_PART = "xl/worksheets/sheet1.xml"

HEADER = ["No. Empleado", "Nombre", "Cargo en el comité", "Fecha de designación"]
MEMBERS = [
    (1001, "José Núñez", "Presidente", datetime.date(2021, 2, 15)),
    (1002, "María Peña", "Secretaria ejecutiva", datetime.date(2021, 3, 1)),
    (1003, "Luis Gómez", "Vocal", datetime.date(2021, 5, 14)),
    (1004, "Ana Pérez", "Vocal suplente", datetime.date(2021, 11, 5)),
]


def serial(day):
    """Excel's serial day (1900 system) for a date after 1900-03-01."""
    return (day - datetime.date(1899, 12, 30)).days


def column(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def write_roster(path, members, sheet_name="Integrantes", mtime=None):
    """A workbook whose first sheet lists the members under HEADER. The sheet
    is the last entry, as the largest part usually is."""
    strings, index = [], {}

    def sst(text):
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    rows = []
    cells = "".join(f'<c r="{column(i)}1" t="s"><v>{sst(h)}</v></c>' for i, h in enumerate(HEADER))
    rows.append(f'<row r="1">{cells}</row>')
    for n, (emp, name, role, day) in enumerate(members, start=2):
        rows.append(
            f'<row r="{n}"><c r="A{n}"><v>{emp}</v></c><c r="B{n}" t="s"><v>{sst(name)}</v></c>'
            f'<c r="C{n}" t="s"><v>{sst(role)}</v></c><c r="D{n}" s="1"><v>{serial(day)}</v></c></row>')
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}">'
             f'<sheetData>{"".join(rows)}</sheetData></worksheet>')
    shared = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN_NS}" '
              f'count="{len(strings)}" uniqueCount="{len(strings)}">'
              + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'content-types"/>')
        z.writestr("_rels/.rels",
                   f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
                   f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets><sheet name="{escape(sheet_name)}" '
                   f'sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   f'<Relationships xmlns="{PKG_REL_NS}">'
                   f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
                   f'<Relationship Id="rId2" Type="{REL_NS}/styles" Target="styles.xml"/>'
                   f'<Relationship Id="rId3" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
                   f'</Relationships>')
        z.writestr("xl/styles.xml",
                   f'<styleSheet xmlns="{MAIN_NS}"><cellXfs count="2"><xf numFmtId="0"/>'
                   f'<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')
        z.writestr("xl/sharedStrings.xml", shared)
        z.writestr(SHEET_PART, sheet)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def truncate_inside_sheet(path, mtime):
    """Cuts the file halfway through the sheet's compressed data: a copy
    interrupted before it was done."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(SHEET_PART)
    data_start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    with open(path, "r+b") as f:
        f.truncate(data_start + info.compress_size // 2)
    os.utime(path, (mtime, mtime))


class XlsxToRegistry(unittest.TestCase):
    def setUp(self):
        self.registry = Registry()
        self.registry.__enter__()
        self.agent = Agent()
        self.path = os.path.join(self.agent.share, "directorio.xlsx")

    def tearDown(self):
        self.agent.close()
        self.registry.__exit__(None, None, None)

    def configure(self):
        self.agent.write_config(self.registry.url, self.registry.token_file("INM"), sources=f"""
[[source]]
name = "directorio"
plugin = "xlsx"
path = {toml_str(self.path)}
sheet = "Integrantes"
settle = "0s"
key = ["employee_id"]
columns = {{ employee_id = "No. Empleado", name = "Nombre", cargo = "Cargo en el comite", occurred_on = "Fecha de designacion" }}

[[rule]]
source = "directorio"
kind = "committee_roster"
activity = "4.1.1"
title = "Integrante del Comité: {{meta.cargo}}"
attributes = {{ cargo = "{{meta.cargo}}" }}
""")
        check = self.agent.run("check-config")
        self.assertEqual(check.code, 0, check)

    def remote(self, record_id):
        status, body = self.registry.get(f"/evidence/{record_id}", institution="INM")
        self.assertEqual(status, 200, body)
        return body

    def run_once(self, registered):
        r = self.agent.run("run", "--once", "--json")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.json()["registered"], registered, r)
        return r

    def gone_keys(self):
        db = sqlite3.connect(f"file:{os.path.join(self.agent.state, 'agent.db')}?mode=ro", uri=True)
        try:
            return {k for (k,) in db.execute("SELECT natural_key FROM items WHERE gone_at IS NOT NULL")}
        finally:
            db.close()

    def test_members_once_then_a_changed_cell_is_revision_2(self):
        write_roster(self.path, MEMBERS, mtime=MAY_2021)
        self.configure()
        self.run_once(4)
        synced = {r["key"]: r for r in self.agent.records("synced")}
        self.assertEqual(set(synced), {"row:1001", "row:1002", "row:1003", "row:1004"})
        jose = self.remote(synced["row:1001"]["id"])
        self.assertEqual((jose["kind"], jose["activity"], jose["revision"]), ("committee_roster", "4.1.1", 1))
        self.assertEqual(jose["occurred_on"], "2021-02-15", "a serial day under a date format is a date")
        self.assertEqual(jose["title"], "Integrante del Comité: Presidente")
        self.assertEqual([(p["name"], p["employee_id"]) for p in jose["people"]], [("José Núñez", "1001")],
                         "the employee number has no trailing .0")
        self.assertEqual(self.remote(synced["row:1004"]["id"])["occurred_on"], "2021-11-05")
        folios = {k: r["folio"] for k, r in synced.items()}
        for folio in folios.values():
            self.assertRegex(folio, r"^SSECCOE-INM-2021-\d{6}$")

        # The same workbook again: nothing registered (it is not even read).
        self.run_once(0)
        # Saved again unchanged (a new mtime): read, and still nothing registered.
        write_roster(self.path, MEMBERS, mtime=MAY_2021 + 60)
        self.run_once(0)

        # Luis becomes the secretary: one cell changed, one revision.
        changed = [m if m[0] != 1003 else (1003, "Luis Gómez", "Secretario técnico", m[3]) for m in MEMBERS]
        write_roster(self.path, changed, mtime=MAY_2021 + 3600)
        self.run_once(1)
        luis = self.remote(synced["row:1003"]["id"])
        self.assertEqual((luis["revision"], luis["folio"]), (2, folios["row:1003"]))
        self.assertEqual(luis["attributes"]["cargo"], "Secretario técnico")
        for key in ("row:1001", "row:1002", "row:1004"):
            self.assertEqual(self.remote(synced[key]["id"])["revision"], 1, key)
        status, page = self.registry.get("/evidence?program=PAT-2021", institution="INM")
        self.assertEqual(status, 200)
        self.assertEqual(len(page["items"]), 4)

    def test_a_truncated_copy_is_quarantined_and_nothing_is_lost(self):
        # Enough members that the sheet's compressed data can be cut halfway.
        members = MEMBERS + [(2000 + i, f"Integrante {i:03d} Apellido Apellido", "Vocal",
                              datetime.date(2021, 3, 1) + datetime.timedelta(days=i)) for i in range(120)]
        write_roster(self.path, members, mtime=MAY_2021)
        self.configure()
        self.run_once(len(members))
        before = {r["key"]: (r["id"], r["folio"]) for r in self.agent.records("synced")}
        self.assertEqual(len(before), len(members))

        truncate_inside_sheet(self.path, MAY_2021 + 600)
        self.run_once(0)
        quarantine = self.agent.run("quarantine", "list", "--json", check=True).json()["quarantine"]
        entries = [e for e in quarantine if e["key"] == "table:directorio.xlsx"]
        self.assertEqual(len(entries), 1, quarantine)
        reason = entries[0]["reason"]
        self.assertIn("directorio.xlsx: the file is truncated", reason)
        self.assertIn("xl/worksheets/sheet1.xml", reason)
        self.assertRegex(reason, r"the \d+ rows before that point were read")
        self.assertIn("no row of this source is reported gone", reason)
        # Nothing registered is lost, revised or marked gone.
        self.assertEqual(self.gone_keys(), set())
        after = {r["key"]: (r["id"], r["folio"]) for r in self.agent.records("synced")}
        self.assertEqual(after, before)
        for rid, _ in list(before.values())[:3]:
            self.assertEqual(self.remote(rid)["revision"], 1)

        # The whole copy arrives: read again, nothing new, nothing gone.
        write_roster(self.path, members, mtime=MAY_2021 + 1200)
        self.run_once(0)
        self.assertEqual(self.gone_keys(), set())
        status, page = self.registry.get("/evidence?program=PAT-2021&page_size=500", institution="INM")
        self.assertEqual(status, 200)
        self.assertEqual(len(page["items"]), len(members))

    def test_a_sheet_that_does_not_exist_names_the_sheets(self):
        write_roster(self.path, MEMBERS, sheet_name="Hoja1", mtime=MAY_2021)
        self.configure()
        self.run_once(0)
        quarantine = self.agent.run("quarantine", "list", "--json", check=True).json()["quarantine"]
        [entry] = [e for e in quarantine if e["key"] == "table:directorio.xlsx"]
        self.assertIn("no sheet named 'Integrantes'", entry["reason"])
        self.assertIn("its sheets are 'Hoja1'", entry["reason"])


if __name__ == "__main__":
    unittest.main()

"""End to end: HR exports without a date column (a committee roster) are
dated by the export itself, harvested by the real agent (csv and xlsx
plugins) into the real reference registry over loopback.

A roster lists who sits on the ethics committee; it has no per-row date. Its
rows take the local day of the file's modification time (occurred_on_from
"export:mtime"), so that activity 4.1.1 (committee_roster, window
2021-02-15..2021-11-05 in PAT-2021) gets its evidence instead of holding
every row with "the item carries no date". The same roster exported again
with a newer mtime and the same cells registers nothing new: the date is not
part of a row's version. The SQL case (dated by the query) lives in
test_sql_to_registry.py, next to its PostgreSQL server."""
import os
import time
import unittest
import zipfile
from xml.sax.saxutils import escape

from agent_harness import MAY_2021, Agent, toml_str
from harness import Registry

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

HEADER = ["No. Empleado", "Nombre", "Cargo en el comité"]
MEMBERS = [
    ("1001", "José Núñez", "Presidente"),
    ("1002", "María Peña", "Secretaria ejecutiva"),
    ("1003", "Luis Gómez", "Vocal"),
]


def local_day(unix):
    return time.strftime("%Y-%m-%d", time.localtime(unix))


def column(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def write_xlsx(path, rows, sheet_name="Integrantes", mtime=None):
    """A workbook as Excel lays it out: texts in the shared strings, numbers
    as numbers. `rows` is a list of lists; a row may be shorter (a title)."""
    strings, index = [], {}

    def sst(text):
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    xml_rows = []
    for n, row in enumerate(rows, start=1):
        cells = ""
        for i, value in enumerate(row):
            ref = f"{column(i)}{n}"
            if value.isdigit():
                cells += f'<c r="{ref}"><v>{value}</v></c>'
            else:
                cells += f'<c r="{ref}" t="s"><v>{sst(value)}</v></c>'
        xml_rows.append(f'<row r="{n}">{cells}</row>')
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}">'
             f'<sheetData>{"".join(xml_rows)}</sheetData></worksheet>')
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
                   f'<Relationship Id="rId3" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
                   f'</Relationships>')
        z.writestr("xl/sharedStrings.xml", shared)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def write_csv(path, rows, mtime=None):
    """The roster as Excel's "CSV UTF-8" on a Spanish Windows: BOM, ';', CRLF."""
    with open(path, "wb") as f:
        f.write("\ufeff".encode() + "".join(";".join(r) + "\r\n" for r in rows).encode())
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def roster_source(name, plugin, path, extra=""):
    return f"""
[[source]]
name = "{name}"
plugin = "{plugin}"
path = {toml_str(path)}
settle = "0s"
key = ["employee_id"]
columns = {{ employee_id = "No. Empleado", name = "Nombre", cargo = "Cargo en el comite" }}
{extra}
[[rule]]
source = "{name}"
kind = "committee_roster"
activity = "4.1.1"
title = "Integrante del Comité: {{meta.cargo}}"
"""


class DatelessExports(unittest.TestCase):
    def setUp(self):
        self.registry = Registry()
        self.registry.__enter__()
        self.addCleanup(self.registry.__exit__, None, None, None)
        self.agent = Agent()
        self.addCleanup(self.agent.close)
        self.csv = os.path.join(self.agent.share, "directorio.csv")
        self.xlsx = os.path.join(self.agent.share, "directorio.xlsx")

    def configure(self, sources):
        self.agent.write_config(self.registry.url, self.registry.token_file("INM"), sources=sources)
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
        return r.json()

    def both_sources(self):
        return (roster_source("directorio_csv", "csv", self.csv)
                + roster_source("directorio_xlsx", "xlsx", self.xlsx, 'sheet = "integrantes"\n'))

    def test_a_roster_without_a_date_column_is_dated_by_the_files_mtime_and_registered_once(self):
        write_csv(self.csv, [HEADER] + [list(m) for m in MEMBERS], mtime=MAY_2021)
        # The xlsx export a month later; its sheet is named with other case.
        june = MAY_2021 + 31 * 86400
        write_xlsx(self.xlsx, [HEADER] + [list(m) for m in MEMBERS], sheet_name="INTEGRANTES", mtime=june)
        self.configure(self.both_sources())

        first = self.run_once(6)
        for source in ("directorio_csv", "directorio_xlsx"):
            self.assertEqual(first["sources"][source]["new"], 3, first)
        records = self.agent.records()
        self.assertEqual(len(records), 6)
        self.assertTrue(all(r["status"] == "synced" for r in records), records)
        for r in records:
            remote = self.remote(r["id"])
            self.assertEqual((remote["kind"], remote["activity"], remote["revision"]),
                             ("committee_roster", "4.1.1", 1), remote)
            expected = local_day(MAY_2021 if r["source"] == "directorio_csv" else june)
            self.assertEqual(remote["occurred_on"], expected, remote)
            self.assertEqual(remote["attributes"].get("occurred_on_from"), "export:mtime", remote)
        jose = [r for r in records if r["source"] == "directorio_csv" and r["key"] == "row:1001"][0]
        self.assertEqual(self.remote(jose["id"])["title"], "Integrante del Comité: Presidente")
        folios = {r["id"]: r["folio"] for r in records}

        # Exported again the next day, the same cells: a new mtime (still in
        # the window), nothing new, nothing revised, revision 1 in the registry.
        write_csv(self.csv, [HEADER] + [list(m) for m in MEMBERS], mtime=MAY_2021 + 86400)
        write_xlsx(self.xlsx, [HEADER] + [list(m) for m in MEMBERS], sheet_name="INTEGRANTES", mtime=june + 86400)
        second = self.run_once(0)
        for source in ("directorio_csv", "directorio_xlsx"):
            self.assertEqual((second["sources"][source]["new"], second["sources"][source]["revised"],
                              second["sources"][source]["unchanged"]), (0, 0, 3), second)
        for r in self.agent.records():
            remote = self.remote(r["id"])
            self.assertEqual((remote["revision"], remote["folio"]), (1, folios[r["id"]]), remote)
            self.assertEqual(r["revision"], 1, r)
            expected = local_day(MAY_2021 if r["source"] == "directorio_csv" else june)
            self.assertEqual(remote["occurred_on"], expected, "the first export's date stays")

        # A plain `touch` (mtime now, outside the 2021 window) changes nothing either.
        os.utime(self.csv, None)
        os.utime(self.xlsx, None)
        self.run_once(0)
        for r in self.agent.records():
            self.assertEqual((r["status"], r["revision"]), ("synced", 1), r)

        # A changed cell is revision 2, dated by the export it changed in.
        changed = [list(m) for m in MEMBERS]
        changed[2][2] = "Vocal suplente"
        write_csv(self.csv, [HEADER] + changed, mtime=MAY_2021 + 7 * 86400)
        self.run_once(1)
        luis = [r for r in self.agent.records() if r["source"] == "directorio_csv" and r["key"] == "row:1003"][0]
        remote = self.remote(luis["id"])
        self.assertEqual((remote["revision"], remote["folio"]), (2, folios[luis["id"]]))
        self.assertEqual(remote["occurred_on"], local_day(MAY_2021 + 7 * 86400))

    def test_an_export_dated_outside_the_window_is_held_for_the_window_not_for_a_missing_date(self):
        write_csv(self.csv, [HEADER] + [list(m) for m in MEMBERS], mtime=MAY_2021 - 120 * 86400)  # January 2021
        self.configure(roster_source("directorio_csv", "csv", self.csv))
        self.run_once(0)
        records = self.agent.records()
        self.assertEqual(len(records), 3)
        for r in records:
            self.assertEqual(r["status"], "held", r)
            self.assertIn("outside activity 4.1.1's window", r["reason"])
            self.assertNotIn("carries no date", r["reason"])

    def test_a_title_row_above_the_header_says_how_to_skip_it(self):
        title = ["Directorio del Comité de Ética 2021"]
        write_xlsx(self.xlsx, [title] + [HEADER] + [list(m) for m in MEMBERS], mtime=MAY_2021)
        write_csv(self.csv, [title] + [HEADER] + [list(m) for m in MEMBERS], mtime=MAY_2021)
        self.configure(self.both_sources())
        r = self.agent.run("run", "--once", "--json")
        self.assertEqual(r.json()["registered"], 0, r)
        quarantine = "\n".join(e["reason"] for e in
                               self.agent.run("quarantine", "list", "--json", check=True).json()["quarantine"])
        self.assertIn("row 1 looks like a title", quarantine)
        self.assertIn("set header_row = 2 if the column names are on row 2", quarantine)
        self.assertIn("it has no header_row option", quarantine)

        # With header_row = 2 the workbook's members go through.
        self.configure(roster_source("directorio_xlsx", "xlsx", self.xlsx, 'sheet = "integrantes"\nheader_row = 2\n'))
        self.run_once(3)

    def test_control_characters_quarantine_their_rows_with_one_warning(self):
        rows = [";".join(HEADER), "1001;José Núñez;Presidente", "1002;M\0a\0r\0i\0a\0;Vocal",
                "1003;Luis\x1aGómez;Vocal", "1004;Ana Pérez;Vocal"]
        with open(self.csv, "wb") as f:
            f.write(("\r\n".join(rows) + "\r\n").encode())
        os.utime(self.csv, (MAY_2021, MAY_2021))
        self.configure(roster_source("directorio_csv", "csv", self.csv))
        r = self.agent.run("run", "--once", "--json")
        self.assertEqual(r.json()["registered"], 2, r)
        self.assertEqual(sorted(x["key"] for x in self.agent.records()), ["row:1001", "row:1004"])
        q = self.agent.run("quarantine", "list", "--json", check=True)
        text = q.out
        reasons = "\n".join(e["reason"] for e in q.json()["quarantine"])
        self.assertIn('line 3, column "Nombre": the cell holds the control character 0x00 (NUL)', reasons)
        self.assertIn('line 4, column "Nombre": the cell holds the control character 0x1A (SUB)', reasons)
        self.assertNotIn("Luis", text)
        self.assertNotIn("Gómez", text)
        warnings = [l for l in r.err.splitlines() if "rows hold control characters" in l]
        self.assertEqual(len(warnings), 1, r.err)
        self.assertIn("2 rows hold control characters", warnings[0])
        self.assertIn("the first at line 3", warnings[0])


if __name__ == "__main__":
    unittest.main()

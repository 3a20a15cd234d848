"""End to end: HR rows from a real PostgreSQL view, harvested by the sql
plugin, registered by the real agent in the real registry over loopback.

One throw-away PostgreSQL 15 (pg_harness.py) serves the whole module; each
test gets its own database. The server has password (SCRAM) authentication
only, and the agent reads as `lector`, a role that may only SELECT the view.

Two groups:
- SqlToRegistry: the agent (`run --once`, `run`, `status`, `doctor`) and the
  registry: rows registered once, an UPDATE as revision 2 with the same folio,
  a DELETE noted locally and kept in the registry, a renamed view column, a
  wrong password, the password out of ps and logs, the server down and back,
  a NULL key.
- SqlReader: one pass of the plugin through sql_harvest_tool (an emitter that
  keeps nothing), for what the agent's store would make slow or indirect:
  type conversions, encodings, 200,000 rows in flat memory, the incremental
  cursor, read-only enforcement, statement_timeout.
"""
import json
import os
import secrets
import signal
import sqlite3
import subprocess
import tempfile
import unittest

from agent_harness import AGENT, BUILD_DIR, MAY_2021, Agent, toml_str, wait_until
from harness import Registry
from pg_harness import PostgresServer

TOOL = os.path.join(BUILD_DIR, "plugins", "sql", "tests", "sql_harvest_tool")

# Random per run, so that finding one anywhere can only mean a leak.
READER_PASSWORD = "Lect0r-" + secrets.token_hex(10)
WRONG_PASSWORD = "Wr0ng-" + secrets.token_hex(10)

_CURP_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ"


def curp(first17):
    """A CURP with its check digit (RENAPO's algorithm, as python-stdnum)."""
    total = sum(_CURP_ALPHABET.index(c) * (18 - i) for i, c in enumerate(first17))
    return first17 + str((10 - total % 10) % 10)


PEOPLE = [
    ("E001", "José Núñez Pérez", curp("NUPJ800101HDFXRS0"), "2021-03-01", "Recursos Humanos"),
    ("E002", "María Peña Ávila", curp("PEAM850215MJCXVR0"), "2021-03-02", "Jurídico"),
    ("E003", "Luis Gómez Ruiz", curp("GORL790630HNLMZS0"), "2021-04-15", "Sistemas"),
]

SCHEMA = """
CREATE SCHEMA rh;
CREATE TABLE rh.cartas (
  num_empleado text,
  nombre text,
  curp text,
  fecha_firma date,
  area text,
  actualizado timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE VIEW rh.v_cartas AS
  SELECT num_empleado, nombre, curp, fecha_firma, area, actualizado FROM rh.cartas;
GRANT USAGE ON SCHEMA rh TO lector;
GRANT SELECT ON rh.v_cartas TO lector;
"""

COLUMNS = ('{ employee_id = "num_empleado", name = "nombre", curp = "curp", occurred_on = "fecha_firma", '
           'area = "area" }')

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

_pg = None
_db_counter = 0


def setUpModule():
    global _pg
    _pg = PostgresServer()
    try:
        _pg.start()
        _pg.create_role("lector", READER_PASSWORD)
    except Exception:
        _pg.close()
        raise


def tearDownModule():
    if _pg is not None:
        _pg.close()


def sql_text(value):
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def insert_sql(rows):
    values = ",\n".join("(" + ", ".join(sql_text(v) for v in row) + ")" for row in rows)
    return f"INSERT INTO rh.cartas (num_empleado, nombre, curp, fecha_firma, area) VALUES\n{values};\n"


def new_database(rows=PEOPLE, encoding="UTF8"):
    """A fresh database with the schema and `rows`; returns its name."""
    global _db_counter
    _db_counter += 1
    name = f"rh_{_db_counter}"
    _pg.create_database(name, encoding=encoding)
    _pg.psql(SCHEMA + (insert_sql(rows) if rows else ""), db=name)
    return name


def sql_source(name, dsn_file, extra="", columns=COLUMNS):
    """A [[source]] for the view plus the rule that makes its rows 4.1.2 pledges."""
    return (f"\n[[source]]\nname = {toml_str(name)}\nplugin = \"sql\"\ndsn_file = {toml_str(dsn_file)}\n"
            f"query = \"SELECT * FROM rh.v_cartas\"\nkey = [\"employee_id\"]\ncolumns = {columns}\n{extra}"
            f"\n[[rule]]\nsource = {toml_str(name)}\nkind = \"conduct_pledge\"\nactivity = \"4.1.2\"\n"
            f"title = \"Protesta del Código de Conducta: {{meta.area}}\"\n")


class SqlToRegistry(unittest.TestCase):
    def setUp(self):
        self.registry = Registry()
        self.registry.__enter__()
        self.addCleanup(self.registry.__exit__, None, None, None)
        self.agent = Agent()
        self.addCleanup(self.agent.close)
        self.db = new_database()
        self.dsn_file = _pg.write_dsn_file(os.path.join(self.agent.root, "rh.dsn"), self.db, "lector",
                                           READER_PASSWORD)

    def configure(self, sources):
        self.agent.write_config(self.registry.url, self.registry.token_file("INM"), sources=sources)

    def remote(self, record_id, status=200):
        code, body = self.registry.get(f"/evidence/{record_id}", institution="INM")
        self.assertEqual(code, status, body)
        return body

    def record_for(self, employee_id):
        [rec] = [r for r in self.agent.records() if r["key"] == f"row:{employee_id}"]
        return rec

    def items_table(self):
        with sqlite3.connect(f"file:{os.path.join(self.agent.state, 'agent.db')}?mode=ro", uri=True) as db:
            return {key: gone for key, gone in db.execute("SELECT natural_key, gone_at FROM items")}

    def assert_no_password(self, *texts):
        for text in texts:
            self.assertNotIn(READER_PASSWORD, text)
            self.assertNotIn(WRONG_PASSWORD, text)

    def test_rows_are_registered_once_revised_and_kept_when_gone(self):
        self.configure(sql_source("cartas", self.dsn_file))
        a = self.agent
        first = a.run("run", "--once", "--json")
        self.assertEqual(first.code, 0, first)
        self.assertEqual(first.json()["registered"], 3, first)
        synced = a.records("synced")
        self.assertEqual(sorted(r["key"] for r in synced), ["row:E001", "row:E002", "row:E003"])
        folios = {r["id"]: r["folio"] for r in synced}
        for rid, folio in folios.items():
            remote = self.remote(rid)
            self.assertEqual((remote["revision"], remote["folio"]), (1, folio))
            self.assertEqual((remote["activity"], remote["kind"]), ("4.1.2", "conduct_pledge"))
        jose = self.remote(self.record_for("E001")["id"])
        self.assertEqual(jose["title"], "Protesta del Código de Conducta: Recursos Humanos")
        self.assertIn("2021-03-01", json.dumps(jose))
        self.assert_no_password(first.out, first.err)

        # Nothing changed: nothing registered, no revision.
        second = a.run("run", "--once", "--json")
        self.assertEqual(second.code, 0, second)
        self.assertEqual(second.json()["registered"], 0, second)
        self.assertEqual(second.json()["sources"]["cartas"]["unchanged"], 3, second)

        # An UPDATE is revision 2 of the same record, same folio.
        _pg.psql("UPDATE rh.cartas SET area = 'Dirección General' WHERE num_empleado = 'E002'", db=self.db)
        third = a.run("run", "--once", "--json")
        self.assertEqual(third.code, 0, third)
        self.assertEqual(third.json()["registered"], 1, third)
        maria = self.record_for("E002")
        remote = self.remote(maria["id"])
        self.assertEqual(remote["revision"], 2)
        self.assertEqual(remote["folio"], folios[maria["id"]])
        self.assertEqual(remote["title"], "Protesta del Código de Conducta: Dirección General")

        # A DELETE: noted locally as gone, never deleted from the registry.
        luis = self.record_for("E003")
        _pg.psql("DELETE FROM rh.cartas WHERE num_empleado = 'E003'", db=self.db)
        fourth = a.run("run", "--once", "--json")
        self.assertEqual(fourth.code, 0, fourth)
        self.assertEqual(fourth.json()["registered"], 0, fourth)
        self.assertIn("is gone from the source (kept locally and in the registry)", fourth.err)
        gone = self.items_table()
        self.assertIsNotNone(gone["row:E003"])
        self.assertIsNone(gone["row:E001"])
        self.assertEqual(self.remote(luis["id"])["folio"], folios[luis["id"]])

    def test_renamed_view_column_is_one_clear_error_and_other_sources_go_on(self):
        _pg.psql("ALTER VIEW rh.v_cartas RENAME COLUMN fecha_firma TO fecha_de_firma", db=self.db)
        a = self.agent
        a.put_file("Constancias/curso.pdf", PDF, MAY_2021)
        folder = (f"\n[[source]]\nname = \"comite\"\nplugin = \"folder\"\npath = {toml_str(a.share)}\n"
                  "settle = \"0s\"\n\n[[rule]]\nsource = \"comite\"\nmatch = { glob = \"**/*.pdf\" }\n"
                  "kind = \"course_certificate\"\nactivity = \"1.1.1\"\n")
        self.configure(sql_source("cartas", self.dsn_file) + folder)

        run = a.run("run", "--once", "--json")
        self.assertEqual(run.code, 1, run)  # a source failed
        self.assertEqual(run.json()["registered"], 1, run)  # the folder's certificate went through
        error = run.json()["sources"]["cartas"]["error"]
        for expected in ("source 'cartas'", '"fecha_firma"', "'columns'"):
            self.assertIn(expected, error)
            self.assertIn(expected, run.err)
        self.assertEqual([r["source"] for r in a.records()], ["comite"])
        self.assertEqual(a.run("quarantine", "list", "--json", check=True).json()["quarantine"], [])

        status = a.run("status", "--json", check=True).json()
        self.assertIn('"fecha_firma"', status["sources"]["cartas"]["health"]["last_error"])
        doctor = a.run("doctor")
        self.assertEqual(doctor.code, 1, doctor)
        self.assertRegex(doctor.out, r"FAIL  source cartas \(sql\): .*\"fecha_firma\"")
        self.assertRegex(doctor.out, r"ok    source comite")

        # Following the advice fixes it.
        self.configure(sql_source("cartas", self.dsn_file, columns=COLUMNS.replace('"fecha_firma"',
                                                                                   '"fecha_de_firma"')) + folder)
        fixed = a.run("run", "--once", "--json")
        self.assertEqual(fixed.code, 0, fixed)
        self.assertEqual(fixed.json()["registered"], 3, fixed)

    def test_a_view_without_a_date_column_is_dated_by_the_query_and_held_for_the_window(self):
        """A committee roster in a view with no date column: its rows take the
        query's date (the server's current_date), occurred_on_from
        "export:query_time". Today is outside 4.1.1's 2021 window, so they are
        held for the window, not for a missing date; a second pass (the
        query's date the same or later) revises nothing."""
        _pg.psql("CREATE VIEW rh.v_directorio AS SELECT num_empleado, nombre, area, actualizado FROM rh.cartas;"
                 "GRANT SELECT ON rh.v_directorio TO lector;", db=self.db)
        source = (f"\n[[source]]\nname = \"directorio\"\nplugin = \"sql\"\ndsn_file = {toml_str(self.dsn_file)}\n"
                  "query = \"SELECT * FROM rh.v_directorio\"\nkey = [\"employee_id\"]\n"
                  "columns = { employee_id = \"num_empleado\", name = \"nombre\", area = \"area\" }\n"
                  "\n[[rule]]\nsource = \"directorio\"\nkind = \"committee_roster\"\nactivity = \"4.1.1\"\n")
        self.configure(source)
        a = self.agent
        before = _pg.psql("SELECT current_date", db=self.db).strip()
        first = a.run("run", "--once", "--json")
        after = _pg.psql("SELECT current_date", db=self.db).strip()
        self.assertEqual(first.code, 0, first)
        self.assertEqual(first.json()["registered"], 0, first)
        self.assertEqual(first.json()["sources"]["directorio"]["new"], 3, first)
        records = a.records()
        self.assertEqual(sorted(r["key"] for r in records), ["row:E001", "row:E002", "row:E003"])
        for r in records:
            self.assertEqual((r["status"], r["activity"], r["kind"]), ("held", "4.1.1", "committee_roster"), r)
            self.assertIn("outside activity 4.1.1's window 2021-02-15..2021-11-05", r["reason"])
            self.assertNotIn("carries no date", r["reason"])
            shown = a.run("records", "show", r["id"], "--json", check=True).json()
            self.assertIn(shown["record"]["occurred_on"], {before, after}, shown)
            self.assertEqual(shown["record"]["attributes"]["occurred_on_from"], "export:query_time", shown)

        second = a.run("run", "--once", "--json")
        self.assertEqual(second.code, 0, second)
        self.assertEqual(second.json()["sources"]["directorio"]["unchanged"], 3, second)
        self.assertEqual(second.json()["sources"]["directorio"]["revised"], 0, second)
        self.assertTrue(all(r["revision"] == 1 for r in a.records()))

    def test_check_config_reports_what_only_the_plugin_knows_without_connecting(self):
        source = sql_source("cartas", self.dsn_file).replace('"SELECT * FROM rh.v_cartas"',
                                                             '"DELETE FROM rh.cartas"')
        self.configure(source)
        check = self.agent.run("check-config")
        self.assertEqual(check.code, 2, check)
        self.assertRegex(check.err, r"agent\.toml:\d+:\d+: source\.cartas: option 'query' must be a SELECT")
        self.assertNotIn("source 'cartas': source 'cartas'", check.err)
        self.assert_no_password(check.out, check.err)

    def test_wrong_password_is_a_clear_error_that_never_shows_it(self):
        wrong = _pg.write_dsn_file(os.path.join(self.agent.root, "wrong.dsn"), self.db, "lector", WRONG_PASSWORD)
        self.configure(sql_source("cartas", wrong))
        run = self.agent.run("run", "--once", "--json")
        self.assertEqual(run.code, 1, run)
        error = run.json()["sources"]["cartas"]["error"]
        self.assertIn('password authentication failed for user "lector"', error)
        self.assertIn(f"check the user and password in dsn_file '{wrong}'", error)
        self.assertIn("password authentication failed", run.err)
        self.assertEqual(self.agent.records(), [])
        status = self.agent.run("status", "--json", check=True)
        doctor = self.agent.run("doctor")
        self.assertIn("password authentication failed", doctor.out)
        self.assert_no_password(run.out, run.err, status.out, status.err, doctor.out, doctor.err)
        # Nor in the state the agent keeps (health, audit, quarantine).
        for dirpath, _, files in os.walk(self.agent.state):
            for f in files:
                with open(os.path.join(dirpath, f), "rb") as fh:
                    data = fh.read()
                self.assertNotIn(WRONG_PASSWORD.encode(), data, f)
                self.assertNotIn(READER_PASSWORD.encode(), data, f)

    def test_the_password_stays_out_of_ps_and_logs_while_running(self):
        self.configure(sql_source("cartas", self.dsn_file))
        log_path = os.path.join(self.agent.root, "agent.log")
        with open(log_path, "wb") as log:
            proc = subprocess.Popen([AGENT, "--config", self.agent.config, "run"], stdout=log, stderr=log,
                                    stdin=subprocess.DEVNULL)
        self.addCleanup(lambda: proc.poll() is None and (proc.kill(), proc.wait()))

        def registered():
            # Asked of the registry: the running agent holds its store.
            status, page = self.registry.get("/evidence?program=PAT-2021", institution="INM")
            return status == 200 and len(page["items"]) == 3

        wait_until(registered, 60, "the three rows to be registered")

        ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
        self.assertIn(AGENT, ps)
        self.assert_no_password(ps)
        for name in ("cmdline", "environ"):
            with open(f"/proc/{proc.pid}/{name}", "rb") as f:
                self.assertNotIn(READER_PASSWORD.encode(), f.read(), name)

        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=60), 0)
        with open(log_path, encoding="utf-8", errors="replace") as f:
            log_text = f.read()
        self.assertIn("source 'cartas'", log_text)
        self.assert_no_password(log_text, _pg.log())

    def test_server_down_is_retried_at_the_next_pass_and_nothing_is_lost(self):
        self.configure(sql_source("cartas", self.dsn_file, extra='updated_column = "actualizado"\n'))
        a = self.agent
        first = a.run("run", "--once", "--json")
        self.assertEqual(first.json()["registered"], 3, first)
        cursor = a.run("status", "--json", check=True).json()["sources"]["cartas"]["cursor"]
        self.assertTrue(cursor.startswith("sql1\t"), cursor)

        _pg.stop()
        try:
            down = a.run("run", "--once", "--json")
        finally:
            _pg.start()
        self.assertEqual(down.code, 1, down)
        error = down.json()["sources"]["cartas"]["error"]
        self.assertIn("cannot connect to PostgreSQL", error)
        self.assertIn("tried again at the next pass", error)
        self.assertEqual(len(a.records("synced")), 3)
        self.assertEqual(a.run("status", "--json", check=True).json()["sources"]["cartas"]["cursor"], cursor)

        # Back up: the pass reads the rows changed since the last good one.
        _pg.psql("UPDATE rh.cartas SET area = 'Auditoría', actualizado = clock_timestamp() "
                 "WHERE num_empleado = 'E002';\n" +
                 insert_sql([("E004", "Ana Ríos Sol", curp("RISA900909MDFXLN0"), "2021-05-05", "Archivo")]),
                 db=self.db)
        back = a.run("run", "--once", "--json")
        self.assertEqual(back.code, 0, back)
        self.assertEqual(back.json()["registered"], 2, back)
        self.assertIn("incremental pass", back.err)
        self.assertEqual(self.remote(self.record_for("E002")["id"])["revision"], 2)
        self.assertEqual(len(a.records("synced")), 4)

    def test_a_null_key_quarantines_that_row_only(self):
        _pg.psql(insert_sql([(None, "Sin Número", curp("SINU700101HDFXMR0"), "2021-03-03", "Archivo")]),
                 db=self.db)
        self.configure(sql_source("cartas", self.dsn_file))
        run = self.agent.run("run", "--once", "--json")
        self.assertEqual(run.code, 0, run)
        self.assertEqual(run.json()["registered"], 3, run)
        [entry] = self.agent.run("quarantine", "list", "--json", check=True).json()["quarantine"]
        self.assertEqual(entry["source"], "cartas")
        self.assertIn("the key field 'employee_id' (column \"num_empleado\") is empty", entry["reason"])


def harvest(dsn_file, query="SELECT * FROM rh.v_cartas", columns=None, key=("employee_id",), extra=(),
            summary_only=False):
    """One pass through sql_harvest_tool; returns its JSON report."""
    columns = columns or {"employee_id": "num_empleado", "name": "nombre", "curp": "curp",
                          "occurred_on": "fecha_firma", "area": "area"}
    argv = [TOOL, "--dsn-file", dsn_file, "--query", query]
    for k in key:
        argv += ["--key", k]
    for field, header in columns.items():
        argv += ["--column", f"{field}={header}"]
    argv += list(extra)
    if summary_only:
        argv.append("--summary-only")
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise AssertionError(f"sql_harvest_tool failed ({proc.returncode}): {proc.stderr}")
    return json.loads(proc.stdout)


class SqlReader(unittest.TestCase):
    def setUp(self):
        if not os.access(TOOL, os.X_OK):
            raise AssertionError(f"{TOOL} is missing: build the target sql_harvest_tool")
        tmp = tempfile.TemporaryDirectory(prefix="sseccoe-sql-")
        self.addCleanup(tmp.cleanup)
        self.dir = tmp.name

    def dsn(self, db, **extra):
        return _pg.write_dsn_file(os.path.join(self.dir, "dsn"), db, "lector", READER_PASSWORD, **extra)

    def by_key(self, report):
        return {i["key"]: i for i in report["items"]}

    def test_column_types_become_cells(self):
        db = new_database(rows=None)
        _pg.psql("""
            CREATE TABLE rh.tipos (id int, fecha date, marca timestamp, marca_tz timestamptz, monto numeric(12,2),
                                   real8 float8, activo bool, nota text, sin_valor text);
            INSERT INTO rh.tipos VALUES
              (1, '2021-05-14', '2021-05-14 23:59:59.5', '2021-05-14 10:00:00-06', 1234.50, 0.1, true,
               'Año: Ñandú', NULL),
              (2, 'infinity', '2021-02-01 00:00:00', NULL, -0.00, 1e100, false, '', NULL);
            GRANT SELECT ON rh.tipos TO lector;""", db=db)
        fields = ["fecha", "marca", "marca_tz", "monto", "real8", "activo", "nota", "sin_valor"]
        report = harvest(self.dsn(db), "SELECT * FROM rh.tipos", key=("id",),
                         columns={"id": "id", **{f: f for f in fields}}, extra=["--time-zone", "America/Mexico_City"])
        self.assertTrue(report["ok"], report["error"])
        items = self.by_key(report)
        self.assertEqual({k: items["row:1"]["metadata"][k] for k in fields},
                         {"fecha": "2021-05-14", "marca": "2021-05-14", "marca_tz": "2021-05-14", "monto": "1234.50",
                          "real8": "0.1", "activo": "true", "nota": "Año: Ñandú", "sin_valor": ""})
        self.assertEqual({k: items["row:2"]["metadata"][k] for k in fields},
                         {"fecha": "infinity", "marca": "2021-02-01", "marca_tz": "", "monto": "0.00",
                          "real8": "1e+100", "activo": "false", "nota": "", "sin_valor": ""})

    def test_timestamptz_dates_follow_time_zone(self):
        db = new_database(rows=None)
        _pg.psql("CREATE TABLE rh.z (id int, t timestamptz); INSERT INTO rh.z VALUES (1, '2021-05-15 03:00:00+00');"
                 "GRANT SELECT ON rh.z TO lector;", db=db)
        cols = {"id": "id", "occurred_on": "t"}
        utc = harvest(self.dsn(db), "SELECT * FROM rh.z", key=("id",), columns=cols, extra=["--time-zone", "UTC"])
        mx = harvest(self.dsn(db), "SELECT * FROM rh.z", key=("id",), columns=cols,
                     extra=["--time-zone", "America/Mexico_City"])
        self.assertEqual(utc["items"][0]["occurred_on"], "2021-05-15")
        self.assertEqual(mx["items"][0]["occurred_on"], "2021-05-14")
        bad = harvest(self.dsn(db), "SELECT * FROM rh.z", key=("id",), columns=cols,
                      extra=["--time-zone", "Mars/Olympus"])
        self.assertFalse(bad["ok"])
        self.assertIn("time_zone", bad["error"])

    def test_latin1_database_reaches_the_agent_as_utf8_whatever_the_dsn_asks(self):
        db = new_database(encoding="LATIN1")
        for extra in ({}, {"client_encoding": "LATIN1"}, {"options": "-c client_encoding=LATIN1"}):
            report = harvest(self.dsn(db, **extra))
            self.assertTrue(report["ok"], report["error"])
            names = sorted(i["people"][0]["name"] for i in report["items"])
            self.assertEqual(names, sorted(p[1] for p in PEOPLE), extra)

    def test_sql_ascii_bytes_that_are_not_utf8_quarantine_their_row(self):
        db = new_database(rows=None, encoding="SQL_ASCII")
        # Windows-1252 bytes stored unchecked, as legacy HR systems do.
        _pg.psql(b"INSERT INTO rh.cartas (num_empleado, nombre, fecha_firma) VALUES "
                 b"('E1', 'Jos\xe9 N\xfa\xf1ez', '2021-03-01'), ('E2', 'Ana', '2021-03-02');", db=db,
                 encoding="SQL_ASCII")
        report = harvest(self.dsn(db))
        self.assertTrue(report["ok"], report["error"])
        self.assertEqual([i["key"] for i in report["items"]], ["row:E2"])
        [q] = report["quarantined"]
        self.assertIn("column 'nombre' is not valid UTF-8", q["reason"])
        self.assertIn("convert_from", q["reason"])
        self.assertNotIn("Jos", q["reason"])

    def test_200000_rows_stream_in_flat_memory(self):
        db = new_database(rows=None)
        # ~110 MB of values if held at once; fetched 1,000 rows at a time.
        _pg.psql("""
            CREATE VIEW rh.grande AS
              SELECT 'E' || g AS num_empleado, 'Persona ' || g AS nombre, DATE '2021-03-01' + (g % 200) AS fecha,
                     repeat('x', 500) AS relleno
              FROM generate_series(1, 200000) AS g;
            GRANT SELECT ON rh.grande TO lector;""", db=db)
        report = harvest(self.dsn(db), "SELECT * FROM rh.grande",
                         columns={"employee_id": "num_empleado", "name": "nombre", "occurred_on": "fecha"},
                         summary_only=True)
        self.assertTrue(report["ok"], report["error"])
        self.assertEqual(report["emitted"], 200000)
        self.assertEqual(report["quarantined_count"], 0)
        read_kib = int(report["logs"][-1].split(" rows read (")[1].split(" KiB")[0])
        self.assertGreater(read_kib, 100 * 1024)  # the values really passed through
        growth = report["peak_rss_after"] - report["rss_before"]
        # The key set costs ~12 bytes a row (2.4 MB); a materialised result
        # would cost over 100 MB.
        self.assertLess(growth, 40 * 1024 * 1024, f"peak memory grew by {growth / 2**20:.1f} MiB")

    def test_incremental_passes_read_changed_rows_and_full_every_finds_removed_ones(self):
        db = new_database()
        known = os.path.join(self.dir, "known.json")
        common = ["--updated-column", "actualizado", "--known", known, "--full-every-ms", "3600000"]
        t0 = 1_700_000_000
        first = harvest(self.dsn(db), extra=common + ["--now", str(t0)])
        self.assertTrue(first["ok"], first["error"])
        self.assertEqual(len(first["items"]), 3)
        self.assertIn("full pass (first pass)", first["logs"][-1])

        _pg.psql("UPDATE rh.cartas SET area = 'Auditoría', actualizado = clock_timestamp() "
                 "WHERE num_empleado = 'E001'; DELETE FROM rh.cartas WHERE num_empleado = 'E003';", db=db)
        second = harvest(self.dsn(db), extra=common + ["--cursor", first["cursor"], "--now", str(t0 + 60)])
        self.assertTrue(second["ok"], second["error"])
        self.assertIn("incremental pass", second["logs"][-1])
        self.assertEqual([i["key"] for i in second["items"]], ["row:E001"])
        self.assertEqual(second["changed"], 1)
        self.assertEqual(second["gone"], [])  # an incremental pass cannot see a deletion

        # Nothing new: the same cursor, nothing read but rows at its instant.
        third = harvest(self.dsn(db), extra=common + ["--cursor", second["cursor"], "--now", str(t0 + 120)])
        self.assertEqual(third["changed"], 0)
        self.assertLessEqual(len(third["items"]), 1)

        full = harvest(self.dsn(db), extra=common + ["--cursor", third["cursor"], "--now", str(t0 + 3600)])
        self.assertTrue(full["ok"], full["error"])
        self.assertIn("full pass (full_every elapsed)", full["logs"][-1])
        self.assertEqual(full["gone"], ["row:E003"])
        self.assertEqual(full["unchanged"], 2)

    def test_rows_of_a_view_without_a_date_column_take_the_querys_date_on_incremental_passes_too(self):
        db = new_database()
        _pg.psql("CREATE VIEW rh.v_directorio AS SELECT num_empleado, nombre, area, actualizado FROM rh.cartas;"
                 "GRANT SELECT ON rh.v_directorio TO lector;", db=db)
        known = os.path.join(self.dir, "known.json")
        columns = {"employee_id": "num_empleado", "name": "nombre", "area": "area"}
        common = ["--updated-column", "actualizado", "--known", known, "--full-every-ms", "3600000"]
        query = "SELECT * FROM rh.v_directorio"
        today = {_pg.psql("SELECT current_date", db=db).strip()}
        t0 = 1_700_000_000
        first = harvest(self.dsn(db), query=query, columns=columns, extra=common + ["--now", str(t0)])
        today.add(_pg.psql("SELECT current_date", db=db).strip())
        self.assertTrue(first["ok"], first["error"])
        self.assertIn("full pass (first pass)", first["logs"][-1])
        self.assertEqual(len(first["items"]), 3)
        for item in first["items"]:
            self.assertIn(item["occurred_on"], today, item)
            self.assertEqual(item["occurred_on_from"], "export:query_time", item)
        versions = {i["key"]: i["version"] for i in first["items"]}

        _pg.psql("UPDATE rh.cartas SET area = 'Auditoría', actualizado = clock_timestamp() "
                 "WHERE num_empleado = 'E001'; UPDATE rh.cartas SET actualizado = clock_timestamp() "
                 "WHERE num_empleado = 'E002';", db=db)
        second = harvest(self.dsn(db), query=query, columns=columns,
                         extra=common + ["--cursor", first["cursor"], "--now", str(t0 + 60)])
        today.add(_pg.psql("SELECT current_date", db=db).strip())
        self.assertTrue(second["ok"], second["error"])
        self.assertIn("incremental pass", second["logs"][-1])
        by_key = self.by_key(second)
        # E003, the last row written before the cursor's instant, is read again
        # (at-or-after the cursor), unchanged.
        self.assertLessEqual({"row:E001", "row:E002"}, set(by_key))
        self.assertLessEqual(set(by_key), {"row:E001", "row:E002", "row:E003"})
        if "row:E003" in by_key:
            self.assertEqual(by_key["row:E003"]["version"], versions["row:E003"])
        for item in second["items"]:
            self.assertIn(item["occurred_on"], today, "an incremental pass is dated by its query too")
            self.assertEqual(item["occurred_on_from"], "export:query_time", item)
        self.assertNotEqual(by_key["row:E001"]["version"], versions["row:E001"])
        self.assertEqual(by_key["row:E002"]["version"], versions["row:E002"], "touched, same cells: unchanged")
        self.assertEqual(second["changed"], 1)

    def test_a_pass_stopped_half_way_keeps_its_cursor_and_reports_nothing_gone(self):
        db = new_database()
        known = os.path.join(self.dir, "known.json")
        common = ["--updated-column", "actualizado", "--known", known]
        first = harvest(self.dsn(db), extra=common)
        self.assertTrue(first["ok"], first["error"])
        _pg.psql("DELETE FROM rh.cartas WHERE num_empleado = 'E003'", db=db)
        # The cursor says a full pass is due (full_every elapsed); it stops
        # after the first row, as the agent does on SIGTERM.
        stopped = harvest(self.dsn(db), extra=common + ["--cursor", first["cursor"], "--now", "4000000000",
                                                        "--stop-after", "1"])
        self.assertTrue(stopped["ok"], stopped["error"])
        self.assertEqual(len(stopped["items"]), 1)
        self.assertEqual(stopped["gone"], [])  # a partial read proves nothing about the rest
        self.assertEqual(stopped["cursor"], first["cursor"])
        self.assertIn("stopped before the end", stopped["logs"][-1])
        again = harvest(self.dsn(db), extra=common + ["--cursor", stopped["cursor"], "--now", "4000000000"])
        self.assertEqual(again["gone"], ["row:E003"])

    def test_updated_column_must_be_a_column_of_the_query(self):
        report = harvest(self.dsn(new_database()), extra=["--updated-column", "modificado"])
        self.assertFalse(report["ok"])
        self.assertIn("option 'updated_column' names \"modificado\"", report["error"])
        self.assertIn('"actualizado"', report["error"])
        self.assertEqual(report["items"], [])
        # Case and accents do not matter, as for headers.
        ok = harvest(self.dsn(new_database()), extra=["--updated-column", "ACTUALIZADO"])
        self.assertTrue(ok["ok"], ok["error"])

    def test_the_transaction_is_read_only(self):
        db = new_database()
        _pg.psql("""
            CREATE TABLE rh.bitacora (t timestamptz);
            CREATE FUNCTION rh.anota() RETURNS int LANGUAGE sql AS 'INSERT INTO rh.bitacora VALUES (now()) RETURNING 1';
            GRANT ALL ON rh.bitacora TO lector;
            GRANT EXECUTE ON FUNCTION rh.anota() TO lector;""", db=db)
        report = harvest(self.dsn(db), "SELECT c.*, rh.anota() AS n FROM rh.v_cartas c")
        self.assertFalse(report["ok"])
        self.assertIn("read-only transaction", report["error"])
        self.assertIn("this source only reads", report["error"])
        self.assertEqual(_pg.scalar("SELECT count(*) FROM rh.bitacora", db=db), "0")

    def test_statement_timeout_stops_a_slow_query(self):
        report = harvest(self.dsn(new_database()), "SELECT *, pg_sleep(5) AS z FROM rh.v_cartas",
                         extra=["--statement-timeout-ms", "300"])
        self.assertFalse(report["ok"])
        self.assertIn("statement timeout", report["error"])
        self.assertIn("raise statement_timeout", report["error"])

    def test_query_errors_name_the_problem(self):
        db = new_database()
        report = harvest(self.dsn(db), "SELECT * FROM rh.no_existe")
        self.assertFalse(report["ok"])
        self.assertIn('relation "rh.no_existe" does not exist', report["error"])
        self.assertIn("fix the source's 'query' option", report["error"])
        denied = harvest(self.dsn(db), "SELECT * FROM rh.cartas")  # the table, not the view
        self.assertIn("permission denied", denied["error"])

    def test_probe_reports_missing_columns(self):
        db = new_database()
        _pg.psql("ALTER VIEW rh.v_cartas RENAME COLUMN curp TO curp_persona", db=db)
        report = harvest(self.dsn(db))
        self.assertFalse(report["ok"])
        self.assertIn('"curp"', report["error"])
        self.assertIn('"curp"', report["probe"])
        self.assertIn("'columns'", report["probe"])


if __name__ == "__main__":
    unittest.main()

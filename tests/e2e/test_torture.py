"""Nothing lost, nothing twice: the agent as a service, SIGKILLed at random
instants while it harvests and syncs through a front that injects network
faults (503, 429, resets, stalls, truncated answers, answers dropped after
the registry committed), optionally with the registry itself SIGKILLed and
restarted. Three sources feed it at once, in batches that keep arriving
between (and during) the kills:
  - a shared folder (plugin folder): a few hundred certificates and posters,
    some of several MiB;
  - a mailbox (plugin maildir): certificates mailed with their PDF, dispatches
    in Sent (email_dispatch: the raw message, its acuse PDF, its attachment),
    and messages that are not mail at all (quarantined by the plugin), while
    a "mail client" renames messages (new/ -> cur/, flags) and files copies
    into another folder under the agent's feet;
  - HR exports (plugin csv): a new CSV file per batch of pledge rows
    (conduct_pledge, with a person and a CURP each), among them rows with a
    malformed CURP and a duplicate key (quarantined by the plugin).
Some files and messages are built for activity 2.1.9, which the agent's
catalog has and the registry's lacks: the registry refuses them (422).
After a clean final run the registry must hold every accepted item exactly
once at revision 1, with the files and people it should cite; the local
store must be intact and agree with the registry; no blob may be orphaned;
and the quarantine must hold exactly the items built to be refused.

Replay a failure with SSECCOE_TORTURE_SEED=<the seed printed at the start>
(kill instants, file, message and row contents and every fault decision
derive from it; the exact interleaving of a kill with the agent's work still
depends on timing). SSECCOE_TORTURE_KEEP=1 keeps the agent's directory
(state, share, Maildir, rh/, agent.log, front.log with every fault decision)
and prints where it is.
"""
import csv
import datetime
import email.utils
import hashlib
import http.client
import http.server
import io
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import mailgen
from agent_harness import AGENT, BUILD_DIR, MAY_2021, SOURCE_DIR, Agent, toml_str
from harness import Registry, free_port

sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "tools"))
from fault_front import FaultFront, decide, parse_rates  # noqa: E402

SEED = int(os.environ.get("SSECCOE_TORTURE_SEED", str(random.SystemRandom().randrange(1, 2**31))))
PDF = b"%PDF-1.4\n%%EOF\n"
# A PNG signature and IHDR chunk, so the media type is really image/png.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
RULES = [("**/rechazo-*.png", "diffusion_material", "2.1.9"),
         ("Constancias/**/*.pdf", "course_certificate", "1.1.1"),
         ("Difusión/**/*.png", "diffusion_material", "2.1.1")]
# Faults per request, low enough that a record gets through in a few tries.
RATES = {"503": 0.06, "429": 0.04, "reset": 0.05, "stall": 0.01, "truncate": 0.05, "drop": 0.06}

FOLDER, MAIL, HR = "comite", "buzon", "rh"
# The HR export's columns, as a Spanish HR system names them.
HR_HEADER = ["No. Empleado", "Nombre", "CURP", "Fecha de protesta", "Unidad"]

GIVEN = ("José", "María", "Luis", "Ana", "Jesús", "Guadalupe", "Francisco", "Verónica", "Raúl", "Itzel",
         "Héctor", "Sofía", "Andrés", "Mónica", "Iñaki")
SURNAMES = ("Núñez", "Peña", "Gómez", "López", "Hernández", "García", "Martínez", "Ramírez", "Sánchez",
            "Cruz", "Ordóñez", "Velázquez", "Castañeda", "Ruiz", "Díaz")
# HR's people never share a name with a certificate holder here: a holder
# matched in the people register after a kill would legitimately revise its
# record (pipeline/rematch.hpp), which this test's "nothing revised" check
# cannot tell from a duplicate. Matching has its own tests.
HR_SURNAMES = ("Aguilar", "Bautista", "Cervantes", "Domínguez", "Escobar", "Fuentes", "Guzmán", "Ibarra",
               "Juárez", "Lara", "Mejía", "Navarro", "Ochoa", "Pacheco", "Quintero")
COURSES = ("Los conflictos de intereses en el ejercicio del servicio público", "Ética pública",
           "Nueva ética e integridad en el servicio público", "Igualdad de género", "Código de Conducta del INM")
UNITS = ("Oficina de Representación en Chiapas", "Oficina de Representación en Tabasco", "Oficinas Centrales",
         "Dirección General de Administración", "Oficina de Representación en Baja California")

# CURP: RENAPO's check-digit alphabet (python-stdnum's).
CURP_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ"
CONSONANTS = "BCDFGHJKLMNPQRSTVWXYZ"
STATES = ("DF", "MC", "JC", "NL", "PL", "VZ", "OC", "GT", "CS", "YN", "TC", "BC")


def curp_check_digit(first17):
    total = sum(CURP_ALPHABET.index(c) * (18 - i) for i, c in enumerate(first17))
    return str((10 - total % 10) % 10)


def make_curp(rng):
    """A CURP every check accepts: initials consonant-vowel-consonant-consonant
    (no word RENAPO excludes has that shape), a real birth date before 2000
    (so a digit differentiator), sex, a state code, three inner consonants
    and the check digit."""
    head = rng.choice(CONSONANTS) + rng.choice("AEIOU") + rng.choice(CONSONANTS) + rng.choice(CONSONANTS)
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(38 * 365))
    body = (head + born.strftime("%y%m%d") + rng.choice("HM") + rng.choice(STATES)
            + "".join(rng.choice(CONSONANTS) for _ in range(3)) + str(rng.randrange(10)))
    return body + curp_check_digit(body)


def a_day(rng, first, last):
    """A date in [first, last] (datetime.date), uniformly."""
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def catalog_with_unknown_activity(root):
    """The build's catalog plus activity 2.1.9, which the registry lacks: a
    record for it is refused 422 unknown_activity (as in test_folder_hostile)."""
    with open(os.path.join(BUILD_DIR, "share", "sseccoe-agent", "catalog", "PAT-2021.json"), encoding="utf-8") as f:
        cat = json.load(f)
    extra = dict(next(a for a in cat["activities"] if a["key"] == "2.1.1"))
    extra["key"] = "2.1.9"
    cat["activities"].append(extra)
    for ind in cat["indicators"]:
        if ind["key"] == "2.1":
            ind["activities"].append("2.1.9")
    path = os.path.join(root, "catalog.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(cat, f, ensure_ascii=False)
    return path


def sources_toml(agent, maildir_root, hr_dir):
    """The three sources and the mail and HR rules (the folder's rules are
    RULES, written by Agent.write_config)."""
    return f"""
[[source]]
name = "{FOLDER}"
plugin = "folder"
path = {toml_str(agent.share)}
settle = "0s"

[[source]]
name = "{MAIL}"
plugin = "maildir"
path = {toml_str(maildir_root)}

[[source]]
name = "{HR}"
plugin = "csv"
path = {toml_str(os.path.join(hr_dir, "*.csv"))}
# Each batch is a new file renamed into place whole: nothing to settle. The
# plugin cannot be told of changes, so it polls, often enough to be read
# while the kills go on.
settle = "0s"
interval = "1s"
key = ["employee_id"]
columns = {{ employee_id = "No. Empleado", name = "Nombre", curp = "CURP", occurred_on = "Fecha de protesta", unit = "Unidad" }}

[[rule]]
source = "{MAIL}"
match = {{ folder = "^Sent$" }}
kind = "email_dispatch"
activity = "5.2.1"

[[rule]]
source = "{MAIL}"
match = {{ folder = "^Rechazos$" }}
kind = "diffusion_material"
activity = "2.1.9"

[[rule]]
source = "{MAIL}"
match = {{ folder = "^(INBOX|Archivo)$", attachment = "*.pdf" }}
kind = "course_certificate"
activity = "1.1.1"
title = "Constancia: {{subject}}"

[[rule]]
source = "{HR}"
match = {{ table = '^protestas-' }}
kind = "conduct_pledge"
activity = "4.1.2"
title = "Protesta del Código de Conducta"
attributes = {{ unidad = "{{meta.unit}}" }}
"""


class Expect:
    """What one harvested item must end as.

    fate: "synced"  registered once, at revision 1, as kind/activity, citing
                    exactly `files` (name -> sha256; None: any digest) and
                    naming `people` (curp, employee_id pairs);
          "refused" a record the registry refuses for good: quarantined at
                    the sync stage with unknown_activity;
          "harvest" refused by the plugin: a harvest quarantine entry under
                    `key`, and no record of its own.
    """

    def __init__(self, source, key, fate, kind=None, activity=None, files=None, people=(), occurred_on=None):
        self.source, self.key, self.fate = source, key, fate
        self.kind, self.activity = kind, activity
        self.files = files or {}
        self.people = list(people)
        self.occurred_on = occurred_on

    @property
    def makes_record(self):
        return self.fate in ("synced", "refused")

    def __repr__(self):
        return f"<{self.source}:{self.key} {self.fate}>"


class Torture(unittest.TestCase):
    # Both classes together take about two minutes on a shared 2-core
    # machine (95-125 s measured); the kill loop dominates, not the counts.
    file_count = 300          # accepted files; 1 in 20 of some MiB
    refused_file_count = 5
    certificate_count = 120   # mailed certificates; 1 in 25 with a 1 MiB PDF
    dispatch_count = 12
    refused_message_count = 3
    row_count = 250
    agent_kills = 50
    registry_kills = 0

    def setUp(self):
        self.rng = random.Random(f"{SEED}:{type(self).__name__}")
        print(f"\n[torture] {type(self).__name__}: SSECCOE_TORTURE_SEED={SEED}", file=sys.stderr, flush=True)
        # A fixed port: a restarted registry comes back where the front forwards.
        self.registry = Registry(server={"listen": f"127.0.0.1:{free_port()}"})
        self.registry.__enter__()
        self.addCleanup(self.registry.__exit__, None, None, None)
        if os.environ.get("SSECCOE_TORTURE_KEEP"):  # keep state, logs and sources for a post-mortem
            self.agent = Agent(root=tempfile.mkdtemp(prefix="sseccoe-torture-"))
            print(f"[torture] kept in {self.agent.root}", file=sys.stderr, flush=True)
        else:
            self.agent = Agent()
            self.addCleanup(self.agent.close)
        a = self.agent
        self.maildir = mailgen.Maildir(os.path.join(a.root, "Maildir"))
        self.hr_dir = os.path.join(a.root, "rh")
        os.makedirs(self.hr_dir)
        self.tables = 0
        self.delivered = []  # [folder, path] of every message put, kept current across renames
        self.front_log = open(os.path.join(a.root, "front.log"), "w", encoding="utf-8")
        self.addCleanup(self.front_log.close)
        self.front = FaultFront(self.registry.base_url, seed=SEED, rates=RATES, stall=2.5, log=self.front_log)
        self.front.start()
        self.addCleanup(self.front.stop)
        text = a.write_config(self.front.url + "/api/v1", self.registry.token_file("INM"), RULES,
                              catalog_file=catalog_with_unknown_activity(a.root),
                              extra_registry='timeout = "2s"\n',
                              sources=sources_toml(a, self.maildir.root, self.hr_dir))
        # Short backoff so the many injected faults cost seconds, not minutes.
        text = text.replace('retry_initial = "1s"', 'retry_initial = "100ms"')
        with open(a.config, "w", encoding="utf-8") as f:
            f.write(text)
        check = a.run("check-config")
        self.assertEqual(check.code, 0, check)
        self.log_path = os.path.join(a.root, "agent.log")
        self.proc = None
        self.addCleanup(self._kill_agent)

    # -- what the sources will hold -------------------------------------------
    # Each generator returns (units, expectations): a unit is what one put
    # writes (a file, a message, the rows of a table that belong together).

    def _files(self):
        """(relative path, bytes) per file, distinct content."""
        units, expects = [], []
        for i in range(self.file_count):
            salt = b"%d:%d" % (SEED, i)
            if i % 20 == 7:  # a few of some MiB: blob writes and uploads that take a while
                salt += self.rng.randbytes(self.rng.randrange(1 << 20, 3 << 20))
            if i % 2:
                rel, data, kind, activity = (f"Constancias/lote-{i % 7}/constancia-{i:04d}.pdf", PDF + salt,
                                             "course_certificate", "1.1.1")
            else:
                rel, data, kind, activity = f"Difusión/cartel-{i:04d}.png", PNG + salt, "diffusion_material", "2.1.1"
            units.append((rel, data))
            expects.append(Expect(FOLDER, rel, "synced", kind, activity,
                                  files={os.path.basename(rel): mailgen.sha256(data)}))
        for i in range(self.refused_file_count):
            rel = f"Difusión/rechazo-{i:02d}.png"
            units.append((rel, PNG + b"refused %d:%d" % (SEED, i)))
            expects.append(Expect(FOLDER, rel, "refused"))
        return units, expects

    def _person(self, surnames=None):
        surnames = surnames or SURNAMES
        return f"{self.rng.choice(GIVEN)} {self.rng.choice(surnames)} {self.rng.choice(surnames)}"

    def _mails(self):
        """(folder, raw message) per message. Message-IDs and PDF serials
        carry a number drawn from the seed, so runs differ in content."""
        rng = self.rng
        base = rng.randrange(1, 10**6) * 1000
        units, expects = [], []
        for i in range(self.certificate_count):
            n = base + i
            holder, course = self._person(), rng.choice(COURSES)
            day = a_day(rng, datetime.date(2021, 2, 2), datetime.date(2021, 12, 2))
            pdf = mailgen.certificate_pdf(holder, course, f"SICAVISP-2021-{n:05d}")
            name = f"Constancia {holder} - {course}.pdf"
            if i % 25 == 3:  # a heavy one: spooling and blob writes that take a while
                pdf += b"\n%" + rng.randbytes(1 << 20)
                raw = mailgen.build_message(
                    subject=f"Constancia del curso «{course}»", sender=mailgen.PLATFORM,
                    to=f"{holder} <servidor{n}@{mailgen.DOMAIN}>",
                    date=mailgen.mx_date(day.year, day.month, day.day, hour=9),
                    message_id=f"constancia.{n}.2021@sicavisp.apps.funcionpublica.gob.mx", body="Constancia adjunta.",
                    attachments=[mailgen.Attachment(name, pdf)])
            else:
                # RFC 2231 names, as the course platform writes them. (RFC
                # 2047 names split into several encoded words are cut short
                # by GMime 3.2.13, gmime#133: a decoding bug the mail tests
                # must cover, not a crash-safety one.)
                raw = mailgen.certificate_message(n, holder, course, day=(day.year, day.month, day.day))
            units.append(("INBOX", raw))
            # The holder is read from the certificate's text and is nobody
            # HR knows (HR_SURNAMES): one person, without CURP or employee id.
            expects.append(Expect(MAIL, mailgen.message_key(raw), "synced", "course_certificate", "1.1.1",
                                  files={name: mailgen.sha256(pdf)}, people=[("", "")],
                                  occurred_on=day.isoformat()))
        for i in range(self.dispatch_count):
            n = base + i
            day = a_day(rng, datetime.date(2021, 4, 13), datetime.date(2021, 10, 28))
            report = mailgen.certificate_pdf("Comité de Ética INM", "Informe de buena práctica", f"BP-{n}")
            raw = mailgen.dispatch_message(n, day=(day.year, day.month, day.day),
                                           attachments=[mailgen.Attachment("Informe de buena práctica.pdf", report)])
            units.append(("Sent", raw))
            expects.append(Expect(MAIL, mailgen.message_key(raw), "synced", "email_dispatch", "5.2.1",
                                  files={"mensaje.eml": mailgen.sha256(raw), "acuse.pdf": None,
                                         "Informe de buena práctica.pdf": mailgen.sha256(report)},
                                  occurred_on=day.isoformat()))
        for i in range(self.refused_message_count):
            raw = mailgen.build_message(
                subject=f"Cartel de difusión {base + i}", sender=mailgen.COMMITTEE, to=f"personal@{mailgen.DOMAIN}",
                date=mailgen.mx_date(2021, 5, 14 + i), message_id=f"rechazo.{base + i}@{mailgen.DOMAIN}",
                body="Cartel para difusión.",
                attachments=[mailgen.Attachment(f"cartel-{i}.png", PNG + b"refused mail %d:%d" % (SEED, i),
                                                media_type="image/png")])
            units.append(("Rechazos", raw))
            expects.append(Expect(MAIL, mailgen.message_key(raw), "refused"))
        # Not mail at all: an empty file and a PDF dropped into the mailbox.
        # Without a Message-ID they are quarantined under their digest.
        for raw in (b"", mailgen.certificate_pdf("Ana Pérez", "Ética pública", f"SUELTO-{SEED}")):
            units.append(("INBOX", raw))
            expects.append(Expect(MAIL, "sha256:" + mailgen.sha256(raw), "harvest"))
        return units, expects

    def _rows(self):
        """Lists of CSV rows, each list written into one table (a duplicate
        key goes with its first line, so which line is first never depends
        on the order of the batches)."""
        rng = self.rng
        ids = rng.sample(range(10000, 100000), self.row_count + 3)
        window = (datetime.date(2021, 2, 1), datetime.date(2021, 10, 1))

        def row(emp, curp):
            day = a_day(rng, *window)
            shown = day.strftime("%d/%m/%Y") if rng.random() < 0.5 else day.isoformat()
            return [str(emp), self._person(HR_SURNAMES), curp, shown, rng.choice(UNITS)], day

        def accepted(emp):
            curp = make_curp(rng)
            cells, day = row(emp, curp)
            return cells, Expect(HR, f"row:{emp}", "synced", "conduct_pledge", "4.1.2",
                                 people=[(curp, str(emp))], occurred_on=day.isoformat())

        units, expects = [], []
        for emp in ids[:self.row_count]:
            cells, e = accepted(emp)
            units.append([cells])
            expects.append(e)
        # A CURP with a typo (its check digit fails) and one with a birth date
        # that never was: each row quarantined alone.
        typo = make_curp(rng)
        typo = typo[:17] + str((int(typo[17]) + 1) % 10)
        impossible = make_curp(rng)
        impossible = impossible[:4] + "990231" + impossible[10:17]
        impossible += curp_check_digit(impossible)
        for emp, curp in ((ids[-3], typo), (ids[-2], impossible)):
            units.append([row(emp, curp)[0]])
            expects.append(Expect(HR, f"row:{emp}", "harvest"))
        # A duplicate key: the first line is registered, the second quarantined
        # under the same key.
        first, e = accepted(ids[-1])
        second = row(ids[-1], make_curp(rng))[0]
        units.append([first, second])
        expects += [e, Expect(HR, f"row:{ids[-1]}", "harvest")]
        return units, expects

    def _world(self):
        """Every unit of the three sources and what each must end as, and the
        batches they arrive in: a third of each source before the first start,
        the rest in small batches between most kills, so that later kills
        also land in harvests and blob writes, not only in uploads."""
        spread = max(1, self.agent_kills * 4 // 5)
        expects, per_source = [], []
        for units, exp in (self._files(), self._mails(), self._rows()):
            self.rng.shuffle(units)
            expects += exp  # found again by source and key
            head = len(units) // 3
            per_source.append([units[:head]] + [units[head:][i::spread] for i in range(spread)])
        batches = [tuple(b[n] for b in per_source) for n in range(spread + 1)]
        return expects, batches

    # -- putting things in place ------------------------------------------------

    def _write_table(self, rows):
        """A new export file, written beside and renamed into place whole,
        comma or semicolon separated, UTF-8, CRLF (as Excel writes it)."""
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=self.rng.choice((",", ";")), lineterminator="\r\n")
        writer.writerow(HR_HEADER)
        writer.writerows(rows)
        name = f"protestas-{self.tables:03d}.csv"
        self.tables += 1
        tmp = os.path.join(self.hr_dir, f".{name}.tmp")  # hidden and not *.csv: never read half-written
        with open(tmp, "wb") as f:
            f.write(buf.getvalue().encode("utf-8"))
        os.rename(tmp, os.path.join(self.hr_dir, name))

    def _mail_client(self):
        """What a mail client does to the mailbox while the agent reads it:
        a first look moves messages from new/ to cur/, reading and answering
        renames them with new flags, and filing copies a certificate into
        another folder. None of it is a new message: the unique name, and so
        the item, stays the same, and a copy is the same record."""
        rng = self.rng
        if not self.delivered:
            return
        for entry in rng.sample(self.delivered, min(len(self.delivered), rng.randrange(4))):
            folder, path = entry
            if os.path.basename(os.path.dirname(path)) == "new":
                entry[1] = self.maildir.move_to_cur(path, rng.choice(("S", "")))
            else:
                entry[1] = self.maildir.set_flags(path, rng.choice(("S", "RS", "FS")))
        if rng.random() < 0.25:
            filed = [path for folder, path in self.delivered if folder == "INBOX"]
            if filed:
                self.maildir.copy(rng.choice(filed), "Archivo")

    def _put(self, batch):
        files, mails, tables = batch
        for rel, data in files:
            self.agent.put_file(rel, data, MAY_2021 + self.rng.randrange(86400))
        for folder, raw in mails:
            # Some delivered into new/ (not yet seen by a client), most in cur/.
            self.delivered.append([folder, self.maildir.add(folder, raw, new=self.rng.random() < 0.3)])
        rows = [r for unit in tables for r in unit]
        if rows:
            self._write_table(rows)

    # -- processes -----------------------------------------------------------

    def _start_agent(self):
        with open(self.log_path, "ab") as log:
            log.write(b"\n===== start =====\n")
            self.proc = subprocess.Popen([AGENT, "--config", self.agent.config, "--log-level", "debug", "run"],
                                         stdout=log, stderr=log, stdin=subprocess.DEVNULL)

    def _kill_agent(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        code, self.proc = (self.proc.returncode if self.proc else None), None
        return code

    def _kill_registry(self):
        reg = self.registry
        proc, reg.proc = reg.proc, None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if proc.stdout:
            proc.stdout.close()

    def _phase(self, placed):
        """What the killed agent was doing, by what it left: items still to
        store (harvest; and from which sources), records still to send
        (sync), or nothing (idle). `placed`: source -> records its units put
        so far must become. Read-only, so the crash state the next start
        sees is untouched."""
        behind = sorted(s for s, n in placed.items() if n)
        path = os.path.join(self.agent.state, "agent.db")
        if not os.path.exists(path):
            return "harvest", behind
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            stored = dict(db.execute("SELECT source, count(*) FROM records GROUP BY source").fetchall())
            waiting = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
        except sqlite3.DatabaseError:
            return "harvest", behind  # schema not created yet
        finally:
            db.close()
        behind = sorted(s for s, n in placed.items() if stored.get(s, 0) < n)
        return ("harvest" if behind else "sync" if waiting else "idle"), behind

    def _log_tail(self, n=60):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-n:])

    # -- the run -------------------------------------------------------------

    def test_kills_and_faults_lose_nothing_and_register_nothing_twice(self):
        started = time.monotonic()
        rng = self.rng
        expects, batches = self._world()
        records_of = self._record_counter(expects)
        registry_kill_at = set(rng.sample(range(5, self.agent_kills), self.registry_kills))
        kills = registry_kills = 0
        phases = {"harvest": 0, "sync": 0, "idle": 0}
        harvesting = {FOLDER: 0, MAIL: 0, HR: 0}  # kills that left a source's items unstored
        placed = {FOLDER: 0, MAIL: 0, HR: 0}  # records the units put so far must become
        for n in range(self.agent_kills):
            batch = batches[n] if n < len(batches) else ((), (), ())
            # Half the batches go in while the agent runs and the kill follows
            # within moments: it lands in the inotify harvest, a blob write or
            # a commit. The other half are found by the scan at start.
            live = any(batch) and n > 0 and rng.random() < 0.5
            if not live:
                self._put(batch)
            for source, count in records_of(batch).items():
                placed[source] += count
            self._start_agent()
            self._mail_client()
            if live:
                time.sleep(rng.uniform(0.3, 1.5))
                self._put(batch)
                life = rng.uniform(0.0, 0.15)
            else:
                # Short lives (start-up scan, blob writes, commits) and some
                # long enough for uploads and record PUTs to be under way.
                life = rng.choice([rng.uniform(0.02, 0.4), rng.uniform(0.2, 1.2), rng.uniform(1.0, 3.0)])
            if n in registry_kill_at:
                time.sleep(life / 2)
                self._kill_registry()
                registry_kills += 1
                time.sleep(rng.uniform(0.1, 1.0))
                self.registry.start()
                time.sleep(life / 2)
            else:
                time.sleep(life)
            if self.proc.poll() is not None:
                self.fail(f"seed {SEED}: the agent exited by itself with {self.proc.returncode}:\n{self._log_tail()}")
            self._kill_agent()
            kills += 1
            phase, behind = self._phase(placed)
            phases[phase] += 1
            for source in behind:
                harvesting[source] += 1
        for batch in batches[self.agent_kills:]:  # none with the default counts; kept for smaller kill counts
            self._put(batch)

        stats = self.front.stats()
        print(f"[torture] seed={SEED} agent kills={kills} registry kills={registry_kills} "
              f"front={json.dumps(stats['faults'])} upstream_errors={stats['upstream_errors']} "
              f"requests={stats['requests']} kills-by-phase={json.dumps(phases)} "
              f"kills-while-harvesting={json.dumps(harvesting)} "
              f"({time.monotonic() - started:.0f}s)", file=sys.stderr, flush=True)

        # Completion: faults off, one clean pass.
        self.front.set_rates({})
        final = self.agent.run("run", "--once", "--max-wait", "60s", "--json", timeout=300)
        msg = f"seed {SEED}: {final!r}\n--- agent log tail\n{self._log_tail()}"
        self.assertEqual(final.code, 0, msg)
        summary = final.json()
        self.assertEqual((summary["pending"], summary["unclassified"], summary["held"]), (0, 0, 0), msg)
        self._check_registry(expects)
        self._check_local(expects)
        self._check_store()
        print(f"[torture] seed={SEED} passed in {time.monotonic() - started:.0f}s", file=sys.stderr, flush=True)

    @staticmethod
    def _record_counter(expects):
        """batch -> {source: how many records its units must become} (for _phase)."""
        by_key = {}
        for e in expects:  # a duplicate row's key is both registered and quarantined
            by_key[(e.source, e.key)] = max(by_key.get((e.source, e.key), 0), int(e.makes_record))

        def count(batch):
            files, mails, tables = batch
            return {FOLDER: sum(by_key[(FOLDER, rel)] for rel, _ in files),
                    MAIL: sum(by_key[(MAIL, mailgen.message_key(raw))] for _, raw in mails),
                    HR: len({cells[0] for unit in tables for cells in unit if by_key[(HR, f"row:{cells[0]}")]})}

        return count

    # -- the checks ----------------------------------------------------------

    def _registry_records(self):
        client = self.registry.client("INM")
        items, token = [], None
        while True:
            path = "/evidence?program=PAT-2021&page_size=100" + (f"&page_token={token}" if token else "")
            r = client.get(path)
            self.assertEqual(r.status, 200, r)
            items += r.json["items"]
            token = r.json.get("next_page_token")
            if not token:
                return items

    def _check_registry(self, expects):
        items = self._registry_records()
        ids = [x["id"] for x in items]
        self.assertEqual(len(ids), len(set(ids)), f"seed {SEED}: a record is registered twice")
        accepted = [e for e in expects if e.fate == "synced"]
        by_source = {}
        for x in items:
            by_source[x["source"]["instance"]] = by_source.get(x["source"]["instance"], 0) + 1
        self.assertEqual(len(items), len(accepted),
                         f"seed {SEED}: registry holds {len(items)} of {len(accepted)} (by source: {by_source})")
        folios = [x["folio"] for x in items]
        self.assertEqual(len(folios), len(set(folios)), f"seed {SEED}: a folio was given twice")
        revised = [(x["id"], x["revision"]) for x in items if x["revision"] != 1]
        self.assertEqual(revised, [], f"seed {SEED}: nothing changed, yet records were revised")
        self.registry_ids = set(ids)

    def _check_local(self, expects):
        a = self.agent
        records = a.records()
        by_key = {}
        for r in records:
            self.assertNotIn((r["source"], r["key"]), by_key, f"seed {SEED}: two local records for one item: {r}")
            by_key[(r["source"], r["key"])] = r
        wanted = [e for e in expects if e.makes_record]
        self.assertEqual(len(records), len(wanted),
                         f"seed {SEED}: {len(records)} local records for {len(wanted)} items that make one")
        client = self.registry.client("INM")
        for e in wanted:
            rec = by_key.get((e.source, e.key))
            self.assertIsNotNone(rec, f"seed {SEED}: {e} was lost")
            self.assertEqual(rec["revision"], 1, rec)
            if e.fate == "refused":
                self.assertEqual(rec["status"], "quarantined", rec)
                self.assertNotIn(rec["id"], self.registry_ids, rec)
                continue
            self.assertEqual(rec["status"], "synced", rec)
            self.assertEqual(rec["registry_revision"], 1, rec)
            # What the registry holds for it, asked the way a committee's tool would.
            r = client.get(f"/evidence/{rec['id']}")
            self.assertEqual(r.status, 200, f"seed {SEED}: synced locally, absent at the registry: {rec} {r}")
            self._check_remote(e, rec, r.json)
        q = a.run("quarantine", "list", "--json", check=True).json()["quarantine"]
        got = sorted((x["source"], x["key"], x["stage"]) for x in q)
        want = sorted((e.source, e.key, "sync" if e.fate == "refused" else "harvest")
                      for e in expects if e.fate in ("refused", "harvest"))
        self.assertEqual(got, want, f"seed {SEED}: quarantine {json.dumps(q, ensure_ascii=False, indent=1)}")
        for x in q:
            if x["stage"] == "sync":
                self.assertEqual((x["code"], x["field"]), ("unknown_activity", "activity"), x)

    def _check_remote(self, e, rec, remote):
        where = f"seed {SEED}: {e} ({rec['id']})"
        self.assertEqual((remote["revision"], remote["folio"]), (1, rec["folio"]), where)
        self.assertEqual((remote["kind"], remote["activity"]), (e.kind, e.activity), where)
        self.assertEqual(remote["source"]["instance"], e.source, where)
        files = {f["name"]: f["sha256"] for f in remote.get("files", [])}
        self.assertEqual(sorted(files), sorted(e.files), where)
        for name, sha in e.files.items():
            if sha is not None:
                self.assertEqual(files[name], sha, f"{where}: {name}")
        people = sorted((p.get("curp", ""), p.get("employee_id", "")) for p in remote.get("people", []))
        self.assertEqual(people, sorted(e.people), where)
        if e.occurred_on:
            self.assertEqual(remote["occurred_on"], e.occurred_on, where)

    def _check_store(self):
        state = self.agent.state
        db = sqlite3.connect(os.path.join(state, "agent.db"))
        try:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
            self.assertEqual(db.execute("PRAGMA foreign_key_check").fetchall(), [])
            digests = {d for (d,) in db.execute("SELECT digest FROM files")}
            outbox = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
        finally:
            db.close()
        self.assertEqual(outbox, 0, f"seed {SEED}: outbox not empty after a clean run")
        blobs_root = os.path.join(state, "blobs")
        on_disk = set()
        for sub in os.listdir(blobs_root):
            if sub == "tmp":
                continue
            for name in os.listdir(os.path.join(blobs_root, sub)):
                on_disk.add(sub + name)
        self.assertEqual(sorted(on_disk - digests), [], f"seed {SEED}: orphan blobs")
        self.assertEqual(sorted(digests - on_disk), [], f"seed {SEED}: files rows without a blob")
        self.assertEqual(os.listdir(os.path.join(blobs_root, "tmp")), [], f"seed {SEED}: blobs/tmp not empty")
        # The mail spools of a clean run are gone with it.
        work = os.path.join(state, "work")
        left = [os.path.join(d, n) for d, _, names in os.walk(work) for n in names] if os.path.isdir(work) else []
        self.assertEqual(left, [], f"seed {SEED}: scratch files left in {work}")


class TortureWithRegistryKills(Torture):
    """The same, with the registry SIGKILLed and restarted (its state kept)
    several times, some while the agent is in the middle of a request."""
    registry_kills = 8


class _Upstream(http.server.BaseHTTPRequestHandler):
    """A stand-in registry for the front's own tests: hashes what is PUT,
    counts requests, answers JSON with a Content-Length."""
    protocol_version = "HTTP/1.1"
    seen = []

    def log_message(self, *args):
        pass

    def _reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_GET(self):
        self.seen.append((self.command, self.path, None))
        self._reply(200, {"path": self.path, "pad": "x" * 4000})

    do_HEAD = do_GET

    def do_PUT(self):
        h, size = hashlib.sha256(), 0
        if "chunked" in self.headers.get("Transfer-Encoding", ""):
            while True:
                line = self.rfile.readline()
                if not line.strip():
                    return  # cut short by the front: nothing stored, nothing answered
                n = int(line.split(b";")[0], 16)
                if n == 0:
                    self.rfile.readline()
                    break
                h.update(self.rfile.read(n))
                size += n
                self.rfile.readline()
        else:
            left = int(self.headers.get("Content-Length", "0"))
            while left:
                chunk = self.rfile.read(min(left, 1 << 16))
                if not chunk:
                    return  # cut short: nothing stored, nothing answered
                h.update(chunk)
                size += len(chunk)
                left -= len(chunk)
        self.seen.append((self.command, self.path, h.hexdigest()))
        self._reply(201, {"sha256": h.hexdigest(), "size": size})


class FaultFrontBehaviour(unittest.TestCase):
    """Each fault does what the torture test relies on, and a seed replays."""

    def setUp(self):
        _Upstream.seen = []
        self.upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
        threading.Thread(target=self.upstream.serve_forever, daemon=True).start()
        self.addCleanup(self.upstream.server_close)
        self.addCleanup(self.upstream.shutdown)

    def front(self, rates, seed=1, stall=1.0):
        f = FaultFront(f"http://127.0.0.1:{self.upstream.server_address[1]}", seed=seed, rates=rates,
                       stall=stall, log=io.StringIO())
        f.start()
        self.addCleanup(f.stop)
        return f

    def request(self, front, method, path, body=None, headers=None, timeout=10):
        c = http.client.HTTPConnection("127.0.0.1", front.port, timeout=timeout)
        try:
            chunked = "chunked" in (headers or {}).get("Transfer-Encoding", "")
            c.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
            r = c.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            c.close()

    def test_forward_streams_large_and_chunked_bodies_intact(self):
        f = self.front({})
        data = random.Random(3).randbytes(5 << 20)
        status, _, body = self.request(f, "PUT", "/files/x", body=data)
        self.assertEqual((status, json.loads(body)["sha256"]), (201, hashlib.sha256(data).hexdigest()))
        chunks = [data[i:i + 100000] for i in range(0, len(data), 100000)]
        status, _, body = self.request(f, "PUT", "/files/y", body=iter(chunks),
                                       headers={"Transfer-Encoding": "chunked"})
        self.assertEqual((status, json.loads(body)["size"]), (201, len(data)))
        status, headers, body = self.request(f, "HEAD", "/files/x")
        self.assertEqual((status, body), (200, b""))
        self.assertEqual(headers["Connection"], "close")
        self.assertEqual(f.stats()["faults"]["forward"], 3)

    def test_503_and_429_are_answered_without_forwarding(self):
        f = self.front({"503": 1.0})
        status, headers, _ = self.request(f, "PUT", "/evidence/a", body=b"{}")
        self.assertEqual((status, headers["Retry-After"]), (503, "1"))
        f.set_rates({"429": 1.0})
        forms = set()
        for _ in range(2):
            status, headers, _ = self.request(f, "GET", "/evidence")
            self.assertEqual(status, 429)
            retry = headers["Retry-After"]
            forms.add("seconds" if retry.isdigit() else "date")
            if not retry.isdigit():
                self.assertIsNotNone(email.utils.parsedate_to_datetime(retry))
        self.assertEqual(forms, {"seconds", "date"})
        self.assertEqual(_Upstream.seen, [])

    def test_reset_and_stall_fail_the_request_without_forwarding(self):
        f = self.front({"reset": 1.0})
        with self.assertRaises((ConnectionError, http.client.HTTPException)):
            self.request(f, "GET", "/evidence")
        f = self.front({"stall": 1.0}, stall=1.0)
        with self.assertRaises((socket.timeout, TimeoutError)):
            self.request(f, "GET", "/evidence", timeout=0.3)
        self.assertEqual(_Upstream.seen, [])

    def test_truncate_cuts_the_body_and_drop_loses_a_committed_answer(self):
        f = self.front({"truncate": 1.0})
        with self.assertRaises((http.client.IncompleteRead, ConnectionError)):
            self.request(f, "GET", "/evidence")
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.request(f, "HEAD", "/files/x")  # no body: the headers are cut
        f.set_rates({"drop": 1.0})
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.request(f, "PUT", "/evidence/b", body=b"{}")
        # The upstream saw all three: each fault happened after forwarding.
        self.assertEqual([m for m, _, _ in _Upstream.seen], ["GET", "HEAD", "PUT"])
        self.assertEqual((f.stats()["faults"]["truncate"], f.stats()["faults"]["drop"]), (2, 1))

    def test_same_seed_same_decisions_and_control_endpoints(self):
        rates = {"503": 0.3, "429": 0.3}
        first = [decide(42, n, rates) for n in range(1, 200)]
        self.assertEqual(first, [decide(42, n, rates) for n in range(1, 200)])
        self.assertNotEqual(first, [decide(43, n, rates) for n in range(1, 200)])
        f = self.front(rates, seed=42)
        got = [{200: "forward", 503: "503", 429: "429"}[self.request(f, "GET", "/x")[0]] for _ in range(20)]
        self.assertEqual(got, first[:20])
        status, _, body = self.request(f, "GET", "/__front/stats")
        self.assertEqual((status, json.loads(body)["requests"]), (200, 20))
        for bad in (b"{", b'{"nope": 0.1}', b'{"503": 2}', b'{"503": 0.6, "429": 0.6}', b'[1]'):
            self.assertEqual(self.request(f, "PUT", "/__front/rates", body=bad)[0], 400, bad)
        self.assertEqual(self.request(f, "PUT", "/__front/rates", body=b"{}")[0], 200)
        self.assertEqual(self.request(f, "GET", "/x")[0], 200)
        for text in ("503", "503=x", "boom=0.1", "503=-1", "503=0.7,429=0.7"):
            with self.assertRaises(ValueError, msg=text):
                parse_rates(text)
        self.assertEqual(parse_rates(" 503=0.1, drop=0.2 ,"), {"503": 0.1, "drop": 0.2})

    def test_malformed_request_bodies_are_refused_not_forwarded(self):
        f = self.front({})
        for head in (b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", b"Content-Length: -4\r\n\r\n",
                     b"Content-Length: ten\r\n\r\n"):
            with socket.create_connection(("127.0.0.1", f.port), timeout=10) as s:
                s.sendall(b"PUT /files/z HTTP/1.1\r\nHost: x\r\n" + head)
                s.shutdown(socket.SHUT_WR)
                answer = b""
                while chunk := s.recv(65536):
                    answer += chunk
            self.assertTrue(answer.startswith(b"HTTP/1.1 400"), (head, answer[:200]))
        # A body cut short (the agent killed mid-upload) never reaches the upstream whole.
        with socket.create_connection(("127.0.0.1", f.port), timeout=10) as s:
            s.sendall(b"PUT /files/z HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + b"a" * 1000)
            s.shutdown(socket.SHUT_WR)
            while s.recv(65536):
                pass
        self.assertNotIn("PUT", [m for m, _, _ in _Upstream.seen])


if __name__ == "__main__":
    unittest.main()

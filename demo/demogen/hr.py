"""The HR exports (sources "censo", "capacitacion", "cartas"), under rh/.

- rh/plantilla.csv: the census, as Excel's "CSV" writes it on a Spanish
  Windows: Windows-1252, semicolons, CRLF.  Source "censo", role "census":
  its rows never leave the machine; only their count and the export's date
  become one headcount record (activity 1.1.2), the denominator of 1.1.
- rh/capacitacion.xlsx: the training list, every course a public servant
  passed in 2021 (the courses the share's and the mail's certificates show,
  on the same dates, and those of people who sent no certificate): one
  course_certificate record per row (1.1.2), with the person (name, CURP,
  payroll number), so that indicator 1.1 counts people.
- rh/cartas_compromiso.csv: the pledges to the Code of Conduct, UTF-8 with
  a byte-order mark and commas (Excel's "CSV UTF-8"): one conduct_pledge
  record per row (4.1.2).

Every person is in the census.  Field names, titles and attribute templates
here must be those of demo/agent.toml.in; demo/verify.py --config checks them.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import random
import unicodedata
from pathlib import Path

from . import dates, rules, xlsx
from .documents import COURSES, Certificate
from .expected import Entry, Row, stamp_directories, write_file
from .people import Person, Roster, add_others

ROOT = "rh"
CENSUS, TRAINING, PLEDGES = "censo", "capacitacion", "cartas"
CENSUS_FILE, TRAINING_FILE, PLEDGES_FILE = "plantilla.csv", "capacitacion.xlsx", "cartas_compromiso.csv"
TRAINING_SHEET = "Capacitación 2021"

CENSUS_SIZE = 60       # the whole (demo) institution
TRAINED_OTHERS = 4     # people outside the roster who passed a course (one of them two)
PLEDGING_OTHERS = 12   # people outside the roster who signed the pledge

# Export headers (what HR's system writes) and the rules' outcomes (agent.toml.in).
CENSUS_HEADER = ["Número de empleado", "Apellido paterno", "Apellido materno", "Nombre(s)", "CURP", "Sexo",
                 "Unidad administrativa", "Puesto", "Fecha de ingreso"]
TRAINING_HEADER = ["No. de empleado", "Nombre completo", "CURP", "Curso", "Horas", "Fecha de acreditación",
                   "Unidad administrativa"]
TRAINING_RULE = {"kind": "course_certificate", "activity": "1.1.2", "title": "Curso acreditado: {course}"}
TRAINING_ATTRIBUTES = {"course": "{course}", "hours": "{hours}"}
PLEDGES_HEADER = ["Número de empleado", "Nombre completo", "CURP", "Unidad administrativa", "Fecha de suscripción"]
PLEDGE_RULE = {"kind": "conduct_pledge", "activity": "4.1.2", "title": "Carta compromiso: {unit}"}

CENTRAL = "Oficinas Centrales"
CHIAPAS = "Oficina de Representación en Chiapas"
UNITS = (CENTRAL, CHIAPAS, "Oficina de Representación en Tabasco", "Oficina de Representación en Baja California",
         "Oficina de Representación en Quintana Roo", "Aeropuerto Internacional de la Ciudad de México")
POSITIONS = ("Agente Federal de Migración", "Jefe de Departamento", "Subdirector de Área", "Enlace administrativo",
             "Analista de sistemas", "Técnico en migración", "Director de Área")
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _unit_of(roster: Roster, rng: random.Random, everyone: list[Person]) -> dict[str, str]:
    """Each person's unit: the committee sits in the central offices, the share's
    Chiapas sub-folder holds staff[5:8]; the others are spread over the units."""
    units = {p.curp: CENTRAL for p in roster.committee}
    units.update({p.curp: CHIAPAS for p in roster.staff[5:8]})
    for p in everyone:
        units.setdefault(p.curp, rng.choice(UNITS))
    return units


def _census_csv(people: list[Person], units: dict[str, str], rng: random.Random) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CENSUS_HEADER)
    for i, p in enumerate(people):
        # An acting head's position, as HR writes it, holds the delimiter: the
        # row must still count as one (its field is quoted).
        position = "Subdirector de Área; encargado de despacho" if i == 7 else rng.choice(POSITIONS)
        hired = _dt.date(1995, 1, 1) + _dt.timedelta(days=rng.randrange(0, 365 * 26))
        writer.writerow([p.employee_id, p.first_surname, p.second_surname, p.given, p.curp, p.sex,
                         units[p.curp], position, hired.strftime("%d/%m/%Y")])
    return out.getvalue().encode("cp1252")


def _training_rows(roster: Roster, others: list[Person], rng: random.Random) -> list[Certificate]:
    """Every course passed: the roster's (as the certificates show them) and a few others'."""
    passed = list(roster.passed)
    for i, person in enumerate(others[:TRAINED_OTHERS]):
        for course in COURSES[i % len(COURSES):][:2 if i == 0 else 1]:  # the first passed two courses
            passed.append(Certificate(person, course, dates.pick_date(rng, dates.window("1.1.2")), ""))
    passed.sort(key=lambda c: (c.completed_on, c.person.employee_id, c.course.name))
    return passed


def _row_key(*parts: str) -> str:
    """The SDK's row key: "row:" + the key fields joined by '|' ('|' and '\\' escaped), NFC."""
    return "row:" + "|".join(unicodedata.normalize("NFC", p.strip()).replace("\\", "\\\\").replace("|", "\\|")
                             for p in parts)


def _person(p: Person) -> dict[str, str]:
    return {"name": p.full_name, "curp": p.curp, "employee_id": p.employee_id}


def _training(out: Path, passed: list[Certificate], units: dict[str, str], when: _dt.datetime) -> Entry:
    sheet = xlsx.Sheet(TRAINING_SHEET, "Relación de personas servidoras públicas que acreditaron cursos "
                                       "en materia de ética pública, 2021", TRAINING_HEADER, inline_columns={6})
    table = f"{TRAINING_FILE}#{TRAINING_SHEET}"
    rows = []
    for n, c in enumerate(passed, start=sheet.first_data_row()):
        sheet.rows.append([c.person.employee_id, c.person.full_name, c.person.curp, c.course.name, c.course.hours,
                           c.completed_on, units[c.person.curp]])
        metadata = {"course": c.course.name, "hours": str(c.course.hours), "occurred_on": c.completed_on.isoformat(),
                    "unit": units[c.person.curp], "table": table, "line": str(n),
                    "source_row": f"{table}#line={n}"}
        rows.append(Row(key=_row_key(c.person.employee_id, c.course.name), line=n, outcome="classified",
                        occurred_on=c.completed_on, activity=TRAINING_RULE["activity"], kind=TRAINING_RULE["kind"],
                        title=rules.render(TRAINING_RULE["title"], metadata), people=[_person(c.person)],
                        metadata=metadata,
                        record_attributes={k: rules.render(t, metadata) for k, t in TRAINING_ATTRIBUTES.items()}))
    entry = Entry(path=f"{ROOT}/{TRAINING_FILE}", source=TRAINING, key=table, outcome="table", media_type=XLSX_TYPE,
                  mtime=when, rows=rows,
                  notes=["a title row merged above the header: the source reads the header from row 3 "
                         "(header_row = 3)", "dates are serial numbers with a dd/mm/yyyy style",
                         "the unit column is written as inline strings, the rest as shared strings"])
    write_file(out, entry, xlsx.workbook(sheet, "Dirección de Recursos Humanos", when))
    return entry


def _pledges(out: Path, people: list[Person], units: dict[str, str], rng: random.Random,
             when: _dt.datetime) -> Entry:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=",", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(PLEDGES_HEADER)
    rows = []
    signed = sorted(((dates.pick_date(rng, (_dt.date(2021, 3, 1), _dt.date(2021, 9, 30))), p) for p in people),
                    key=lambda t: (t[0], t[1].employee_id))
    for n, (day, p) in enumerate(signed, start=2):
        # One unit is written with the city, comma included, as people type it: a quoted field.
        unit = f"{units[p.curp]}, Tapachula" if units[p.curp] == CHIAPAS else units[p.curp]
        writer.writerow([p.employee_id, p.full_name, p.curp, unit, day.strftime("%d/%m/%Y")])
        metadata = {"unit": unit, "occurred_on": day.strftime("%d/%m/%Y"), "table": PLEDGES_FILE, "line": str(n),
                    "source_row": f"{PLEDGES_FILE}#line={n}"}
        rows.append(Row(key=_row_key(p.employee_id), line=n, outcome="classified", occurred_on=day,
                        activity=PLEDGE_RULE["activity"], kind=PLEDGE_RULE["kind"],
                        title=rules.render(PLEDGE_RULE["title"], metadata), people=[_person(p)], metadata=metadata))
    entry = Entry(path=f"{ROOT}/{PLEDGES_FILE}", source=PLEDGES, key=PLEDGES_FILE, outcome="table",
                  media_type=CSV_TYPE, mtime=when, rows=rows,
                  notes=["UTF-8 with a byte-order mark, commas, CRLF: Excel's \"CSV UTF-8\"",
                         "dates written dd/mm/yyyy"])
    write_file(out, entry, b"\xef\xbb\xbf" + text.getvalue().encode("utf-8"))
    return entry


def build(out: Path, rng: random.Random, roster: Roster) -> tuple[list[Entry], dict[str, dict[str, str]]]:
    """Writes out/rh/... and returns its entries and its three sources."""
    others = add_others(rng, roster, CENSUS_SIZE - len(roster.everyone()), first_serial=5000)
    everyone = sorted(roster.everyone(), key=lambda p: p.employee_id)
    units = _unit_of(roster, rng, everyone)

    census_when = dates.mtime_for(rng, _dt.date(2021, 11, 30))
    census = Entry(path=f"{ROOT}/{CENSUS_FILE}", source=CENSUS, key=f"census:{CENSUS_FILE}", outcome="classified",
                   media_type=CSV_TYPE, mtime=census_when, activity="1.1.2", kind="headcount",
                   title=f"Censo de personal: {len(everyone)} personas servidoras públicas",
                   record_attributes={"count": len(everyone), "as_of": census_when.date().isoformat()},
                   notes=["Windows-1252, semicolons, CRLF; one position holds a quoted ';'",
                          "only the row count leaves the machine: the record has no people and cites no file"])
    write_file(out, census, _census_csv(everyone, units, rng))

    training = _training(out, _training_rows(roster, others, rng), units, dates.mtime_for(rng, _dt.date(2021, 12, 6)))
    pledging = roster.committee + roster.staff + others[TRAINED_OTHERS:TRAINED_OTHERS + PLEDGING_OTHERS]
    pledges = _pledges(out, pledging, units, rng, dates.mtime_for(rng, _dt.date(2021, 10, 4)))
    entries = [census, training, pledges]
    for e in (training, pledges):
        keys = [r.key for r in e.rows]
        if len(keys) != len(set(keys)):
            raise RuntimeError(f"{e.path}: two rows share a key; the source would quarantine the second")
    for e in entries:
        dates.set_mtime(out / e.path, e.mtime)
    stamp_directories(out, entries)
    sources = {
        CENSUS: {"plugin": "csv", "root": ROOT, "path": CENSUS_FILE, "role": "census"},
        TRAINING: {"plugin": "xlsx", "root": ROOT, "path": TRAINING_FILE, "sheet": TRAINING_SHEET,
                   "header_row": xlsx.Sheet.HEADER_ROW},
        PLEDGES: {"plugin": "csv", "root": ROOT, "path": PLEDGES_FILE},
    }
    return entries, sources

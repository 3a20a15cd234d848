"""The committee's shared folder (source "comite", plugin "folder").

Laid out the way a CEPCI keeps its share: certificates by year and by who
took the course, diffusion material by theme, a campaign folder, papers that
are not evidence, and the junk Windows, macOS and Word leave behind.
"""
from __future__ import annotations

import datetime as _dt
import random
import unicodedata
from pathlib import Path, PurePosixPath

from . import dates, documents, office, posters
from .documents import COURSES, Certificate, Course
from .expected import Entry, stamp_directories, write_file
from .people import Person, Roster

SOURCE = "comite"
ROOT = "share"

# Kinds and title templates; demo/agent.toml.in must say the same (verify.py
# checks the two against each other).
KIND = {"1.1.1": "course_certificate", "1.1.2": "course_certificate", "2.1.1": "diffusion_material",
        "2.1.2": "diffusion_material", "2.1.3": "diffusion_material"}
TITLE = {"1.1.1": "Constancia: {stem}", "1.1.2": "Constancia: {stem}", "2.1.1": "Difusión: {stem}",
         "2.1.2": "Difusión: {stem}", "2.1.3": "Campaña Código de Conducta: {stem}"}

PDF, PNG, DOCX = "application/pdf", "image/png", \
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OCTET = "application/octet-stream"


def render_title(template: str, key: str) -> str:
    """{name}: the file name, {stem}: without its last extension, {path}: the key; NFC."""
    p = PurePosixPath(unicodedata.normalize("NFC", key))
    return template.replace("{stem}", p.stem).replace("{name}", p.name).replace("{path}", str(p))


class _Share:
    def __init__(self, out: Path, rng: random.Random, passed: list[Certificate]):
        self.out, self.rng = out, rng
        self.entries: list[Entry] = []
        self.folios: set[int] = set()
        self.passed = passed  # the roster's: every certificate written here is a course passed

    def add(self, key: str, data: bytes, outcome: str, media_type: str, when: _dt.datetime,
            activity: str = "", reason: str = "", **extra: object) -> Entry:
        # The folder source's natural key is the relative path in NFC ('%' and control
        # characters escaped, which no name here has); `path` is the name as on disk.
        entry = Entry(path=f"{ROOT}/{key}", source=SOURCE, key=unicodedata.normalize("NFC", key),
                      outcome=outcome, media_type=media_type,
                      mtime=when, activity=activity, kind=KIND.get(activity, ""),
                      title=render_title(TITLE[activity], key) if activity else "", reason=reason,
                      **extra)  # type: ignore[arg-type]
        write_file(self.out, entry, data)
        dates.set_mtime(self.out / entry.path, when)
        self.entries.append(entry)
        return entry

    def folio(self) -> str:
        while True:
            n = self.rng.randrange(1000, 999999)
            if n not in self.folios:
                self.folios.add(n)
                return f"UEPPCI-2021-{n:06d}"

    def certificate(self, folder: str, person: Person, course: Course, activity: str,
                    file_name: str | None = None, notes: list[str] | None = None) -> None:
        day = dates.pick_date(self.rng, dates.window(activity))
        when = dates.mtime_for(self.rng, day)
        cert = Certificate(person, course, day, self.folio())
        self.passed.append(cert)
        name = file_name or f"{person.short_name} - {course.name}.pdf"
        self.add(f"{folder}/{name}", documents.certificate_pdf(cert, when), "classified", PDF, when,
                 activity, people=[{"name": person.full_name, "curp": person.curp}],
                 attributes=cert.attributes(), notes=notes or [])

    def screenshot(self, folder: str, person: Person, course: Course, activity: str) -> None:
        day = dates.pick_date(self.rng, dates.window(activity))
        when = dates.mtime_for(self.rng, day)
        image = posters.course_screenshot(person.full_name, course.name, self.rng.randrange(80, 101))
        self.passed.append(Certificate(person, course, day, ""))
        self.add(f"{folder}/Captura de pantalla - {person.short_name}.png",
                 image.png(f"Curso acreditado: {course.name}"), "classified", PNG, when, activity,
                 people=[{"name": person.full_name, "curp": person.curp}],
                 attributes={"course": course.name, "hours": course.hours},
                 notes=["screenshot of a passed course, the other accepted proof of 1.1.x"])

    def poster(self, folder: str, name: str, activity: str, theme: posters.Theme, heading: list[str],
               body: list[str], size: tuple[int, int] = (480, 640), day: _dt.date | None = None) -> None:
        day = day or dates.pick_date(self.rng, dates.window(activity))
        when = dates.mtime_for(self.rng, day)
        image = posters.poster(self.rng, theme, heading, body, size)
        self.add(f"{folder}/{name.replace('{date}', day.isoformat())}", image.png(" ".join(heading)),
                 "classified", PNG, when, activity)

    def other(self, key: str, data: bytes, media_type: str, when: _dt.datetime, reason: str) -> None:
        self.add(key, data, "unclassified", media_type, when, reason=reason)

    def junk(self, key: str, data: bytes, reason: str, when: _dt.datetime | None = None) -> None:
        when = when or dates.mtime_for(self.rng, dates.pick_date(self.rng, dates.YEAR_2021, weekdays_only=False))
        self.add(key, data, "excluded", OCTET, when, reason=reason)

    def office_document(self, key: str, paragraphs: list[str], day: _dt.date, reason: str,
                        lock_owner: str = "") -> None:
        """A .docx dated `day`; with `lock_owner`, also the lock file of it left open that day."""
        when = dates.mtime_for(self.rng, day)
        self.other(key, office.docx(paragraphs, when), DOCX, when, reason)
        if lock_owner:
            folder, _, name = key.rpartition("/")
            lock = f"{folder}/{office.word_lock_name(name)}" if folder else office.word_lock_name(name)
            self.junk(lock, office.word_lock(lock_owner, name), "Word's lock file of an open document",
                      when + _dt.timedelta(minutes=7))


def _constancias(s: _Share, roster: Roster) -> None:
    members = "Constancias/2021/Integrantes del Comité"
    propietarios = [p for p in roster.committee if not p.is_alternate]
    suplentes = [p for p in roster.committee if p.is_alternate]
    for i, person in enumerate(propietarios):
        s.certificate(members, person, COURSES[i % len(COURSES)], "1.1.1")
    # One member took a second course: two records for the same person.
    s.certificate(members, propietarios[2], COURSES[(2 + 1) % len(COURSES)], "1.1.1")
    for i, person in enumerate(suplentes):
        s.certificate(f"{members}/Suplentes", person, COURSES[i % len(COURSES)], "1.1.1",
                      notes=["in a sub-folder: the rule reaches it through **"])
    s.junk(f"{members}/.DS_Store", office.ds_store(), "macOS Finder metadata")

    staff_dir = "Constancias/2021/Personal"
    chiapas = f"{staff_dir}/Oficina de Representación en Chiapas"
    staff = roster.staff
    for i, person in enumerate(staff[:3]):
        s.certificate(staff_dir, person, COURSES[i % len(COURSES)], "1.1.2")
    upper = staff[3]
    s.certificate(staff_dir, upper, COURSES[0], "1.1.2",
                  file_name=f"{upper.short_name} - {COURSES[0].name}.PDF",
                  notes=["upper-case extension: globs are case-insensitive"])
    nfd = staff[4]
    s.certificate(staff_dir, nfd, COURSES[1], "1.1.2",
                  file_name=unicodedata.normalize("NFD", f"{nfd.short_name} - {COURSES[1].name}.pdf"),
                  notes=["file name in Unicode NFD, as copied from macOS; its title is expected in NFC"])
    for i, person in enumerate(staff[5:8]):
        s.certificate(chiapas, person, COURSES[(i + 2) % len(COURSES)], "1.1.2",
                      notes=["in a sub-folder: the rule reaches it through **"])
    for i, person in enumerate(staff[8:10]):
        s.screenshot(staff_dir, person, COURSES[i % len(COURSES)], "1.1.2")
    s.office_document(f"{staff_dir}/Relación de constancias recibidas.docx",
                      ["Relación de constancias recibidas, 2021"]
                      + [f"{p.full_name}: constancia recibida" for p in staff[:8]],
                      _dt.date(2021, 11, 30),
                      "a working list beside the certificates; the certificate rules only take .pdf and .png",
                      lock_owner="Dolores Ávila")


def _difusion(s: _Share) -> None:
    etica = "Difusión/2021/Código de Ética"
    t = posters.CODIGO_ETICA
    s.poster(etica, "{date} Principios constitucionales.png", "2.1.1", t, ["CÓDIGO DE ÉTICA", "PRINCIPIOS"],
             ["LEGALIDAD", "HONRADEZ", "LEALTAD", "IMPARCIALIDAD", "EFICIENCIA"])
    s.poster(etica, "{date} Valores del servicio público.png", "2.1.1", t, ["VALORES DEL", "SERVICIO PÚBLICO"],
             ["INTERÉS PÚBLICO", "RESPETO", "IGUALDAD", "EQUIDAD DE GÉNERO", "TRANSPARENCIA"])
    s.poster(etica, "{date} Austeridad republicana.png", "2.1.1", t, ["LEY FEDERAL DE", "AUSTERIDAD", "REPUBLICANA"],
             ["¿LA CONOCES?", "CONSULTA EL DOF", "DEL 19/11/2019"])
    s.poster(etica, "Día internacional contra la corrupción.png", "2.1.1", t, ["9 DE DICIEMBRE"],
             ["DÍA INTERNACIONAL", "CONTRA LA", "CORRUPCIÓN", "¡DENUNCIA!"], day=_dt.date(2021, 12, 1))
    received = dates.mtime_for(s.rng, _dt.date(2021, 1, 20))
    s.other(f"{etica}/Programa Anual de Difusión 2021.pdf", documents.diffusion_program_pdf(received), PDF,
            received, "the UEPPCI's program itself, not a diffused image; the diffusion rules only take .png")
    s.junk(f"{etica}/Thumbs.db", office.thumbs_db(), "Windows thumbnail cache")

    conflicto = "Difusión/2021/Conflicto de interés"
    t = posters.CONFLICTO
    s.poster(conflicto, "Qué es un conflicto de interés.png", "2.1.2", t, ["¿QUÉ ES UN", "CONFLICTO", "DE INTERÉS?"],
             ["CUANDO TUS INTERESES", "PERSONALES, FAMILIARES", "O DE NEGOCIOS PUEDEN", "AFECTAR TU DESEMPEÑO"])
    s.poster(conflicto, "Excúsate - cartel.png", "2.1.2", t, ["EXCÚSATE"],
             ["SI TIENES UN CONFLICTO", "DE INTERÉS, INFÓRMALO", "A TU JEFE INMEDIATO", "POR ESCRITO"])
    s.poster(conflicto, "Infografía conflicto de interés.png", "2.1.2", t, ["CONFLICTO", "DE INTERÉS"],
             ["IDENTIFICA", "DECLARA", "EXCÚSATE", "ART. 58 LGRA"])
    s.junk(f"{conflicto}/.DS_Store", office.ds_store(), "macOS Finder metadata")

    campana = "Difusión/Campaña Código de Conducta"
    t = posters.CODIGO_CONDUCTA
    # The campaign runs in sequence before the pledge deadline of 4.1.2 (1 October).
    days = sorted(dates.pick_date(s.rng, (_dt.date(2021, 3, 1), _dt.date(2021, 9, 30))) for _ in range(3))
    s.poster(campana, "Banner 1 - Conoce tu Código de Conducta.png", "2.1.3", t, ["CONOCE TU", "CÓDIGO DE CONDUCTA"],
             ["INSTITUTO NACIONAL DE MIGRACIÓN"], size=(640, 360), day=days[0])
    s.poster(campana, "Banner 2 - Suscribe la Carta Compromiso.png", "2.1.3", t, ["SUSCRIBE LA", "CARTA COMPROMISO"],
             ["ANTES DEL 1 DE OCTUBRE"], size=(640, 360), day=days[1])
    s.poster(campana, "Banner 3 - Código de Conducta 2021.png", "2.1.3", t, ["CÓDIGO DE CONDUCTA", "2021"],
             ["VIVE LOS VALORES DEL INM"], size=(640, 360), day=days[2])
    s.office_document(f"{campana}/Carta Compromiso (formato).docx",
                      ["CARTA COMPROMISO", "Manifiesto que conozco el Código de Conducta del Instituto "
                       "Nacional de Migración y me comprometo a cumplirlo."],
                      _dt.date(2021, 3, 1), "the blank pledge form that the campaign distributes, not a diffused image")


def _varios(s: _Share, roster: Roster) -> None:
    held = dates.mtime_for(s.rng, _dt.date(2021, 6, 25))
    s.other("Varios/Minuta sesión ordinaria.pdf",
            documents.minutes_pdf("Segunda Sesión Ordinaria 2021", _dt.date(2021, 6, 24), roster.committee, held),
            PDF, held, "committee minutes: no rule covers this folder")
    s.office_document("Varios/Orden del día - 2a Sesión Ordinaria.docx",
                      ["Orden del día", "1. Lista de asistencia.", "2. Seguimiento al PAT 2021.",
                       "3. Asuntos generales."], _dt.date(2021, 6, 21),
                      "committee papers: no rule covers this folder", lock_owner="Secretaría Ejecutiva")
    s.junk("Thumbs.db", office.thumbs_db(), "Windows thumbnail cache")


def build(out: Path, rng: random.Random, roster: Roster) -> tuple[list[Entry], dict[str, dict[str, str]]]:
    """Writes out/share/... and returns its entries and its source description."""
    s = _Share(out, rng, roster.passed)
    _constancias(s, roster)
    _difusion(s)
    _varios(s, roster)
    stamp_directories(out, s.entries)
    return s.entries, {SOURCE: {"plugin": "folder", "root": ROOT}}

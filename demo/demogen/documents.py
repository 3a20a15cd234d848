"""The PDF documents of the share: course certificates and committee papers."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from . import pdf
from .dates import spanish_long_date
from .people import Person

GUINDA = (0.412, 0.110, 0.196)   # #691C32, the federal government's colour
DORADO = (0.737, 0.584, 0.361)   # #BC955C
GRIS = (0.30, 0.30, 0.30)

PLATFORM = "Secretaría de la Función Pública — SICAVISP"


@dataclass(frozen=True)
class Course:
    name: str
    hours: int


# Courses of the UEPPCI's 2021 offer on SICAVISP (names as published; hours
# as the demo assumes them).
COURSES = (
    Course("Los conflictos de intereses en el ejercicio del servicio público", 10),
    Course("La Nueva Ética e Integridad en el Servicio Público", 20),
    Course("Introducción a la Ley Federal de Austeridad Republicana", 5),
)


@dataclass(frozen=True)
class Certificate:
    person: Person
    course: Course
    completed_on: _dt.date
    folio: str

    def attributes(self) -> dict[str, object]:
        return {"course": self.course.name, "hours": self.course.hours, "folio": self.folio,
                "platform": PLATFORM, "completed_on": self.completed_on.isoformat()}


def certificate_pdf(cert: Certificate, issued_at: _dt.datetime) -> bytes:
    """An A4 landscape SICAVISP-style constancia with extractable text."""
    page = pdf.Page(*pdf.A4_LANDSCAPE)
    w, h = page.width, page.height
    page.rect(18, 18, w - 36, h - 36, GUINDA, fill=False, line_width=4)
    page.rect(28, 28, w - 56, h - 56, DORADO, fill=False, line_width=1.2)
    page.rect(28, h - 92, w - 56, 64, GUINDA)
    page.text("SECRETARÍA DE LA FUNCIÓN PÚBLICA", h - 58, 16, "bold", rgb=(1, 1, 1))
    page.text("Unidad de Ética Pública y Prevención de Conflictos de Interés", h - 78, 11, rgb=(1, 1, 1))
    page.text("CONSTANCIA", 440, 40, "bold", rgb=GUINDA)
    page.text("Se otorga la presente a", 405, 14)
    page.text(cert.person.full_name, 368, 24, "bold")
    page.text(f"CURP: {cert.person.curp}", 346, 11, rgb=GRIS)
    page.text("por haber acreditado el curso en línea", 308, 14)
    page.text(f"“{cert.course.name}”", 280, 17, "bold", rgb=GUINDA)
    page.text(f"con una duración de {cert.course.hours} horas, concluido el "
              f"{spanish_long_date(cert.completed_on)}.", 252, 13)
    page.rect(w / 2 - 140, 168, 280, 0.8, (0, 0, 0))
    page.text("Unidad de Ética Pública y Prevención de Conflictos de Interés", 152, 9)
    page.text(f"Plataforma: {PLATFORM}", 70, 9, x=60, rgb=GRIS)
    page.text(f"Folio: {cert.folio}", 56, 9, x=60, rgb=GRIS)
    page.text(f"Fecha de conclusión: {cert.completed_on.strftime('%d/%m/%Y')}", 42, 9, x=60, rgb=GRIS)
    place = f"Ciudad de México, a {spanish_long_date(cert.completed_on)}"
    page.text(place, 42, 9, x=w - 60 - pdf.text_width(place, "regular", 9), rgb=GRIS)
    stamp = issued_at.astimezone(_dt.timezone(_dt.timedelta(hours=-6)))
    return pdf.build_pdf([page], {
        "Title": f"Constancia — {cert.course.name}",
        "Author": "Secretaría de la Función Pública",
        "Creator": "SICAVISP",
        "Producer": "sseccoe-agent demo generator",
        "CreationDate": pdf.pdf_date(stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second),
    })


def _portrait_document(title: str, lines: list[tuple[str, str]], when: _dt.datetime) -> bytes:
    """A plain portrait document: a heading, then (style, text) lines flowing onto new pages."""
    pages = []
    page = pdf.Page(*pdf.A4_PORTRAIT)
    y = page.height - 72
    page.text("Comité de Ética y de Prevención de Conflictos de Interés del INM", y, 11, "bold", rgb=GUINDA)
    y -= 30
    for style, text in lines:
        if y < 72:
            pages.append(page)
            page = pdf.Page(*pdf.A4_PORTRAIT)
            y = page.height - 72
        if style == "h":
            y -= 8
            page.text(text, y, 12, "bold", x=72)
            y -= 22
        else:
            page.text(text, y, 10, x=72 if style == "p" else 90)
            y -= 15
    pages.append(page)
    stamp = when.astimezone(_dt.timezone(_dt.timedelta(hours=-6)))
    return pdf.build_pdf(pages, {
        "Title": title, "Author": "CEPCI INM", "Producer": "sseccoe-agent demo generator",
        "CreationDate": pdf.pdf_date(stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second),
    })


def minutes_pdf(session: str, held_on: _dt.date, committee: list[Person], when: _dt.datetime) -> bytes:
    """Minutes of a committee session: evidence of nothing the rules know about."""
    lines: list[tuple[str, str]] = [
        ("h", f"Minuta de la {session}"),
        ("p", f"Celebrada el {spanish_long_date(held_on)} por videoconferencia."),
        ("h", "Asistentes"),
    ]
    lines += [("i", f"{p.full_name}, {p.committee_role}") for p in committee]
    lines += [
        ("h", "Orden del día"),
        ("i", "1. Lista de asistencia y declaración de quórum."),
        ("i", "2. Lectura y, en su caso, aprobación del orden del día."),
        ("i", "3. Seguimiento al Programa Anual de Trabajo 2021."),
        ("i", "4. Informe de las acciones de difusión del Código de Ética."),
        ("i", "5. Asuntos generales."),
        ("h", "Acuerdos"),
        ("i", "CEPCI-INM-2021-07: Se toma conocimiento del avance de capacitación."),
        ("i", "CEPCI-INM-2021-08: Se aprueba la campaña de difusión del Código de Conducta."),
    ]
    return _portrait_document(f"Minuta — {session}", lines, when)


def diffusion_program_pdf(when: _dt.datetime) -> bytes:
    """The UEPPCI's annual diffusion program as received: a reference, not evidence."""
    themes = [("Enero", "Código de Ética de la Administración Pública Federal"),
              ("Febrero", "Principios constitucionales del servicio público"),
              ("Marzo", "Igualdad y no discriminación"),
              ("Abril", "Conflictos de intereses: identificación y excusa"),
              ("Mayo", "Ley Federal de Austeridad Republicana"),
              ("Junio", "Código de Conducta del ente público"),
              ("Julio", "Carta Compromiso"),
              ("Agosto", "Integridad en las contrataciones públicas"),
              ("Septiembre", "Denuncias ante el Comité de Ética"),
              ("Octubre", "Hostigamiento sexual y acoso sexual"),
              ("Noviembre", "Cultura de la legalidad")]
    lines: list[tuple[str, str]] = [
        ("h", "Programa Anual de Difusión en materia de Ética Pública y Conflicto de Intereses, 2021"),
        ("p", "Temas sugeridos por la UEPPCI para cada mes del ejercicio:"),
    ]
    lines += [("i", f"{month}: {theme}.") for month, theme in themes]
    return _portrait_document("Programa Anual de Difusión 2021", lines, when)


def good_practice_pdf(title: str, sections: list[tuple[str, list[str]]], when: _dt.datetime) -> bytes:
    """The summary of a good practice that the committee sends to the UEPPCI: (heading, lines) sections."""
    lines: list[tuple[str, str]] = [("h", "Ficha de buena práctica"), ("p", title)]
    for heading, body in sections:
        lines.append(("h", heading))
        lines += [("i", text) for text in body]
    return _portrait_document(f"Ficha de buena práctica — {title}", lines, when)

"""The committee's mailbox: a Maildir tree (source "buzon", plugin "maildir").

As Dovecot keeps comite.etica@inm.gob.mx: INBOX in the root (cur/, new/,
tmp/), Maildir++ subfolders .Sent, .Drafts and .Trash, and the server's own
index files beside them.  What is in it:
- INBOX: certificates from the course platform for committee members, the
  PDF attached under an accented name in RFC 2231 continuations (1.1.1);
  a consultation from a public servant (1.2.1, with its answer); the
  internal newsletter, unread, which no rule takes.
- Sent: the committee's answer to the consultation (In-Reply-To, References:
  one record with the request, group_by = "thread"), and the mail to the
  UEPPCI reporting a good practice (email_dispatch, 5.2.1), which cites the
  raw message, the agent's acuse and the attached summary.

Kinds, titles and attribute templates here must be those of the rules in
demo/agent.toml.in; demo/verify.py --config checks the two agree.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import random
import unicodedata
from pathlib import Path

from . import dates, documents, rules
from .documents import COURSES, Certificate
from .expected import Entry, stamp_directories, write_file
from .mime import Attachment, Message, date_header
from .people import Person, Roster

SOURCE = "buzon"
ROOT = "mail"
HOST = "mx1.inm.gob.mx"  # the Maildir unique names' host part, as Dovecot writes it

COMMITTEE = ("Comité de Ética del INM", "comite.etica@inm.gob.mx")
PLATFORM = ("SICAVISP", "notificaciones@sicavisp.funcionpublica.gob.mx")
UEPPCI = ("Unidad de Ética Pública y Prevención de Conflictos de Intereses", "ueppci@funcionpublica.gob.mx")
NEWSLETTER = ("Comunicación Social INM", "comunicacion.social@inm.gob.mx")

# The rules' outcomes (see demo/agent.toml.in).
CERTIFICATE = {"kind": "course_certificate", "activity": "1.1.1", "title": "{subject}"}
CONSULTATION = {"kind": "consultation", "activity": "1.2.1", "title": "Consulta al Comité de Ética"}
REQUEST_ATTRIBUTES = {"requested_at": "{date}"}
ANSWER_ATTRIBUTES = {"answered_at": "{date}"}
DISPATCH = {"kind": "email_dispatch", "activity": "5.2.1", "title": "Correo a la UEPPCI: {subject}"}
DISPATCH_ATTRIBUTES = {"from": "{from}", "to": "{to}", "subject": "{subject}", "date": "{date}",
                       "message_id": "{message_id}"}

PDF = "application/pdf"


def normalize_message_id(message_id: str) -> str:
    """As the SDK keys mail: the domain part (after the last '@') lower-cased."""
    local, at, domain = message_id.rpartition("@")
    return f"{local}@{domain.lower()}" if at else message_id


def mail_address(person: Person) -> tuple[str, str]:
    """Institutional addresses: first given name and first surname, ASCII, lower case."""
    def ascii_word(text: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFD", text.split()[0].lower()) if c.isascii())
    return person.full_name, f"{ascii_word(person.given)}.{ascii_word(person.first_surname)}@inm.gob.mx"


def _shown(addresses: list[tuple[str, str]]) -> str:
    """An address list as the SDK's metadata shows it (decoded, 'Name <addr>', comma separated)."""
    return ", ".join(f"{name} <{addr}>" if name else addr for name, addr in addresses)


def _utc(when: _dt.datetime) -> str:
    return when.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Maildir:
    def __init__(self, out: Path, rng: random.Random):
        self.out, self.rng = out, rng
        self.entries: list[Entry] = []
        self.serial = 0

    def _file_name(self, when: _dt.datetime, size: int, seen: bool) -> str:
        self.serial += 1
        unique = f"{int(when.timestamp())}.M{self.rng.randrange(100000, 999999)}P{2000 + self.serial}.{HOST},S={size}"
        return unique + (":2,S" if seen else "")

    def deliver(self, folder: str, msg: Message, outcome: str, seen: bool = True, rule: dict | None = None,
                attributes: dict[str, str] | None = None, record_key: str = "", reason: str = "",
                evidence: dict[str, object] | None = None, notes: list[str] | None = None) -> Entry:
        """Writes `msg` into `folder` ("INBOX" or a Maildir++ name) and records what the agent should make of it."""
        data = msg.to_bytes()
        base = "" if folder == "INBOX" else f".{folder}/"
        path = f"{ROOT}/{base}{'cur' if seen else 'new'}/{self._file_name(msg.when, len(data), seen)}"
        message_id = normalize_message_id(msg.message_id)
        references = [normalize_message_id(r) for r in msg.references]
        in_reply_to = normalize_message_id(msg.in_reply_to) if msg.in_reply_to else ""
        metadata = {"folder": folder, "from": _shown([msg.sender]), "to": _shown(msg.to),
                    "subject": msg.subject, "date": _utc(msg.when), "message_id": message_id,
                    "thread": (references or [in_reply_to or message_id])[0],
                    "attachments": str(len(msg.attachments)), "name": msg.subject, "stem": msg.subject}
        if msg.cc:
            metadata["cc"] = _shown(msg.cc)
        if in_reply_to:
            metadata["in_reply_to"] = in_reply_to
        if references:
            metadata["references"] = " ".join(references)
        for name, value in msg.extra_headers:
            if name == "List-Id":
                metadata["list_id"] = value.strip("<>")
        if msg.attachments:
            metadata["attachment"] = "\n".join(a.name for a in msg.attachments)
            metadata["attachment_type"] = "\n".join(a.media_type for a in msg.attachments)
        entry = Entry(path=path, source=SOURCE, key=f"msgid:{message_id}", outcome=outcome,
                      media_type="message/rfc822", mtime=msg.when, reason=reason, metadata=metadata,
                      activity=rule["activity"] if rule else "", kind=rule["kind"] if rule else "",
                      record_key=record_key, notes=notes or [], **(evidence or {}))  # type: ignore[arg-type]
        if rule:
            entry.title = rules.render(rule["title"], metadata)
            entry.record_attributes = {k: rules.render(t, metadata) for k, t in (attributes or {}).items()}
            entry.cites = self._cites(entry, msg, data)
        write_file(self.out, entry, data)
        dates.set_mtime(self.out / path, msg.when)
        self.entries.append(entry)
        return entry

    @staticmethod
    def _cites(entry: Entry, msg: Message, raw: bytes) -> list[dict[str, object]]:
        """The files the record cites under the default roles of its kind (docs/configuration.md)."""
        cited: list[dict[str, object]] = []
        if entry.kind == "email_dispatch":
            cited.append({"name": "mensaje.eml", "role": "message", "media_type": "message/rfc822",
                          "size": len(raw), "sha256": hashlib.sha256(raw).hexdigest()})
            # Rendered by the agent: its bytes are the agent's, only its presence is expected.
            cited.append({"name": "acuse.pdf", "role": "acuse", "media_type": PDF})
        for a in msg.attachments:
            cited.append({"name": a.name, "role": "attachment", "media_type": a.media_type,
                          "size": len(a.data), "sha256": hashlib.sha256(a.data).hexdigest()})
        return cited

    def server_file(self, name: str, text: str, when: _dt.datetime, reason: str) -> None:
        entry = Entry(path=f"{ROOT}/{name}", source=SOURCE, key=name, outcome="excluded",
                      media_type="text/plain", mtime=when, reason=reason)
        write_file(self.out, entry, text.encode("ascii"))
        dates.set_mtime(self.out / entry.path, when)
        self.entries.append(entry)

    def empty_folder(self, name: str) -> None:
        for sub in ("cur", "new", "tmp"):
            (self.out / ROOT / f".{name}" / sub).mkdir(parents=True, exist_ok=True)


def _message_id(rng: random.Random, domain: str, style: str) -> str:
    token = "".join(rng.choice("0123456789ABCDEF") for _ in range(16))
    return f"{style}.{token}@{domain}"


def _folio(rng: random.Random, taken: set[str]) -> str:
    while True:
        folio = f"UEPPCI-2021-{rng.randrange(1000, 999999):06d}"
        if folio not in taken:
            taken.add(folio)
            return folio


def _certificates(m: _Maildir, roster: Roster) -> None:
    """The platform mails each committee member the certificate of a course, copied to the committee."""
    taken = {c.folio for c in roster.passed if c.folio}
    propietarios = [p for p in roster.committee if not p.is_alternate]
    suplentes = [p for p in roster.committee if p.is_alternate]
    # Courses each did not already take according to the share.
    for person, course in ((propietarios[0], COURSES[1]), (propietarios[1], COURSES[2]), (suplentes[0], COURSES[2])):
        day = dates.pick_date(m.rng, dates.window("1.1.1"))
        when = dates.mtime_for(m.rng, day)
        cert = Certificate(person, course, day, _folio(m.rng, taken))
        roster.passed.append(cert)
        pdf = documents.certificate_pdf(cert, when)
        msg = Message(
            # The platform writes its host in capitals; keys lower-case the domain.
            message_id=_message_id(m.rng, "SICAVISP.FuncionPublica.gob.mx", f"constancia.{cert.folio}"),
            when=when, sender=PLATFORM, to=[mail_address(person)], cc=[COMMITTEE],
            subject=f"Constancia de acreditación — {person.full_name}",
            text=(f"Estimada persona servidora pública {person.full_name}:\n\n"
                  f"Le felicitamos por haber acreditado el curso «{course.name}», con una duración de "
                  f"{course.hours} horas, concluido el {dates.spanish_long_date(day)}.\n\n"
                  f"Adjuntamos su constancia con folio {cert.folio}. Por indicación de su Comité de Ética, "
                  "se envía copia a la cuenta del Comité.\n\n"
                  "Este mensaje se genera automáticamente; por favor no lo responda.\n\n"
                  "Sistema de Capacitación Virtual para los Servidores Públicos (SICAVISP)\n"
                  "Secretaría de la Función Pública\n"),
            attachments=[Attachment(f"Constancia - {course.name}.pdf", PDF, pdf)],
            extra_headers=[("Return-Path", f"<{PLATFORM[1]}>"), ("Delivered-To", COMMITTEE[1]),
                           ("Received", f"from smtp.funcionpublica.gob.mx (smtp.funcionpublica.gob.mx "
                                        f"[201.147.98.12])\n\tby {HOST} with ESMTPS; {_received(when)}")])
        m.deliver("INBOX", msg, "classified", rule=CERTIFICATE,
                  evidence={"people": [{"name": person.full_name, "curp": person.curp}],
                            "attributes": cert.attributes()},
                  notes=["the PDF's name is accented and long: RFC 2231 continuations (filename*0*, filename*1*...)",
                         "mail items carry no people: the certificate names the member, the record does not"])


def _received(when: _dt.datetime) -> str:
    """The trace header's time: the Date's clock, a few seconds later."""
    return date_header(when + _dt.timedelta(seconds=3))


def _consultation(m: _Maildir, roster: Roster) -> None:
    """A public servant asks the committee; the committee answers within 10 business days."""
    asker = roster.staff[2]
    day = dates.pick_date(m.rng, (_dt.date(2021, 3, 1), _dt.date(2021, 11, 1)))
    asked = dates.mtime_for(m.rng, day)
    answered = dates.mtime_for(m.rng, day + _dt.timedelta(days=7))  # a weekday + 7: five business days later
    request_id = _message_id(m.rng, "inm.gob.mx", "consulta")
    subject = "Consulta sobre posible conflicto de interés"
    question = (f"Buenos días, integrantes del Comité de Ética:\n\n"
                "Un familiar directo participa como proveedor en un procedimiento de contratación en el que "
                "me pidieron integrar el comité evaluador. ¿Debo excusarme? ¿Por qué medio lo informo a mi "
                "jefe inmediato?\n\nAgradezco su orientación.\n\n"
                f"{asker.full_name}\n{asker.employee_id}\n")
    request = Message(message_id=request_id, when=asked, sender=mail_address(asker), to=[COMMITTEE],
                      subject=subject, text=question,
                      extra_headers=[("Return-Path", f"<{mail_address(asker)[1]}>"), ("Delivered-To", COMMITTEE[1]),
                                     ("Received", f"from {HOST} (localhost [127.0.0.1])\n\tby {HOST} with LMTP; "
                                                  f"{_received(asked)}")])
    group = f"group:thread:{normalize_message_id(request_id)}"
    m.deliver("INBOX", request, "classified", rule=CONSULTATION, attributes=REQUEST_ATTRIBUTES, record_key=group,
              notes=["the request: one record with its answer in Sent (group_by = \"thread\")"])
    quoted = "".join(f"> {line}\n" if line else ">\n" for line in question.rstrip("\n").split("\n"))
    answer = Message(message_id=_message_id(m.rng, "inm.gob.mx", "respuesta"), when=answered, sender=COMMITTEE,
                     to=[mail_address(asker)], subject=f"RE: {subject}", in_reply_to=request_id,
                     references=[request_id],
                     text=("Estimada persona servidora pública:\n\n"
                           "Sí: conforme al artículo 58 de la Ley General de Responsabilidades Administrativas, "
                           "debe excusarse de intervenir en el procedimiento e informarlo por escrito a su jefe "
                           "inmediato, quien determinará lo conducente.\n\nAtentamente,\n"
                           "Secretaría Ejecutiva del Comité de Ética del INM\n\n" + quoted))
    m.deliver("Sent", answer, "classified", rule=CONSULTATION, attributes=ANSWER_ATTRIBUTES, record_key=group,
              notes=["the answer: completes the request's record with answered_at"])


def _dispatch(m: _Maildir, roster: Roster) -> None:
    """The committee reports its Code of Conduct campaign to the UEPPCI as a good practice."""
    president = roster.committee[0]
    day = dates.pick_date(m.rng, (_dt.date(2021, 10, 4), _dt.date(2021, 10, 29)))
    when = dates.mtime_for(m.rng, day)
    title = "Campaña «Vive el Código de Conducta» 2021"
    summary = documents.good_practice_pdf(title, [
        ("Descripción", ["Tres banners mensuales en la intranet y en las Oficinas de Representación,",
                         "previos a la suscripción de la Carta Compromiso."]),
        ("Resultados", ["Cartas Compromiso suscritas antes del 1 de octubre de 2021.",
                        "Consultas al Comité sobre el Código de Conducta atendidas en plazo."]),
    ], when)
    msg = Message(message_id=_message_id(m.rng, "inm.gob.mx", "buenapractica"), when=when, sender=COMMITTEE,
                  to=[UEPPCI], cc=[mail_address(president)],
                  subject=f"Buena práctica del Comité de Ética del INM: {title}",
                  text=("Unidad de Ética Pública y Prevención de Conflictos de Intereses\nPresente\n\n"
                        "En atención a la actividad 5.2.1 del Programa Anual de Trabajo 2021, el Comité de Ética "
                        "del Instituto Nacional de Migración informa, como buena práctica, la campaña de "
                        "difusión del Código de Conducta. Se adjunta la ficha correspondiente.\n\n"
                        f"Atentamente,\n{president.full_name}\n{president.committee_role} del Comité de Ética\n"),
                  attachments=[Attachment("Ficha de buena práctica.pdf", PDF, summary)])
    m.deliver("Sent", msg, "classified", rule=DISPATCH, attributes=DISPATCH_ATTRIBUTES,
              notes=["cites the raw message (mensaje.eml), the agent's acuse.pdf and the attached summary"])


def _newsletter(m: _Maildir) -> None:
    when = dates.mtime_for(m.rng, _dt.date(2021, 7, 15))
    text = ("Boletín interno del Instituto Nacional de Migración\nJulio de 2021\n\n"
            "- Jornada nacional de vacunación para el personal.\n"
            "- Nuevos horarios de atención en las Oficinas de Representación.\n"
            "- Día del Servidor Público: reconocimiento a 25 y 30 años de servicio.\n")
    html = ("<html><body><h1>Boletín interno</h1><p>Julio de 2021</p><ul>"
            "<li>Jornada nacional de vacunación para el personal.</li>"
            "<li>Nuevos horarios de atención en las Oficinas de Representación.</li>"
            "<li>Día del Servidor Público: reconocimiento a 25 y 30 años de servicio.</li>"
            "</ul></body></html>\n")
    msg = Message(message_id=_message_id(m.rng, "inm.gob.mx", "boletin"), when=when, sender=NEWSLETTER,
                  to=[("Personal del INM", "todos@inm.gob.mx")], subject="Boletín interno — julio de 2021",
                  text=text, html=html,
                  extra_headers=[("Return-Path", f"<{NEWSLETTER[1]}>"), ("Delivered-To", COMMITTEE[1]),
                                 ("List-Id", "<boletin.inm.gob.mx>"),
                                 ("List-Unsubscribe", "<mailto:boletin-baja@inm.gob.mx>")])
    m.deliver("INBOX", msg, "unclassified", seen=False,
              reason="the internal newsletter: no rule takes it; unread, so in new/")


def build(out: Path, rng: random.Random, roster: Roster) -> tuple[list[Entry], dict[str, dict[str, str]]]:
    """Writes out/mail/... and returns its entries and its source description."""
    m = _Maildir(out, rng)
    for sub in ("cur", "new", "tmp"):
        (out / ROOT / sub).mkdir(parents=True, exist_ok=True)
    for folder in ("Sent", "Drafts", "Trash"):
        m.empty_folder(folder)
    _certificates(m, roster)
    _consultation(m, roster)
    _dispatch(m, roster)
    _newsletter(m)
    newest = max(e.mtime for e in m.entries)
    m.server_file("subscriptions", "Sent\nDrafts\nTrash\n", newest,
                  "Dovecot's list of subscribed folders: not a message, the plugin reads only cur/ and new/")
    m.server_file("dovecot-uidlist", f"3 V{int(newest.timestamp())} N{len(m.entries) + 1}\n", newest,
                  "Dovecot's UID list: not a message, the plugin reads only cur/ and new/")
    stamp_directories(out, m.entries)
    return m.entries, {SOURCE: {"plugin": "maildir", "root": ROOT}}

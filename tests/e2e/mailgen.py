"""Deterministic RFC 5322 test mail, written as Maildir++ trees.

Shared by the mail tests (maildir, imap): the same arguments always give the
same bytes, so a test can compute what the agent must find. Standard library
only; import it from a test in tests/e2e (``import mailgen``).

Building blocks
  certificate_pdf(holder, course, serial) -> bytes
      A small, valid one-page PDF whose text (pdftotext) holds the holder's
      name, the course and the serial.
  Attachment(name, data, media_type="application/pdf", name_style="rfc2231")
      name_style says how the file name is written in the MIME headers:
      "rfc2231" (filename*=UTF-8''..., split into continuations when long),
      "rfc2047" (filename="=?UTF-8?B?...?=", as Outlook and Gmail write it),
      "latin1" (raw ISO-8859-1 bytes inside the quotes: broken but common),
      "plain" (ASCII as is), "none" (no name at all).
  build_message(subject, sender, to, date, message_id=..., body=..., attachments=(),
                cc=(), in_reply_to=None, references=(), list_id=None, folder_hint=None,
                crlf=False, extra_headers=()) -> bytes
      One message. Non-ASCII subjects and display names are RFC 2047-encoded;
      the body is UTF-8 quoted-printable text; attachments are base64.
      message_id=None leaves the Message-ID header out.
  mx_date(year, month, day, hour=10, minute=0) -> datetime
      A time in Mexico City (UTC-05:00 from April to October 2021, else -06:00).

Ready-made messages
  certificate_message(n, holder, course, name_style="rfc2231", day=(2021, 5, 14)) -> bytes
      A course platform's mail carrying one certificate PDF.
  multi_certificate_message(n, holders, course) -> bytes
      One mail carrying several certificates (per_attachment = true).
  dispatch_message(n, subject=..., day=(2021, 6, 10)) -> bytes
      The committee's mail to UEPPCI reporting a good practice (a Sent item).
  consultation(n) -> bytes ; reply_to(request_bytes, n, days_later=3) -> bytes
      A consultation to the committee and its answer, threaded by
      In-Reply-To / References.
  tnef(files, codepage=1252) -> bytes
      An Outlook winmail.dat (application/ms-tnef) holding `files`, a list of
      (long_name, data): each with an 8.3 attAttachTitle and its long name in
      UTF-16 (PR_ATTACH_LONG_FILENAME), as Outlook writes them.
  winmail_message(n, holder, course, tnef_bytes=None) -> bytes
      An Outlook mail whose certificate "constancia-ética.pdf" is inside a
      winmail.dat (tnef_bytes replaces that winmail.dat, e.g. a broken one).
  broken_messages() -> dict[name, bytes]
      "broken_multipart" (no closing boundary, truncated part),
      "bad_base64" (invalid characters and a cut-off final quantum),
      "latin1_headers" (raw Latin-1 bytes in Subject and From),
      "no_message_id" (harvested under sha256:<digest of the raw bytes>),
      "not_a_message" (a PDF dropped into the mailbox: quarantined),
      "empty" (0 bytes: quarantined).
  write_big_message(path, attachment_size, name="grande.pdf", n=1) -> (message_sha256, attachment_sha256)
      Streams a message with one attachment of attachment_size bytes to path
      without holding it in memory (a 200 MB attachment costs a few MiB).

Maildir++ trees
  Maildir(root)
      .add(folder, data, flags="", new=False, when=None) -> path
          folder "INBOX" is the root; "Sent" is root/.Sent; "A.B" is root/.A.B
          (cur/, new/, tmp/ and, for subfolders, the maildirfolder marker).
          new=True delivers into new/ (no flags); otherwise cur/ with ":2,<flags>".
          The file's mtime is `when` (a unix time; default from the Date header's day).
      .set_flags(path, flags) -> new path   (rename, as a mail client marks it read)
      .move_to_cur(path, flags="S") -> new path   (new/ -> cur/, as a client first sees it)
      .copy(path, folder) -> path           (the same bytes in another folder, a new unique name)
  sha256(data) -> hex
  message_key(data) -> "msgid:<id>" or "sha256:<hex>", as sseccoe_sdk_mail keys it
"""
import base64
import datetime as _dt
import hashlib
import os
import quopri
import struct
import urllib.parse
import zlib

__all__ = [
    "Attachment", "Maildir", "broken_messages", "build_message", "certificate_message", "certificate_pdf",
    "consultation", "dispatch_message", "message_key", "multi_certificate_message", "mx_date", "reply_to",
    "sha256", "write_big_message",
]

DOMAIN = "inm.gob.mx"
PLATFORM = "Plataforma SICAVISP <constancias@sicavisp.apps.funcionpublica.gob.mx>"
UEPPCI = "UEPPCI <ueppci@funcionpublica.gob.mx>"
COMMITTEE = "Comité de Ética INM <comite.etica@inm.gob.mx>"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def mx_date(year, month, day, hour=10, minute=0):
    """Mexico City local time (the 2021 rules: -05:00 in daylight time, Apr 4 - Oct 31)."""
    summer = (month, day) >= (4, 4) and (month, day) < (10, 31)
    tz = _dt.timezone(_dt.timedelta(hours=-5 if summer else -6))
    return _dt.datetime(year, month, day, hour, minute, tzinfo=tz)


def _rfc5322_date(when):
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    off = when.utcoffset()
    minutes = int(off.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return (f"{days[when.weekday()]}, {when.day:02d} {months[when.month - 1]} {when.year} "
            f"{when.hour:02d}:{when.minute:02d}:{when.second:02d} {sign}{minutes // 60:02d}{minutes % 60:02d}")


# --- PDF ---------------------------------------------------------------------------------------

def _pdf_text(s):
    """A PDF literal string in WinAnsi (Latin-1) with escapes."""
    raw = s.encode("cp1252", errors="replace")
    out = b""
    for b in raw:
        if b in b"()\\":
            out += b"\\" + bytes([b])
        elif b < 32 or b > 126:
            out += b"\\%03o" % b
        else:
            out += bytes([b])
    return b"(" + out + b")"


def certificate_pdf(holder, course, serial):
    """A one-page PDF (Helvetica, WinAnsi) whose text pdftotext can read back."""
    return text_pdf(["CONSTANCIA", f"Se otorga a {holder}", f"por acreditar el curso {course}", f"Folio {serial}"])


def text_pdf(lines, second_column=(), image_only=False):
    """A one-page PDF whose text poppler reads back: `lines` down the page
    (the first one large, as a title), `second_column` beside them on the
    right half (a two-column layout), or, with image_only, no text at all
    but a small gray image (what a scanner makes)."""
    content = b""
    if image_only:
        content = b"q 400 0 0 300 100 400 cm /Im1 Do Q\n"
    else:
        y = 720
        for i, line in enumerate(lines):
            size = 18 if i == 0 else 12
            content += b"BT /F1 %d Tf 72 %d Td " % (size, y) + _pdf_text(line) + b" Tj ET\n"
            y -= 40 if i == 0 else 24
        y = 680
        for line in second_column:
            content += b"BT /F1 12 Tf 330 %d Td " % y + _pdf_text(line) + b" Tj ET\n"
            y -= 24
    stream = zlib.compress(content, 9)
    resources = b"<< /Font << /F1 4 0 R >> >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    if image_only:
        pixels = zlib.compress(bytes([128]) * (40 * 30), 9)
        objects.append(b"<< /Type /XObject /Subtype /Image /Width 40 /Height 30 /ColorSpace /DeviceGray "
                       b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(pixels)
                       + pixels + b"\nendstream")
        resources = b"<< /XObject << /Im1 6 0 R >> >>"
    objects[2] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources " + resources +
                  b" /Contents 5 0 R >>")
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


# --- MIME --------------------------------------------------------------------------------------

class Attachment:
    def __init__(self, name, data, media_type="application/pdf", name_style="rfc2231"):
        self.name = name
        self.data = data
        self.media_type = media_type
        self.name_style = name_style


def _is_ascii(s):
    return all(ord(c) < 128 for c in s)


def _encode_word(s):
    """RFC 2047 B-encoding, split so that no encoded word exceeds 75 characters."""
    words = []
    chunk = ""
    for ch in s:
        if len(base64.b64encode((chunk + ch).encode())) > 45:
            words.append(chunk)
            chunk = ""
        chunk += ch
    if chunk:
        words.append(chunk)
    return " ".join("=?UTF-8?B?" + base64.b64encode(w.encode()).decode() + "?=" for w in words)


def _header_text(s):
    return s if _is_ascii(s) else _encode_word(s)


def _address(addr):
    """'Name <a@b>' with the display name RFC 2047-encoded when not ASCII."""
    if "<" not in addr:
        return addr
    name, rest = addr.split("<", 1)
    name = name.strip().strip('"')
    if not name:
        return "<" + rest
    if _is_ascii(name):
        return f'"{name}" <{rest}' if any(c in name for c in ",.;:") else f"{name} <{rest}"
    return f"{_encode_word(name)} <{rest}"


def _addresses(addrs):
    if isinstance(addrs, str):
        addrs = [addrs]
    return ", ".join(_address(a) for a in addrs)


def _name_params(att):
    """The Content-Type name and Content-Disposition filename parameters, as bytes."""
    name = att.name
    style = att.name_style
    if style == "none":
        return b"", b""
    if style == "plain":
        q = name.encode("ascii")
        return b'; name="' + q + b'"', b'; filename="' + q + b'"'
    if style == "latin1":
        q = name.encode("latin-1")
        return b'; name="' + q + b'"', b'; filename="' + q + b'"'
    if style == "rfc2047":
        w = _encode_word(name).encode()
        return b'; name="' + w + b'"', b'; filename="' + w + b'"'
    if style == "rfc2231":
        enc = urllib.parse.quote(name.encode("utf-8"), safe="")
        if len(enc) <= 60:
            return (b"; name*=UTF-8''" + enc.encode(), b"; filename*=UTF-8''" + enc.encode())
        # Continuations (RFC 2231 section 3): filename*0*=UTF-8''...; filename*1*=...
        tokens = []
        i = 0
        while i < len(enc):  # never split a %XX escape
            step = 3 if enc[i] == "%" else 1
            tokens.append(enc[i:i + step])
            i += step
        pieces = [""]
        for t in tokens:
            if len(pieces[-1]) >= 40:
                pieces.append("")
            pieces[-1] += t
        parts = []
        for k, p in enumerate(pieces):
            prefix = "UTF-8''" if k == 0 else ""
            parts.append(f";\r\n {{param}}*{k}*={prefix}{p}")
        joined = "".join(parts)
        return joined.replace("{param}", "name").encode(), joined.replace("{param}", "filename").encode()
    raise ValueError(f"unknown name_style {style!r}")


def _b64_lines(data):
    return base64.encodebytes(data)  # 76-character lines, LF


def _boundary(seed):
    return "=_sseccoe_" + hashlib.sha1(seed.encode()).hexdigest()[:24]


def build_message(subject, sender, to, date, message_id="default", body="", attachments=(), cc=(),
                  in_reply_to=None, references=(), list_id=None, crlf=False, extra_headers=(),
                  raw_subject=None, raw_from=None):
    """One RFC 5322 message as bytes. message_id=None: no Message-ID header.

    raw_subject / raw_from (bytes) replace the encoded header values verbatim
    (to write broken 8-bit headers)."""
    if message_id == "default":
        message_id = f"{hashlib.sha1((subject + _rfc5322_date(date)).encode()).hexdigest()[:16]}@{DOMAIN}"
    h = []
    h.append(b"From: " + (raw_from if raw_from is not None else _addresses(sender).encode()))
    h.append(b"To: " + _addresses(to).encode())
    if cc:
        h.append(b"Cc: " + _addresses(cc).encode())
    h.append(b"Subject: " + (raw_subject if raw_subject is not None else _header_text(subject).encode()))
    h.append(b"Date: " + _rfc5322_date(date).encode())
    if message_id is not None:
        h.append(b"Message-ID: <" + message_id.encode() + b">")
    if in_reply_to:
        h.append(b"In-Reply-To: <" + in_reply_to.encode() + b">")
    if references:
        h.append(b"References: " + b" ".join(b"<" + r.encode() + b">" for r in references))
    if list_id:
        h.append(b"List-Id: " + list_id.encode())
    for name, value in extra_headers:
        h.append(name.encode() + b": " + (value if isinstance(value, bytes) else value.encode()))
    h.append(b"MIME-Version: 1.0")
    text = quopri.encodestring(body.encode("utf-8")) if body else b""
    text_part = (b"Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                 + text + (b"" if text.endswith(b"\n") else b"\n"))
    if not attachments:
        msg = b"\n".join(h) + b"\n" + text_part
    else:
        boundary = _boundary(subject + _rfc5322_date(date) + str(message_id))
        h.append(b'Content-Type: multipart/mixed; boundary="' + boundary.encode() + b'"')
        parts = [b"This is a multi-part message in MIME format.\n"]
        parts.append(b"--" + boundary.encode() + b"\n" + text_part)
        for att in attachments:
            ct_name, cd_name = _name_params(att)
            parts.append(b"--" + boundary.encode() + b"\nContent-Type: " + att.media_type.encode() + ct_name +
                         b"\nContent-Disposition: attachment" + cd_name +
                         b"\nContent-Transfer-Encoding: base64\n\n" + _b64_lines(att.data))
        parts.append(b"--" + boundary.encode() + b"--\n")
        msg = b"\n".join(h) + b"\n\n" + b"".join(parts)
    if crlf:
        msg = msg.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    else:
        msg = msg.replace(b"\r\n", b"\n")
    return msg


# --- ready-made messages -----------------------------------------------------------------------

def certificate_message(n, holder, course, name_style="rfc2231", day=(2021, 5, 14), pdf_name=None,
                        to=None):
    pdf = certificate_pdf(holder, course, f"SICAVISP-2021-{n:05d}")
    name = pdf_name or f"Constancia {holder} - {course}.pdf"
    return build_message(
        subject=f"Constancia del curso «{course}»",
        sender=PLATFORM,
        to=to or f"{holder} <servidor{n}@{DOMAIN}>",
        date=mx_date(*day, hour=9, minute=n % 60),
        message_id=f"constancia.{n}.2021@sicavisp.apps.funcionpublica.gob.mx",
        body=f"Estimado(a) {holder}:\n\nAdjuntamos su constancia del curso «{course}».\n\nAtentamente,\nSICAVISP\n",
        attachments=[Attachment(name, pdf, name_style=name_style)])


def multi_certificate_message(n, holders, course, day=(2021, 5, 20)):
    atts = [Attachment(f"Constancia {h}.pdf", certificate_pdf(h, course, f"SICAVISP-2021-{n:05d}-{i}"))
            for i, h in enumerate(holders, 1)]
    return build_message(
        subject=f"Constancias del curso «{course}» ({len(holders)} personas)",
        sender=PLATFORM, to=COMMITTEE, date=mx_date(*day, hour=11),
        message_id=f"constancias.grupo.{n}@sicavisp.apps.funcionpublica.gob.mx",
        body="Se adjuntan las constancias del grupo.\n", attachments=atts)


def dispatch_message(n, subject="Buena práctica: campaña de difusión del Código de Conducta",
                     day=(2021, 6, 10), body=None, attachments=None):
    body = body if body is not None else (
        "Estimada UEPPCI:\n\nPor este medio informamos la buena práctica realizada por el Comité de Ética "
        "del Instituto Nacional de Migración: una campaña de difusión del Código de Conducta entre el personal "
        "de las oficinas de representación.\n\nSin otro particular, reciba un cordial saludo.\n\n"
        "Secretaría Técnica del Comité de Ética\n")
    if attachments is None:
        attachments = [Attachment("Informe de buena práctica.pdf",
                                  certificate_pdf("Comité de Ética INM", "Informe de buena práctica", f"BP-{n}"))]
    return build_message(subject=subject, sender=COMMITTEE, to=UEPPCI, cc=["Titular OIC <oic@inm.gob.mx>"],
                         date=mx_date(*day, hour=13, minute=15), message_id=f"envio.{n}.2021@{DOMAIN}",
                         body=body, attachments=attachments)


def consultation(n, day=(2021, 7, 5)):
    return build_message(subject=f"Consulta sobre conflicto de interés #{n}",
                         sender=f"Servidor Público {n} <servidor{n}@{DOMAIN}>", to=COMMITTEE,
                         date=mx_date(*day, hour=10), message_id=f"consulta.{n}@{DOMAIN}",
                         body="¿Puedo participar en un proceso de contratación en el que participa un familiar?\n")


def reply_to(request, n, days_later=3):
    req_id = message_key(request).split(":", 1)[1]
    req_date = None
    for line in request.split(b"\n"):
        if line.lower().startswith(b"date:"):
            from email.utils import parsedate_to_datetime
            req_date = parsedate_to_datetime(line.split(b":", 1)[1].strip().decode())
            break
    when = (req_date or mx_date(2021, 7, 5)) + _dt.timedelta(days=days_later)
    return build_message(subject=f"RE: Consulta sobre conflicto de interés #{n}", sender=COMMITTEE,
                         to=f"Servidor Público {n} <servidor{n}@{DOMAIN}>", date=when,
                         message_id=f"respuesta.{n}@{DOMAIN}", in_reply_to=req_id, references=[req_id],
                         body="En atención a su consulta, le informamos que debe excusarse.\n")


# --- Outlook's winmail.dat (TNEF, MS-OXTNEF) ---------------------------------------------------

TNEF_SIGNATURE = 0x223E9F78


def _tnef_attribute(level, attr_id, data):
    """level (1 message, 2 attachment), id (type << 16 | id), length, data, checksum."""
    return (struct.pack("<BII", level, attr_id, len(data)) + data
            + struct.pack("<H", sum(data) & 0xFFFF))


def _mapi_props(props):
    """attAttachment's MAPI block: count, then (tag, value) with values padded to 4."""
    out = struct.pack("<I", len(props))
    for prop_type, prop_id, value in props:
        out += struct.pack("<I", prop_id << 16 | prop_type)
        if prop_type == 0x0003:  # PT_LONG
            out += struct.pack("<I", value)
            continue
        out += struct.pack("<II", 1, len(value)) + value + b"\0" * ((4 - len(value) % 4) % 4)
    return out


def _short_name(name, n):
    stem, _, ext = name.rpartition(".")
    ascii_stem = "".join(c for c in (stem or name).upper() if c.isascii() and c.isalnum())[:6] or "FILE"
    return f"{ascii_stem}~{n}" + (f".{ext.upper()[:3]}" if stem else "")


def tnef(files, codepage=1252):
    out = struct.pack("<IH", TNEF_SIGNATURE, 0x4B1D)
    out += _tnef_attribute(1, 0x00089006, struct.pack("<I", 0x00010000))   # attTnefVersion
    out += _tnef_attribute(1, 0x00069007, struct.pack("<II", codepage, 0))  # attOemCodepage
    out += _tnef_attribute(1, 0x00078008, b"IPM.Microsoft Mail.Note\0")    # attMessageClass
    for n, (name, data) in enumerate(files, 1):
        out += _tnef_attribute(2, 0x00069002, struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0, 0, 0))  # attAttachRendData
        out += _tnef_attribute(2, 0x00018010, _short_name(name, n).encode("ascii") + b"\0")   # attAttachTitle
        out += _tnef_attribute(2, 0x0006800F, data)                                          # attAttachData
        out += _tnef_attribute(2, 0x00069005, _mapi_props([                                   # attAttachment
            (0x0003, 0x3705, 1),                                              # PR_ATTACH_METHOD: by value
            (0x001F, 0x3707, (name + "\0").encode("utf-16-le")),              # PR_ATTACH_LONG_FILENAME
        ]))
    return out


def winmail_message(n, holder, course, tnef_bytes=None):
    pdf = certificate_pdf(holder, course, f"OUTLOOK-2021-{n:05d}")
    data = tnef_bytes if tnef_bytes is not None else tnef([("constancia-ética.pdf", pdf)])
    return build_message(
        subject=f"Constancia del curso «{course}»",
        sender=f"{holder} <servidor{n}@{DOMAIN}>",
        to=COMMITTEE,
        date=mx_date(2021, 5, 17, hour=12, minute=n % 60),
        message_id=f"outlook.{n}.2021@exchange.{DOMAIN}",
        body="Adjunto mi constancia.\n",
        attachments=[Attachment("winmail.dat", data, media_type="application/ms-tnef", name_style="plain")])


def broken_messages():
    # Each message its own certificate: the same file twice for one activity
    # would be one record and an alias (never counted twice).
    pdf = certificate_pdf("Ana Pérez", "Ética pública", "ROTO-1")
    good_b64 = base64.encodebytes(pdf)
    out = {}
    # A multipart whose closing boundary never comes and whose last part is cut.
    m = build_message("Constancia rota", PLATFORM, f"Ana Pérez <ana@{DOMAIN}>", mx_date(2021, 5, 3),
                      message_id=f"roto.multipart@{DOMAIN}", body="texto",
                      attachments=[Attachment("constancia-rota.pdf", pdf)])
    out["broken_multipart"] = m[: m.rindex(b"--=_sseccoe")][: -len(good_b64) // 2]
    # Invalid characters inside the base64 and a final quantum cut short.
    m = build_message("Constancia base64 mala", PLATFORM, f"Ana Pérez <ana@{DOMAIN}>", mx_date(2021, 5, 4),
                      message_id=f"roto.base64@{DOMAIN}", body="texto",
                      attachments=[Attachment("constancia.pdf", pdf)])
    lines = good_b64.split(b"\n")
    lines[3] = lines[3][:10] + b"!!**%%" + lines[3][10:]
    bad = b"\n".join(lines).rstrip(b"\n=")[:-1] + b"\n"
    out["bad_base64"] = m.replace(good_b64, bad)
    # Raw Latin-1 bytes in headers (an old client that never encoded them).
    out["latin1_headers"] = build_message(
        "x", PLATFORM, f"Ana Pérez <ana@{DOMAIN}>", mx_date(2021, 5, 5), message_id=f"latin1@{DOMAIN}",
        body="texto", raw_subject="Constancia de participación".encode("latin-1"),
        raw_from="José Núñez <jose@inm.gob.mx>".encode("latin-1"),
        attachments=[Attachment("Constancia Peña.pdf", certificate_pdf("Ana Pérez", "Ética pública", "ROTO-3"),
                                name_style="latin1")])
    out["no_message_id"] = build_message("Constancia sin identificador", PLATFORM, f"Ana Pérez <ana@{DOMAIN}>",
                                         mx_date(2021, 5, 6), message_id=None, body="texto",
                                         attachments=[Attachment("constancia.pdf", certificate_pdf(
                                             "Ana Pérez", "Ética pública", "ROTO-4"))])
    out["not_a_message"] = pdf
    out["empty"] = b""
    return out


def _pseudo_random_block(size=57 * 18396, seed=b"sseccoe"):
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha512(seed + counter.to_bytes(8, "big")).digest()
        counter += 1
    return bytes(out[:size])


def write_big_message(path, attachment_size, name="grande.pdf", n=1):
    """Streams a message with one base64 attachment of `attachment_size` bytes to `path`.

    Returns (sha256 of the message file, sha256 of the decoded attachment)."""
    block = _pseudo_random_block()
    head = build_message(f"Archivo grande {n}", PLATFORM, f"Ana Pérez <ana@{DOMAIN}>", mx_date(2021, 5, 7),
                         message_id=f"grande.{n}@{DOMAIN}", body="Adjunto grande.",
                         attachments=[Attachment(name, b"")])
    marker = b"Content-Transfer-Encoding: base64\n\n"
    cut = head.rindex(marker) + len(marker)
    prefix, suffix = head[:cut], head[cut:].lstrip(b"\n")
    msg_hash = hashlib.sha256()
    att_hash = hashlib.sha256()
    with open(path, "wb") as f:
        def emit(b):
            f.write(b)
            msg_hash.update(b)
        emit(prefix)
        left = attachment_size
        i = 0
        while left > 0:
            # Every block differs (its first 8 bytes count), so nothing dedupes.
            chunk = (i.to_bytes(8, "big") + block[8:])[: min(left, len(block))]
            att_hash.update(chunk)
            emit(base64.encodebytes(chunk))
            left -= len(chunk)
            i += 1
        emit(suffix)
    return msg_hash.hexdigest(), att_hash.hexdigest()


def message_key(data):
    """The natural key sseccoe_sdk_mail gives this message (first Message-ID of the header block)."""
    head = data.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    unfolded = head.replace(b"\r\n", b"\n").replace(b"\n ", b" ").replace(b"\n\t", b" ")
    for line in unfolded.split(b"\n"):
        if line.lower().startswith(b"message-id:"):
            v = line.split(b":", 1)[1].decode("utf-8", "replace").strip()
            if "<" in v and ">" in v.split("<", 1)[1]:
                v = v.split("<", 1)[1].split(">", 1)[0]
            v = "".join(v.split())
            if "@" in v:
                local, domain = v.rsplit("@", 1)
                v = local + "@" + domain.lower()
            if v:
                return "msgid:" + v
    return "sha256:" + sha256(data)


# --- Maildir++ ---------------------------------------------------------------------------------

class Maildir:
    """A Maildir++ tree: INBOX at the root, other folders as root/.Name."""

    def __init__(self, root, host="mailgen"):
        self.root = root
        self.host = host
        self._seq = 0
        self.folder("INBOX")

    def folder(self, name):
        path = self.root if name == "INBOX" else os.path.join(self.root, "." + name)
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)
        if name != "INBOX":
            open(os.path.join(path, "maildirfolder"), "ab").close()
        return path

    @staticmethod
    def _date_of(data):
        for line in data.split(b"\n"):
            if line.lower().startswith(b"date:"):
                from email.utils import parsedate_to_datetime
                try:
                    return int(parsedate_to_datetime(line.split(b":", 1)[1].strip().decode()).timestamp())
                except (TypeError, ValueError):
                    return None
            if not line.strip():
                break
        return None

    def _unique(self, when, size):
        self._seq += 1
        return f"{when}.M{self._seq:06d}P4242.{self.host},S={size}"

    def add(self, folder, data, flags="", new=False, when=None):
        when = when or self._date_of(data) or 1621015200
        unique = self._unique(when, len(data))
        base = self.folder(folder)
        path = os.path.join(base, "new", unique) if new else os.path.join(base, "cur", f"{unique}:2,{flags}")
        tmp = os.path.join(base, "tmp", unique)
        with open(tmp, "wb") as f:
            f.write(data)
        os.utime(tmp, (when, when))
        os.rename(tmp, path)  # delivery is a rename, as in every Maildir writer
        return path

    @staticmethod
    def set_flags(path, flags):
        d, name = os.path.split(path)
        unique = name.split(":", 1)[0]
        new_path = os.path.join(d, f"{unique}:2,{''.join(sorted(flags))}")
        os.rename(path, new_path)
        return new_path

    @staticmethod
    def move_to_cur(path, flags="S"):
        d, name = os.path.split(path)
        new_path = os.path.join(os.path.dirname(d), "cur", f"{name.split(':', 1)[0]}:2,{flags}")
        os.rename(path, new_path)
        return new_path

    def copy(self, path, folder, flags="S"):
        with open(path, "rb") as f:
            data = f.read()
        return self.add(folder, data, flags=flags, when=int(os.stat(path).st_mtime))

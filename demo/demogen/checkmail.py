"""Reads a mail message file back with the standard `email` package, for the verifier.

An independent reader of what demogen/mime.py writes: it decodes the headers
(RFC 2047 words, RFC 2231 file names) and the attachments the way a mail
client does, and describes the message in the terms of the SDK's mail
metadata (docs/plugins/maildir.md): folder-independent fields only.
"""
from __future__ import annotations

import datetime as _dt
import email
import email.header
import email.message
import email.policy
import email.utils
import hashlib
from dataclasses import dataclass, field

MAX_MESSAGE_BYTES = 5 * 1000 * 1000


class MailError(Exception):
    """The file is not a message the agent could use as the demo means it."""


@dataclass
class Attachment:
    name: str
    media_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class ReadMessage:
    message_id: str          # normalised: no brackets, domain lower-cased
    from_: str
    to: str
    subject: str
    date: str                # RFC 3339 UTC
    local_day: _dt.date      # the Date header's day in its own zone
    in_reply_to: str = ""
    references: str = ""
    list_id: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    text: str = ""           # the text/plain body


def normalize_id(value: str) -> str:
    """The first '<...>' of a header value, brackets removed, domain lower-cased (as the SDK keys mail)."""
    value = value.strip()
    start, end = value.find("<"), value.find(">")
    inner = value[start + 1:end] if 0 <= start < end else value
    local, at, domain = inner.strip().rpartition("@")
    return f"{local}@{domain.lower()}" if at else inner.strip()


def _ids(value: str) -> str:
    return " ".join(normalize_id(f"<{part}") for part in value.split("<")[1:])


def read(data: bytes) -> ReadMessage:
    if not data:
        raise MailError("empty file")
    if len(data) > MAX_MESSAGE_BYTES:
        raise MailError(f"{len(data)} bytes: far larger than any demo message")
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:  # the email package raises many types on broken input
        raise MailError(f"not parseable as a message: {exc}") from None
    end = data.find(b"\n\n")
    head = data[:end if end >= 0 else len(data)]
    if not head.isascii():
        at = next(i for i, b in enumerate(head) if b > 0x7F)
        raise MailError(f"8-bit byte {head[at]:#04x} in the header block (offset {at}): "
                        "the demo writes headers in ASCII, non-ASCII text RFC 2047-encoded")
    raw_headers = email.message_from_bytes(data, policy=email.policy.compat32)  # undecoded header values
    if msg.defects:
        raise MailError(f"message defects: {[type(d).__name__ for d in msg.defects]}")
    try:
        message_id = str(msg.get("Message-ID", ""))
        date_value = str(msg.get("Date", ""))
        when = email.utils.parsedate_to_datetime(date_value) if date_value else None
    except (TypeError, ValueError) as exc:
        raise MailError(f"unreadable Date header: {exc}") from None
    if not message_id or when is None or when.tzinfo is None:
        raise MailError("no Message-ID or no Date with a time zone")
    out = ReadMessage(
        message_id=normalize_id(message_id),
        from_=_decoded_addresses(raw_headers, "From"), to=_decoded_addresses(raw_headers, "To"),
        subject=str(msg.get("Subject", "")),
        date=when.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), local_day=when.date(),
        in_reply_to=_ids(str(msg.get("In-Reply-To", ""))), references=_ids(str(msg.get("References", ""))),
        list_id=normalize_id(str(msg.get("List-Id", ""))) if msg.get("List-Id") else "")
    body = msg.get_body(preferencelist=("plain",))
    out.text = body.get_content() if body is not None else ""
    for part in msg.iter_attachments():
        name = part.get_filename()
        if not name:
            raise MailError("an attachment has no file name")
        payload = part.get_payload(decode=True)
        if part.defects or payload is None:
            raise MailError(f"attachment {name!r} cannot be decoded: {[type(d).__name__ for d in part.defects]}")
        out.attachments.append(Attachment(name, part.get_content_type(), payload))
    return out


def _decoded_addresses(msg: email.message.Message, header: str) -> str:
    """'Name <addr>, ...' with the names decoded as RFC 2047 says: the space between two
    adjacent encoded words is not text.  (The `email` package's address parser keeps it,
    which GMime, and so the agent, rightly does not: decode first, then split.)"""
    raw = msg.get(header)
    if raw is None:
        return ""
    decoded = str(email.header.make_header(email.header.decode_header(" ".join(str(raw).split()))))
    return ", ".join(f"{name} <{addr}>" if name else addr for name, addr in email.utils.getaddresses([decoded]))

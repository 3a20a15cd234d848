"""A small, deterministic writer of Internet mail messages (RFC 5322, MIME).

Written by hand rather than with the standard `email` package so that every
byte is chosen here and stays the same across Python versions: the header
encodings real clients use (RFC 2047 encoded words in Subject and display
names, RFC 2231 file names split into continuations, as Outlook and Gmail
write long accented names), quoted-printable text, base64 attachments, LF line
ends (as Dovecot stores Maildir files).  The verifier reads what this writes
with the standard `email` package, an independent parser.
"""
from __future__ import annotations

import base64
import binascii
import datetime as _dt
import hashlib
import urllib.parse
from dataclasses import dataclass, field

from .dates import in_mexico_city

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Characters that force a display name into quotes (RFC 5322 "specials").
_SPECIALS = set('()<>[]:;@\\,."')
_MAX_WORD = 75  # RFC 2047: an encoded word is at most 75 characters


def date_header(when: _dt.datetime) -> str:
    """'Tue, 08 Jun 2021 13:14:05 -0500': `when` as a Mexico City clock shows it."""
    local = in_mexico_city(when)
    offset = int(local.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
    sign = "-" if offset < 0 else "+"
    return (f"{_DAYS[local.weekday()]}, {local.day:02d} {_MONTHS[local.month - 1]} {local.year} "
            f"{local:%H:%M:%S} {sign}{abs(offset) // 60:02d}{abs(offset) % 60:02d}")


def encoded_words(text: str) -> str:
    """`text` as it goes into a header: as is when ASCII, else RFC 2047 'B' words.

    Each word holds whole characters (a multi-byte character is never split
    between two words, which RFC 2047 forbids) and is at most 75 characters."""
    if text.isascii():
        return text
    words, chunk = [], ""
    for ch in text:
        candidate = chunk + ch
        if len(_b_word(candidate)) > _MAX_WORD:
            words.append(_b_word(chunk))
            candidate = ch
        chunk = candidate
    words.append(_b_word(chunk))
    return "\n ".join(words)  # folded: whitespace between encoded words is not part of the text


def _b_word(text: str) -> str:
    return "=?UTF-8?B?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


def address(name: str, addr: str) -> str:
    """'Name <addr>', the name encoded when not ASCII, quoted when it holds specials."""
    if not name:
        return f"<{addr}>"
    if not name.isascii():
        return f"{encoded_words(name)} <{addr}>"
    if any(ch in _SPECIALS for ch in name):
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + f'" <{addr}>'
    return f"{name} <{addr}>"


def filename_params(param: str, name: str, per_line: int = 48) -> str:
    """`param*=UTF-8''...` (RFC 2231), split into `param*0*`, `param*1*`... when long.

    Pieces are of about equal length and cut between characters: never inside
    a percent-escape, never between the bytes of one UTF-8 character (each
    piece decodes on its own, as some readers decode them)."""
    quoted = urllib.parse.quote(name, safe="")
    if len(quoted) <= per_line:
        return f"{param}*=UTF-8''{quoted}"

    def between_characters(text: str, at: int) -> bool:
        inside_escape = "%" in text[max(0, at - 2):at]
        continuation = text[at] == "%" and text[at + 1] in "89AB"  # %80-%BF continue a character
        return not inside_escape and not continuation

    pieces, rest = [], quoted
    while rest:
        needed = -(-len(rest) // per_line)  # pieces still to write, at most per_line long
        cut = -(-len(rest) // needed)       # of about equal length
        while cut < len(rest) and not between_characters(rest, cut):
            cut -= 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
    parts = [f"{param}*0*=UTF-8''{pieces[0]}"] + [f"{param}*{i}*={p}" for i, p in enumerate(pieces[1:], start=1)]
    return ";\n ".join(parts)


def quoted_printable(text: str) -> bytes:
    """UTF-8 text as quoted-printable with LF line ends and soft breaks at 76."""
    return binascii.b2a_qp(text.encode("utf-8"), quotetabs=False, istext=True, header=False)


@dataclass
class Attachment:
    name: str
    media_type: str
    data: bytes


@dataclass
class Message:
    message_id: str        # without brackets
    when: _dt.datetime     # the Date header (shown in Mexico City time)
    sender: tuple[str, str]
    to: list[tuple[str, str]]
    subject: str
    text: str
    cc: list[tuple[str, str]] = field(default_factory=list)
    html: str = ""         # with text: a multipart/alternative body
    in_reply_to: str = ""  # without brackets
    references: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    extra_headers: list[tuple[str, str]] = field(default_factory=list)  # trace and list headers, first

    def _boundary(self, what: str) -> str:
        return f"=_{what}_" + hashlib.sha256(f"{self.message_id}/{what}".encode()).hexdigest()[:24]

    def _text_part(self, media_type: str, text: str) -> bytes:
        return (f"Content-Type: {media_type}; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                .encode("ascii") + quoted_printable(text) + b"\n")

    def _body(self) -> tuple[str, bytes]:
        """(Content-Type header value, body bytes)."""
        if self.html:
            b = self._boundary("alt")
            inner = (f"--{b}\n".encode() + self._text_part("text/plain", self.text)
                     + f"--{b}\n".encode() + self._text_part("text/html", self.html) + f"--{b}--\n".encode())
            main_type, main = f'multipart/alternative;\n boundary="{b}"', inner
        else:
            main_type = "text/plain; charset=UTF-8"
            main = quoted_printable(self.text) + b"\n"
        if not self.attachments:
            return main_type, main
        b = self._boundary("mixed")
        out = bytearray(b"This is a multi-part message in MIME format.\n\n")
        if self.html:
            out += f"--{b}\nContent-Type: {main_type}\n\n".encode() + main
        else:
            out += f"--{b}\n".encode() + self._text_part("text/plain", self.text)
        for a in self.attachments:
            # Outlook also puts the name, RFC 2047-encoded, in Content-Type's
            # 'name'; readers take the RFC 2231 'filename' first.
            out += (f"--{b}\nContent-Type: {a.media_type};\n name=\"{encoded_words(a.name).replace(chr(10), '')}\"\n"
                    f"Content-Disposition: attachment;\n {filename_params('filename', a.name)}\n"
                    f"Content-Transfer-Encoding: base64\n\n").encode("ascii")
            out += base64.encodebytes(a.data)
        out += f"--{b}--\n".encode()
        return f'multipart/mixed;\n boundary="{b}"', bytes(out)

    def to_bytes(self) -> bytes:
        headers = list(self.extra_headers) + [
            ("Date", date_header(self.when)),
            ("From", address(*self.sender)),
            ("To", ",\n ".join(address(*a) for a in self.to)),
        ]
        if self.cc:
            headers.append(("Cc", ",\n ".join(address(*a) for a in self.cc)))
        headers += [("Subject", encoded_words(self.subject)), ("Message-ID", f"<{self.message_id}>")]
        if self.in_reply_to:
            headers.append(("In-Reply-To", f"<{self.in_reply_to}>"))
        if self.references:
            headers.append(("References", "\n ".join(f"<{r}>" for r in self.references)))
        content_type, body = self._body()
        headers += [("MIME-Version", "1.0"), ("Content-Type", content_type)]
        if not self.attachments and not self.html:
            headers.append(("Content-Transfer-Encoding", "quoted-printable"))
        head = "".join(f"{k}: {v}\n" for k, v in headers)
        if not head.isascii():
            raise ValueError(f"message {self.message_id}: a header is not ASCII after encoding")
        return head.encode("ascii") + b"\n" + body

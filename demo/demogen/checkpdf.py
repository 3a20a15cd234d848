"""Structural check and text extraction for the demo's PDFs (independent of pdf.py).

Checks what a strict reader needs: the header, a cross-reference table whose
offsets land on the objects it names, a trailer with /Root, stream lengths that
end at `endstream`, and Flate streams that inflate.  Text extraction reads the
`(...) Tj` strings of the page streams as /WinAnsiEncoding (cp1252); it is
meant for files written by pdf.py, not for PDFs at large.
"""
from __future__ import annotations

import re
import zlib

MAX_PDF_BYTES = 20 * 1000 * 1000    # demo files are a few KB; anything near this is wrong
MAX_STREAM_BYTES = 4 * 1000 * 1000   # inflated size allowed per stream (zip-bomb guard)

_OBJ = re.compile(rb"(\d+) 0 obj\b")
_STREAM = re.compile(rb">>\s*stream\r?\n")
_LENGTH = re.compile(rb"/Length (\d+)\b")
_TJ = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f",
            b"(": b"(", b")": b")", b"\\": b"\\"}


class PdfError(ValueError):
    pass


def _inflate(data: bytes, where: str) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_STREAM_BYTES + 1)
    except zlib.error as exc:
        raise PdfError(f"{where}: Flate data does not inflate ({exc})") from None
    if len(out) > MAX_STREAM_BYTES:
        raise PdfError(f"{where}: inflates to more than {MAX_STREAM_BYTES} bytes")
    if not inflater.eof:
        raise PdfError(f"{where}: Flate data is truncated")
    return out


def streams(data: bytes) -> list[bytes]:
    """Checks the file's structure and returns its streams, inflated; raises PdfError."""
    if len(data) > MAX_PDF_BYTES:
        raise PdfError(f"{len(data)} bytes is far larger than any demo PDF")
    if not data.startswith(b"%PDF-1."):
        raise PdfError("does not start with a %PDF-1.x header")
    if not data.rstrip().endswith(b"%%EOF"):
        raise PdfError("does not end with %%EOF (truncated?)")
    found = re.findall(rb"startxref\s+(\d+)\s+%%EOF\s*$", data[-64:])
    if not found:
        raise PdfError("no startxref before %%EOF")
    xref_at = int(found[-1])
    header = re.match(rb"xref\r?\n0 (\d+)\r?\n", data[xref_at:xref_at + 32])
    if not header:
        raise PdfError(f"startxref {xref_at} does not point at an xref table")
    count = int(header.group(1))
    table = xref_at + header.end()
    rows = data[table:table + 20 * count]
    if len(rows) != 20 * count:
        raise PdfError(f"xref table of {count} entries is cut short")
    for num in range(1, count):
        row = rows[20 * num:20 * num + 20]
        if not re.fullmatch(rb"\d{10} \d{5} [nf](?: \n|\r\n)", row):
            raise PdfError(f"xref entry {num} is malformed: {row!r}")
        if row[17:18] == b"n":
            offset = int(row[:10])
            obj = _OBJ.match(data, offset)
            if not obj or int(obj.group(1)) != num:
                raise PdfError(f"xref says object {num} is at {offset}, but it is not there")
    trailer = data[table + 20 * count:]
    if not trailer.startswith(b"trailer") or b"/Root" not in trailer.split(b"startxref")[0]:
        raise PdfError("trailer missing or without /Root")
    if not re.search(rb"/Size %d\b" % count, trailer):
        raise PdfError(f"trailer /Size does not match the {count} xref entries")

    out = []
    for m in _STREAM.finditer(data):
        where = f"stream at byte {m.end()}"
        head = data[data.rfind(b" obj", 0, m.start()):m.start()]  # the stream's own dictionary
        length = _LENGTH.search(head)
        if not length:
            raise PdfError(f"{where}: no /Length")
        end = m.end() + int(length.group(1))
        if not re.match(rb"\r?\nendstream", data[end:end + 12]):
            raise PdfError(f"{where}: /Length {int(length.group(1))} does not end at endstream")
        body = data[m.end():end]
        out.append(_inflate(body, where) if b"/FlateDecode" in head else body)
    if not out:
        raise PdfError("no content stream")
    return out


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i:i + 1] != b"\\":
            out.append(raw[i])
            i += 1
            continue
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(raw[i + 1:i + 2], raw[i + 1:i + 2])
            i += 2
    return bytes(out)


def text(data: bytes) -> str:
    """The shown strings, one per line, decoded as cp1252; raises PdfError."""
    lines = []
    for stream in streams(data):
        for m in _TJ.finditer(stream):
            raw = _unescape(m.group(1))
            try:
                lines.append(raw.decode("cp1252"))
            except UnicodeDecodeError as exc:
                raise PdfError(f"string {raw!r} is not valid cp1252 ({exc.reason})") from None
    return "\n".join(lines)

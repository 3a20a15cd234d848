"""A minimal PDF 1.4 writer for text documents (certificates, minutes).

Written by hand so that the demo needs nothing but Python: one or more pages,
the standard Helvetica fonts with /WinAnsiEncoding (Spanish text is encoded as
cp1252 bytes in the content stream, which poppler maps back to Unicode), filled
and stroked rectangles, a Flate-compressed content stream per page, a correct
cross-reference table and an /Info dictionary.  Output is byte-for-byte
deterministic for the same input.
"""
from __future__ import annotations

import hashlib
import unicodedata
import zlib
from dataclasses import dataclass, field

A4_LANDSCAPE = (841.89, 595.28)
A4_PORTRAIT = (595.28, 841.89)

FONTS = {"regular": ("F1", "Helvetica"), "bold": ("F2", "Helvetica-Bold"),
         "italic": ("F3", "Helvetica-Oblique")}

# Advance widths (1/1000 em) of the Adobe core-14 AFM files for the printable
# ASCII range, used only to centre lines.  Accented letters have the width of
# their base letter in these fonts.
_ASCII = "".join(chr(c) for c in range(32, 127))
_HELVETICA = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
]
_HELVETICA_BOLD = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
]
_WIDTHS = {"regular": dict(zip(_ASCII, _HELVETICA)), "bold": dict(zip(_ASCII, _HELVETICA_BOLD)),
           "italic": dict(zip(_ASCII, _HELVETICA))}
_WIDE = {"\u2014": 1000, "\u2013": 556, "\u201c": 333, "\u201d": 333, "\u00b0": 400, "\u00ba": 365,
         "\u00aa": 370, "\u00bf": 611, "\u00a1": 333}


def text_width(text: str, style: str, size: float) -> float:
    widths = _WIDTHS[style]
    total = 0
    for ch in text:
        if ch in widths:
            total += widths[ch]
        elif ch in _WIDE:
            total += _WIDE[ch]
        else:
            total += widths.get(unicodedata.normalize("NFD", ch)[0], 556)
    return total * size / 1000.0


def encode_text(text: str) -> bytes:
    """A PDF literal string, cp1252 bytes, with ( ) \\ escaped and non-ASCII as octal."""
    try:
        raw = text.encode("cp1252")
    except UnicodeEncodeError as exc:
        bad = text[exc.start:exc.end]
        raise ValueError(f"{bad!r} in {text!r} cannot be written with /WinAnsiEncoding (cp1252)") from None
    out = bytearray(b"(")
    for b in raw:
        if b in (0x28, 0x29, 0x5C):
            out += b"\\" + bytes([b])
        elif 32 <= b < 127:
            out.append(b)
        else:
            out += b"\\%03o" % b
    out += b")"
    return bytes(out)


def _num(value: float) -> bytes:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode("ascii")


@dataclass
class Page:
    width: float = A4_LANDSCAPE[0]
    height: float = A4_LANDSCAPE[1]
    ops: list[bytes] = field(default_factory=list)

    def rect(self, x: float, y: float, w: float, h: float, rgb: tuple[float, float, float],
             fill: bool = True, line_width: float = 1.0) -> None:
        colour = b" ".join(_num(c) for c in rgb)
        coords = b" ".join(_num(v) for v in (x, y, w, h))
        if fill:
            self.ops.append(colour + b" rg " + coords + b" re f")
        else:
            self.ops.append(_num(line_width) + b" w " + colour + b" RG " + coords + b" re S")

    def text(self, text: str, y: float, size: float, style: str = "regular", x: float | None = None,
             rgb: tuple[float, float, float] = (0, 0, 0)) -> None:
        """Draws one line; centred on the page when `x` is None."""
        if style not in FONTS:
            raise ValueError(f"unknown font style {style!r}; use one of {sorted(FONTS)}")
        if x is None:
            x = (self.width - text_width(text, style, size)) / 2.0
        colour = b" ".join(_num(c) for c in rgb)
        self.ops.append(b"BT " + colour + b" rg /" + FONTS[style][0].encode() + b" " + _num(size)
                        + b" Tf 1 0 0 1 " + _num(x) + b" " + _num(y) + b" Tm " + encode_text(text)
                        + b" Tj ET")

    def content(self) -> bytes:
        return b"\n".join(self.ops) + b"\n"


def _info_string(text: str) -> bytes:
    """An /Info value: plain when ASCII, else UTF-16BE with a BOM (PDF 1.4 text string)."""
    if text.isascii():
        return encode_text(text)
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def build_pdf(pages: list[Page], info: dict[str, str]) -> bytes:
    """The complete file.  `info` keys are /Info names (Title, Author, Producer, CreationDate...)."""
    if not pages:
        raise ValueError("a PDF needs at least one page")
    objects: list[bytes] = []  # objects[i] is object number i + 1

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled once the page tree's number is known
    pages_obj = add(b"")
    font_refs = []
    for key, (res_name, base) in FONTS.items():
        num = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /" + base.encode()
                  + b" /Encoding /WinAnsiEncoding >>")
        font_refs.append(b"/" + res_name.encode() + b" %d 0 R" % num)
    resources = b"<< /Font << " + b" ".join(font_refs) + b" >> /ProcSet [/PDF /Text] >>"
    kids = []
    for page in pages:
        data = zlib.compress(page.content(), 9)
        stream = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 " % pages_obj + _num(page.width)
                        + b" " + _num(page.height) + b"] /Resources " + resources
                        + b" /Contents %d 0 R >>" % stream))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                              + b"] /Count %d >>" % len(kids))
    info_obj = add(b"<< " + b" ".join(b"/" + k.encode("ascii") + b" " + _info_string(v)
                                      for k, v in info.items()) + b" >>")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    file_id = hashlib.md5(bytes(out)).hexdigest().upper().encode("ascii")
    out += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<" % (len(objects) + 1, catalog, info_obj)
            + file_id + b"> <" + file_id + b">] >>\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return bytes(out)


def pdf_date(year: int, month: int, day: int, hour: int, minute: int, second: int, tz: str = "-06'00'") -> str:
    """A PDF date string, D:YYYYMMDDHHmmSS with a UTC offset."""
    return f"D:{year:04d}{month:02d}{day:02d}{hour:02d}{minute:02d}{second:02d}{tz}"

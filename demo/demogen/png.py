"""A small RGB canvas and a PNG encoder (zlib + crc32), stdlib only.

Enough to draw the diffusion posters and course screenshots of the demo:
filled rectangles, discs and upper-case text in a 5x7 bitmap font (with the
Spanish accents), saved as 8-bit truecolour PNG with an iTXt title.
"""
from __future__ import annotations

import struct
import unicodedata
import zlib

Colour = tuple[int, int, int]

# 5x7 glyphs; '#' is ink.  Accented capitals are drawn as the base glyph plus
# a mark in the two rows above it (see _MARKS).
_GLYPHS: dict[str, tuple[str, ...]] = {
    "A": (" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"),
    "B": ("#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### "),
    "C": (" ####", "#    ", "#    ", "#    ", "#    ", "#    ", " ####"),
    "D": ("#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### "),
    "E": ("#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####"),
    "F": ("#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    "),
    "G": (" ####", "#    ", "#    ", "#  ##", "#   #", "#   #", " ####"),
    "H": ("#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"),
    "I": ("#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "#####"),
    "J": ("  ###", "   # ", "   # ", "   # ", "   # ", "#  # ", " ##  "),
    "K": ("#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #"),
    "L": ("#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"),
    "M": ("#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #"),
    "N": ("#   #", "##  #", "# # #", "#  ##", "#   #", "#   #", "#   #"),
    "O": (" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "P": ("#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    "),
    "Q": (" ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #"),
    "R": ("#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #"),
    "S": (" ####", "#    ", "#    ", " ### ", "    #", "    #", "#### "),
    "T": ("#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "),
    "U": ("#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "V": ("#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  "),
    "W": ("#   #", "#   #", "#   #", "# # #", "# # #", "## ##", "#   #"),
    "X": ("#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #"),
    "Y": ("#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  "),
    "Z": ("#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####"),
    "0": (" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"),
    "3": ("#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "),
    "4": ("   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "),
    "5": ("#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "),
    "6": ("  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "),
    "8": (" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "),
    "9": (" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "),
    " ": ("     ",) * 7,
    ".": ("     ", "     ", "     ", "     ", "     ", " ##  ", " ##  "),
    ",": ("     ", "     ", "     ", "     ", " ##  ", "  #  ", " #   "),
    ":": ("     ", " ##  ", " ##  ", "     ", " ##  ", " ##  ", "     "),
    "-": ("     ", "     ", "     ", "#####", "     ", "     ", "     "),
    "_": ("     ", "     ", "     ", "     ", "     ", "     ", "#####"),
    "!": ("  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "     ", "  #  "),
    "¡": ("  #  ", "     ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "),
    "?": (" ### ", "#   #", "    #", "   # ", "  #  ", "     ", "  #  "),
    "¿": ("  #  ", "     ", "  #  ", " #   ", "#    ", "#   #", " ### "),
    "/": ("    #", "    #", "   # ", "  #  ", " #   ", "#    ", "#    "),
    "%": ("##  #", "##  #", "   # ", "  #  ", " #   ", "#  ##", "#  ##"),
    "@": (" ### ", "#   #", "# ###", "# # #", "# ###", "#    ", " ####"),
    "#": (" # # ", " # # ", "#####", " # # ", "#####", " # # ", " # # "),
    "\"": (" # # ", " # # ", "     ", "     ", "     ", "     ", "     "),
}
_MARKS = {"\u0301": ("   # ", "  #  "), "\u0303": (" ## #", "#  # "), "\u0308": (" # # ", "     ")}
GLYPH_W, GLYPH_H, MARK_H = 5, 7, 2


def _glyph(ch: str) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    decomposed = unicodedata.normalize("NFD", ch.upper())
    base, marks = decomposed[0], decomposed[1:]
    if base not in _GLYPHS:
        raise ValueError(f"the poster font has no glyph for {ch!r}")
    mark = _MARKS.get(marks[0]) if marks else None
    return _GLYPHS[base], mark


class Canvas:
    def __init__(self, width: int, height: int, background: Colour):
        if not (0 < width <= 4096 and 0 < height <= 4096):
            raise ValueError(f"canvas size {width}x{height} is outside 1..4096")
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(background) * (width * height))

    def rect(self, x: int, y: int, w: int, h: int, colour: Colour) -> None:
        x0, y0 = max(0, x), max(0, y)
        x1, y1 = min(self.width, x + w), min(self.height, y + h)
        if x1 <= x0 or y1 <= y0:
            return
        span = bytes(colour) * (x1 - x0)
        for row in range(y0, y1):
            start = (row * self.width + x0) * 3
            self.pixels[start:start + len(span)] = span

    def disc(self, cx: int, cy: int, r: int, colour: Colour) -> None:
        for dy in range(-r, r + 1):
            half = int((r * r - dy * dy) ** 0.5)
            self.rect(cx - half, cy + dy, 2 * half + 1, 1, colour)

    def text_width(self, text: str, scale: int) -> int:
        return len(text) * (GLYPH_W + 1) * scale - scale if text else 0

    def text(self, x: int, y: int, text: str, scale: int, colour: Colour) -> None:
        """Draws `text` upper-cased; `y` is the top of the accent rows."""
        for i, ch in enumerate(text):
            rows, mark = _glyph(ch)
            gx = x + i * (GLYPH_W + 1) * scale
            if mark:
                self._bitmap(gx, y, mark, scale, colour)
            self._bitmap(gx, y + MARK_H * scale, rows, scale, colour)

    def text_centred(self, y: int, text: str, scale: int, colour: Colour) -> None:
        self.text((self.width - self.text_width(text, scale)) // 2, y, text, scale, colour)

    def _bitmap(self, x: int, y: int, rows: tuple[str, ...], scale: int, colour: Colour) -> None:
        for r, line in enumerate(rows):
            for c, cell in enumerate(line):
                if cell == "#":
                    self.rect(x + c * scale, y + r * scale, scale, scale, colour)

    def png(self, title: str = "") -> bytes:
        return encode_png(self.width, self.height, bytes(self.pixels), title)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(width: int, height: int, rgb: bytes, title: str = "") -> bytes:
    """8-bit RGB, no interlace, filter type 0 on every row; `title` goes in an iTXt chunk (UTF-8)."""
    stride = width * 3
    if len(rgb) != stride * height:
        raise ValueError(f"{len(rgb)} bytes of pixels do not make a {width}x{height} RGB image")
    raw = b"".join(b"\x00" + rgb[row * stride:(row + 1) * stride] for row in range(height))
    out = [b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))]
    if title:
        # iTXt: keyword, NUL, compression flag 0, method 0, empty language and translated keyword.
        out.append(_chunk(b"iTXt", b"Title\x00\x00\x00\x00\x00" + title.encode("utf-8")))
    out.append(_chunk(b"IDAT", zlib.compress(raw, 9)))
    out.append(_chunk(b"IEND", b""))
    return b"".join(out)

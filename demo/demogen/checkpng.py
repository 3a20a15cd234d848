"""Strict PNG check for the demo's images (independent of png.py).

Every chunk's length and CRC, IHDR first, IEND last and nothing after it, and
image data that inflates to exactly the size the header announces, with a
valid filter byte on every row.  Sizes are checked before anything is
inflated, so a forged header cannot make the check allocate gigabytes.
"""
from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_SIDE = 16384
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


class PngError(ValueError):
    pass


def check(data: bytes) -> tuple[int, int, dict[str, str]]:
    """(width, height, text chunks) of a valid PNG; raises PngError naming the fault."""
    if not data.startswith(SIGNATURE):
        raise PngError("no PNG signature")
    pos, chunks, idat, texts = len(SIGNATURE), [], [], {}
    width = height = 0
    expected = 0
    while True:
        if pos + 8 > len(data):
            raise PngError(f"truncated at byte {pos}: no IEND")
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if length > 0x7FFFFFFF or pos + 12 + length > len(data):
            raise PngError(f"chunk {kind!r} at byte {pos} claims {length} bytes; the file is shorter")
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise PngError(f"chunk {kind!r} at byte {pos} has a bad CRC")
        chunks.append(kind)
        pos += 12 + length
        if len(chunks) == 1:
            if kind != b"IHDR" or length != 13:
                raise PngError("the first chunk is not a 13-byte IHDR")
            width, height, depth, colour, comp, filt, interlace = struct.unpack(">IIBBBBB", body)
            if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
                raise PngError(f"image size {width}x{height} is outside 1..{MAX_SIDE}")
            if depth != 8 or colour not in _CHANNELS or comp or filt or interlace:
                raise PngError(f"unsupported IHDR: depth {depth}, colour type {colour}, interlace {interlace}")
            expected = height * (1 + width * _CHANNELS[colour])
        elif kind == b"IDAT":
            idat.append(body)
        elif kind in (b"tEXt", b"iTXt"):
            key, _, rest = body.partition(b"\x00")
            if kind == b"iTXt":
                parts = rest[2:].split(b"\x00", 2)  # language tag, translated keyword, text
                if len(rest) < 2 or len(parts) != 3 or rest[0] != 0:
                    raise PngError(f"iTXt chunk {key!r} is malformed or compressed")
                value = parts[2]
            else:
                value = rest
            try:
                texts[key.decode("latin-1")] = value.decode("utf-8" if kind == b"iTXt" else "latin-1")
            except UnicodeDecodeError:
                raise PngError(f"{kind.decode()} chunk {key!r} is not valid text") from None
        elif kind == b"IEND":
            break
    if pos != len(data):
        raise PngError(f"{len(data) - pos} bytes after IEND")
    if not idat:
        raise PngError("no IDAT chunk")
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(b"".join(idat), expected + 1)
    except zlib.error as exc:
        raise PngError(f"image data does not inflate ({exc})") from None
    if len(raw) != expected or not inflater.eof:
        raise PngError(f"image data inflates to {len(raw)}{'+' if not inflater.eof else ''} bytes, "
                       f"expected {expected}")
    stride = expected // height
    for row in range(height):
        if raw[row * stride] > 4:
            raise PngError(f"row {row} has filter type {raw[row * stride]}")
    return width, height, texts

"""Files a committee share always has besides evidence.

- A real (minimal) .docx: Office Open XML in a zip, as Word writes it.
- The junk desktop systems leave behind, which the folder source must skip:
  Word's owner lock file (~$...), Windows' Thumbs.db and macOS' .DS_Store.
  Their headers are the real ones so that content sniffing sees what a real
  share would show.
"""
from __future__ import annotations

import datetime as _dt
import io
import struct
import zipfile
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>')
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(paragraphs: list[str], when: _dt.datetime) -> bytes:
    """A minimal valid Word document; `when` stamps the zip entries (deterministic output)."""
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>' for p in paragraphs)
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>')
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                           ("word/document.xml", document)):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # as written on Windows; keeps the bytes platform-independent
            info.external_attr = 0
            zf.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def word_lock_name(document_name: str) -> str:
    """Word names its lock '~$' plus the document name without its first two characters."""
    return "~$" + document_name[2:]


def word_lock(user: str, document_name: str) -> bytes:
    """The 162-byte owner file: the user name in ANSI and UTF-16 (what Word writes)."""
    ansi = user.encode("cp1252", errors="replace")[:53]
    wide = user.encode("utf-16-le")[:106]
    data = bytes([len(ansi)]) + ansi
    data = data.ljust(54, b"\x00") + struct.pack("<H", len(wide) // 2) + wide
    return data.ljust(162, b"\x00")


def thumbs_db() -> bytes:
    """An empty OLE2 compound file header, as the Windows thumbnail cache starts."""
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\x00" * 6 + struct.pack("<IIIIIIIII", 0, 1, 0, 0, 0x1000, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0))
    header += b"\xff" * (512 - len(header))
    return header + b"\x00" * 1024


def ds_store() -> bytes:
    """The Finder's 'Bud1' buddy-allocator file header, padded to its usual 6148 bytes."""
    return (b"\x00\x00\x00\x01Bud1" + struct.pack(">III", 0x1000, 0x800, 0x1000)).ljust(6148, b"\x00")

"""Reads the HR exports back (CSV, XLSX) for the verifier, independently of their writers.

- CSV: the encoding from a byte-order mark, else UTF-8 when the bytes are
  valid UTF-8, else Windows-1252 (what the csv plugin's "auto" decides for
  these files); the delimiter sniffed among ';', ',', tab and '|'; each
  record with the line it starts on.
- XLSX: the zip's parts as the workbook's relationships name them, shared
  strings, inline strings, and numbers whose style is a date format turned
  into ISO dates (1900 date system).

Both refuse what is not a small, well-formed export, with the reason.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree

MAX_TABLE_BYTES = 5 * 1000 * 1000
MAX_PART_BYTES = 20 * 1000 * 1000  # inflated: a zip bomb is refused before it fills memory
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN_DATES = set(range(14, 18)) | {22} | set(range(27, 37)) | set(range(50, 59))
_EPOCH_1900 = _dt.date(1899, 12, 30)


class TableError(Exception):
    """The export cannot be read as the demo means it."""


# --- CSV -------------------------------------------------------------------

def decode_csv(data: bytes) -> tuple[str, str]:
    """(encoding name, text) of a CSV export."""
    if len(data) > MAX_TABLE_BYTES:
        raise TableError(f"{len(data)} bytes: far larger than any demo export")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return "utf-8-sig", data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TableError(f"a UTF-8 byte-order mark, but byte {exc.start + 3} is not UTF-8") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError("UTF-16: HR exports here are UTF-8 or Windows-1252")
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return "cp1252", data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise TableError(f"neither UTF-8 nor Windows-1252 (byte {exc.start}: {data[exc.start]:#04x})") from None


def read_csv(data: bytes) -> tuple[str, str, list[tuple[int, list[str]]]]:
    """(encoding, delimiter, [(line the record starts on, fields)...]) with the header first."""
    encoding, text = decode_csv(data)
    if not text.strip():
        raise TableError("empty export: no header row")
    sample = "\n".join(text.splitlines()[:5])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        raise TableError("no delimiter (';', ',', tab, '|') found in the first lines") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records, line = [], 1
    try:
        for fields in reader:
            records.append((line, fields))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise TableError(f"line {line}: {exc}") from None
    if text and not text.endswith(("\n", "\r")):
        raise TableError("the last line has no line end: the export looks truncated")
    return encoding, delimiter, records


# --- XLSX ------------------------------------------------------------------

def _part(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise TableError(f"the workbook has no part {name}") from None
    if info.file_size > MAX_PART_BYTES:
        raise TableError(f"part {name} inflates to {info.file_size} bytes: refused")
    try:
        with zf.open(info) as fh:
            data = fh.read(MAX_PART_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:  # also a bad CRC
        raise TableError(f"part {name} cannot be read: {exc}") from None
    if len(data) > MAX_PART_BYTES:
        raise TableError(f"part {name} inflates past {MAX_PART_BYTES} bytes: refused")
    return data


def _xml(zf: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(_part(zf, name))
    except ElementTree.ParseError as exc:
        raise TableError(f"part {name} is not well-formed XML: {exc}") from None


def _is_date_code(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].', "", code.split(";")[0]).lower()
    return bool(re.search(r"[dmy]", code)) and not re.search(r"[0#?]", code)


def _date_styles(zf: zipfile.ZipFile, styles_name: str | None) -> set[int]:
    if styles_name is None:
        return set()
    root = _xml(zf, styles_name)
    custom = {int(f.get("numFmtId", "-1")): f.get("formatCode", "") for f in root.iter(f"{MAIN}numFmt")}
    xfs = root.find(f"{MAIN}cellXfs")
    dates = set()
    for i, xf in enumerate(xfs if xfs is not None else []):
        fmt = int(xf.get("numFmtId", "0"))
        if fmt in _BUILTIN_DATES or (fmt in custom and _is_date_code(custom[fmt])):
            dates.add(i)
    return dates


def _column(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref)
    if not letters:
        raise TableError(f"cell reference {ref!r} has no column")
    n = 0
    for ch in letters.group(0):
        n = n * 26 + ord(ch) - ord("A") + 1
    return n - 1


def read_xlsx(data: bytes, sheet: str) -> dict[int, list[str]]:
    """The sheet named `sheet` as {row number: cell texts by column}, empty cells as ""."""
    if len(data) > MAX_TABLE_BYTES:
        raise TableError(f"{len(data)} bytes: far larger than any demo export")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise TableError(f"not a zip file: {exc}") from None
    with zf:
        names = zf.namelist()
        if len(names) != len(set(names)):
            raise TableError("the zip holds two entries of one name")
        rels = {r.get("Id"): r.get("Target", "") for r in _xml(zf, "xl/_rels/workbook.xml.rels").iter(f"{PKG_REL}Relationship")}
        types = {r.get("Type", "").rsplit("/", 1)[-1]: r.get("Target", "")
                 for r in _xml(zf, "xl/_rels/workbook.xml.rels").iter(f"{PKG_REL}Relationship")}
        target = None
        for s in _xml(zf, "xl/workbook.xml").iter(f"{MAIN}sheet"):
            if s.get("name") == sheet:
                target = rels.get(s.get(f"{REL_NS}id"))
        if target is None:
            raise TableError(f"no sheet named {sheet!r}")

        def resolve(t: str) -> str:
            return t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join("xl", t))

        strings = []
        if "sharedStrings" in types:
            for si in _xml(zf, resolve(types["sharedStrings"])).iter(f"{MAIN}si"):
                strings.append("".join(t.text or "" for t in si.iter(f"{MAIN}t")))
        date_styles = _date_styles(zf, resolve(types["styles"]) if "styles" in types else None)
        rows: dict[int, list[str]] = {}
        for row in _xml(zf, resolve(target)).iter(f"{MAIN}row"):
            number = int(row.get("r", "0"))
            cells: list[str] = []
            for c in row.iter(f"{MAIN}c"):
                col = _column(c.get("r", ""))
                cells.extend([""] * (col + 1 - len(cells)))
                cells[col] = _cell_text(c, strings, date_styles)
            rows[number] = cells
        return rows


def _cell_text(c: ElementTree.Element, strings: list[str], date_styles: set[int]) -> str:
    kind, v = c.get("t", "n"), c.find(f"{MAIN}v")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in c.iter(f"{MAIN}t"))
    if v is None or v.text is None:
        return ""
    if kind == "s":
        try:
            return strings[int(v.text)]
        except (ValueError, IndexError):
            raise TableError(f"cell {c.get('r')}: shared string {v.text!r} does not exist") from None
    if kind in ("str", "e"):
        return v.text
    if kind == "b":
        return "TRUE" if v.text == "1" else "FALSE"
    try:
        number = float(v.text)
    except ValueError:
        raise TableError(f"cell {c.get('r')}: {v.text!r} is not a number") from None
    if int(c.get("s", "0")) in date_styles:
        return (_EPOCH_1900 + _dt.timedelta(days=int(number))).isoformat()
    return str(int(number)) if number.is_integer() else repr(number)

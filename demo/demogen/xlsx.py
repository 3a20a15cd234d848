"""A minimal, valid XLSX workbook writer (one sheet), with the standard library only.

What Excel itself writes for a small HR list: a shared string table, a
styles part whose date style is a custom "dd/mm/yyyy" code (as a Mexican
Excel shows dates), dates stored as serial day numbers (1900 system), a
title row merged across the table above the header, a frozen header, and
numbers as plain values.  One column is written as inline strings, as report
generators (not Excel) write text.  The output is deterministic: fixed zip
timestamps and order.
"""
from __future__ import annotations

import datetime as _dt
import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
EPOCH_1900 = _dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug folded in)
DATE_STYLE, HEADER_STYLE, TITLE_STYLE = 1, 2, 3
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def serial(day: _dt.date) -> int:
    """Excel's serial day number of `day` (1900 date system, dates after 1900-03-01)."""
    if day < _dt.date(1900, 3, 1):
        raise ValueError(f"{day}: serials before 1900-03-01 are off by one in Excel; not needed here")
    return (day - EPOCH_1900).days


def column_name(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(ord("A") + rem) + name
    return name


Cell = str | int | _dt.date | None


@dataclass
class Sheet:
    name: str
    title: str                     # row 1, merged across the header's width
    header: list[str]              # row 3 (row 2 stays empty, as people leave it)
    rows: list[list[Cell]] = field(default_factory=list)  # from row 4
    inline_columns: set[int] = field(default_factory=set)  # written as inline strings

    HEADER_ROW = 3

    def first_data_row(self) -> int:
        return self.HEADER_ROW + 1


class _Strings:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0

    def ref(self, text: str) -> int:
        self.count += 1
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' if t != t.strip() else
                        f"<si><t>{escape(t)}</t></si>" for t in self.index)
        return f'{_XML}<sst xmlns="{MAIN}" count="{self.count}" uniqueCount="{len(self.index)}">{items}</sst>'


def _cell(ref: str, value: Cell, strings: _Strings, inline: bool, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return ""
    if isinstance(value, _dt.date):
        return f'<c r="{ref}" s="{DATE_STYLE}"><v>{serial(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if inline:
        return f'<c r="{ref}"{s} t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f'<c r="{ref}"{s} t="s"><v>{strings.ref(value)}</v></c>'


def _sheet_xml(sheet: Sheet, strings: _Strings) -> str:
    width = len(sheet.header)
    last_col = column_name(width - 1)
    rows = [f'<row r="1">{_cell("A1", sheet.title, strings, False, TITLE_STYLE)}</row>']
    rows.append(f'<row r="{sheet.HEADER_ROW}">' + "".join(
        _cell(f"{column_name(i)}{sheet.HEADER_ROW}", h, strings, False, HEADER_STYLE)
        for i, h in enumerate(sheet.header)) + "</row>")
    for n, row in enumerate(sheet.rows, start=sheet.first_data_row()):
        if len(row) != width:
            raise ValueError(f"sheet {sheet.name!r} row {n}: {len(row)} cells for {width} headers")
        rows.append(f'<row r="{n}">' + "".join(
            _cell(f"{column_name(i)}{n}", v, strings, i in sheet.inline_columns) for i, v in enumerate(row))
            + "</row>")
    last_row = sheet.first_data_row() + len(sheet.rows) - 1
    top = sheet.first_data_row()
    return (f'{_XML}<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
            f'<dimension ref="A1:{last_col}{max(last_row, sheet.HEADER_ROW)}"/>'
            f'<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
            f'<pane ySplit="{sheet.HEADER_ROW}" topLeftCell="A{top}" activePane="bottomLeft" state="frozen"/>'
            f"</sheetView></sheetViews>"
            f'<sheetFormatPr defaultRowHeight="15"/>'
            f'<cols><col min="1" max="{width}" width="24" customWidth="1"/></cols>'
            f"<sheetData>{''.join(rows)}</sheetData>"
            f'<mergeCells count="1"><mergeCell ref="A1:{last_col}1"/></mergeCells>'
            f'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            f"</worksheet>")


_STYLES = (
    f'{_XML}<styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>")


def workbook(sheet: Sheet, author: str, when: _dt.datetime) -> bytes:
    """The .xlsx bytes of a one-sheet workbook; `when` stamps the zip entries and the core properties."""
    strings = _Strings()
    sheet_xml = _sheet_xml(sheet, strings)  # fills the shared strings
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    parts = [
        ("[Content_Types].xml",
         f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/xl/workbook.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
         '<Override PartName="/xl/worksheets/sheet1.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
         '<Override PartName="/xl/sharedStrings.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
         '<Override PartName="/xl/styles.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
         '<Override PartName="/docProps/core.xml" '
         'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>'),
        ("_rels/.rels",
         f'{_XML}<Relationships xmlns="{PKG_REL}">'
         f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
         '<Relationship Id="rId2" '
         'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
         'Target="docProps/core.xml"/></Relationships>'),
        ("docProps/core.xml",
         f'{_XML}<cp:coreProperties '
         'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
         'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
         f"<dc:title>{escape(sheet.title)}</dc:title><dc:creator>{escape(author)}</dc:creator>"
         f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
         f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'),
        ("xl/workbook.xml",
         f'{_XML}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr defaultThemeVersion="124226"/>'
         f"<bookViews><workbookView activeTab=\"0\"/></bookViews>"
         f"<sheets><sheet name={quoteattr(sheet.name)} sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        ("xl/_rels/workbook.xml.rels",
         f'{_XML}<Relationships xmlns="{PKG_REL}">'
         f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
         f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
         f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>'),
        ("xl/worksheets/sheet1.xml", sheet_xml),
        ("xl/sharedStrings.xml", strings.xml()),
        ("xl/styles.xml", _STYLES),
    ]
    zip_time = (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=zip_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, text.encode("utf-8"))
    return buf.getvalue()

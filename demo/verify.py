#!/usr/bin/env python3
"""Checks a generated demo data set against its EXPECTED.json, the rules, and what the agent made of it.

    python3 demo/verify.py [TARGET] [--config demo/agent.toml.in]
                           [--seed-file PAT-2021-CEPCI-INM.txt] [--no-pdftotext]
                           [--agent BIN --agent-config agent.toml
                            [--registry-url URL --token-file FILE]]

What it checks, each independently of how the generator wrote it:
- inventory: every file under each source root is listed, every listed file
  exists with the recorded size and SHA-256; keys are what each source
  reports (the NFC path, "msgid:<Message-ID>", "census:<file>"); the whole
  set stays small;
- formats: PDFs and PNGs are structurally valid (demogen/checkpdf.py,
  checkpng.py), .docx and .xlsx are zips with their parts, mails parse
  (demogen/checkmail.py), CSVs decode; each file's bytes match its media type;
- content: certificates (files and mail attachments) show the person, CURP,
  course, folio and date, read by the built-in extractor and, when
  installed, by poppler's pdftotext; a mail's headers and attachments are
  what EXPECTED.json says its metadata and cited files are; every HR row
  listed is in the export, with its person, and no other; the census has
  the expected number of rows and everyone named anywhere;
- dates: classified files have an mtime on their `occurred_on` day in UTC and
  in Mexico City, strictly inside the activity's window (the seed's windows
  with --seed-file); a mail's Date is on that day too; rows are dated inside
  their activity's window;
- people: CURPs are well formed with a correct check digit;
- rules (--config): the agent configuration classifies each file, mail and
  row exactly as listed (first matching rule wins: globs, attachment globs,
  metadata regular expressions; titles and attributes from templates; one
  record per thread where a rule groups), and no rule would take a junk file;
- the agent (--agent, --agent-config): `records list --json` holds exactly
  the expected records (ids as the agent computes them), classified ones
  pending or synced (synced, with --registry-url), the others unclassified;
  `records show` bodies carry the expected activity, kind, title, date,
  attributes, people of HR rows and cited files (demogen/checkrecords.py);
- the registry (--registry-url, --token-file): it holds exactly the
  classified records, each with a folio and the same contents.

Exit status: 0 all good, 1 problems found (each printed), 2 cannot verify.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demogen import checkmail, checkpdf, checkpng, checkrecords, checktable, dates, rules  # noqa: E402
from demogen.people import curp_check_digit  # noqa: E402

DEFAULT_TARGET = Path(__file__).resolve().parent / "generated"
MAX_TOTAL_BYTES = 5 * 1000 * 1000
CURP_FORMAT = re.compile(r"[A-Z][AEIOUX][A-Z]{2}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[HM][A-Z]{2}"
                         r"[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z]\d")
PLACEHOLDERS = {"@SHARE@": "/srv/comite", "@MAIL@": "/home/comite/Maildir", "@HR@": "/srv/rh",
                "@STATE@": "/var/lib/sseccoe-agent", "@REGISTRY_URL@": "http://127.0.0.1:8080/api/v1",
                "@TOKEN_FILE@": "/run/token"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAGIC = {"application/pdf": b"%PDF-", "image/png": checkpng.SIGNATURE,
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"PK\x03\x04",
         XLSX: b"PK\x03\x04"}
MAIL_DIRS = ("cur", "new")


class VerifyError(Exception):
    """The data set cannot be verified at all (no EXPECTED.json, unreadable config...)."""


def load_expected(target: Path) -> dict:
    path = target / "EXPECTED.json"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise VerifyError(f"cannot read {path}: {exc.strerror}; run demo/generate.py first") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise VerifyError(f"{path} is not UTF-8 (byte {exc.start}); regenerate it") from None
    except json.JSONDecodeError as exc:
        raise VerifyError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    if not isinstance(doc, dict) or doc.get("format") != 1 or not isinstance(doc.get("files"), list):
        raise VerifyError(f"{path} is not a format-1 EXPECTED.json (no 'format': 1 or no 'files' list)")
    for i, f in enumerate(doc["files"]):
        missing = {"path", "source", "key", "outcome", "size", "sha256", "mtime", "media_type"} - set(f)
        if missing:
            raise VerifyError(f"{path}: files[{i}] lacks {sorted(missing)}")
        if f["outcome"] == "table":
            for j, row in enumerate(f.get("rows", [])):
                missing = {"key", "line", "outcome"} - set(row)
                if missing:
                    raise VerifyError(f"{path}: files[{i}].rows[{j}] lacks {sorted(missing)}")
    return doc


def items(doc: dict) -> list[tuple[dict, dict, str]]:
    """(file entry, item, where) for every item the sources report: a file or mail, or a row of a table."""
    out = []
    for f in doc["files"]:
        if f["outcome"] == "table":
            out += [(f, row, f"{f['path']} line {row['line']}") for row in f.get("rows", [])]
        elif f["media_type"] == "message/rfc822":
            out.append((f, f, f"{f['path']} ({f.get('metadata', {}).get('subject', '')!r})"))
        else:
            out.append((f, f, f["path"]))
    return out


def seed_windows(seed_file: Path) -> dict[str, tuple[_dt.date, _dt.date]]:
    """Activity windows read from the PAT seed text ('1.1.1.<TAB>...<TAB>01/02/2021<TAB>03/12/2021')."""
    found = {}
    line_re = re.compile(r"^\s*(\d)\.\s*(\d)\.\s*(\d)\.\t.*?\t(\d\d)/(\d\d)/(\d{4})\t(\d\d)/(\d\d)/(\d{4})\t")
    for line in seed_file.read_text(encoding="utf-8").splitlines():
        m = line_re.match(line)
        if m:
            g = [int(x) for x in m.groups()]
            found[f"{g[0]}.{g[1]}.{g[2]}"] = (_dt.date(g[5], g[4], g[3]), _dt.date(g[8], g[7], g[6]))
    if not found:
        raise VerifyError(f"{seed_file}: no activity lines with date windows found")
    return found


def _files_under(root: Path) -> set[str]:
    out = set()
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            out.add((Path(dirpath) / name).relative_to(root).as_posix())
    return out


def _is_message_file(rel: str) -> bool:
    """Whether a path relative to a Maildir root is a message (in cur/ or new/ of INBOX or a subfolder)."""
    parts = rel.split("/")
    return (len(parts) == 2 and parts[0] in MAIL_DIRS) or \
        (len(parts) == 3 and parts[0].startswith(".") and parts[1] in MAIL_DIRS)


def _key_problem(f: dict, source: dict) -> str:
    """Why an entry's key is not what its source would report, or ""."""
    root, plugin = source.get("root", ""), source.get("plugin", "")
    rel = f["path"][len(root) + 1:] if f["path"].startswith(f"{root}/") else None
    if rel is None:
        return f"not under its source's root {root}/"
    if plugin == "folder" and unicodedata.normalize("NFC", f["path"]) != f"{root}/{f['key']}":
        return f"key {f['key']!r} is not the NFC path relative to {root}/"
    if plugin == "maildir":
        if _is_message_file(rel) == (f["outcome"] == "excluded"):
            return "only files in cur/ or new/ are messages (and every message is harvested)"
        if f["outcome"] != "excluded" and not f["key"].startswith("msgid:"):
            return f"key {f['key']!r} of a message is not 'msgid:<Message-ID>'"
    if plugin in ("csv", "xlsx"):
        if rel != source.get("path"):
            return f"is not the file its source reads ({root}/{source.get('path')})"
        name = PurePosixPath(rel).name
        want = f"census:{name}" if source.get("role") == "census" else \
            f"{name}#{source['sheet']}" if plugin == "xlsx" else name
        if f["key"] != want:
            return f"key {f['key']!r}, the source names the table {want!r}"
    return ""


def check_inventory(target: Path, doc: dict) -> list[str]:
    problems = []
    listed = {f["path"] for f in doc["files"]}
    if len(listed) != len(doc["files"]):
        problems.append("EXPECTED.json lists a path more than once")
    sources = doc.get("sources", {})
    for f in doc["files"]:
        if f["source"] not in sources:
            problems.append(f"{f['path']}: source {f['source']!r} is not among the data set's sources")
        elif why := _key_problem(f, sources[f["source"]]):
            problems.append(f"{f['path']}: {why}")
    for root in sorted({s.get("root", "") for s in sources.values()}):
        for rel in sorted(_files_under(target / root)):
            if f"{root}/{rel}" not in listed:
                problems.append(f"{root}/{rel}: present on disk but not listed in EXPECTED.json")
    keys = [(f["source"], i["key"]) for f, i, _ in items(doc) if i["outcome"] != "excluded"]
    for source, key in sorted({k for k in keys if keys.count(k) > 1}):
        problems.append(f"source {source}: two items have the key {key!r}; the second would be a duplicate")
    total = 0
    for f in doc["files"]:
        path = target / f["path"]
        if not path.is_file():
            problems.append(f"{f['path']}: listed but missing")
            continue
        size = path.stat().st_size
        total += size
        if size != f["size"]:
            problems.append(f"{f['path']}: {size} bytes, EXPECTED.json says {f['size']}")
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 16), b""):
                digest.update(block)
        if digest.hexdigest() != f["sha256"]:
            problems.append(f"{f['path']}: SHA-256 differs from EXPECTED.json")
    if total > MAX_TOTAL_BYTES:
        problems.append(f"the data set is {total} bytes, over the {MAX_TOTAL_BYTES}-byte budget")
    return problems


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _pdftotext(path: Path) -> str:
    run = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=60)
    if run.returncode != 0:
        raise checkpdf.PdfError(f"pdftotext failed: {run.stderr.decode(errors='replace').strip()}")
    return run.stdout.decode("utf-8")


def _certificate_strings(f: dict) -> list[str]:
    attrs = f.get("attributes", {})
    person = (f.get("people") or [{}])[0]
    done = _dt.date.fromisoformat(attrs["completed_on"]) if "completed_on" in attrs else None
    wanted = ["CONSTANCIA", person.get("name", ""), f"CURP: {person.get('curp', '')}", attrs.get("course", ""),
              f"Folio: {attrs.get('folio', '')}", f"{attrs.get('hours', '')} horas"]
    if done:
        wanted.append(f"Fecha de conclusión: {done.strftime('%d/%m/%Y')}")
    return wanted


def _pdf_problems(where: str, f: dict, data: bytes, path: Path | None, use_pdftotext: bool) -> list[str]:
    """A PDF's structure and, for a certificate, its text (path: the file on disk, for pdftotext)."""
    problems = []
    extracted = [checkpdf.text(data)]
    if path is not None and use_pdftotext:
        extracted.append(_pdftotext(path))
    elif use_pdftotext:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
            tmp.write(data)
            tmp.flush()
            extracted.append(_pdftotext(Path(tmp.name)))
    if f.get("kind") == "course_certificate":
        for text in extracted:
            for want in _certificate_strings(f):
                if _norm(want) not in _norm(text):
                    problems.append(f"{where}: text lacks {want!r}")
    return problems


def _mail_problems(f: dict, data: bytes, use_pdftotext: bool) -> list[str]:
    """A mail's headers and attachments against its metadata and cited files."""
    problems = []
    msg = checkmail.read(data)
    meta = f.get("metadata", {})
    if f["key"] != f"msgid:{msg.message_id}":
        problems.append(f"{f['path']}: key {f['key']!r}, but its Message-ID gives 'msgid:{msg.message_id}'")
    read = {"from": msg.from_, "to": msg.to, "subject": msg.subject, "date": msg.date,
            "message_id": msg.message_id, "in_reply_to": msg.in_reply_to, "references": msg.references,
            "list_id": msg.list_id, "attachment": "\n".join(a.name for a in msg.attachments),
            "attachment_type": "\n".join(a.media_type for a in msg.attachments)}
    for name, value in read.items():
        if meta.get(name, "") != value:
            problems.append(f"{f['path']}: {name} reads {value!r}, EXPECTED.json says {meta.get(name, '')!r}")
    if "occurred_on" in f and msg.local_day.isoformat() != f["occurred_on"]:
        problems.append(f"{f['path']}: Date is on {msg.local_day} in its own zone, not on {f['occurred_on']}")
    by_name = {a.name: a for a in msg.attachments}
    for cited in f.get("cites", []):
        if cited["role"] == "message" and cited.get("sha256") != f["sha256"]:
            problems.append(f"{f['path']}: the cited message is not the file itself")
        if cited["role"] == "attachment":
            part = by_name.get(cited["name"])
            if part is None or part.sha256 != cited.get("sha256") or part.media_type != cited.get("media_type"):
                problems.append(f"{f['path']}: attachment {cited['name']!r} is not as EXPECTED.json cites it")
    for part in msg.attachments:
        if part.media_type == "application/pdf":
            try:
                problems += _pdf_problems(f"{f['path']}: attachment {part.name!r}", f, part.data, None, use_pdftotext)
            except checkpdf.PdfError as exc:
                problems.append(f"{f['path']}: attachment {part.name!r}: {exc}")
    return problems


def _table_records(f: dict, source: dict, data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, data records with their lines) of a CSV or an XLSX sheet."""
    if f["media_type"] == XLSX:
        sheet = checktable.read_xlsx(data, source.get("sheet", ""))
        header_row = int(source.get("header_row", 1))
        header = sheet.get(header_row, [])
        return header, [(n, cells + [""] * (len(header) - len(cells)))
                        for n, cells in sorted(sheet.items()) if n > header_row]
    _encoding, _delimiter, records = checktable.read_csv(data)
    return records[0][1], records[1:]


def _census_problems(f: dict, header: list[str], records: list[tuple[int, list[str]]], doc: dict) -> list[str]:
    problems = []
    count = f.get("record_attributes", {}).get("count")
    ragged = [n for n, cells in records if len(cells) != len(header)]
    if ragged:
        problems.append(f"{f['path']}: lines {ragged} do not have the header's {len(header)} fields")
    if len(records) != count:
        problems.append(f"{f['path']}: {len(records)} data rows, the headcount record says {count}")
    cells = {c for _n, row in records for c in row}
    named = {p["curp"] for p in doc.get("people", [])} | {p["curp"] for _f, i, _w in items(doc) for p in i.get("people", [])}
    missing = len(named - cells)
    if missing:
        problems.append(f"{f['path']}: {missing} person(s) named elsewhere in the data set are not in the census")
    return problems


def _rows_problems(f: dict, header: list[str], records: list[tuple[int, list[str]]]) -> list[str]:
    problems = []
    by_line = dict(records)
    listed = {r["line"] for r in f.get("rows", [])}
    unlisted = sorted(set(by_line) - listed)
    if unlisted:
        problems.append(f"{f['path']}: lines {unlisted} are in the export but not listed in EXPECTED.json")
    for row in f.get("rows", []):
        cells = by_line.get(row["line"])
        if cells is None:
            problems.append(f"{f['path']}: line {row['line']} is listed but not in the export")
            continue
        if len(cells) != len(header):
            problems.append(f"{f['path']}: line {row['line']} has {len(cells)} fields, the header {len(header)}")
        wanted = [v for p in row.get("people", []) for v in p.values()]
        wanted += [v for k, v in row.get("metadata", {}).items() if k not in ("table", "line", "source_row")]
        absent = [k for k in wanted if k not in cells]
        if absent:
            problems.append(f"{f['path']}: line {row['line']} lacks {len(absent)} value(s) EXPECTED.json lists")
        day = _dt.date.fromisoformat(row["occurred_on"]) if row.get("occurred_on") else None
        if day and day.isoformat() not in cells and day.strftime("%d/%m/%Y") not in cells:
            problems.append(f"{f['path']}: line {row['line']} is not dated {day}")
    return problems


def check_contents(target: Path, doc: dict, use_pdftotext: bool) -> list[str]:
    problems = []
    pdftotext = use_pdftotext and shutil.which("pdftotext") is not None
    sources = doc.get("sources", {})
    for f in doc["files"]:
        path = target / f["path"]
        if not path.is_file():
            continue  # reported by the inventory
        data = path.read_bytes() if path.stat().st_size <= checkpdf.MAX_PDF_BYTES else b""
        if not data:
            problems.append(f"{f['path']}: empty or too large for a demo file")
            continue
        magic = MAGIC.get(f["media_type"])
        if magic and not data.startswith(magic):
            problems.append(f"{f['path']}: content does not look like {f['media_type']}")
            continue
        try:
            if f["media_type"] == "application/pdf":
                problems += _pdf_problems(f["path"], f, data, path, pdftotext)
            elif f["media_type"] == "image/png":
                _w, _h, texts = checkpng.check(data)
                course = f.get("attributes", {}).get("course")
                if course and course not in texts.get("Title", ""):
                    problems.append(f"{f['path']}: screenshot title does not name the course")
            elif f["media_type"].endswith("wordprocessingml.document"):
                with zipfile.ZipFile(io.BytesIO(data)) as zf:
                    if zf.testzip() is not None or "word/document.xml" not in zf.namelist():
                        problems.append(f"{f['path']}: not a complete .docx")
            elif f["media_type"] == "message/rfc822":
                problems += _mail_problems(f, data, pdftotext)
            elif f["media_type"] in ("text/csv", XLSX):
                header, records = _table_records(f, sources.get(f["source"], {}), data)
                if f.get("kind") == "headcount":
                    problems += _census_problems(f, header, records, doc)
                else:
                    problems += _rows_problems(f, header, records)
        except (checkpdf.PdfError, checkpng.PngError, zipfile.BadZipFile, checkmail.MailError,
                checktable.TableError) as exc:
            problems.append(f"{f['path']}: {exc}")
    return problems


def check_dates(target: Path, doc: dict, windows: dict[str, tuple[_dt.date, _dt.date]]) -> list[str]:
    problems = []
    try:
        from zoneinfo import ZoneInfo
        mexico = ZoneInfo("America/Mexico_City")
    except Exception:  # no tz database: check UTC only, the day is the same by construction
        mexico = None
    for f in doc["files"]:
        path = target / f["path"]
        if not path.is_file():
            continue
        mtime = path.stat().st_mtime
        recorded = _dt.datetime.strptime(f["mtime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=_dt.timezone.utc)
        if int(mtime) != int(recorded.timestamp()):
            problems.append(f"{f['path']}: mtime {mtime} is not the recorded {f['mtime']}")
        if f["outcome"] != "classified":
            continue
        day = _dt.date.fromisoformat(f["occurred_on"])
        seen = {_dt.datetime.fromtimestamp(mtime, _dt.timezone.utc).date()}
        if mexico:
            seen.add(_dt.datetime.fromtimestamp(mtime, mexico).date())
        if seen != {day}:
            problems.append(f"{f['path']}: mtime falls on {sorted(str(d) for d in seen)}, "
                            f"not on occurred_on {day}")
        problems += _window_problems(f["path"], f["activity"], seen | {day}, windows)
    for f, row, where in items(doc):
        if f is not row and row["outcome"] == "classified":
            if not row.get("occurred_on"):
                problems.append(f"{where}: a classified row without occurred_on")
                continue
            problems += _window_problems(where, row["activity"], {_dt.date.fromisoformat(row["occurred_on"])}, windows)
    return problems


def _window_problems(where: str, activity: str, days: set[_dt.date],
                     windows: dict[str, tuple[_dt.date, _dt.date]]) -> list[str]:
    window = windows.get(activity)
    if window is None:
        return [f"{where}: activity {activity} has no date window"]
    return [f"{where}: {d} is not strictly inside {activity}'s window {window[0]}..{window[1]}"
            for d in sorted(days) if not window[0] < d < window[1]]


def check_people(doc: dict) -> list[str]:
    problems = []
    people = list(doc.get("people", []))
    for _f, item, _where in items(doc):
        people += item.get("people", [])
    for p in people:
        curp = p.get("curp", "")
        if not CURP_FORMAT.fullmatch(curp):
            problems.append(f"CURP of a person ({curp[:4]}...) is not well formed")
        elif curp_check_digit(curp[:17]) != curp[17]:
            problems.append(f"CURP {curp[:4]}... has a wrong check digit")
    return problems


def load_rules(config: Path) -> tuple[list[dict], dict[str, dict]]:
    """The [[rule]] tables and {source name: its [[source]] table} of an agent.toml(.in)."""
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise VerifyError(f"cannot read {config} as UTF-8: {exc}") from None
    for placeholder, value in PLACEHOLDERS.items():
        text = text.replace(placeholder, value)
    try:
        cfg = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VerifyError(f"{config}: {exc}") from None
    rule_list = cfg.get("rule", [])
    for i, rule in enumerate(rule_list, start=1):
        if not isinstance(rule.get("match", {}), dict) or not rule.get("kind") or not rule.get("activity"):
            raise VerifyError(f"{config}: rule #{i} needs kind and activity, and match must be a table")
    return rule_list, {s.get("name", ""): s for s in cfg.get("source", [])}


def _metadata(f: dict, item: dict, plugin: str) -> dict[str, str]:
    return rules.folder_metadata(item["key"]) if plugin == "folder" else item.get("metadata", {})


def check_rules(doc: dict, config: Path) -> list[str]:
    problems = []
    rule_list, sources = load_rules(config)
    for name, src in doc.get("sources", {}).items():
        have = sources.get(name, {})
        if have.get("plugin") != src.get("plugin"):
            problems.append(f"{config}: no [[source]] named {name!r} with plugin {src.get('plugin')!r}")
        elif have.get("role", "evidence") != src.get("role", "evidence"):
            problems.append(f"{config}: source {name!r} has role {have.get('role', 'evidence')!r}, "
                            f"the data set's is {src.get('role', 'evidence')!r}")
        if src.get("role") == "census" and any(r.get("source") == name for r in rule_list):
            problems.append(f"{config}: a rule names the census source {name!r}; census rows are only counted")
    for f, item, where in items(doc):
        src = doc.get("sources", {}).get(f["source"], {})
        if src.get("role") == "census" or item["outcome"] == "table":
            continue
        plugin = src.get("plugin", "")
        if item["outcome"] == "excluded" and plugin != "folder":
            continue  # not an item at all (a mail server's index file)
        meta = _metadata(f, item, plugin)
        rule = rules.first_match(rule_list, f["source"], item["key"], meta)
        shown = rule.get("match", {}).get("glob", rules.describe(rule)) if rule else ""
        if item["outcome"] == "excluded":
            if rule:
                problems.append(f"{where}: junk, yet rule {shown!r} would take it")
        elif item["outcome"] == "unclassified":
            if rule:
                problems.append(f"{where}: should stay unclassified, but {shown!r} matches")
        elif rule is None:
            problems.append(f"{where}: should be {item['activity']} but no rule matches")
        else:
            got = (rule["activity"], rule.get("kind"), rules.render(rule.get("title", "{name}"), meta))
            want = (item["activity"], item["kind"], item["title"])
            if got != want:
                problems.append(f"{where}: rule {shown!r} gives {got}, expected {want}")
            attributes = {k: rules.render(t, meta) for k, t in rule.get("attributes", {}).items()}
            if attributes != item.get("record_attributes", {}):
                problems.append(f"{where}: rule {shown!r} gives attributes {attributes}, "
                                f"expected {item.get('record_attributes', {})}")
            group = rule.get("group_by")
            want_key = f"group:{group}:{meta.get(group, '')}" if group else ""
            if want_key != item.get("record_key", ""):
                problems.append(f"{where}: rule {shown!r} makes the record key {want_key or item['key']!r}, "
                                f"expected {item.get('record_key') or item['key']!r}")
    return problems


def verify(target: Path, config: Path | None = None, seed_file: Path | None = None,
           use_pdftotext: bool = True) -> list[str]:
    doc = load_expected(target)
    windows = seed_windows(seed_file) if seed_file else dict(dates.WINDOWS)
    problems = check_inventory(target, doc) + check_contents(target, doc, use_pdftotext)
    problems += check_dates(target, doc, windows) + check_people(doc)
    if config:
        problems += check_rules(doc, config)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", nargs="?", type=Path, default=DEFAULT_TARGET)
    parser.add_argument("--config", type=Path, help="an agent.toml(.in) whose rules must match EXPECTED.json")
    parser.add_argument("--seed-file", type=Path, help="take activity windows from this PAT seed text")
    parser.add_argument("--no-pdftotext", action="store_true", help="do not cross-check with poppler")
    parser.add_argument("--agent", type=Path, help="an sseccoe-agent binary whose records to check")
    parser.add_argument("--agent-config", type=Path, help="the configuration the agent ran with")
    parser.add_argument("--registry-url", help="the registry's API base URL: check what it holds")
    parser.add_argument("--token-file", type=Path, help="the registry bearer token (a file; never on the command line)")
    args = parser.parse_args(argv)
    if bool(args.agent) != bool(args.agent_config):
        parser.error("--agent and --agent-config go together")
    if bool(args.registry_url) != bool(args.token_file):
        parser.error("--registry-url and --token-file go together")
    notes = []
    try:
        problems = verify(args.target, args.config, args.seed_file, not args.no_pdftotext)
        doc = load_expected(args.target)
        if args.agent:
            found, statuses = checkrecords.check_agent(doc, args.agent, args.agent_config, bool(args.registry_url))
            problems += found
            notes.append("agent: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))
        if args.registry_url:
            found, held = checkrecords.check_registry(doc, args.registry_url, args.token_file)
            problems += found
            notes.append(f"registry: {held} with folios")
    except (VerifyError, checkrecords.RecordsError) as exc:
        print(f"verify.py: {exc}", file=sys.stderr)
        return 2
    for p in problems:
        print(f"verify.py: {p}", file=sys.stderr)
    if problems:
        print(f"verify.py: {len(problems)} problem(s) in {args.target}", file=sys.stderr)
        return 1
    rows = sum(1 for f, i, _w in items(doc) if f is not i)
    with_poppler = not args.no_pdftotext and shutil.which("pdftotext") is not None
    print(f"verify.py: OK, {len(doc['files'])} files and {rows} rows in {args.target}"
          f"{' (PDF text cross-checked with pdftotext)' if with_poppler else ''}"
          f"{', rules of ' + str(args.config) if args.config else ''}"
          f"{'; ' + '; '.join(notes) if notes else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

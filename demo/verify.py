#!/usr/bin/env python3
"""Checks a generated demo data set against its EXPECTED.json, and the rules.

    python3 demo/verify.py [TARGET] [--config demo/agent.toml.in]
                           [--seed-file PAT-2021-CEPCI-INM.txt] [--no-pdftotext]

What it checks, each independently of how the generator wrote it:
- inventory: every file under each source root is listed, every listed file
  exists with the recorded size and SHA-256; the whole set stays small;
- formats: PDFs and PNGs are structurally valid (demogen/checkpdf.py,
  checkpng.py), .docx are zips with a document part; each file's bytes match
  its media type;
- content: certificates show the person, CURP, course, folio and date, read
  by the built-in extractor and, when installed, by poppler's pdftotext;
- dates: classified files have an mtime on their `occurred_on` day in UTC and
  in Mexico City, strictly inside the activity's window (the seed's windows
  with --seed-file);
- people: CURPs are well formed with a correct check digit;
- rules (--config): the agent configuration classifies each file exactly as
  listed (first matching rule wins), and no rule would take a junk file.

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
import tomllib
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demogen import checkpdf, checkpng, dates, globmatch  # noqa: E402
from demogen.people import curp_check_digit  # noqa: E402

DEFAULT_TARGET = Path(__file__).resolve().parent / "generated"
MAX_TOTAL_BYTES = 5 * 1000 * 1000
CURP_FORMAT = re.compile(r"[A-Z][AEIOUX][A-Z]{2}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[HM][A-Z]{2}"
                         r"[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z]\d")
PLACEHOLDERS = {"@SHARE@": "/srv/comite", "@STATE@": "/var/lib/sseccoe-agent",
                "@REGISTRY_URL@": "http://127.0.0.1:8080/api/v1", "@TOKEN_FILE@": "/run/token"}
MAGIC = {"application/pdf": b"%PDF-", "image/png": checkpng.SIGNATURE,
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"PK\x03\x04"}


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
    return doc


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


def check_inventory(target: Path, doc: dict) -> list[str]:
    problems = []
    listed = {f["path"] for f in doc["files"]}
    if len(listed) != len(doc["files"]):
        problems.append("EXPECTED.json lists a path more than once")
    roots = {name: s.get("root", "") for name, s in doc.get("sources", {}).items()}
    for f in doc["files"]:
        root = roots.get(f["source"])
        if root is None:
            problems.append(f"{f['path']}: source {f['source']!r} is not among the data set's sources")
        elif unicodedata.normalize("NFC", f["path"]) != f"{root}/{f['key']}":
            problems.append(f"{f['path']}: key {f['key']!r} is not the NFC path relative to {root}/")
    for root in roots.values():
        for rel in sorted(_files_under(target / root)):
            if f"{root}/{rel}" not in listed:
                problems.append(f"{root}/{rel}: present on disk but not listed in EXPECTED.json")
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


def check_contents(target: Path, doc: dict, use_pdftotext: bool) -> list[str]:
    problems = []
    pdftotext = use_pdftotext and shutil.which("pdftotext") is not None
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
                extracted = [checkpdf.text(data)] + ([_pdftotext(path)] if pdftotext else [])
                if f.get("kind") == "course_certificate":
                    for text in extracted:
                        for want in _certificate_strings(f):
                            if _norm(want) not in _norm(text):
                                problems.append(f"{f['path']}: text lacks {want!r}")
            elif f["media_type"] == "image/png":
                _w, _h, texts = checkpng.check(data)
                course = f.get("attributes", {}).get("course")
                if course and course not in texts.get("Title", ""):
                    problems.append(f"{f['path']}: screenshot title does not name the course")
            elif f["media_type"].endswith("wordprocessingml.document"):
                with zipfile.ZipFile(io.BytesIO(data)) as zf:
                    if zf.testzip() is not None or "word/document.xml" not in zf.namelist():
                        problems.append(f"{f['path']}: not a complete .docx")
        except (checkpdf.PdfError, checkpng.PngError, zipfile.BadZipFile) as exc:
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
        window = windows.get(f["activity"])
        if window is None:
            problems.append(f"{f['path']}: activity {f['activity']} has no date window")
            continue
        for d in sorted(seen | {day}):
            if not window[0] < d < window[1]:
                problems.append(f"{f['path']}: {d} is not strictly inside {f['activity']}'s window "
                                f"{window[0]}..{window[1]}")
    return problems


def check_people(doc: dict) -> list[str]:
    problems = []
    people = list(doc.get("people", []))
    for f in doc["files"]:
        people += f.get("people", [])
    for p in people:
        curp = p.get("curp", "")
        if not CURP_FORMAT.fullmatch(curp):
            problems.append(f"CURP of a person ({curp[:4]}...) is not well formed")
        elif curp_check_digit(curp[:17]) != curp[17]:
            problems.append(f"CURP {curp[:4]}... has a wrong check digit")
    return problems


def _title(template: str, key: str) -> str:
    p = PurePosixPath(unicodedata.normalize("NFC", key))
    return template.replace("{stem}", p.stem).replace("{name}", p.name).replace("{path}", str(p))


def load_rules(config: Path) -> tuple[list[dict], dict[str, str]]:
    """The [[rule]] tables and {source name: plugin} of an agent.toml(.in)."""
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
    rules = cfg.get("rule", [])
    for i, rule in enumerate(rules, start=1):
        if not isinstance(rule.get("match"), dict) or "glob" not in rule["match"] or not rule.get("activity"):
            raise VerifyError(f"{config}: rule #{i} needs match.glob, kind and activity")
    return rules, {s.get("name", ""): s.get("plugin", "") for s in cfg.get("source", [])}


def check_rules(doc: dict, config: Path) -> list[str]:
    problems = []
    rules, sources = load_rules(config)
    for name, src in doc.get("sources", {}).items():
        if sources.get(name) != src.get("plugin"):
            problems.append(f"{config}: no [[source]] named {name!r} with plugin {src.get('plugin')!r}")
    for f in doc["files"]:
        rule = next((r for r in rules if r.get("source", f["source"]) == f["source"]
                     and globmatch.matches(r["match"]["glob"], f["key"])), None)
        if f["outcome"] == "excluded":
            if rule:
                problems.append(f"{f['path']}: junk, yet rule {rule['match']['glob']!r} would take it")
        elif f["outcome"] == "unclassified":
            if rule:
                problems.append(f"{f['path']}: should stay unclassified, but {rule['match']['glob']!r} matches")
        elif rule is None:
            problems.append(f"{f['path']}: should be {f['activity']} but no rule matches")
        else:
            got = (rule["activity"], rule.get("kind"), _title(rule.get("title", "{name}"), f["key"]))
            want = (f["activity"], f["kind"], f["title"])
            if got != want:
                problems.append(f"{f['path']}: rule {rule['match']['glob']!r} gives {got}, expected {want}")
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
    args = parser.parse_args(argv)
    try:
        problems = verify(args.target, args.config, args.seed_file, not args.no_pdftotext)
    except VerifyError as exc:
        print(f"verify.py: {exc}", file=sys.stderr)
        return 2
    for p in problems:
        print(f"verify.py: {p}", file=sys.stderr)
    if problems:
        print(f"verify.py: {len(problems)} problem(s) in {args.target}", file=sys.stderr)
        return 1
    doc = load_expected(args.target)
    with_poppler = not args.no_pdftotext and shutil.which("pdftotext") is not None
    print(f"verify.py: OK, {len(doc['files'])} files in {args.target}"
          f"{' (PDF text cross-checked with pdftotext)' if with_poppler else ''}"
          f"{', rules of ' + str(args.config) if args.config else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

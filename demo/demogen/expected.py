"""What the agent should make of each generated file: EXPECTED.json.

Every file a builder writes is recorded with its outcome:
- "classified": a rule of demo/agent.toml.in must match it, giving `activity`,
  `kind` and `title`; `occurred_on` is the date its mtime falls on (a mail's:
  the day of its Date header, which is also its delivery time).  A census
  export is "classified" too: the agent makes its one headcount record
  without a rule.
- "unclassified": harvested and kept locally, but no rule matches it.
- "excluded": a file the source must skip altogether (desktop junk, a
  mail server's index files).
- "table": an HR export whose rows are the items; each row is listed under
  `rows` with an outcome of its own (classified or unclassified).

An item's `key` is its natural key as the source reports it: the NFC path
relative to the share (folder), "msgid:<Message-ID>" (maildir; the domain
part lower-cased, as the SDK's mail library normalises it),
"census:<table>" (a census export), "row:<key fields joined by '|'>"
(a row).  Two mails of one thread may make one record (a rule's group_by);
their `record_key` is that record's key ("group:thread:<first Message-ID>").
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

FORMAT_VERSION = 1
OUTCOMES = ("classified", "unclassified", "excluded", "table")
ROW_OUTCOMES = ("classified", "unclassified")


def _classification_ok(where: str, outcome: str, activity: str, kind: str) -> None:
    if (outcome == "classified") != bool(activity and kind):
        raise ValueError(f"{where}: a classified entry needs activity and kind, others none")


@dataclass
class Row:
    """One data row of a tabular export, as the agent should make it an item."""
    key: str             # "row:..." (the natural key)
    line: int            # as a person counts it: the file's line, the sheet's row number
    outcome: str         # one of ROW_OUTCOMES
    occurred_on: _dt.date | None = None
    activity: str = ""
    kind: str = ""
    title: str = ""
    reason: str = ""
    people: list[dict[str, str]] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)           # what rules match and templates read
    record_attributes: dict[str, object] = field(default_factory=dict)  # what the rule's templates give

    def __post_init__(self) -> None:
        if self.outcome not in ROW_OUTCOMES:
            raise ValueError(f"{self.key}: row outcome {self.outcome!r} is not one of {ROW_OUTCOMES}")
        _classification_ok(self.key, self.outcome, self.activity, self.kind)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"key": self.key, "line": self.line, "outcome": self.outcome}
        if self.outcome == "classified":
            out.update(activity=self.activity, kind=self.kind, title=self.title)
        if self.occurred_on:
            out["occurred_on"] = self.occurred_on.isoformat()
        for name in ("reason", "people", "metadata", "record_attributes"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        return out


@dataclass
class Entry:
    path: str            # relative to the generated directory, '/'-separated
    source: str          # the [[source]] name in agent.toml.in
    key: str             # the natural key (see the module's doc); for a table, its name in the source
    outcome: str         # one of OUTCOMES
    media_type: str
    mtime: _dt.datetime  # UTC
    activity: str = ""
    kind: str = ""
    title: str = ""
    reason: str = ""     # why unclassified or excluded, for the reader of the tests
    people: list[dict[str, str]] = field(default_factory=list)
    # What the evidence itself says (a certificate's course, hours, folio...),
    # for a parser to be checked against; not what the agent sends.
    attributes: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    size: int = 0
    sha256: str = ""
    # Set by the mail and HR builders only (left out of the JSON when empty):
    metadata: dict[str, str] = field(default_factory=dict)           # the item's metadata rules match
    record_key: str = ""   # the record's key when it is not `key` (grouped items)
    record_attributes: dict[str, object] = field(default_factory=dict)  # attributes the record must carry
    cites: list[dict[str, object]] = field(default_factory=list)     # files the record cites: name, role, ...
    rows: list[Row] = field(default_factory=list)                    # outcome "table" only

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"{self.path}: outcome {self.outcome!r} is not one of {OUTCOMES}")
        _classification_ok(self.path, self.outcome, self.activity, self.kind)

    @property
    def occurred_on(self) -> _dt.date:
        return self.mtime.date()

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "path": self.path, "source": self.source, "key": self.key, "outcome": self.outcome,
            "media_type": self.media_type, "size": self.size, "sha256": self.sha256,
            "mtime": self.mtime.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        if self.outcome == "classified":
            out.update(activity=self.activity, kind=self.kind, title=self.title,
                       occurred_on=self.occurred_on.isoformat())
        for name in ("reason", "people", "attributes", "notes", "metadata", "record_key",
                     "record_attributes", "cites"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.outcome == "table":
            out["rows"] = [r.to_json() for r in self.rows]
        return out


def write_file(root: Path, entry: Entry, data: bytes) -> Entry:
    """Writes `data` at root/entry.path, fills size and digest; the mtime is set later."""
    target = root / entry.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    entry.size = len(data)
    entry.sha256 = hashlib.sha256(data).hexdigest()
    return entry


def stamp_directories(out: Path, entries: list[Entry]) -> None:
    """Directory mtimes: the newest file below each, set deepest first (deterministic)."""
    newest: dict[Path, float] = {}
    for e in entries:
        stamp = e.mtime.timestamp()
        for parent in PurePosixPath(e.path).parents:
            if str(parent) == ".":
                break
            newest[out / parent] = max(newest.get(out / parent, 0.0), stamp)
    for directory in sorted(newest, key=lambda p: len(p.parts), reverse=True):
        os.utime(directory, (newest[directory], newest[directory]))


def records(entries: list[Entry]) -> list[tuple[str, str, str]]:
    """(source, record key, activity) of every record the agent should classify, once each."""
    seen: dict[tuple[str, str], str] = {}
    for e in entries:
        if e.outcome == "classified":
            seen.setdefault((e.source, e.record_key or e.key), e.activity)
        for r in e.rows:
            if r.outcome == "classified":
                seen.setdefault((e.source, r.key), r.activity)
    return [(source, key, activity) for (source, key), activity in seen.items()]


def summary(entries: list[Entry]) -> dict[str, object]:
    """Records per activity (two mails of one consultation are one), items no
    rule takes (files and rows), files skipped, and the bytes on disk."""
    by_activity: dict[str, int] = {}
    for _source, _key, activity in records(entries):
        by_activity[activity] = by_activity.get(activity, 0) + 1
    unclassified = sum(e.outcome == "unclassified" for e in entries)
    unclassified += sum(r.outcome == "unclassified" for e in entries for r in e.rows)
    return {
        "classified": dict(sorted(by_activity.items())),
        "unclassified": unclassified,
        "excluded": sum(e.outcome == "excluded" for e in entries),
        "files": len(entries),
        "total_bytes": sum(e.size for e in entries),
    }


def document(entries: list[Entry], seed: int, sources: dict[str, dict[str, str]],
             people: list[dict[str, str]]) -> str:
    doc = {
        "format": FORMAT_VERSION,
        "generator": "demo/generate.py",
        "seed": seed,
        "institution": "INM",
        "program": "PAT-2021",
        "sources": sources,
        "summary": summary(entries),
        "people": people,
        "files": [e.to_json() for e in sorted(entries, key=lambda e: e.path)],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

"""What the agent should make of each generated file: EXPECTED.json.

Every file a builder writes is recorded with its outcome:
- "classified": a rule of demo/agent.toml.in must match it, giving `activity`,
  `kind` and `title`; `occurred_on` is the date its mtime falls on.
- "unclassified": harvested and kept locally, but no rule matches it.
- "excluded": desktop junk that the source must skip altogether.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

FORMAT_VERSION = 1
OUTCOMES = ("classified", "unclassified", "excluded")


@dataclass
class Entry:
    path: str            # relative to the generated directory, '/'-separated
    source: str          # the [[source]] name in agent.toml.in
    key: str             # the natural key: the path relative to the source's root
    outcome: str         # one of OUTCOMES
    media_type: str
    mtime: _dt.datetime  # UTC
    activity: str = ""
    kind: str = ""
    title: str = ""
    reason: str = ""     # why unclassified or excluded, for the reader of the tests
    people: list[dict[str, str]] = field(default_factory=list)
    attributes: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    size: int = 0
    sha256: str = ""

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"{self.path}: outcome {self.outcome!r} is not one of {OUTCOMES}")
        if (self.outcome == "classified") != bool(self.activity and self.kind):
            raise ValueError(f"{self.path}: a classified entry needs activity and kind, others none")

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "path": self.path, "source": self.source, "key": self.key, "outcome": self.outcome,
            "media_type": self.media_type, "size": self.size, "sha256": self.sha256,
            "mtime": self.mtime.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        if self.outcome == "classified":
            out.update(activity=self.activity, kind=self.kind, title=self.title,
                       occurred_on=self.mtime.date().isoformat())
        if self.reason:
            out["reason"] = self.reason
        if self.people:
            out["people"] = self.people
        if self.attributes:
            out["attributes"] = self.attributes
        if self.notes:
            out["notes"] = self.notes
        return out


def write_file(root: Path, entry: Entry, data: bytes) -> Entry:
    """Writes `data` at root/entry.path, fills size and digest; the mtime is set later."""
    target = root / entry.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    entry.size = len(data)
    entry.sha256 = hashlib.sha256(data).hexdigest()
    return entry


def summary(entries: list[Entry]) -> dict[str, object]:
    by_activity: dict[str, int] = {}
    for e in entries:
        if e.outcome == "classified":
            by_activity[e.activity] = by_activity.get(e.activity, 0) + 1
    return {
        "classified": dict(sorted(by_activity.items())),
        "unclassified": sum(e.outcome == "unclassified" for e in entries),
        "excluded": sum(e.outcome == "excluded" for e in entries),
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

"""The rule semantics the demo's agent.toml.in is written for (docs/configuration.md).

A rule matches an item when every condition of its `match` holds:
  glob        the natural key (demogen/globmatch.py)
  attachment  a glob, against each line of the item's `attachment` metadata
  any other   a regular expression searched in that metadata field, ignoring
              case; an item without the field does not match
Titles and attributes are templates: `{FIELD}` or `{meta.FIELD}` is the
item's metadata value (empty when absent), `{{` and `}}` are literal braces.
The agent's regular expressions are ECMAScript; the demo's are written in the
subset where Python's `re` means the same.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import PurePosixPath

from . import globmatch


def render(template: str, metadata: Mapping[str, str]) -> str:
    out, i = [], 0
    while i < len(template):
        ch = template[i]
        if ch in "{}" and template[i + 1:i + 2] == ch:
            out.append(ch)
            i += 2
        elif ch == "{":
            end = template.find("}", i)
            if end < 0:
                out.append(template[i:])
                break
            name = template[i + 1:end]
            out.append(metadata.get(name[5:] if name.startswith("meta.") else name, ""))
            i = end + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def matches(match: Mapping[str, str], key: str, metadata: Mapping[str, str]) -> bool:
    for field, pattern in match.items():
        if field == "glob":
            if not globmatch.matches(pattern, key):
                return False
        elif field == "attachment":
            names = metadata.get("attachment", "")
            if not names or not any(globmatch.matches(pattern, n) for n in names.split("\n")):
                return False
        else:
            value = metadata.get(field)
            if value is None or not re.search(pattern, value, re.IGNORECASE):
                return False
    return True


def first_match(rules: list[dict], source: str, key: str, metadata: Mapping[str, str]) -> dict | None:
    """The first rule for `source` (or for any source) that matches; None when none does."""
    for rule in rules:
        if rule.get("source", source) == source and matches(rule.get("match", {}), key, metadata):
            return rule
    return None


def describe(rule: dict) -> str:
    """A rule as a reader recognises it in agent.toml.in."""
    match = ", ".join(f"{k} = {v!r}" for k, v in rule.get("match", {}).items()) or "everything"
    return f"[[rule]] of {rule.get('source', 'any source')} ({match})"


def folder_metadata(key: str) -> dict[str, str]:
    """The folder plugin's metadata that titles use, derived from the key."""
    p = PurePosixPath(unicodedata.normalize("NFC", key))
    return {"path": str(p), "name": p.name, "stem": p.stem}

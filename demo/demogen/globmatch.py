"""The glob semantics the demo's rules are written for (those of the folder plugin).

Matched against the whole natural key (the '/'-separated path relative to the
source root, in Unicode NFC), case-insensitively, the pattern also in NFC:
  `**`    as a whole segment: zero or more folders ("**/x", "a/**/b", "a/**")
  `*`     any run of characters within one segment (never '/')
  `?`     one character, never '/'
  `[..]`  a character class, ranges allowed, `[!..]` or `[^..]` negated;
          a ']' right after the opening bracket is literal
  `\\c`    the character c itself
A leading '/' is ignored; a trailing '/' means everything below ("a/" is "a/**").
"""
from __future__ import annotations

import re
import unicodedata


def _segment(seg: str, glob: str) -> str:
    out, i = [], 0
    while i < len(seg):
        ch = seg[i]
        if ch == "\\" and i + 1 < len(seg):
            out.append(re.escape(seg[i + 1]))
            i += 2
        elif ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[":
            j = i + 1
            negate = j < len(seg) and seg[j] in "!^"
            j += 1 if negate else 0
            start = j
            if j < len(seg) and seg[j] == "]":
                j += 1  # a leading ']' is literal
            while j < len(seg) and seg[j] != "]":
                j += 1
            if j >= len(seg):
                raise ValueError(f"glob {glob!r}: '[' has no closing ']'")
            body = "".join("\\" + c if c in "\\]^[" else c for c in seg[start:j])
            out.append(f"[{'^/' if negate else ''}{body}]")
            i = j + 1
        else:
            out.append(re.escape(ch))
            i += 1
    return "".join(out)


def to_regex(glob: str) -> re.Pattern[str]:
    g = unicodedata.normalize("NFC", glob).lstrip("/")
    if g.endswith("/"):
        g += "**"
    segments = g.split("/")
    parts = []
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == "**":
            parts.append(".*" if last else "(?:[^/]*/)*")
        else:
            parts.append(_segment(seg, glob) + ("" if last else "/"))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def matches(glob: str, key: str) -> bool:
    return to_regex(glob).fullmatch(unicodedata.normalize("NFC", key)) is not None

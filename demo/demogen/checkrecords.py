"""What the agent stored and the registry received, compared with EXPECTED.json.

The expected records are derived from EXPECTED.json alone: every classified
file, mail, census and row is one record (two mails of one consultation are
one), with the id the agent computes, `ev-` + the first 32 hex digits of
SHA-256 over "institution/source/record key"; every unclassified item is a
local record with status "unclassified"; excluded files make none.

Each record body (the agent's `records show ID --json`, the registry's
`GET /evidence`) must carry the expected activity, kind, title, date, the
attributes the rules' templates give, the people of an HR row, and exactly
the files the record should cite (by name and SHA-256; the acuse, which the
agent renders, by name and media type).
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

AGENT_TIMEOUT = 60      # seconds for one agent command
REGISTRY_TIMEOUT = 30   # seconds for one registry request
PAGE_SIZE = 200


class RecordsError(Exception):
    """The agent or the registry cannot be asked (not the records being wrong)."""


def record_id(institution: str, source: str, key: str) -> str:
    return "ev-" + hashlib.sha256(f"{institution}/{source}/{key}".encode("utf-8")).hexdigest()[:32]


@dataclass
class Expected:
    """One record the agent should hold, from one or more items."""
    id: str
    source: str
    keys: list[str]                   # natural keys of its items
    outcome: str                      # "classified" or "unclassified"
    where: str                        # what a reader looks for in the data set
    items: list[dict] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)  # cited: name, sha256 (or None: rendered by the agent), ...
    people: list[dict] | None = None  # None: not checked (files and mail carry none the agent reads)


def _item_files(source_plugin: str, item: dict) -> list[dict]:
    if item.get("outcome") != "classified":
        return []
    if source_plugin == "folder":
        return [{"name": PurePosixPath(item["key"]).name, "sha256": item["sha256"], "size": item["size"]}]
    return list(item.get("cites", []))


def expected_records(doc: dict) -> dict[str, Expected]:
    institution = doc.get("institution", "INM")
    plugins = {name: s.get("plugin", "") for name, s in doc.get("sources", {}).items()}
    out: dict[str, Expected] = {}
    for f in doc["files"]:
        if f["outcome"] == "table":
            items = [(f"{f['path']} line {r['line']}", r) for r in f.get("rows", [])]
        elif "subject" in f.get("metadata", {}):
            items = [(f"{f['path']} ({f['metadata']['subject']!r})", f)]
        else:
            items = [(f["path"], f)]
        for where, item in items:
            if item["outcome"] not in ("classified", "unclassified"):
                continue
            key = item.get("record_key") or item["key"]
            rid = record_id(institution, f["source"], key)
            exp = out.setdefault(rid, Expected(rid, f["source"], [], item["outcome"], where))
            exp.keys.append(item["key"])
            exp.items.append(item)
            for cited in _item_files(plugins.get(f["source"], ""), item):
                if cited not in exp.files:
                    exp.files.append(cited)
            if f["outcome"] == "table":
                exp.people = item.get("people", [])
    return out


def compare(body: dict, exp: Expected) -> list[str]:
    """Problems of one record body against what is expected of it."""
    problems = []
    first = exp.items[0]
    for name in ("activity", "kind", "title"):
        if body.get(name) != first.get(name):
            problems.append(f"{name} is {body.get(name)!r}, expected {first.get(name)!r}")
    day = min(i["occurred_on"] for i in exp.items)
    if body.get("occurred_on") != day:
        problems.append(f"occurred_on is {body.get('occurred_on')!r}, expected {day!r}")
    attributes = body.get("attributes") or {}
    for item in exp.items:
        for name, value in item.get("record_attributes", {}).items():
            if attributes.get(name) != value:
                problems.append(f"attribute {name} is {attributes.get(name)!r}, expected {value!r}")
    if exp.people is not None:
        got = sorted((p.get("name", ""), p.get("curp", ""), p.get("employee_id", "")) for p in body.get("people", []))
        want = sorted((p["name"], p["curp"], p.get("employee_id", "")) for p in exp.people)
        if got != want:
            problems.append(f"people differ: {len(got)} person(s), expected {len(want)} "
                            "(compare with EXPECTED.json; not printed here)")
    files = body.get("files") or []
    for want in exp.files:
        match = [g for g in files if g.get("name") == want["name"]
                 and (want.get("sha256") is None or g.get("sha256") == want["sha256"])]
        if not match:
            problems.append(f"does not cite {want['name']!r}" + (" with its SHA-256" if want.get("sha256") else ""))
        elif want.get("media_type") and match[0].get("media_type") != want["media_type"]:
            problems.append(f"cites {want['name']!r} as {match[0].get('media_type')!r}, not {want['media_type']!r}")
    extra = sorted({g.get("name", "?") for g in files} - {w["name"] for w in exp.files})
    if extra:
        problems.append(f"cites files it should not: {extra}")
    return problems


# --- the agent -------------------------------------------------------------

def _agent_json(agent: Path, config: Path, *args: str) -> dict:
    cmd = [str(agent), "--config", str(config), *args]
    try:
        run = subprocess.run(cmd, capture_output=True, timeout=AGENT_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RecordsError(f"cannot run {' '.join(cmd)}: {exc}") from None
    if run.returncode != 0:
        raise RecordsError(f"{' '.join(cmd)} exited {run.returncode}: {run.stderr.decode(errors='replace').strip()}")
    try:
        return json.loads(run.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RecordsError(f"{' '.join(cmd)} printed no JSON: {exc}") from None


def check_agent(doc: dict, agent: Path, config: Path, synced: bool) -> tuple[list[str], dict[str, int]]:
    """Problems, and the count of the agent's records by status."""
    expected = expected_records(doc)
    listed = {r["id"]: r for r in _agent_json(agent, config, "records", "list", "--json").get("records", [])}
    problems = []
    statuses: dict[str, int] = {}
    for r in listed.values():
        statuses[r.get("status", "?")] = statuses.get(r.get("status", "?"), 0) + 1
        if r["id"] not in expected:
            problems.append(f"agent: record {r['id']} ({r.get('source')}:{r.get('key')}) is not in EXPECTED.json")
    for rid, exp in sorted(expected.items(), key=lambda kv: kv[1].where):
        got = listed.get(rid)
        if got is None:
            problems.append(f"agent: no record {rid} for {exp.where} ({exp.source}:{exp.keys[0]})")
            continue
        if got.get("source") != exp.source or got.get("key") not in exp.keys:
            problems.append(f"agent: {rid} is {got.get('source')}:{got.get('key')}, expected {exp.source}:{exp.keys[0]}")
        want_status = {"unclassified"} if exp.outcome == "unclassified" else {"synced"} if synced else {"pending", "synced"}
        if got.get("status") not in want_status:
            reason = f" ({got.get('reason')})" if got.get("reason") else ""
            problems.append(f"agent: {exp.where}: status {got.get('status')}{reason}, expected {' or '.join(sorted(want_status))}")
            continue
        if exp.outcome == "classified":
            body = _agent_json(agent, config, "records", "show", rid, "--json").get("record") or {}
            problems += [f"agent: {exp.where}: {p}" for p in compare(body, exp)]
    return problems, statuses


# --- the registry ----------------------------------------------------------

def _get(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy
    try:
        with opener.open(request, timeout=REGISTRY_TIMEOUT) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise RecordsError(f"GET {url}: HTTP {exc.code} {exc.read(500).decode(errors='replace')}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise RecordsError(f"GET {url}: {exc}") from None


def registry_records(base_url: str, token: str, program: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    page_token = ""
    for _ in range(10_000):  # a bound: a registry that never ends its pages is a fault
        query = {"program": program, "page_size": str(PAGE_SIZE)}
        if page_token:
            query["page_token"] = page_token
        page = _get(f"{base_url.rstrip('/')}/evidence?{urllib.parse.urlencode(query)}", token)
        for r in page.get("items", []):
            out[r["id"]] = r
        page_token = page.get("next_page_token") or ""
        if not page_token:
            return out
    raise RecordsError(f"{base_url}: the record list did not end after 10000 pages")


def check_registry(doc: dict, base_url: str, token_file: Path) -> tuple[list[str], int]:
    """Problems, and how many records the registry holds."""
    try:
        token = token_file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordsError(f"cannot read the token file {token_file}: {exc}") from None
    held = registry_records(base_url, token, doc.get("program", "PAT-2021"))
    expected = {rid: e for rid, e in expected_records(doc).items() if e.outcome == "classified"}
    problems = [f"registry: record {rid} ({r.get('title')!r}) is not in EXPECTED.json"
                for rid, r in held.items() if rid not in expected]
    for rid, exp in sorted(expected.items(), key=lambda kv: kv[1].where):
        body = held.get(rid)
        if body is None:
            problems.append(f"registry: no record {rid} for {exp.where}")
            continue
        if not body.get("folio"):
            problems.append(f"registry: {exp.where}: no folio")
        problems += [f"registry: {exp.where}: {p}" for p in compare(body, exp)]
    return problems, len(held)

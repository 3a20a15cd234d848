"""Tests of demogen/checkrecords.py: the agent's and the registry's records against EXPECTED.json.

A fake agent (a shell script answering `records list --json` and `records
show ID --json` from JSON files) and a fake registry (a loopback HTTP server
serving GET /evidence in pages) stand in for the real ones, so that every
kind of difference can be made on purpose.  The real ones are checked by
scripts/demo.sh.

Run: python3 -m unittest discover -s demo/tests   (Python 3.11+, stdlib only)
"""
from __future__ import annotations

import copy
import hashlib
import http.server
import json
import shutil
import sys
import tempfile
import threading
import unittest
import urllib.parse
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(DEMO))

import generate  # noqa: E402
import verify  # noqa: E402
from demogen import checkrecords  # noqa: E402

# A shell script, so that a hundred `records show` calls stay cheap: it answers
# from files the test writes (args: --config FILE records list|show [ID] --json).
FAKE_AGENT = """#!/bin/sh
dir=$(dirname "$0")
if [ -e "$dir/fail" ]; then echo "sseccoe-agent: cannot open the store" >&2; exit 1; fi
case "$3 $4" in
  "records list") cat "$dir/list.json" ;;
  "records show") cat "$dir/bodies/$5.json" ;;
  *) exit 2 ;;
esac
"""


def _body(exp: checkrecords.Expected) -> dict:
    """The record a correct agent would hold for `exp`."""
    first = exp.items[0]
    attributes = {"occurred_on_from": "header:Date"}
    for item in exp.items:
        attributes.update(item.get("record_attributes", {}))
    files = [{"name": f["name"], "sha256": f.get("sha256") or hashlib.sha256(b"acuse").hexdigest(),
              "media_type": f.get("media_type", "application/octet-stream"), "size": f.get("size", 5)}
             for f in exp.files]
    people = [dict(p, rfc="") for p in exp.people or []]
    return {"id": exp.id, "activity": first["activity"], "kind": first["kind"], "title": first["title"],
            "occurred_on": min(i["occurred_on"] for i in exp.items), "attributes": attributes, "files": files,
            "people": people, "program": "PAT-2021", "institution": "INM"}


class _DataSet(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="sseccoe-demo-records-"))
        generate.generate(cls.tmp / "data")
        cls.doc = verify.load_expected(cls.tmp / "data")
        cls.expected = checkrecords.expected_records(cls.doc)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def one(self, **where) -> checkrecords.Expected:
        return next(e for e in self.expected.values() if all(e.items[0].get(k) == v for k, v in where.items()))

    def assertProblem(self, needle: str, problems: list[str]):
        self.assertTrue(any(needle in p for p in problems), f"no problem mentions {needle!r}: {problems}")


class ExpectedRecords(_DataSet):
    def test_one_record_per_classified_item_and_one_for_the_consultation(self):
        classified = [e for e in self.expected.values() if e.outcome == "classified"]
        self.assertEqual(len(classified), sum(self.doc["summary"]["classified"].values()))
        unclassified = [e for e in self.expected.values() if e.outcome == "unclassified"]
        self.assertEqual(len(unclassified), self.doc["summary"]["unclassified"])
        consultation = self.one(kind="consultation")
        self.assertEqual(len(consultation.keys), 2)
        self.assertEqual(consultation.id, checkrecords.record_id("INM", "buzon", consultation.items[0]["record_key"]))

    def test_ids_are_the_agents(self):
        # As core/model/record.cpp computes it: sha256("INM/comite/<key>"), first 32 hex digits.
        f = next(f for f in self.doc["files"] if f["source"] == "comite" and f["outcome"] == "classified")
        digest = hashlib.sha256(f"INM/comite/{f['key']}".encode()).hexdigest()
        self.assertIn("ev-" + digest[:32], self.expected)

    def test_cited_files_by_kind(self):
        self.assertEqual([f["name"] for f in self.one(kind="email_dispatch").files][:2], ["mensaje.eml", "acuse.pdf"])
        self.assertEqual(self.one(kind="consultation").files, [])
        self.assertEqual(self.one(kind="headcount").files, [])
        share = next(e for e in self.expected.values() if e.source == "comite" and e.outcome == "classified")
        self.assertEqual(len(share.files), 1)
        self.assertIsNone(share.people)
        self.assertEqual(len(self.one(kind="conduct_pledge").people), 1)

    def test_compare_finds_each_difference(self):
        exp = self.one(kind="email_dispatch")
        good = _body(exp)
        self.assertEqual(checkrecords.compare(good, exp), [])
        bad = copy.deepcopy(good)
        bad["title"] = "otro"
        bad["occurred_on"] = "2021-01-01"
        bad["attributes"]["subject"] = "otro"
        bad["files"][0]["sha256"] = "0" * 64
        bad["files"].append({"name": "extra.pdf", "sha256": "1" * 64})
        problems = checkrecords.compare(bad, exp)
        for needle in ("title is 'otro'", "occurred_on is '2021-01-01'", "attribute subject",
                       "does not cite 'mensaje.eml' with its SHA-256", "should not: ['extra.pdf']"):
            self.assertProblem(needle, problems)
        row = self.one(kind="conduct_pledge")
        wrong = _body(row)
        wrong["people"][0]["curp"] = "ZZZZ999999HDFZZZ09"
        self.assertProblem("people differ", checkrecords.compare(wrong, row))
        for p in checkrecords.compare(wrong, row):  # personal data stays out of the messages
            self.assertNotIn("ZZZZ", p)
            self.assertNotIn(row.people[0]["curp"], p)
            self.assertNotIn(row.people[0]["name"], p)


class AgentCheck(_DataSet):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="fake-agent-", dir=self.tmp))
        self.state = {"list": [], "bodies": {}}
        for rid, exp in self.expected.items():
            status = "synced" if exp.outcome == "classified" else "unclassified"
            self.state["list"].append({"id": rid, "source": exp.source, "key": exp.keys[0], "status": status,
                                       "reason": ""})
            if exp.outcome == "classified":
                self.state["bodies"][rid] = _body(exp)
        self.agent = self.dir / "sseccoe-agent"
        self.agent.write_text(FAKE_AGENT)
        self.agent.chmod(0o755)

    def run_check(self, synced: bool = True):
        (self.dir / "list.json").write_text(json.dumps({"records": self.state["list"]}), encoding="utf-8")
        (self.dir / "bodies").mkdir(exist_ok=True)
        for rid, body in self.state["bodies"].items():
            (self.dir / "bodies" / f"{rid}.json").write_text(json.dumps({"record": body}), encoding="utf-8")
        if self.state.get("fail"):
            (self.dir / "fail").touch()
        return checkrecords.check_agent(self.doc, self.agent, self.dir / "agent.toml", synced)

    def test_a_correct_agent_passes(self):
        problems, statuses = self.run_check()
        self.assertEqual(problems, [])
        self.assertEqual(statuses, {"synced": sum(self.doc["summary"]["classified"].values()),
                                    "unclassified": self.doc["summary"]["unclassified"]})

    def test_missing_extra_held_and_misclassified_records(self):
        dropped = self.state["list"].pop(0)
        self.state["list"].append({"id": "ev-" + "0" * 32, "source": "buzon", "key": "msgid:x@y", "status": "pending"})
        held = next(r for r in self.state["list"] if r["status"] == "synced")
        held.update(status="held", reason="dated 2021-12-20, outside activity 2.1.2's window")
        wrong = next(r for r in self.state["list"] if r["status"] == "synced" and r is not held)
        self.state["bodies"][wrong["id"]]["activity"] = "2.1.1"
        problems, _ = self.run_check()
        self.assertProblem(f"no record {dropped['id']}", problems)
        self.assertProblem("ev-00000000000000000000000000000000 (buzon:msgid:x@y) is not in EXPECTED.json", problems)
        self.assertProblem("status held (dated 2021-12-20", problems)
        self.assertProblem("activity is '2.1.1'", problems)

    def test_pending_is_accepted_only_without_a_registry(self):
        for r in self.state["list"]:
            if r["status"] == "synced":
                r["status"] = "pending"
        self.assertEqual(self.run_check(synced=False)[0], [])
        self.assertProblem("status pending", self.run_check(synced=True)[0])

    def test_an_agent_that_fails_cannot_be_checked(self):
        self.state["fail"] = True
        with self.assertRaisesRegex(checkrecords.RecordsError, "exited 1: sseccoe-agent: cannot open the store"):
            self.run_check()
        with self.assertRaisesRegex(checkrecords.RecordsError, "cannot run"):
            checkrecords.check_agent(self.doc, self.dir / "absent", self.dir / "agent.toml", True)


class _Registry(http.server.BaseHTTPRequestHandler):
    records: list[dict] = []
    token = "s3cret"
    page = 7

    def do_GET(self):  # noqa: N802 (http.server's name)
        url = urllib.parse.urlsplit(self.path)
        if self.headers.get("Authorization") != f"Bearer {self.token}":
            return self._send(401, {"error": {"code": "unauthorized", "message": "bad token"}})
        if url.path != "/api/v1/evidence":
            return self._send(404, {"error": {"code": "not_found", "message": url.path}})
        query = urllib.parse.parse_qs(url.query)
        start = int(query.get("page_token", ["0"])[0])
        body = {"items": self.records[start:start + self.page]}
        if start + self.page < len(self.records):
            body["next_page_token"] = str(start + self.page)
        self._send(200, body)

    def _send(self, code: int, body: dict):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # keep test output clean
        pass


class RegistryCheck(_DataSet):
    def setUp(self):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Registry)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1"
        _Registry.records = [dict(_body(e), folio=f"SSECCOE-INM-2021-{i:06d}")
                             for i, e in enumerate(self.expected.values()) if e.outcome == "classified"]
        self.token_file = self.tmp / "token"
        self.token_file.write_text("s3cret\n")

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def test_a_correct_registry_passes_across_pages(self):
        problems, held = checkrecords.check_registry(self.doc, self.url, self.token_file)
        self.assertEqual(problems, [])
        self.assertEqual(held, sum(self.doc["summary"]["classified"].values()))
        self.assertGreater(held, _Registry.page * 3)  # several pages were followed

    def test_missing_folio_missing_record_and_stray_record(self):
        _Registry.records[0]["folio"] = ""
        gone = _Registry.records.pop(1)
        _Registry.records.append({"id": "ev-" + "f" * 32, "title": "ajeno"})
        problems, _ = checkrecords.check_registry(self.doc, self.url, self.token_file)
        self.assertProblem("no folio", problems)
        self.assertProblem(f"no record {gone['id']}", problems)
        self.assertProblem("'ajeno') is not in EXPECTED.json", problems)

    def test_wrong_token_and_no_server(self):
        self.token_file.write_text("wrong\n")
        with self.assertRaisesRegex(checkrecords.RecordsError, "HTTP 401"):
            checkrecords.check_registry(self.doc, self.url, self.token_file)
        with self.assertRaisesRegex(checkrecords.RecordsError, "token file"):
            checkrecords.check_registry(self.doc, self.url, self.tmp / "absent-token")
        with self.assertRaisesRegex(checkrecords.RecordsError, "GET http://127.0.0.1:9/"):
            checkrecords.check_registry(self.doc, "http://127.0.0.1:9/api/v1", self.tmp / "token")


if __name__ == "__main__":
    unittest.main()

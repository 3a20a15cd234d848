"""The registry contract (registry-api.md, docs/openapi.yaml) against the real
sseccoe-registry over loopback: every status code it defines, idempotency,
revisions, folios, paging, concurrency, restarts, and its command line."""
import copy
import hashlib
import json
import os
import re
import subprocess
import tempfile
import threading
import unittest
import uuid

from harness import (REGISTRY_BIN, HttpClient, Registry, free_port, make_token, sha256_hex,
                     trust_context)

FOLIO = re.compile(r"^SSECCOE-INM-2021-(\d{6})$")
# Published, hypothetical identifiers (python-stdnum's examples).
CURP = "HEGG560427MVZRRL04"
RFC = "GODE561231GR8"            # check digit verifies
RFC_BAD_CHECK = "VACE460910SX6"  # in real use, check digit fails: a warning only
NAME = "Gloria Hernández García"
LIMITS = {"max_file_bytes": 65536, "max_record_bytes": 32768}


def new_id():
    return "ev-" + uuid.uuid4().hex


def record(**over):
    r = {
        "id": new_id(),
        "program": "PAT-2021",
        "activity": "1.1.1",
        "kind": "course_certificate",
        "institution": "INM",
        "title": "Constancia: Los conflictos de intereses en el ejercicio del servicio público",
        "occurred_on": "2021-05-14",
        "people": [{"name": NAME, "curp": CURP, "rfc": RFC, "employee_id": "E-1001"}],
        "files": [],
        "source": {"plugin": "folder", "instance": "constancias", "locator": "Constancias/2021/gloria.pdf",
                   "harvested_at": "2021-05-15T10:02:11Z"},
        "attributes": {"course": "Los conflictos de intereses", "hours": 10},
    }
    r.update(over)
    return r


class RegistryTestCase(unittest.TestCase):
    """One registry for the whole class (starting one per test is slower and
    proves nothing more); tests that need a clean slate make their own."""

    registry_kwargs = {"limits": LIMITS}

    @classmethod
    def setUpClass(cls):
        cls.reg = Registry(**cls.registry_kwargs)
        cls.reg.__enter__()
        cls.inm = cls.reg.client("INM")
        cls.sat = cls.reg.client("SAT")
        cls.anon = cls.reg.client()

    @classmethod
    def tearDownClass(cls):
        cls.reg.__exit__(None, None, None)

    def assertError(self, resp, status, code, field=None):
        self.assertEqual(resp.status, status, resp)
        self.assertEqual(resp.header("Content-Type"), "application/json", resp)
        err = resp.json["error"]
        self.assertEqual(err["code"], code, resp)
        self.assertTrue(err["message"], resp)
        if field is not None:
            self.assertEqual(err.get("field"), field, resp)
        return err

    def upload(self, data):
        r = self.inm.put_file(data)
        self.assertIn(r.status, (200, 201), r)
        return {"sha256": sha256_hex(data), "name": "constancia.pdf", "media_type": "application/pdf",
                "size": len(data)}

    def put(self, rec, client=None):
        return (client or self.inm).put_record(rec)


class Files(RegistryTestCase):
    def test_put_201_then_200_and_head(self):
        data = b"%PDF-1.4 constancia " + uuid.uuid4().bytes
        sha = sha256_hex(data)
        self.assertEqual(self.inm.head(f"/files/{sha}").status, 404)
        r = self.inm.put_file(data, content_type="application/pdf")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json, {"sha256": sha, "size": len(data), "status": "stored"})
        head = self.inm.head(f"/files/{sha}")
        self.assertEqual(head.status, 200)
        self.assertEqual(head.header("Content-Length"), str(len(data)))
        again = self.inm.put_file(data, content_type="application/pdf")
        self.assertEqual(again.status, 200, again)
        self.assertEqual(again.json["status"], "present")
        # Stored content-addressed under files/ab/cdef..., byte for byte.
        path = os.path.join(self.reg.state_dir, "files", sha[:2], sha[2:])
        with open(path, "rb") as f:
            self.assertEqual(f.read(), data)

    def test_digest_mismatch_is_400_and_nothing_is_stored(self):
        claimed = sha256_hex(b"the bytes the agent meant")
        sent = b"other bytes " + uuid.uuid4().bytes
        r = self.inm.put_file(sent, sha=claimed)
        self.assertError(r, 400, "digest_mismatch", "sha256")
        self.assertEqual(self.inm.head(f"/files/{claimed}").status, 404)
        self.assertEqual(self.inm.head(f"/files/{sha256_hex(sent)}").status, 404)
        self.assertEqual(os.listdir(os.path.join(self.reg.state_dir, "files", "tmp")), [])

    def test_over_the_limit_with_content_length_is_413(self):
        data = os.urandom(LIMITS["max_file_bytes"] + 1)
        r = self.inm.put_file(data)
        self.assertError(r, 413, "payload_too_large")
        self.assertEqual(self.inm.head(f"/files/{sha256_hex(data)}").status, 404)

    def test_over_the_limit_while_streaming_chunked_is_413(self):
        data = os.urandom(LIMITS["max_file_bytes"] + 4096)
        chunks = (data[i:i + 8192] for i in range(0, len(data), 8192))  # no Content-Length: chunked
        r = self.inm.put(f"/files/{sha256_hex(data)}", chunks, content_type="application/octet-stream")
        self.assertError(r, 413, "payload_too_large")
        self.assertEqual(self.inm.head(f"/files/{sha256_hex(data)}").status, 404)
        self.assertEqual(os.listdir(os.path.join(self.reg.state_dir, "files", "tmp")), [])

    def test_exactly_the_limit_is_accepted_chunked(self):
        data = os.urandom(LIMITS["max_file_bytes"])
        chunks = (data[i:i + 7000] for i in range(0, len(data), 7000))
        r = self.inm.put(f"/files/{sha256_hex(data)}", chunks, content_type="application/octet-stream")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["size"], len(data))

    def test_empty_file(self):
        r = self.inm.put_file(b"")
        self.assertIn(r.status, (200, 201), r)
        self.assertEqual(self.inm.head(f"/files/{sha256_hex(b'')}").status, 200)

    def test_malformed_digest_in_the_path_is_400(self):
        for bad in ("abc", "A" * 64, "g" * 64, "0" * 63, "0" * 65):
            with self.subTest(bad=bad):
                self.assertError(self.inm.put(f"/files/{bad}", b"x"), 400, "invalid_sha256", "sha256")
        self.assertEqual(self.inm.head(f"/files/{'A' * 64}").status, 400)

    def test_files_need_a_token(self):
        data = b"anonymous"
        r = self.anon.put_file(data)
        self.assertError(r, 401, "unauthorized")
        self.assertEqual(self.inm.head(f"/files/{sha256_hex(data)}").status, 404)


class Evidence(RegistryTestCase):
    def test_created_unchanged_revised_keep_the_folio(self):
        rec = record()
        r1 = self.put(rec)
        self.assertEqual(r1.status, 201, r1)
        body = r1.json
        self.assertEqual(body["status"], "created")
        self.assertEqual(body["id"], rec["id"])
        self.assertEqual(body["revision"], 1)
        self.assertRegex(body["folio"], FOLIO)
        self.assertRegex(body["registered_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertNotIn("warnings", body)

        r2 = self.put(rec)  # a retry
        self.assertEqual(r2.status, 200, r2)
        self.assertEqual((r2.json["status"], r2.json["revision"], r2.json["folio"]),
                         ("unchanged", 1, body["folio"]))

        reharvested = copy.deepcopy(rec)
        reharvested["source"]["harvested_at"] = "2021-06-01T08:00:00Z"
        r3 = self.put(reharvested)
        self.assertEqual((r3.status, r3.json["status"], r3.json["revision"]), (200, "unchanged", 1), r3)

        corrected = copy.deepcopy(rec)
        corrected["title"] = "Constancia corregida: Los conflictos de intereses"
        corrected["attributes"]["hours"] = 12
        r4 = self.put(corrected)
        self.assertEqual(r4.status, 200, r4)
        self.assertEqual((r4.json["status"], r4.json["revision"], r4.json["folio"]),
                         ("revised", 2, body["folio"]))

        got = self.inm.get(f"/evidence/{rec['id']}")
        self.assertEqual(got.status, 200, got)
        self.assertEqual(got.json["revision"], 2)
        self.assertEqual(got.json["folio"], body["folio"])
        self.assertEqual(got.json["title"], corrected["title"])
        self.assertEqual(got.json["attributes"]["hours"], 12)
        self.assertEqual(got.json["people"][0]["curp"], CURP)

        # Going back to the first content is a new revision, not "unchanged".
        r5 = self.put(rec)
        self.assertEqual((r5.json["status"], r5.json["revision"]), ("revised", 3), r5)

    def test_every_revision_is_kept(self):
        rec = record()
        self.put(rec)
        for hours in (11, 12):
            rec["attributes"]["hours"] = hours
            self.put(rec)
        db = os.path.join(self.reg.state_dir, "registry.db")
        out = subprocess.run(["sqlite3", db, f"SELECT revision FROM revisions WHERE id = '{rec['id']}' ORDER BY 1"],
                             capture_output=True, text=True, check=True).stdout.split()
        self.assertEqual(out, ["1", "2", "3"])

    def test_folios_follow_a_sequence(self):
        a = self.put(record()).json["folio"]
        b = self.put(record()).json["folio"]
        self.assertEqual(int(FOLIO.match(b).group(1)), int(FOLIO.match(a).group(1)) + 1)

    def test_files_cited_after_upload(self):
        f = self.upload(b"%PDF-1.4 " + uuid.uuid4().bytes)
        r = self.put(record(files=[f]))
        self.assertEqual(r.status, 201, r)

    def test_headcount_is_accepted(self):
        r = self.put(record(kind="headcount", people=[], title="Plantilla de personal 2021",
                            attributes={"count": 5123}))
        self.assertEqual(r.status, 201, r)

    def test_rfc_with_bad_check_digit_is_a_warning(self):
        r = self.put(record(people=[{"name": NAME, "rfc": RFC_BAD_CHECK}]))
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["warnings"][0]["code"], "rfc_check_digit")
        self.assertEqual(r.json["warnings"][0]["field"], "people[0].rfc")

    def test_unknown_id_is_404(self):
        self.assertError(self.inm.get(f"/evidence/{new_id()}"), 404, "not_found")

    def test_get_program_catalog(self):
        r = self.inm.get("/programs/PAT-2021")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["program"], r.json["year"], r.json["institution"]), ("PAT-2021", 2021, "INM"))
        self.assertEqual(len(r.json["activities"]), 15)
        self.assertEqual(len(r.json["indicators"]), 9)
        self.assertError(self.inm.get("/programs/PAT-1999"), 404, "not_found", "program")

    def test_health_needs_no_token(self):
        r = self.anon.get("/health")
        self.assertEqual((r.status, r.json), (200, {"status": "ok"}))


class Refusals(RegistryTestCase):
    """4xx answers: each with its JSON error, code and field; none stores anything."""

    def assertNothingStored(self, rec):
        self.assertEqual(self.inm.get(f"/evidence/{rec['id']}").status, 404)

    def test_401_without_or_with_a_wrong_token(self):
        rec = record()
        for client, scheme in ((self.anon, None), (self.reg.client(token="not-a-token"), "invalid_token"),
                               (self.reg.client(token=""), None)):
            r = client.put_record(rec)
            self.assertError(r, 401, "unauthorized")
            self.assertTrue(r.header("WWW-Authenticate", "").startswith("Bearer"), r.headers)
            if scheme:
                self.assertIn(scheme, r.header("WWW-Authenticate"))
        basic = self.anon.get("/evidence", headers={"Authorization": "Basic SU5NOnNlY3JldA=="})
        self.assertError(basic, 401, "unauthorized")
        for path in ("/evidence", f"/evidence/{rec['id']}", "/programs/PAT-2021", "/programs/PAT-2021/progress"):
            self.assertError(self.anon.get(path), 401, "unauthorized")
        self.assertNothingStored(rec)

    def test_403_for_another_institution(self):
        rec = record()
        self.assertError(self.put(rec, self.sat), 403, "forbidden", "institution")
        self.assertNothingStored(rec)
        self.assertEqual(self.put(rec).status, 201)
        self.assertError(self.sat.get(f"/evidence/{rec['id']}"), 403, "forbidden")
        listing = self.sat.get("/evidence")
        self.assertEqual(listing.status, 200)
        self.assertNotIn(rec["id"], [i["id"] for i in listing.json["items"]])

    def test_404_unknown_routes(self):
        for path in ("/nope", "/files", "/evidence/", "/programs", "/programs/PAT-2021/other",
                     "http://127.0.0.1:%d/" % self.reg.port, "http://127.0.0.1:%d/api/v2/health" % self.reg.port):
            with self.subTest(path=path):
                self.assertError(self.inm.get(path), 404, "not_found")

    def test_405_wrong_method_with_allow(self):
        rec_path = f"/evidence/{new_id()}"
        for method, path, allow in (("DELETE", rec_path, "GET, PUT"), ("POST", rec_path, "GET, PUT"),
                                    ("PUT", "/evidence", "GET"), ("GET", f"/files/{'0' * 64}", "HEAD, PUT"),
                                    ("DELETE", "/programs/PAT-2021", "GET"), ("POST", "/health", "GET, HEAD")):
            with self.subTest(method=method, path=path):
                r = self.inm.request(method, path, body=b"{}" if method in ("POST", "PUT") else None,
                                     content_type="application/json")
                self.assertError(r, 405, "method_not_allowed")
                self.assertEqual(r.header("Allow"), allow)

    def test_400_malformed_json(self):
        rec = record()
        path = f"/evidence/{rec['id']}"
        good = json.dumps(rec, ensure_ascii=False).encode()
        for body in (b"{", good[:-5], b"", b"null x", b"{'id': 1}", good.replace(b"Garc\xc3\xada", b"Garc\xeda"),
                     b"\xef\xbb\xbf\xff\xfe"):
            with self.subTest(body=body[:30]):
                self.assertError(self.inm.put(path, body, content_type="application/json"), 400, "malformed_json")
        self.assertNothingStored(rec)

    def test_400_deep_nesting_does_not_crash(self):
        rec = record()
        deep = b"[" * 15000 + b"]" * 15000  # under max_record_bytes: the parser must refuse it
        r = self.inm.put(f"/evidence/{rec['id']}", deep, content_type="application/json")
        self.assertError(r, 400, "malformed_json")
        self.assertEqual(self.anon.get("/health").status, 200)

    def test_400_id_mismatch_and_bad_id(self):
        rec = record()
        self.assertError(self.inm.put_record(rec, record_id=new_id()), 400, "id_mismatch", "id")
        self.assertError(self.inm.put(f"/evidence/{rec['id']}", dict(rec, id=5)), 400, "id_mismatch", "id")
        for bad in ("ev-123", "EV-" + "a" * 32, "ev-" + "A" * 32, "ev-" + "g" * 32, "x" * 35):
            with self.subTest(bad=bad):
                self.assertError(self.inm.put_record(dict(rec, id=bad)), 400, "invalid_id", "id")
                self.assertError(self.inm.get(f"/evidence/{bad}"), 400, "invalid_id", "id")
        self.assertNothingStored(rec)

    def test_413_record_too_large(self):
        rec = record(attributes={"notes": "x" * LIMITS["max_record_bytes"]})
        self.assertError(self.put(rec), 413, "payload_too_large")
        chunks = iter([json.dumps(rec).encode()])
        r = self.inm.put(f"/evidence/{rec['id']}", chunks, content_type="application/json")
        self.assertError(r, 413, "payload_too_large")
        self.assertNothingStored(rec)

    def test_415_wrong_content_type(self):
        rec = record()
        body = json.dumps(rec).encode()
        for ct in ("text/plain", "application/x-www-form-urlencoded", None):
            with self.subTest(ct=ct):
                r = self.inm.put(f"/evidence/{rec['id']}", body, content_type=ct)
                self.assertError(r, 415, "unsupported_media_type")
        r = self.inm.put(f"/evidence/{rec['id']}", body, content_type="Application/JSON; charset=utf-8")
        self.assertEqual(r.status, 201, r)

    def assert422(self, rec, code, field):
        r = self.put(rec)
        self.assertError(r, 422, code, field)
        self.assertNothingStored(rec)

    def test_422_catalog(self):
        self.assert422(record(program="PAT-1999"), "unknown_program", "program")
        self.assert422(record(activity="9.9.9"), "unknown_activity", "activity")
        self.assert422(record(activity="1.1"), "unknown_activity", "activity")
        self.assert422(record(kind="diffusion_material"), "kind_not_allowed", "kind")
        self.assert422(record(kind="complaint"), "kind_not_allowed", "kind")
        # A program is one institution's: SAT cannot register against INM's PAT.
        rec = record(institution="SAT")
        self.assertError(self.put(rec, self.sat), 422, "unknown_program", "program")

    def test_422_file_not_uploaded(self):
        f = {"sha256": sha256_hex(b"never uploaded " + uuid.uuid4().bytes), "name": "a.pdf",
             "media_type": "application/pdf", "size": 10}
        uploaded = self.upload(b"uploaded " + uuid.uuid4().bytes)
        self.assert422(record(files=[uploaded, f]), "file_not_uploaded", "files[1].sha256")
        self.assert422(record(files=[dict(uploaded, size=uploaded["size"] + 1)]), "file_size_mismatch",
                       "files[0].size")

    def test_422_identifiers(self):
        ok = {"name": "Luis Bello", "curp": "BEML920313HMCLNS09"}
        for curp in ("HEGG560427MVZRRL05", "HEGG561327MVZRRL04", "hegg560427mvzrrl04", "HEGG560427MVZRRL0",
                     "HEGG560427MQQRRL04"):
            with self.subTest(curp=curp):
                self.assert422(record(people=[ok, {"name": NAME, "curp": curp}]), "invalid_curp", "people[1].curp")
        for rfc in ("GODE561331GR8", "GODE5612", "GODE 561231 GR8", "CACA580710NF7"):
            with self.subTest(rfc=rfc):
                self.assert422(record(people=[ok, {"name": NAME, "rfc": rfc}]), "invalid_rfc", "people[1].rfc")

    def test_422_dates(self):
        for d in ("2021-02-29", "2021-13-01", "14/05/2021", "2021-5-14", "ayer", ""):
            with self.subTest(date=d):
                self.assert422(record(occurred_on=d), "invalid_date", "occurred_on")

    def test_422_record_shape(self):
        rec = record()
        del rec["activity"]
        self.assert422(rec, "invalid_record", "activity")
        self.assert422(record(people="Gloria"), "invalid_record", "people")
        self.assert422(record(people=[{"curp": 18}]), "invalid_record", "people[0].curp")
        self.assert422(record(files=[{"sha256": "x", "name": "a"}]), "invalid_record", "files[0].sha256")
        self.assert422(record(attributes=[]), "invalid_record", "attributes")
        r = self.inm.put(f"/evidence/{new_id()}", [1, 2])
        self.assertError(r, 422, "invalid_record")

    def test_no_personal_data_or_token_in_the_log(self):
        self.put(record(people=[{"name": NAME, "curp": CURP, "rfc": RFC_BAD_CHECK}]))
        self.put(record(people=[{"name": NAME, "curp": "HEGG560427MVZRRL05"}]))
        log = self.reg.log()
        for secret in (CURP, RFC_BAD_CHECK, "HEGG560427MVZRRL05", NAME, "Gloria", self.reg.token("INM"),
                       self.reg.token("SAT")):
            self.assertNotIn(secret, log)


class Listing(unittest.TestCase):
    """Paging on a registry of its own: the counts must be exact."""

    def test_pages_newest_first_token_absent_on_the_last(self):
        with Registry() as reg:
            inm = reg.client("INM")
            ids = []
            for i in range(5):
                rec = record(activity="2.1.1", kind="diffusion_material", title=f"Cartel {i}", people=[])
                self.assertEqual(inm.put_record(rec).status, 201)
                ids.append(rec["id"])
            other = record()
            self.assertEqual(inm.put_record(other).status, 201)

            def walk(query, size):
                seen, token, pages = [], None, 0
                while True:
                    q = f"{query}&page_size={size}" + (f"&page_token={token}" if token else "")
                    r = inm.get(f"/evidence?{q}")
                    self.assertEqual(r.status, 200, r)
                    pages += 1
                    self.assertLessEqual(len(r.json["items"]), size)
                    seen += [i["id"] for i in r.json["items"]]
                    token = r.json.get("next_page_token")
                    if token is None:
                        self.assertNotIn("next_page_token", r.json)
                        return seen, pages
                    self.assertIsInstance(token, str)

            seen, pages = walk("program=PAT-2021&activity=2.1.1", 2)
            self.assertEqual(seen, list(reversed(ids)))
            self.assertEqual(pages, 3)
            seen, pages = walk("program=PAT-2021", 3)
            self.assertEqual(seen, [other["id"]] + list(reversed(ids)))
            self.assertEqual(pages, 2)
            # Exactly one full page: the token is absent on it, not on an extra empty page.
            seen, pages = walk("activity=1.1.1", 1)
            self.assertEqual((seen, pages), ([other["id"]], 1))
            everything = inm.get("/evidence").json
            self.assertEqual(len(everything["items"]), 6)
            self.assertNotIn("next_page_token", everything)
            item = everything["items"][0]
            for key in ("id", "program", "activity", "kind", "institution", "occurred_on", "folio", "revision",
                        "registered_at"):
                self.assertIn(key, item)

            # A revision moves a record to the front.
            first = inm.get(f"/evidence/{ids[0]}").json
            for k in ("folio", "revision", "registered_at", "first_registered_at"):
                first.pop(k)
            first["title"] = "Cartel 0, corregido"
            self.assertEqual(inm.put_record(first).json["status"], "revised")
            self.assertEqual(inm.get("/evidence?activity=2.1.1").json["items"][0]["id"], ids[0])

            self.assertEqual(inm.get("/evidence?program=PAT-1999").json, {"items": []})
            self.assertEqual(reg.client("SAT").get("/evidence").json, {"items": []})

    def test_bad_paging_parameters(self):
        with Registry() as reg:
            inm = reg.client("INM")
            for _ in range(3):
                inm.put_record(record())
            token = inm.get("/evidence?page_size=1").json["next_page_token"]
            for q, field in (("page_size=0", "page_size"), ("page_size=abc", "page_size"),
                             ("page_size=100000", "page_size"), ("page_size=1.5", "page_size"),
                             ("page_token=garbage", "page_token"), (f"page_token={token}&activity=2.1.1", "page_token"),
                             ("page_token=" + token[:-2], "page_token"), ("colour=red", "colour")):
                with self.subTest(q=q):
                    r = inm.get(f"/evidence?{q}")
                    self.assertEqual(r.status, 400, r)
                    self.assertEqual(r.json["error"]["field"], field)
            # Another institution cannot use INM's token.
            r = reg.client("SAT").get(f"/evidence?page_token={token}")
            self.assertEqual(r.status, 400, r)


class ProgressFromRecords(unittest.TestCase):
    def test_progress_counts_the_newest_revisions(self):
        with Registry() as reg:
            inm = reg.client("INM")
            empty = inm.get("/programs/PAT-2021/progress")
            self.assertEqual(empty.status, 200, empty)
            self.assertEqual({i["status"] for i in empty.json["indicators"]}, {"no_evidence"})
            self.assertIsNone(empty.json["headcount"])

            inm.put_record(record(kind="headcount", people=[], occurred_on="2021-03-01", attributes={"count": 10}))
            inm.put_record(record())
            inm.put_record(record(people=[{"name": "Luis Bello", "curp": "BEML920313HMCLNS09"}]))
            wrong = record(people=[{"name": "Otra Persona", "curp": "PEGL890909MJCRMS08"}], occurred_on="2020-05-14")
            inm.put_record(wrong)  # outside the activity's window: shown, not counted
            r = inm.get("/programs/PAT-2021/progress")
            self.assertEqual(r.status, 200, r)
            p = r.json
            self.assertEqual((p["program"], p["institution"], p["year"]), ("PAT-2021", "INM", 2021))
            self.assertEqual(p["headcount"]["count"], 10)
            ind = {i["key"]: i for i in p["indicators"]}
            self.assertEqual(len(ind), 9)
            self.assertEqual((ind["1.1"]["numerator"], ind["1.1"]["denominator"], ind["1.1"]["value"]), (2, 10, 20))
            self.assertEqual(ind["1.1"]["status"], "in_progress")
            self.assertEqual(ind["1.1"]["activities"][0]["outside_window"], 1)
            self.assertEqual(ind["5.2"]["status"], "no_evidence")

            # Moving the misdated certificate into the window is a revision;
            # progress follows the newest revision.
            wrong["occurred_on"] = "2021-05-20"
            self.assertEqual(inm.put_record(wrong).json["status"], "revised")
            ind = {i["key"]: i for i in inm.get("/programs/PAT-2021/progress").json["indicators"]}
            self.assertEqual((ind["1.1"]["numerator"], ind["1.1"]["value"]), (3, 30))

            self.assertEqual(inm.get("/programs/PAT-1999/progress").status, 404)
            self.assertEqual(reg.client("SAT").get("/programs/PAT-2021/progress").status, 404)


class Concurrency(RegistryTestCase):
    def test_concurrent_puts_of_one_new_id_make_one_record(self):
        rec = record()
        barrier = threading.Barrier(8)
        results = []
        lock = threading.Lock()

        def worker():
            client = self.reg.client("INM")  # one connection each
            barrier.wait()
            r = client.put_record(rec)
            with lock:
                results.append(r)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(r.status for r in results)
        self.assertEqual(statuses, [200] * 7 + [201], results)
        self.assertEqual({r.json["folio"] for r in results}.__len__(), 1)
        self.assertEqual({r.json["revision"] for r in results}, {1})

    def test_concurrent_new_records_get_distinct_folios(self):
        recs = [record() for _ in range(12)]
        results = []
        lock = threading.Lock()

        def worker(rec):
            r = self.reg.client("INM").put_record(rec)
            with lock:
                results.append(r)

        threads = [threading.Thread(target=worker, args=(rec,)) for rec in recs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([r.status for r in results], [201] * 12, results)
        numbers = sorted(int(FOLIO.match(r.json["folio"]).group(1)) for r in results)
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 12)))


class Restart(unittest.TestCase):
    def test_restart_keeps_records_files_and_folio_sequence(self):
        with Registry() as reg:
            inm = reg.client("INM")
            data = b"%PDF-1.4 restart " + uuid.uuid4().bytes
            self.assertEqual(inm.put_file(data).status, 201)
            rec = record(files=[{"sha256": sha256_hex(data), "name": "c.pdf", "media_type": "application/pdf",
                                 "size": len(data)}])
            folio = inm.put_record(rec).json["folio"]
            self.assertEqual(reg.restart(), 0, "SIGTERM must stop the registry cleanly")
            inm = reg.client("INM")
            self.assertEqual(inm.head(f"/files/{sha256_hex(data)}").status, 200)
            got = inm.get(f"/evidence/{rec['id']}")
            self.assertEqual((got.status, got.json["folio"]), (200, folio))
            again = inm.put_record(rec)
            self.assertEqual((again.status, again.json["status"], again.json["folio"]), (200, "unchanged", folio))
            nxt = inm.put_record(record()).json["folio"]
            self.assertEqual(int(FOLIO.match(nxt).group(1)), int(FOLIO.match(folio).group(1)) + 1)

    def test_unfinished_uploads_are_removed_on_start(self):
        with Registry() as reg:
            reg.stop()
            stale = os.path.join(reg.state_dir, "files", "tmp", "upload-XXXXXX")
            with open(stale, "wb") as f:
                f.write(b"half an upload")
            reg.start()
            self.assertFalse(os.path.exists(stale))


class LargeUpload(unittest.TestCase):
    def test_a_large_file_streams_without_growing_memory(self):
        size = 48 * 1024 * 1024
        with Registry(limits={"max_file_bytes": size}) as reg:
            block = os.urandom(1024 * 1024)
            h = hashlib.sha256()
            for _ in range(size // len(block)):
                h.update(block)
            sha = h.hexdigest()
            chunks = (block for _ in range(size // len(block)))
            r = reg.client("INM").put(f"/files/{sha}", chunks, content_type="application/octet-stream")
            self.assertEqual(r.status, 201, r)
            self.assertEqual(os.path.getsize(os.path.join(reg.state_dir, "files", sha[:2], sha[2:])), size)
            with open(f"/proc/{reg.pid}/status") as f:
                peak_kib = int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1))
            # Holding the body would take 48 MiB on its own; streaming stays far below.
            self.assertLess(peak_kib, 40 * 1024, f"peak RSS {peak_kib} KiB")


class Tls(unittest.TestCase):
    def test_https_with_a_certificate(self):
        with tempfile.TemporaryDirectory() as d:
            cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                            "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                           check=True, capture_output=True)
            reg = Registry(server={"tls_cert_file": cert, "tls_key_file": key})
            with reg:
                self.assertEqual(reg.scheme, "https")
                ctx = trust_context(cert)
                r = reg.client("INM", ssl_context=ctx).get("/programs/PAT-2021")
                self.assertEqual(r.status, 200, r)
                # Plain HTTP to the TLS port gets no answer that looks like success.
                with self.assertRaises(Exception):
                    HttpClient(f"http://127.0.0.1:{reg.port}/api/v1", timeout=5).get("/health")


class CommandLine(unittest.TestCase):
    def run_registry(self, *args):
        return subprocess.run([REGISTRY_BIN, *args], capture_output=True, text=True, timeout=60)

    def test_token_new(self):
        token, block = make_token("INM")
        self.assertRegex(token, r"^[A-Za-z0-9_-]{43}$")  # 256 bits, base64url
        self.assertIn('id = "INM"', block)
        self.assertIn(f'token_sha256 = "{hashlib.sha256(token.encode()).hexdigest()}"', block)
        self.assertNotEqual(token, make_token("INM")[0])
        for bad in ("inm", "", "I", "IN M", "INM/../x"):
            with self.subTest(bad=bad):
                self.assertEqual(self.run_registry("token", "new", bad).returncode, 2)
        self.assertEqual(self.run_registry("token").returncode, 2)

    def test_usage_errors_exit_2(self):
        self.assertEqual(self.run_registry().returncode, 2)
        self.assertEqual(self.run_registry("frobnicate").returncode, 2)
        self.assertEqual(self.run_registry("--bogus", "serve").returncode, 2)
        self.assertEqual(self.run_registry("--help").returncode, 0)

    def config_error(self, text, expect_in):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "registry.toml")
            with open(path, "wb") as f:
                f.write(text.encode("utf-8") if isinstance(text, str) else text)
            proc = self.run_registry("--config", path, "check-config")
            self.assertEqual(proc.returncode, 2, proc)
            for s in expect_in:
                self.assertIn(s, proc.stderr)
            return proc.stderr

    def test_configuration_errors_name_file_line_and_option(self):
        _, block = make_token("INM")
        self.config_error("[server]\nlisten = \"127.0.0.1:8080\"\nlisetn = 1\n" + block,
                          ["registry.toml:3", "server.lisetn", "unknown option"])
        self.config_error("[server]\nlisten = \"localhost\"\n" + block, ["registry.toml:2", "server.listen"])
        self.config_error("[server]\nlisten = \"127.0.0.1:70000\"\n" + block, ["server.listen"])
        self.config_error("[server]\nthreads = \"many\"\n" + block, ["server.threads", "integer"])
        self.config_error("[server]\ntls_cert_file = \"/nonexistent.pem\"\n" + block, ["tls_"])
        self.config_error("[storage]\nbackend = \"oracle\"\n" + block, ["storage.backend"])
        self.config_error("[limits]\nmax_file_bytes = -1\n" + block, ["limits.max_file_bytes"])
        self.config_error("[server]\n", ["institution", "token new"])
        self.config_error("[[institution]]\nid = \"INM\"\ntoken_sha256 = \"abc\"\n",
                          ["registry.toml:3", "institution.token_sha256"])
        self.config_error(block + block, ["listed twice"])
        self.config_error("[server\nlisten=1", ["registry.toml:1"])
        self.config_error(b"[server]\nlisten = \"\xff\xfe\"\n", ["registry.toml:2"])
        self.config_error("[catalog]\ndir = \"/nonexistent\"\n" + block, ["catalog", "/nonexistent"])
        self.config_error("[srever]\n" + block, ["srever", "unknown section"])
        proc = self.run_registry("--config", "/nonexistent/registry.toml", "serve")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("/nonexistent/registry.toml", proc.stderr)

    def test_a_port_in_use_exits_1(self):
        with Registry() as reg:
            other = Registry(server={"listen": f"127.0.0.1:{reg.port}"})
            try:
                other.write_config()
                proc = subprocess.run([REGISTRY_BIN, "--config", other.config_path, "serve"], capture_output=True,
                                      text=True, timeout=60)
            finally:
                other.__exit__(None, None, None)
            self.assertEqual(proc.returncode, 1, proc)
            self.assertIn("in use", proc.stderr)

    def test_listens_on_the_configured_port(self):
        port = free_port()
        with Registry(server={"listen": f"127.0.0.1:{port}"}) as reg:
            self.assertEqual(reg.port, port)


if __name__ == "__main__":
    unittest.main()

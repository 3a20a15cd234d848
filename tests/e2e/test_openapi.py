"""docs/openapi.yaml is a valid OpenAPI document (redocly lint, recommended
rules), and the real registry's answers match it: a sample of calls covering
every operation and the error answers goes through Stoplight Prism in
`proxy --errors` mode, which turns any request or response that violates the
spec into an error answer of its own.

Skipped when tools/node_modules is missing, unless CI is set (then it fails).
"""
import copy
import os
import subprocess
import tempfile
import unittest
import uuid

from harness import OPENAPI, SOURCE_DIR, TOOLS_BIN, PrismProxy, Registry, is_prism_error, require_tools, sha256_hex

REDOCLY_CONFIG = os.path.join(SOURCE_DIR, "docs", "redocly.yaml")


def pdf_like():
    """File content for uploads through Prism. ASCII only: Prism re-encodes
    the bodies it forwards as text, which would corrupt arbitrary bytes (the
    registry then rightly answers digest_mismatch). Binary uploads are
    covered without Prism by test_registry_contract."""
    return b"%PDF-1.4 " + uuid.uuid4().hex.encode()


def record(**over):
    r = {
        "id": "ev-" + uuid.uuid4().hex,
        "program": "PAT-2021",
        "activity": "1.1.1",
        "kind": "course_certificate",
        "institution": "INM",
        "title": "Constancia: Los conflictos de intereses en el ejercicio del servicio público",
        "occurred_on": "2021-05-14",
        "people": [{"name": "Luis Raúl Bello Mena", "curp": "BEML920313HMCLNS09", "rfc": "VACE460910SX6"}],
        "files": [],
        "source": {"plugin": "folder", "instance": "constancias", "locator": "Constancias/luis.pdf",
                   "harvested_at": "2021-05-15T10:02:11Z"},
        "attributes": {"course": "Los conflictos de intereses", "hours": 10},
    }
    r.update(over)
    return r


class Lint(unittest.TestCase):
    def test_redocly_lint_recommended_passes(self):
        require_tools()
        proc = subprocess.run([os.path.join(TOOLS_BIN, "redocly"), "lint", "--config", REDOCLY_CONFIG, OPENAPI],
                              capture_output=True, text=True, timeout=300, cwd=os.path.join(SOURCE_DIR, "docs"),
                              # No network in the tests: no telemetry, no update check.
                              env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"})
        out = proc.stdout + proc.stderr
        self.assertEqual(proc.returncode, 0, out)
        self.assertIn("valid", out)
        self.assertNotRegex(out, r"\b[1-9]\d* errors?\b", out)


class TrafficMatchesTheSpec(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_tools()
        cls.reg = Registry(limits={"max_file_bytes": 4096})
        cls.reg.__enter__()
        try:
            cls.prism = PrismProxy(cls.reg.url)
            cls.prism.__enter__()
        except BaseException:
            cls.reg.__exit__(None, None, None)
            raise
        cls.inm = cls.prism.client(cls.reg.token("INM"))
        cls.sat = cls.prism.client(cls.reg.token("SAT"))

    @classmethod
    def tearDownClass(cls):
        cls.prism.__exit__(None, None, None)
        cls.reg.__exit__(None, None, None)

    def check(self, resp, status, code=None):
        """The registry's own answer, with the expected status, let through by Prism."""
        self.assertFalse(is_prism_error(resp), f"Prism reports a contract violation: {resp}\n{self.prism.log()[-3000:]}")
        self.assertEqual(resp.status, status, resp)
        if code:
            self.assertEqual(resp.json["error"]["code"], code, resp)
        return resp

    def test_health(self):
        self.check(self.prism.client().get("/health"), 200)

    def test_files(self):
        data = pdf_like()
        sha = sha256_hex(data)
        self.check(self.inm.head(f"/files/{sha}"), 404)
        self.check(self.inm.put_file(data, content_type="application/pdf"), 201)
        self.check(self.inm.put_file(data, content_type="application/pdf"), 200)
        self.check(self.inm.head(f"/files/{sha}"), 200)
        self.check(self.inm.put_file(b"other bytes", sha=sha), 400, "digest_mismatch")
        self.check(self.inm.put_file(b"x" * 5000), 413, "payload_too_large")

    def test_evidence_lifecycle(self):
        data = pdf_like()
        self.check(self.inm.put_file(data, content_type="application/pdf"), 201)
        rec = record(files=[{"sha256": sha256_hex(data), "name": "constancia.pdf", "media_type": "application/pdf",
                             "size": len(data)}])
        created = self.check(self.inm.put_record(rec), 201).json
        self.assertEqual(created["warnings"][0]["code"], "rfc_check_digit")
        self.check(self.inm.put_record(rec), 200)
        revised = copy.deepcopy(rec)
        revised["title"] = "Constancia corregida"
        self.assertEqual(self.check(self.inm.put_record(revised), 200).json["status"], "revised")
        got = self.check(self.inm.get(f"/evidence/{rec['id']}"), 200).json
        self.assertEqual(got["folio"], created["folio"])
        self.check(self.inm.put_record(record(kind="headcount", people=[], attributes={"count": 5123})), 201)

    def test_listing(self):
        for _ in range(3):
            self.check(self.inm.put_record(record(activity="2.1.1", kind="diffusion_material", people=[])), 201)
        page = self.check(self.inm.get("/evidence?program=PAT-2021&activity=2.1.1&page_size=2"), 200).json
        self.assertIn("next_page_token", page)
        last = self.check(self.inm.get(f"/evidence?program=PAT-2021&activity=2.1.1&page_size=2"
                                       f"&page_token={page['next_page_token']}"), 200).json
        self.assertNotIn("next_page_token", last)
        self.check(self.inm.get("/evidence?page_token=garbage"), 400, "invalid_page_token")

    def test_programs(self):
        self.check(self.inm.get("/programs/PAT-2021"), 200)
        self.check(self.inm.get("/programs/PAT-1999"), 404, "not_found")
        progress = self.inm.get("/programs/PAT-2021/progress")
        self.check(progress, progress.status)
        self.assertIn(progress.status, (200, 501))

    def test_errors(self):
        rec = record()
        self.check(self.prism.client("not-the-token").put_record(rec), 401, "unauthorized")
        self.check(self.prism.client("not-the-token").get("/evidence"), 401, "unauthorized")
        self.check(self.sat.put_record(rec), 403, "forbidden")
        self.check(self.inm.get(f"/evidence/ev-{uuid.uuid4().hex}"), 404, "not_found")
        self.check(self.inm.put(f"/evidence/{rec['id']}", dict(rec, id=f"ev-{uuid.uuid4().hex}")), 400, "id_mismatch")
        self.check(self.inm.put_record(record(activity="9.9.9")), 422, "unknown_activity")
        self.check(self.inm.put_record(record(kind="email_dispatch")), 422, "kind_not_allowed")
        self.check(self.inm.put_record(record(program="PAT-1999")), 422, "unknown_program")
        missing = {"sha256": sha256_hex(uuid.uuid4().bytes), "name": "a.pdf", "media_type": "application/pdf"}
        self.check(self.inm.put_record(record(files=[missing])), 422, "file_not_uploaded")
        self.check(self.inm.put_record(record(people=[{"rfc": "GODE561331GR8"}])), 422, "invalid_rfc")
        self.check(self.inm.put_record(rec), 201)
        self.check(self.sat.get(f"/evidence/{rec['id']}"), 403, "forbidden")


class PrismCatchesViolations(unittest.TestCase):
    """The check above is only worth something if Prism does flag a response
    that differs from the spec: against a copy of the spec whose health
    answer says "fine" instead of "ok", the real answer must be refused."""

    def test_a_response_that_breaks_the_spec_is_reported(self):
        require_tools()
        with open(OPENAPI, encoding="utf-8") as f:
            spec = f.read()
        self.assertEqual(spec.count("const: ok"), 1)
        with tempfile.TemporaryDirectory() as d, Registry() as reg:
            broken = os.path.join(d, "openapi.yaml")
            with open(broken, "w", encoding="utf-8") as f:
                f.write(spec.replace("const: ok", "const: fine"))
            with PrismProxy(reg.url, spec=broken) as prism:
                r = prism.client().get("/health")
                self.assertTrue(is_prism_error(r), r)
                self.assertGreaterEqual(r.status, 500, r)
            with PrismProxy(reg.url) as prism:
                self.assertFalse(is_prism_error(prism.client().get("/health")))


if __name__ == "__main__":
    unittest.main()

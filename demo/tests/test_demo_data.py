"""Tests of the demo data set generator and of its verifier.

Run: python3 -m unittest discover -s demo/tests   (Python 3.11+, stdlib only)
"""
from __future__ import annotations

import datetime as _dt
import io
import os
import shutil
import struct
import sys
import tempfile
import unicodedata
import unittest
import zlib
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(DEMO))

import generate  # noqa: E402
import verify  # noqa: E402
from demogen import checkpdf, checkpng, dates, globmatch, pdf, people, png  # noqa: E402

CONFIG = DEMO / "agent.toml.in"


def _seed_file() -> Path | None:
    source = os.environ.get("SSECCOE_SOURCE_DIR", str(DEMO.parent))
    for base in (os.environ.get("SSECCOE_SEED_DIR"), f"{source}/../shared/seed", f"{source}/seed"):
        if base and (Path(base) / "PAT-2021-CEPCI-INM.txt").is_file():
            return Path(base) / "PAT-2021-CEPCI-INM.txt"
    return None


def _quiet(fn, *args):
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        return fn(*args)


class GeneratedDataSet(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="sseccoe-demo-test-"))
        cls.target = cls.tmp / "generated"
        generate.generate(cls.target)
        cls.doc = verify.load_expected(cls.target)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_verifies_against_its_expectations_and_the_rules(self):
        self.assertEqual(verify.verify(self.target, CONFIG, _seed_file()), [])

    def test_covers_every_share_activity_and_each_outcome(self):
        s = self.doc["summary"]
        for activity in ("1.1.1", "1.1.2", "2.1.1", "2.1.2", "2.1.3"):
            self.assertGreaterEqual(s["classified"].get(activity, 0), 3, activity)
        self.assertGreaterEqual(s["unclassified"], 3)
        names = {Path(f["path"]).name for f in self.doc["files"] if f["outcome"] == "excluded"}
        self.assertIn("Thumbs.db", names)
        self.assertIn(".DS_Store", names)
        self.assertTrue(any(n.startswith("~$") for n in names))
        self.assertLess(s["total_bytes"], 5_000_000)

    def test_names_carry_spanish_accents_and_one_is_nfd(self):
        self.assertTrue(any("Comité" in f["key"] for f in self.doc["files"]))
        nfd = [f for f in self.doc["files"] if unicodedata.normalize("NFC", f["path"]) != f["path"]]
        self.assertEqual(len(nfd), 1)
        self.assertTrue((self.target / nfd[0]["path"]).is_file())  # on disk in NFD
        for field in ("key", "title"):  # as the agent should report it: NFC
            self.assertEqual(unicodedata.normalize("NFC", nfd[0][field]), nfd[0][field])

    def test_is_deterministic(self):
        again = self.tmp / "again"
        generate.generate(again)
        self.assertEqual((again / "EXPECTED.json").read_bytes(), (self.target / "EXPECTED.json").read_bytes())
        self.assertEqual(verify.verify(again, CONFIG), [])  # so the bytes and mtimes on disk match too

    def test_same_person_in_the_roster_and_the_certificates(self):
        roster = {p["curp"]: p["name"] for p in self.doc["people"]}
        for f in self.doc["files"]:
            for person in f.get("people", []):
                self.assertEqual(roster.get(person["curp"]), person["name"])


class TargetHandling(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="sseccoe-demo-target-"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_refuses_a_directory_it_did_not_make(self):
        target = self.tmp / "mine"
        target.mkdir()
        (target / "keep.txt").write_text("not the generator's")
        self.assertEqual(_quiet(generate.main, [str(target)]), 2)
        self.assertEqual((target / "keep.txt").read_text(), "not the generator's")
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["mine"])  # no staging left behind

    def test_refuses_a_file(self):
        target = self.tmp / "file"
        target.write_text("x")
        self.assertEqual(_quiet(generate.main, [str(target)]), 2)

    def test_replaces_its_own_output_whole(self):
        target = self.tmp / "gen"
        self.assertEqual(_quiet(generate.main, [str(target)]), 0)
        (target / "share" / "stray.txt").write_text("left over")
        self.assertEqual(_quiet(generate.main, [str(target)]), 0)
        self.assertFalse((target / "share" / "stray.txt").exists())
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["gen"])
        self.assertEqual(verify.verify(target), [])


class VerifierCatchesFaults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="sseccoe-demo-faults-"))
        generate.generate(cls.tmp / "pristine")
        cls.doc = verify.load_expected(cls.tmp / "pristine")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def setUp(self):
        self.target = self.tmp / self.id().rsplit(".", 1)[-1]
        shutil.copytree(self.tmp / "pristine", self.target, copy_function=shutil.copy2)

    def _first(self, **where):
        return next(f for f in self.doc["files"] if all(f.get(k) == v for k, v in where.items()))

    def _rewrite(self, entry, data: bytes):
        path = self.target / entry["path"]
        stat = path.stat()
        path.write_bytes(data)
        os.utime(path, (stat.st_atime, stat.st_mtime))

    def assertProblem(self, needle: str, problems: list[str]):
        self.assertTrue(any(needle in p for p in problems), f"no problem mentions {needle!r}: {problems}")

    def test_truncated_pdf(self):
        f = self._first(kind="course_certificate", media_type="application/pdf")
        data = (self.target / f["path"]).read_bytes()
        self._rewrite(f, data[: len(data) // 2])
        problems = verify.verify(self.target)
        self.assertProblem("SHA-256", problems)
        self.assertProblem("%%EOF", problems)

    def test_png_with_a_bad_crc(self):
        f = self._first(media_type="image/png")
        data = bytearray((self.target / f["path"]).read_bytes())
        data[40] ^= 0xFF
        self._rewrite(f, bytes(data))
        self.assertProblem("bad CRC", verify.verify(self.target))

    def test_mtime_outside_the_window(self):
        f = self._first(activity="2.1.2")
        late = _dt.datetime(2021, 12, 20, 19, tzinfo=_dt.timezone.utc).timestamp()
        os.utime(self.target / f["path"], (late, late))
        problems = verify.verify(self.target)
        self.assertProblem("strictly inside", problems)
        self.assertProblem("not on occurred_on", problems)

    def test_unlisted_file(self):
        (self.target / "share" / "Varios" / "nuevo.pdf").write_bytes(b"%PDF-1.4\n")
        self.assertProblem("not listed", verify.verify(self.target))

    def test_certificate_without_the_curp(self):
        f = self._first(kind="course_certificate", media_type="application/pdf")
        person = f["people"][0]
        page = pdf.Page()
        page.text("CONSTANCIA", 400, 30)
        page.text(person["name"], 300, 20)
        data = pdf.build_pdf([page], {"Title": "x"})
        self._rewrite(f, data)
        self.assertProblem("lacks 'CURP: ", verify.verify(self.target))

    def test_rules_that_misclassify(self):
        config = self.target / "agent.toml.in"
        text = CONFIG.read_text(encoding="utf-8").replace('activity = "2.1.2"', 'activity = "2.1.1"', 1)
        config.write_text(text.replace('"Constancias/*/Personal/**/*.pdf"', '"Constancias/*/Personal/*.pdf"'),
                          encoding="utf-8")
        problems = verify.verify(self.target, config)
        self.assertProblem("expected ('2.1.2'", problems)
        self.assertProblem("Oficina de Representación en Chiapas", problems)

    def test_rule_that_would_take_junk(self):
        config = self.target / "agent.toml.in"
        config.write_text(CONFIG.read_text(encoding="utf-8")
                          .replace('"Difusión/*/Código de Ética/*.png"', '"Difusión/*/Código de Ética/*"'),
                          encoding="utf-8")
        problems = verify.verify(self.target, config)
        self.assertProblem("junk, yet rule", problems)
        self.assertProblem("should stay unclassified", problems)

    def test_expected_json_mis_encoded_or_malformed(self):
        path = self.target / "EXPECTED.json"
        text = path.read_text(encoding="utf-8")
        path.write_bytes(text.encode("latin-1", errors="replace"))
        with self.assertRaisesRegex(verify.VerifyError, "not UTF-8"):
            verify.verify(self.target)
        path.write_text(text[: len(text) // 3], encoding="utf-8")
        with self.assertRaisesRegex(verify.VerifyError, "invalid JSON"):
            verify.verify(self.target)
        path.write_text('{"format": 2, "files": []}', encoding="utf-8")
        with self.assertRaisesRegex(verify.VerifyError, "format-1"):
            verify.verify(self.target)

    def test_cli_exit_codes(self):
        self.assertEqual(_quiet(verify.main, [str(self.target), "--config", str(CONFIG)]), 0)
        os.utime(self.target / self._first(activity="1.1.1")["path"], (0, 0))
        self.assertEqual(_quiet(verify.main, [str(self.target)]), 1)
        self.assertEqual(_quiet(verify.main, [str(self.tmp / "absent")]), 2)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


class PngWriterAndChecker(unittest.TestCase):
    def test_round_trip_with_title(self):
        canvas = png.Canvas(64, 32, (255, 255, 255))
        canvas.text(2, 2, "ÉTICA Ñ", 1, (0, 0, 0))
        self.assertEqual(checkpng.check(canvas.png("Código de Ética")), (64, 32, {"Title": "Código de Ética"}))

    def test_writer_rejects_bad_input(self):
        with self.assertRaisesRegex(ValueError, "no glyph"):
            png.Canvas(10, 10, (0, 0, 0)).text(0, 0, "€", 1, (1, 1, 1))
        with self.assertRaisesRegex(ValueError, "do not make"):
            png.encode_png(2, 2, b"\x00" * 11)
        with self.assertRaisesRegex(ValueError, "outside"):
            png.Canvas(0, 10, (0, 0, 0))

    def test_garbage_truncated_and_trailing(self):
        good = png.Canvas(8, 8, (9, 9, 9)).png()
        with self.assertRaisesRegex(checkpng.PngError, "signature"):
            checkpng.check(b"GIF89a" + good)
        for cut in (10, 30, len(good) - 5):
            with self.assertRaises(checkpng.PngError, msg=f"cut at {cut}"):
                checkpng.check(good[:cut])
        with self.assertRaisesRegex(checkpng.PngError, "after IEND"):
            checkpng.check(good + b"\x00")

    def test_huge_dimensions_are_refused_before_inflating(self):
        ihdr = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0))
        data = checkpng.SIGNATURE + ihdr + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + _png_chunk(b"IEND", b"")
        with self.assertRaisesRegex(checkpng.PngError, "outside"):
            checkpng.check(data)

    def test_inflate_bomb_and_short_data(self):
        ihdr = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        for payload in (b"\x00" * 10_000_000, b"\x00" * 10):
            data = (checkpng.SIGNATURE + ihdr + _png_chunk(b"IDAT", zlib.compress(payload))
                    + _png_chunk(b"IEND", b""))
            with self.assertRaisesRegex(checkpng.PngError, "expected 52"):
                checkpng.check(data)

    def test_mis_encoded_itxt(self):
        body = b"Title\x00\x00\x00\x00\x00" + "Código".encode("latin-1")
        good = png.Canvas(2, 2, (0, 0, 0)).png()
        data = good[:33] + _png_chunk(b"iTXt", body) + good[33:]
        with self.assertRaisesRegex(checkpng.PngError, "not valid text"):
            checkpng.check(data)


class PdfWriterAndChecker(unittest.TestCase):
    def test_escapes_and_accents_round_trip(self):
        page = pdf.Page()
        line = "Peña (Núñez) \\ “José” — 100%"
        page.text(line, 300, 12)
        self.assertEqual(checkpdf.text(pdf.build_pdf([page], {"Title": "Prueba ñ"})), line)
        self.assertEqual(pdf.encode_text("a(b)c\\é"), b"(a\\(b\\)c\\\\\\351)")

    def test_text_outside_cp1252_is_refused_with_the_character(self):
        with self.assertRaisesRegex(ValueError, "'→'"):
            pdf.encode_text("Ética → integridad")

    def test_multi_page_structure(self):
        pages = [pdf.Page(), pdf.Page(*pdf.A4_PORTRAIT)]
        for i, p in enumerate(pages):
            p.text(f"página {i + 1}", 100, 12)
        self.assertEqual(checkpdf.text(pdf.build_pdf(pages, {})), "página 1\npágina 2")

    def _good(self) -> bytes:
        page = pdf.Page()
        page.text("CONSTANCIA", 400, 30)
        return pdf.build_pdf([page], {"Title": "t"})

    def test_garbage_truncated_and_huge(self):
        with self.assertRaisesRegex(checkpdf.PdfError, "header"):
            checkpdf.text(b"\x00" * 100)
        good = self._good()
        for cut in (9, len(good) // 2, len(good) - 8):
            with self.assertRaises(checkpdf.PdfError, msg=f"cut at {cut}"):
                checkpdf.text(good[:cut])
        with self.assertRaisesRegex(checkpdf.PdfError, "far larger"):
            checkpdf.streams(b"%PDF-1.4\n" + b" " * checkpdf.MAX_PDF_BYTES)

    def test_wrong_xref_offset(self):
        good = self._good()
        start = good.rindex(b"\nxref\n")
        first = good.index(b"00000 n", start) - 11
        bad = good[:first] + b"%010d" % 3 + good[first + 10:]
        with self.assertRaisesRegex(checkpdf.PdfError, "xref says object 1"):
            checkpdf.streams(bad)

    @staticmethod
    def _with_stream(stream: bytes) -> bytes:
        """A well-formed PDF whose page content is exactly `stream` (Flate-compressed by the writer)."""
        class RawPage(pdf.Page):
            def content(self) -> bytes:
                return stream
        return pdf.build_pdf([RawPage()], {})

    def test_inflate_bomb(self):
        bomb = self._with_stream(b"0" * (checkpdf.MAX_STREAM_BYTES + 100))
        self.assertLess(len(bomb), 50_000)  # small on disk, huge when inflated
        with self.assertRaisesRegex(checkpdf.PdfError, "inflates to more"):
            checkpdf.streams(bomb)

    def test_mis_encoded_string(self):
        with self.assertRaisesRegex(checkpdf.PdfError, "not valid cp1252"):
            checkpdf.text(self._with_stream(b"BT /F1 12 Tf (bad \\201 byte) Tj ET"))


class CurpAndPeople(unittest.TestCase):
    def test_renapo_published_example(self):
        curp = people.make_curp("Hernández", "García", "Gloria", _dt.date(1956, 4, 27), "M", "VZ", "0")
        self.assertEqual(curp, "HEGG560427MVZRRL04")

    def test_rules_for_names(self):
        # José is skipped for a second given name; Ñ is written X.
        curp = people.make_curp("Núñez", "Peña", "José Luis", _dt.date(1980, 1, 2), "H", "DF", "0")
        self.assertEqual(curp[:4], "NUPL")
        self.assertEqual(curp[13:16], "XXS")
        # An inconvenient word gets its second letter replaced.
        self.assertEqual(people.make_curp("Pérez", "Dávila", "Olga", _dt.date(1970, 5, 5), "M", "DF", "1")[:4],
                         "PXDO")

    def test_check_digit_input_errors(self):
        with self.assertRaisesRegex(ValueError, "17 characters"):
            people.curp_check_digit("ABC")
        with self.assertRaisesRegex(ValueError, "position 3"):
            people.curp_check_digit("AB*D560427MVZRRL0")

    def test_roster_is_consistent(self):
        roster = people.make_roster(__import__("random").Random(7))
        curps = [p.curp for p in roster.everyone()]
        self.assertEqual(len(curps), len(set(curps)))
        for curp in curps:
            self.assertRegex(curp, verify.CURP_FORMAT)
            self.assertEqual(people.curp_check_digit(curp[:17]), curp[17])
        self.assertEqual(sum(p.is_alternate for p in roster.committee), 2)


class GlobSemantics(unittest.TestCase):
    def test_semantics(self):
        m = globmatch.matches
        self.assertTrue(m("Constancias/*/Integrantes del Comité/**/*.pdf",
                          "Constancias/2021/Integrantes del Comité/a.pdf"))  # **/ spans zero folders
        self.assertTrue(m("Constancias/*/Integrantes del Comité/**/*.pdf",
                          "constancias/2021/INTEGRANTES DEL COMITÉ/Suplentes/x/b.PDF"))
        self.assertFalse(m("Difusión/*/Código de Ética/*.png", "Difusión/2021/Código de Ética/sub/a.png"))
        self.assertFalse(m("*.pdf", "a/b.pdf"))
        self.assertTrue(m("**/*.pdf", "b.pdf"))
        self.assertTrue(m("**/Thumbs.db", "x/y/THUMBS.DB"))
        self.assertFalse(m("**.pdf", "a/b.pdf"))  # '**' inside a segment is just '*'
        self.assertTrue(m("Varios/**", "Varios/x/y"))
        self.assertTrue(m("/Varios/", "Varios/x/y"))
        self.assertTrue(m("Difusión/*/a?[0-9].png", unicodedata.normalize("NFD", "Difusión/2021/ab7.png")))
        self.assertFalse(m("a[!x]b", "axb"))
        self.assertTrue(m("a[!x]b", "ayb"))
        self.assertTrue(m("[^x]", "y"))
        self.assertTrue(m("[]]", "]"))
        self.assertTrue(m("a\\*b", "a*b"))
        self.assertFalse(m("a\\*b", "axb"))
        with self.assertRaisesRegex(ValueError, "no closing"):
            globmatch.to_regex("a[b")


class Windows(unittest.TestCase):
    def test_generator_windows_are_the_seed_windows(self):
        seed = _seed_file()
        if seed is None:
            self.skipTest("PAT-2021-CEPCI-INM.txt not found (set SSECCOE_SEED_DIR)")
        from_seed = verify.seed_windows(seed)
        for activity, window in dates.WINDOWS.items():
            self.assertEqual(from_seed[activity], window, activity)

    def test_mtimes_are_the_same_day_in_utc_and_mexico_city(self):
        from zoneinfo import ZoneInfo
        rng = __import__("random").Random(1)
        for day in (_dt.date(2021, 1, 19), _dt.date(2021, 6, 30), _dt.date(2021, 12, 2)):
            for _ in range(20):
                when = dates.mtime_for(rng, day)
                self.assertEqual(when.date(), day)
                self.assertEqual(when.astimezone(ZoneInfo("America/Mexico_City")).date(), day)


if __name__ == "__main__":
    unittest.main()

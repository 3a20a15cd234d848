"""Tests of the mailbox and HR parts of the demo data set, their writers and readers.

Run: python3 -m unittest discover -s demo/tests   (Python 3.11+, stdlib only)
"""
from __future__ import annotations

import base64
import datetime as _dt
import email
import email.policy
import io
import json
import os
import shutil
import sys
import tempfile
import unittest
import urllib.parse
import zipfile
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(DEMO))

import generate  # noqa: E402
import verify  # noqa: E402
from demogen import checkmail, checktable, dates, mime, people, xlsx  # noqa: E402

CONFIG = DEMO / "agent.toml.in"


class _Generated(unittest.TestCase):
    """One generated data set per test class, copied per test when a test damages it."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="sseccoe-demo-mail-hr-"))
        generate.generate(cls.tmp / "pristine")
        cls.doc = verify.load_expected(cls.tmp / "pristine")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def entries(self, **where):
        return [f for f in self.doc["files"] if all(f.get(k) == v for k, v in where.items())]

    def first(self, **where):
        return self.entries(**where)[0]


class MailboxContents(_Generated):
    def test_maildir_layout_and_keys(self):
        root = self.tmp / "pristine" / "mail"
        for sub in ("cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Drafts/cur", ".Trash/tmp"):
            self.assertTrue((root / sub).is_dir(), sub)
        for f in self.entries(source="buzon"):
            if f["outcome"] == "excluded":
                self.assertNotIn("/cur/", f["path"])
                continue
            raw = (self.tmp / "pristine" / f["path"]).read_bytes()
            self.assertIn(f",S={len(raw)}", f["path"])  # Dovecot's size in the unique name
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            message_id = str(msg["Message-ID"]).strip("<>")
            local, _, domain = message_id.rpartition("@")
            self.assertEqual(f["key"], f"msgid:{local}@{domain.lower()}")

    def test_certificate_mails_use_rfc2231_continuations_for_accented_names(self):
        certs = self.entries(source="buzon", kind="course_certificate")
        self.assertEqual(len(certs), 3)
        for f in certs:
            raw = (self.tmp / "pristine" / f["path"]).read_bytes()
            self.assertIn(b"filename*0*=UTF-8''", raw)
            self.assertIn(b"filename*1*=", raw)
            name = f["metadata"]["attachment"]
            self.assertNotEqual(name, name.encode("ascii", "ignore").decode())  # accented
            self.assertTrue(name.endswith(".pdf"))
            self.assertRegex(f["key"], r"@sicavisp\.funcionpublica\.gob\.mx$")  # domain lower-cased
            roles = {p["committee_role"] for p in self.doc["people"] if p["curp"] == f["people"][0]["curp"]}
            self.assertTrue(roles and "" not in roles, "a certificate mail is for a committee member")

    def test_consultation_is_one_record_from_a_request_and_its_answer(self):
        pair = self.entries(source="buzon", kind="consultation")
        self.assertEqual(sorted(f["metadata"]["folder"] for f in pair), ["INBOX", "Sent"])
        request = next(f for f in pair if f["metadata"]["folder"] == "INBOX")
        answer = next(f for f in pair if f["metadata"]["folder"] == "Sent")
        self.assertEqual(answer["metadata"]["in_reply_to"], request["metadata"]["message_id"])
        self.assertEqual(answer["metadata"]["thread"], request["metadata"]["message_id"])
        self.assertEqual(request["record_key"], answer["record_key"])
        self.assertEqual(request["record_key"], f"group:thread:{request['metadata']['message_id']}")
        self.assertEqual(set(request["record_attributes"]), {"requested_at"})
        self.assertEqual(set(answer["record_attributes"]), {"answered_at"})
        asked = _dt.date.fromisoformat(request["occurred_on"])
        answered = _dt.date.fromisoformat(answer["occurred_on"])
        self.assertLessEqual(sum(1 for i in range(1, (answered - asked).days + 1)
                                 if (asked + _dt.timedelta(days=i)).weekday() < 5), 10)
        self.assertEqual(self.doc["summary"]["classified"]["1.2.1"], 1)

    def test_dispatch_cites_message_acuse_and_attachment_inside_its_window(self):
        f = self.first(source="buzon", kind="email_dispatch")
        self.assertEqual(f["metadata"]["folder"], "Sent")
        self.assertEqual([c["role"] for c in f["cites"]], ["message", "acuse", "attachment"])
        self.assertEqual(f["cites"][0]["name"], "mensaje.eml")
        self.assertEqual(f["cites"][1]["name"], "acuse.pdf")
        self.assertNotIn("sha256", f["cites"][1])  # the agent renders it
        start, end = dates.WINDOWS["5.2.1"]
        self.assertTrue(start < _dt.date.fromisoformat(f["occurred_on"]) < end)
        self.assertEqual(set(f["record_attributes"]), {"from", "to", "subject", "date", "message_id"})

    def test_newsletter_is_unread_and_unclassified(self):
        f = self.first(source="buzon", outcome="unclassified")
        self.assertIn("/new/", f["path"])
        self.assertNotIn(":2,", f["path"])
        self.assertEqual(f["metadata"]["list_id"], "boletin.inm.gob.mx")


class HrExports(_Generated):
    def test_census_is_windows_1252_with_semicolons_and_counts_everyone(self):
        f = self.first(source="censo")
        data = (self.tmp / "pristine" / f["path"]).read_bytes()
        with self.assertRaises(UnicodeDecodeError):
            data.decode("utf-8")
        self.assertIn(b"\r\n", data)
        encoding, delimiter, records = checktable.read_csv(data)
        self.assertEqual((encoding, delimiter), ("cp1252", ";"))
        self.assertEqual(len(records) - 1, f["record_attributes"]["count"])
        self.assertEqual(f["record_attributes"]["count"], len(self.doc["people"]))
        self.assertEqual((f["kind"], f["activity"], f["key"]), ("headcount", "1.1.2", "census:plantilla.csv"))
        self.assertTrue(any(";" in field for _n, row in records for field in row))  # a quoted delimiter

    def test_training_workbook_is_valid_and_its_dates_are_serials(self):
        f = self.first(source="capacitacion")
        data = (self.tmp / "pristine" / f["path"]).read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.assertIsNone(zf.testzip())
            sheet = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
            self.assertIn("xl/sharedStrings.xml", zf.namelist())
        self.assertIn('t="inlineStr"', sheet)
        self.assertIn('<mergeCell ref="A1:G1"/>', sheet)
        row = f["rows"][0]
        serial = xlsx.serial(_dt.date.fromisoformat(row["occurred_on"]))
        self.assertIn(f'<c r="F{row["line"]}" s="1"><v>{serial}</v></c>', sheet)
        read = checktable.read_xlsx(data, "Capacitación 2021")
        self.assertEqual(read[3][0], "No. de empleado")
        self.assertEqual(read[row["line"]][5], row["occurred_on"])

    def test_training_list_names_the_people_and_courses_of_the_certificates(self):
        rows = self.first(source="capacitacion")["rows"]
        listed = {(r["people"][0]["curp"], r["metadata"]["course"], r["occurred_on"]) for r in rows}
        for f in self.doc["files"]:
            attrs = f.get("attributes", {})
            if f.get("kind") == "course_certificate" and "completed_on" in attrs:
                self.assertIn((f["people"][0]["curp"], attrs["course"], attrs["completed_on"]), listed, f["path"])
        self.assertEqual(len({r["key"] for r in rows}), len(rows))
        self.assertTrue(all(r["key"].startswith("row:INM-") and "|" in r["key"] for r in rows))

    def test_indicator_1_1_meets_its_goal_from_hr_people_over_the_census(self):
        trained = {p["curp"] for f in self.doc["files"] for r in f.get("rows", [])
                   if r.get("activity") in ("1.1.1", "1.1.2") for p in r["people"]}
        census = self.first(source="censo")["record_attributes"]["count"]
        self.assertEqual((len(trained), census), (22, 60))
        self.assertGreaterEqual(len(trained) / census, 0.35)

    def test_pledges_are_utf8_with_bom_inside_4_1_2(self):
        f = self.first(source="cartas")
        data = (self.tmp / "pristine" / f["path"]).read_bytes()
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        self.assertEqual(checktable.read_csv(data)[:2], ("utf-8-sig", ","))
        start, end = dates.WINDOWS["4.1.2"]
        for r in f["rows"]:
            self.assertTrue(start < _dt.date.fromisoformat(r["occurred_on"]) < end)
            self.assertEqual((r["kind"], r["activity"]), ("conduct_pledge", "4.1.2"))

    def test_everyone_named_has_a_valid_curp_and_the_roster_keeps_its_first_people(self):
        self.assertEqual(verify.check_people(self.doc), [])
        roster = people.make_roster(__import__("random").Random(generate.DEFAULT_SEED))
        self.assertEqual([p["curp"] for p in self.doc["people"][:len(roster.everyone())]],
                         [p.curp for p in roster.everyone()])


class VerifierCatchesMailAndHrFaults(_Generated):
    def setUp(self):
        self.target = self.tmp / self.id().rsplit(".", 1)[-1]
        shutil.copytree(self.tmp / "pristine", self.target, copy_function=shutil.copy2)

    def tearDown(self):
        shutil.rmtree(self.target)

    def _rewrite(self, entry, data: bytes):
        path = self.target / entry["path"]
        stat = path.stat()
        path.write_bytes(data)
        os.utime(path, (stat.st_atime, stat.st_mtime))

    def _raw(self, entry) -> bytes:
        return (self.target / entry["path"]).read_bytes()

    def assertProblem(self, needle: str, problems: list[str]):
        self.assertTrue(any(needle in p for p in problems), f"no problem mentions {needle!r}: {problems}")

    def test_attachment_renamed(self):
        f = self.first(source="buzon", kind="course_certificate")
        self._rewrite(f, self._raw(f).replace(b"filename*0*=UTF-8''Constancia", b"filename*0*=UTF-8''Constanza", 1))
        self.assertProblem("attachment reads", verify.verify(self.target, use_pdftotext=False))

    def test_truncated_mail(self):
        f = self.first(source="buzon", kind="email_dispatch")
        raw = self._raw(f)
        self._rewrite(f, raw[: len(raw) * 2 // 3])
        self.assertProblem("CloseBoundaryNotFoundDefect", verify.verify(self.target, use_pdftotext=False))

    def test_mail_with_raw_8bit_header(self):
        f = self.first(source="buzon", outcome="unclassified")
        raw = self._raw(f)
        self._rewrite(f, raw.replace(b"Subject: ", "Subject: Boletín ".encode("latin-1"), 1))
        self.assertProblem("8-bit byte 0xed", verify.verify(self.target, use_pdftotext=False))

    def test_mail_whose_message_id_changed(self):
        f = self.first(source="buzon", kind="consultation")
        raw = self._raw(f)
        self._rewrite(f, raw.replace(b"Message-ID: <", b"Message-ID: <x", 1))
        self.assertProblem("its Message-ID gives", verify.verify(self.target, use_pdftotext=False))

    def test_attachment_that_is_not_the_certificate(self):
        f = self.first(source="buzon", kind="course_certificate")
        raw = self._raw(f)
        start = raw.index(b"base64\n\n") + len(b"base64\n\n")
        end = raw.index(b"\n--", start)
        forged = base64.encodebytes(b"%PDF-1.4\nnot a certificate\n%%EOF\n")
        self._rewrite(f, raw[:start] + forged + raw[end + 1:])
        problems = verify.verify(self.target, use_pdftotext=False)
        self.assertProblem("is not as EXPECTED.json cites it", problems)

    def test_census_row_lost(self):
        f = self.first(source="censo")
        raw = self._raw(f)
        self._rewrite(f, raw[: raw.rindex(b"\r\n", 0, len(raw) - 2) + 2])
        self.assertProblem("59 data rows, the headcount record says 60", verify.verify(self.target))

    def test_census_mis_encoded(self):
        f = self.first(source="censo")
        self._rewrite(f, self._raw(f) + b"INM-9\x81;x\r\n")  # 0x81 is no character in Windows-1252
        self.assertProblem("neither UTF-8 nor Windows-1252", verify.verify(self.target))

    def test_pledge_row_added_and_truncated_file(self):
        f = self.first(source="cartas")
        self._rewrite(f, self._raw(f) + "INM-999999,Nadie Nadie,XXXX,Oficinas Centrales,01/06/2021\r\n".encode())
        self.assertProblem("are in the export but not listed", verify.verify(self.target))
        self._rewrite(f, self._raw(f)[:-2])
        self.assertProblem("looks truncated", verify.verify(self.target))

    def test_truncated_workbook(self):
        f = self.first(source="capacitacion")
        raw = self._raw(f)
        self._rewrite(f, raw[: len(raw) // 2])
        self.assertProblem("capacitacion.xlsx: not a zip file", verify.verify(self.target))

    def test_rules_that_lose_the_grouping_or_the_dispatch(self):
        config = self.target / "agent.toml.in"
        text = CONFIG.read_text(encoding="utf-8")
        text = text.replace('group_by = "thread"\ntitle = "Consulta al Comité de Ética"\nattributes = { answered_at',
                            'title = "Consulta al Comité de Ética"\nattributes = { answered_at', 1)
        text = text.replace("to = 'ueppci@funcionpublica\\.gob\\.mx'", "to = 'ueppci@sfp\\.gob\\.mx'", 1)
        config.write_text(text, encoding="utf-8")
        problems = verify.verify(self.target, config)
        self.assertProblem("makes the record key", problems)
        self.assertProblem("should be 5.2.1 but no rule matches", problems)

    def test_rule_on_the_census_and_a_wrong_role(self):
        config = self.target / "agent.toml.in"
        text = CONFIG.read_text(encoding="utf-8").replace('role = "census"\n', "", 1)
        text += '\n[[rule]]\nsource = "censo"\nkind = "course_certificate"\nactivity = "1.1.2"\n'
        config.write_text(text, encoding="utf-8")
        problems = verify.verify(self.target, config)
        self.assertProblem("has role 'evidence'", problems)
        self.assertProblem("names the census source", problems)

    def test_row_template_changed(self):
        config = self.target / "agent.toml.in"
        config.write_text(CONFIG.read_text(encoding="utf-8").replace('hours = "{hours}"', 'hours = "{horas}"'),
                          encoding="utf-8")
        self.assertProblem("gives attributes", verify.verify(self.target, config))


class MimeWriter(unittest.TestCase):
    def test_encoded_words_split_on_characters_and_decode(self):
        text = "Unidad de Ética Pública y Prevención de Conflictos de Intereses — ñandú " * 3
        encoded = mime.encoded_words(text)
        for word in encoded.split("\n "):
            self.assertLessEqual(len(word), 75)
            base64.b64decode(word[len("=?UTF-8?B?"):-2]).decode("utf-8")  # whole characters in each word
        msg = email.message_from_string(f"Subject: {encoded}\n\n", policy=email.policy.default)
        self.assertEqual(str(msg["Subject"]), text)
        self.assertEqual(mime.encoded_words("plain ASCII"), "plain ASCII")

    def test_rfc2231_names_round_trip_short_and_long(self):
        for name in ("Ficha de buena práctica.pdf", "Constancia - Introducción a la Ley Federal de Austeridad "
                     "Republicana, versión ñ 100%.pdf"):
            header = f"Content-Disposition: attachment;\n {mime.filename_params('filename', name)}\n"
            part = email.message_from_string(header + "\n", policy=email.policy.default)
            self.assertEqual(part.get_filename(), name)
            for piece in header.split("*=")[1:]:
                value = piece.split(";")[0].strip().removeprefix("UTF-8''")
                self.assertNotRegex(value, r"%.?$")  # no escape cut in two
                urllib.parse.unquote_to_bytes(value).decode("utf-8")  # no character cut in two

    def test_date_header_follows_mexico_city_dst_in_2021(self):
        utc = _dt.timezone.utc
        self.assertEqual(mime.date_header(_dt.datetime(2021, 2, 16, 20, 8, 58, tzinfo=utc)),
                         "Tue, 16 Feb 2021 14:08:58 -0600")
        self.assertEqual(mime.date_header(_dt.datetime(2021, 8, 11, 19, 25, 16, tzinfo=utc)),
                         "Wed, 11 Aug 2021 14:25:16 -0500")
        self.assertTrue(mime.date_header(_dt.datetime(2021, 4, 4, 8, 0, tzinfo=utc)).endswith("03:00:00 -0500"))
        self.assertTrue(mime.date_header(_dt.datetime(2021, 4, 4, 7, 59, tzinfo=utc)).endswith("01:59:00 -0600"))
        with self.assertRaisesRegex(ValueError, "2021 only"):
            mime.date_header(_dt.datetime(2022, 1, 1, tzinfo=utc))

    def test_message_refuses_non_ascii_extra_headers(self):
        msg = mime.Message("a@b.c", _dt.datetime(2021, 5, 5, 18, tzinfo=_dt.timezone.utc), ("A", "a@b.c"),
                           [("B", "b@b.c")], "s", "t", extra_headers=[("X-Ñ", "ñ")])
        with self.assertRaisesRegex(ValueError, "not ASCII"):
            msg.to_bytes()


class MailReader(unittest.TestCase):
    def _message(self) -> bytes:
        return mime.Message("x.1@Example.ORG", _dt.datetime(2021, 5, 5, 18, tzinfo=_dt.timezone.utc),
                            ("José Núñez", "jose@example.org"), [("Comité", "c@example.org")], "Asunto ñ", "Hola",
                            attachments=[mime.Attachment("Constancia Ética.pdf", "application/pdf", b"%PDF-1.4\n")]
                            ).to_bytes()

    def test_reads_what_the_writer_wrote(self):
        m = checkmail.read(self._message())
        self.assertEqual((m.message_id, m.from_, m.subject, m.date), ("x.1@example.org", "José Núñez <jose@example.org>",
                                                                     "Asunto ñ", "2021-05-05T18:00:00Z"))
        self.assertEqual(m.local_day, _dt.date(2021, 5, 5))
        self.assertEqual([(a.name, a.data) for a in m.attachments], [("Constancia Ética.pdf", b"%PDF-1.4\n")])

    def test_empty_huge_garbage_and_truncated(self):
        with self.assertRaisesRegex(checkmail.MailError, "empty"):
            checkmail.read(b"")
        with self.assertRaisesRegex(checkmail.MailError, "far larger"):
            checkmail.read(b"X: y\n\n" + b"a" * checkmail.MAX_MESSAGE_BYTES)
        with self.assertRaises(checkmail.MailError):
            checkmail.read(b"\x00\x01\x02" * 50)
        data = self._message()
        with self.assertRaisesRegex(checkmail.MailError, "defects"):
            checkmail.read(data[: len(data) - 40])

    def test_normalize_id(self):
        self.assertEqual(checkmail.normalize_id("  <Abc.D@MAIL.Example.COM> (x)"), "Abc.D@mail.example.com")
        self.assertEqual(checkmail.normalize_id("no-brackets@HOST"), "no-brackets@host")


class TableReaders(unittest.TestCase):
    def test_csv_encodings_and_refusals(self):
        self.assertEqual(checktable.read_csv("a;b\r\n1;\"x;y\"\r\n".encode("cp1252"))[2][1], (2, ["1", "x;y"]))
        self.assertEqual(checktable.read_csv("á,b\n".encode("utf-8"))[0], "utf-8")
        self.assertEqual(checktable.read_csv("á,b\n".encode("cp1252"))[0], "cp1252")
        with self.assertRaisesRegex(checktable.TableError, "UTF-16"):
            checktable.read_csv("a;b\n".encode("utf-16"))
        with self.assertRaisesRegex(checktable.TableError, "byte-order mark"):
            checktable.read_csv(b"\xef\xbb\xbfa;\xff\n")
        with self.assertRaisesRegex(checktable.TableError, "far larger"):
            checktable.read_csv(b"a;b\n" * (checktable.MAX_TABLE_BYTES // 4 + 1))
        with self.assertRaisesRegex(checktable.TableError, "no header"):
            checktable.read_csv(b"\r\n")
        with self.assertRaisesRegex(checktable.TableError, "line 2"):
            checktable.read_csv(b'a;b\n1;"unterminated\n')

    def _workbook(self) -> bytes:
        sheet = xlsx.Sheet("Hoja ñ", "Título", ["Nombre", "Fecha", "Horas"], inline_columns={0})
        sheet.rows = [["Ana", _dt.date(2021, 5, 14), 20], ["Beto", _dt.date(2021, 6, 1), 5]]
        return xlsx.workbook(sheet, "RH", _dt.datetime(2021, 6, 2, 18, tzinfo=_dt.timezone.utc))

    def test_xlsx_round_trip(self):
        rows = checktable.read_xlsx(self._workbook(), "Hoja ñ")
        self.assertEqual(rows[1], ["Título"])
        self.assertEqual(rows[4], ["Ana", "2021-05-14", "20"])
        self.assertEqual(rows[5], ["Beto", "2021-06-01", "5"])
        self.assertEqual(xlsx.serial(_dt.date(2021, 5, 14)), 44330)
        self.assertEqual([xlsx.column_name(i) for i in (0, 25, 26, 701)], ["A", "Z", "AA", "ZZ"])

    def test_xlsx_refusals(self):
        good = self._workbook()
        with self.assertRaisesRegex(checktable.TableError, "no sheet named"):
            checktable.read_xlsx(good, "Hoja 2")
        with self.assertRaisesRegex(checktable.TableError, "not a zip"):
            checktable.read_xlsx(good[: len(good) // 2], "Hoja ñ")
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(buf, "w") as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == "xl/worksheets/sheet1.xml":
                    data = data[: len(data) // 2]  # malformed XML
                dst.writestr(info, data)
        with self.assertRaisesRegex(checktable.TableError, "not well-formed XML"):
            checktable.read_xlsx(buf.getvalue(), "Hoja ñ")

    def test_xlsx_zip_bomb_is_refused_before_inflating(self):
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(self._workbook())) as src, zipfile.ZipFile(buf, "w") as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == "xl/sharedStrings.xml":
                    data += b" " * (checktable.MAX_PART_BYTES + 1)
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        self.assertLess(len(buf.getvalue()), 100_000)
        with self.assertRaisesRegex(checktable.TableError, "refused"):
            checktable.read_xlsx(buf.getvalue(), "Hoja ñ")

    def test_xlsx_with_two_entries_of_one_name(self):
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(self._workbook())) as src, zipfile.ZipFile(buf, "w") as dst:
            for info in src.infolist():
                dst.writestr(info, src.read(info))
            with self.assertWarns(UserWarning):
                dst.writestr("xl/workbook.xml", b"<x/>")
        with self.assertRaisesRegex(checktable.TableError, "two entries"):
            checktable.read_xlsx(buf.getvalue(), "Hoja ñ")


class ExpectedJsonShape(_Generated):
    def test_new_entries_keep_the_format_and_the_share_entries_are_untouched(self):
        self.assertEqual(self.doc["format"], 1)
        share = self.entries(source="comite")
        self.assertEqual(len(share), 40)
        for f in share:
            self.assertFalse({"metadata", "record_key", "record_attributes", "cites", "rows"} & set(f), f["path"])
        self.assertEqual(json.loads(json.dumps(self.doc["sources"]["censo"])),
                         {"plugin": "csv", "root": "rh", "path": "plantilla.csv", "role": "census"})
        self.assertEqual(self.doc["summary"]["files"], len(self.doc["files"]))


if __name__ == "__main__":
    unittest.main()

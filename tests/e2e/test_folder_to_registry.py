"""End to end: a shared folder harvested by the real agent into the real
reference registry over loopback, exactly once."""
import os
import unittest

from agent_harness import MAY_2021, Agent
from harness import Registry

RULES = [
    ("Constancias/**/*.pdf", "course_certificate", "1.1.1", "Constancia: {stem}"),
    ("Difusión/**/*.png", "diffusion_material", "2.1.1"),
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


class FolderToRegistry(unittest.TestCase):
    def setUp(self):
        self.registry = Registry()
        self.registry.__enter__()
        self.agent = Agent()
        self.agent.write_config(self.registry.url, self.registry.token_file("INM"), RULES)

    def tearDown(self):
        self.agent.close()
        self.registry.__exit__(None, None, None)

    def remote(self, record_id):
        status, body = self.registry.get(f"/evidence/{record_id}", institution="INM")
        self.assertEqual(status, 200, body)
        return body

    def test_exactly_once_then_revision_then_unclassified(self):
        a = self.agent
        a.put_file("Constancias/2021/José Núñez - Conflictos de interés.pdf", PDF + b"jose", MAY_2021)
        a.put_file("Constancias/2021/María Peña - Ética pública.pdf", PDF + b"maria", MAY_2021)
        a.put_file("Difusión/Código de Ética/cartel.png", PNG, MAY_2021)
        a.put_file("Varios/minuta.txt", "minuta de la sesión", MAY_2021)

        first = a.run("run", "--once", "--json")
        self.assertEqual(first.code, 0, first)
        self.assertEqual(first.json()["registered"], 3, first)
        synced = a.records("synced")
        self.assertEqual(len(synced), 3)
        folios = {r["id"]: r["folio"] for r in synced}
        for rid, folio in folios.items():
            self.assertRegex(folio, r"^SSECCOE-INM-2021-\d{6}$")
            remote = self.remote(rid)
            self.assertEqual(remote["folio"], folio)
            self.assertEqual(remote["revision"], 1)
        titles = {self.remote(r)["title"] for r in folios}
        self.assertIn("Constancia: José Núñez - Conflictos de interés", titles)

        # The unmatched file stays local, listed, never sent.
        review = a.run("unclassified", "list", "--json", check=True).json()["records"]
        unclassified = [r for r in review if r["status"] == "unclassified"]
        self.assertEqual([r["key"] for r in unclassified], ["Varios/minuta.txt"])
        self.assertEqual(unclassified[0]["review"], "no rule matched")
        status, _ = self.registry.get(f"/evidence/{unclassified[0]['id']}", institution="INM")
        self.assertEqual(status, 404)
        explain = a.run("explain", unclassified[0]["id"], check=True)
        self.assertIn("no rule matched", explain.out)

        # A second run registers nothing and makes no revision.
        second = a.run("run", "--once", "--json")
        self.assertEqual(second.code, 0, second)
        self.assertEqual(second.json()["registered"], 0, second)
        for rid in folios:
            self.assertEqual(self.remote(rid)["revision"], 1)
        # Touching a file (same bytes, new mtime) is not a revision either.
        os.utime(os.path.join(a.share, "Difusión/Código de Ética/cartel.png"), (MAY_2021 + 60, MAY_2021 + 60))
        self.assertEqual(a.run("run", "--once", "--json").json()["registered"], 0)

        # A changed certificate becomes revision 2 of the same record, same folio.
        a.put_file("Constancias/2021/María Peña - Ética pública.pdf", PDF + b"maria corrected", MAY_2021 + 3600)
        third = a.run("run", "--once", "--json")
        self.assertEqual(third.code, 0, third)
        self.assertEqual(third.json()["registered"], 1, third)
        maria = [r for r in a.records() if "María" in r["key"]][0]
        remote = self.remote(maria["id"])
        self.assertEqual(remote["revision"], 2)
        self.assertEqual(remote["folio"], folios[maria["id"]])
        self.assertEqual(maria["registry_revision"], 2)

        # The registry holds exactly the three records.
        status, page = self.registry.get("/evidence?program=PAT-2021", institution="INM")
        self.assertEqual(status, 200)
        self.assertEqual(sorted(i["id"] for i in page["items"]), sorted(folios))

    def test_manual_classification_is_sent_and_audited(self):
        a = self.agent
        a.put_file("Varios/cartel suelto.png", PNG, MAY_2021)
        a.run("run", "--once", check=True)
        [rec] = [r for r in a.run("unclassified", "list", "--json", check=True).json()["records"]
                 if r["status"] == "unclassified"]
        out = a.run("classify", rec["id"], "--activity", "2.1.2", "--kind", "diffusion_material", check=True)
        self.assertIn("pending", out.out)
        bad = a.run("classify", rec["id"], "--activity", "9.9.9", "--kind", "diffusion_material")
        self.assertEqual(bad.code, 1)
        self.assertIn("9.9.9", bad.err)
        a.run("run", "--once", check=True)
        remote = self.remote(rec["id"])
        self.assertEqual((remote["activity"], remote["kind"]), ("2.1.2", "diffusion_material"))

    def test_out_of_window_is_held_not_sent(self):
        a = self.agent
        a.put_file("Constancias/2020/viejo.pdf", PDF, 1577880000)  # 2020-01-01
        a.run("run", "--once", check=True)
        [held] = a.records("held")
        self.assertIn("outside activity 1.1.1's window 2021-02-01..2021-12-03", held["reason"])
        status, _ = self.registry.get(f"/evidence/{held['id']}", institution="INM")
        self.assertEqual(status, 404)


if __name__ == "__main__":
    unittest.main()

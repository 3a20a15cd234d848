"""Bad input and bad weather, end to end: each gets a clear message, a
quarantine entry where the item itself is at fault, and an agent that goes on
with everything already harvested intact."""
import json
import os
import shutil
import tempfile
import unittest

from agent_harness import MAY_2021, SOURCE_DIR, Agent, BUILD_DIR
from harness import Registry, free_port

PDF = b"%PDF-1.4\n%%EOF\n"
RULES = [("**/*.pdf", "course_certificate", "1.1.1"), ("**/*.bin", "diffusion_material", "2.1.1")]


def catalog_path():
    return os.path.join(BUILD_DIR, "share", "sseccoe-agent", "catalog", "PAT-2021.json")


class WithRegistry(unittest.TestCase):
    limits = None

    def setUp(self):
        self.registry = Registry(limits=self.limits)
        self.registry.__enter__()
        self.agent = Agent()
        self.agent.write_config(self.registry.url, self.registry.token_file("INM"), RULES)

    def tearDown(self):
        self.agent.close()
        self.registry.__exit__(None, None, None)

    def quarantine(self):
        return self.agent.run("quarantine", "list", "--json", check=True).json()["quarantine"]


class Links(WithRegistry):
    def test_link_loop_and_link_out_of_root(self):
        a = self.agent
        a.put_file("Constancias/ok.pdf", PDF, MAY_2021)
        os.symlink("..", os.path.join(a.share, "Constancias", "loop"))
        outside = tempfile.mkdtemp(prefix="sseccoe-outside-")
        self.addCleanup(shutil.rmtree, outside)
        with open(os.path.join(outside, "secreto.pdf"), "wb") as f:
            f.write(PDF + b"outside")
        os.symlink(outside, os.path.join(a.share, "fuera"))
        os.symlink(os.path.join(outside, "secreto.pdf"), os.path.join(a.share, "Constancias", "atajo.pdf"))

        r = a.run("run", "--once", "--json")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.json()["registered"], 1, r)
        keys = [x["key"] for x in a.records()]
        self.assertEqual(keys, ["Constancias/ok.pdf"])
        q = self.quarantine()
        self.assertTrue(any(e["key"] in ("fuera", "Constancias/atajo.pdf") and e["stage"] == "harvest" for e in q), q)
        for e in q:
            self.assertNotIn("outside", e["key"])
        # The loop did not multiply the file.
        self.assertEqual(len(a.records()), 1)


class Names(WithRegistry):
    def test_latin1_name_is_kept_escaped_and_registered(self):
        a = self.agent
        raw = os.path.join(a.share.encode(), b"Constancias", b"Jos\xe9 N\xfa\xf1ez.pdf")
        os.makedirs(os.path.dirname(raw), exist_ok=True)
        with open(raw, "wb") as f:
            f.write(PDF + b"latin1")
        os.utime(raw, (MAY_2021, MAY_2021))
        r = a.run("run", "--once", "--json")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.json()["registered"], 1, r)
        [rec] = a.records("synced")
        self.assertIn("%E9", rec["key"].upper())
        # Stable: a second run sees the same key and registers nothing.
        self.assertEqual(a.run("run", "--once", "--json").json()["registered"], 0)

    def test_personal_data_is_not_logged(self):
        a = self.agent
        a.put_file("Constancias/José Núñez Peña BOXW310820HNERXN09.pdf", PDF, MAY_2021)
        r = a.run("--log-level", "debug", "run", "--once")
        self.assertEqual(r.code, 0, r)
        for secret in ("BOXW310820HNERXN09", "Núñez", "Peña", self.registry.token("INM")):
            self.assertNotIn(secret, r.err)
            self.assertNotIn(secret, r.out)


class HugeFile(WithRegistry):
    def test_4gib_sparse_file_memory_flat_and_refused_413(self):
        a = self.agent
        a.put_file("Constancias/pequeño.pdf", PDF, MAY_2021)
        big = os.path.join(a.share, "Difusión", "video.bin")
        os.makedirs(os.path.dirname(big))
        with open(big, "wb") as f:
            f.truncate(4 << 30)
        os.utime(big, (MAY_2021, MAY_2021))
        r = a.run("run", "--once", "--json", timeout=900)
        self.assertEqual(r.code, 0, r)
        out = r.json()
        # The bound the issue sets: under 64 MiB while hashing and storing 4 GiB.
        self.assertLess(out["peak_rss_bytes"], 64 << 20, out)
        self.assertEqual(out["registered"], 1, out)
        [q] = self.quarantine()
        self.assertEqual(q["stage"], "sync")
        self.assertIn("413", q["reason"])
        [rec] = a.records("quarantined")
        self.assertEqual(rec["key"], "Difusión/video.bin")


class Refused422(WithRegistry):
    def test_registry_422_quarantines_the_record_alone(self):
        # The agent's catalog has an activity the registry does not know.
        with open(catalog_path(), encoding="utf-8") as f:
            cat = json.load(f)
        extra = dict(cat["activities"][3])  # a 2.1.x activity
        extra["key"] = "2.1.9"
        cat["activities"].append(extra)
        for ind in cat["indicators"]:
            if ind["key"] == "2.1":
                ind["activities"].append("2.1.9")
        path = os.path.join(self.agent.root, "catalog.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(cat, f, ensure_ascii=False)
        rules = [("**/nuevo*.bin", "diffusion_material", "2.1.9")] + RULES
        self.agent.write_config(self.registry.url, self.registry.token_file("INM"), rules, catalog_file=path)
        self.agent.put_file("Difusión/nuevo.bin", b"cartel nuevo", MAY_2021)
        self.agent.put_file("Difusión/viejo.bin", b"cartel viejo", MAY_2021)

        r = self.agent.run("run", "--once", "--json")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.json()["registered"], 1)
        self.assertEqual(r.json()["refused"], 1)
        [q] = self.quarantine()
        self.assertEqual((q["code"], q["field"], q["stage"]), ("unknown_activity", "activity", "sync"))
        # retry -> refused again; discard -> gone, audited.
        self.agent.run("quarantine", "retry", str(q["id"]), check=True)
        r = self.agent.run("run", "--once", "--json")
        self.assertEqual(r.json()["refused"], 1, r)
        [q] = self.quarantine()
        d = self.agent.run("quarantine", "discard", str(q["id"]))
        self.assertEqual(d.code, 2, d)  # --reason is required
        self.agent.run("quarantine", "discard", str(q["id"]), "--reason", "actividad fuera del PAT", check=True)
        self.assertEqual(self.quarantine(), [])


class Unreachable(unittest.TestCase):
    def test_unreachable_registry_keeps_everything_then_syncs(self):
        registry = Registry()
        registry.write_config()
        port = free_port()
        registry.server = {"listen": f"127.0.0.1:{port}"}
        registry.write_config()
        with Agent() as a:
            a.write_config(f"http://127.0.0.1:{port}/api/v1", registry.token_file("INM"), RULES)
            a.put_file("Constancias/a.pdf", PDF + b"a", MAY_2021)
            a.put_file("Constancias/b.pdf", PDF + b"b", MAY_2021)
            r = a.run("run", "--once", "--max-wait", "0s")
            self.assertEqual(r.code, 1, r)
            self.assertIn("could not be sent yet", r.out)
            status = a.run("status", "--json", check=True).json()
            self.assertEqual(status["backlog"]["outbox"], 2)
            self.assertIn("127.0.0.1", status["registry"]["last_error"])
            with registry:
                # Retries are scheduled with backoff (retry_initial 1s in the test config).
                r = a.run("run", "--once", "--max-wait", "10s", "--json")
                self.assertEqual(r.code, 0, r)
                self.assertEqual(r.json()["registered"], 2)
                self.assertEqual(len(a.records("synced")), 2)

    def test_wrong_token_blocks_with_a_clear_message(self):
        with Registry() as registry, Agent() as a:
            bad = os.path.join(a.root, "bad.token")
            with open(bad, "w") as f:
                f.write("not-the-token\n")
            os.chmod(bad, 0o600)
            a.write_config(registry.url, bad, RULES)
            a.put_file("Constancias/a.pdf", PDF, MAY_2021)
            r = a.run("run", "--once")
            self.assertEqual(r.code, 1, r)
            self.assertIn("401", r.err)
            self.assertNotIn("not-the-token", r.err + r.out)
            status = a.run("status", "--json", check=True).json()
            self.assertEqual(status["registry"]["state"], "blocked")
            self.assertEqual(status["backlog"]["outbox"], 1)
            doctor = a.run("doctor")
            self.assertEqual(doctor.code, 1)
            self.assertIn("refuses the token", doctor.out)


class ConfigTypos(unittest.TestCase):
    def test_typo_is_reported_with_line_and_suggestion(self):
        with Agent() as a:
            text = a.write_config(rules=RULES, extra_source='incldue = ["**/*.pdf"]\n')
            line = text.splitlines().index('incldue = ["**/*.pdf"]') + 1
            r = a.run("check-config")
            self.assertEqual(r.code, 2, r)
            self.assertIn(f"agent.toml:{line}:", r.err)
            self.assertIn("did you mean 'include'", r.err)
            # run refuses too, with the same message, and stores nothing.
            r = a.run("run", "--once")
            self.assertEqual(r.code, 2, r)
            self.assertFalse(os.path.exists(os.path.join(a.state, "agent.db")))

    def test_rule_for_unknown_activity(self):
        with Agent() as a:
            a.write_config(rules=[("**/*.pdf", "course_certificate", "1.1.9")])
            r = a.run("check-config")
            self.assertEqual(r.code, 2, r)
            self.assertIn("1.1.9", r.err)


if __name__ == "__main__":
    unittest.main()

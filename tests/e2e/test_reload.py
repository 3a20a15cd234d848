"""Configuration reload (SIGHUP, `systemctl reload`), [agent] min_free_space
and the metrics file, against the running agent:

- a reload that adds a source harvests it, with the same process, store and
  agent.lock;
- an invalid configuration on SIGHUP is refused with each error's
  file:line:column, and the agent goes on with the one it runs;
- a change only a restart can make (state_dir, institution) is refused with
  what to do;
- a registry blocked by a wrong token resumes after the token file is fixed
  and the agent reloaded; a registry that starts accepting the token again
  unblocks it by itself on the next probe, without a reload;
- min_free_space above the free space pauses harvesting (the alarm metric
  says so) and a reload that lowers it resumes;
- check-config reports the new options' mistakes with their line.
"""
import os
import signal
import sqlite3
import subprocess
import unittest

from agent_harness import AGENT, MAY_2021, Agent, toml_str, wait_until
from harness import Registry, free_port

PDF = b"%PDF-1.4\n%%EOF\n"


def read_metrics(path):
    """{'name{labels}': value} from a Prometheus text file, or {} when absent."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return {}
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            series, value = line.rsplit(" ", 1)
            out[series] = float(value)
    return out


def synced_in_store(agent):
    """Synced records, read from agent.db directly: the CLI refuses to work
    while the configuration on disk is invalid."""
    db = sqlite3.connect(f"file:{os.path.join(agent.state, 'agent.db')}?mode=ro", uri=True)
    try:
        return db.execute("SELECT count(*) FROM records WHERE status = 'synced'").fetchone()[0]
    finally:
        db.close()


def outbox_attempts(agent):
    db = sqlite3.connect(f"file:{os.path.join(agent.state, 'agent.db')}?mode=ro", uri=True)
    try:
        return [r[0] for r in db.execute("SELECT attempts FROM outbox")]
    finally:
        db.close()


class Config:
    """agent.toml for an Agent, with any number of folder sources, each with
    one rule that files its PDFs as course certificates (1.1.1)."""

    def __init__(self, agent, registry_url=None, token_file=None):
        self.agent = agent
        self.registry_url = registry_url
        self.token_file = token_file
        self.sources = ["comite"]
        self.agent_extra = ""
        self.source_extra = ""

    def share(self, name):
        path = self.agent.share if name == "comite" else os.path.join(self.agent.root, "share-" + name)
        os.makedirs(path, exist_ok=True)
        return path

    def text(self):
        t = (f"[agent]\ninstitution = \"INM\"\nprogram = \"PAT-2021\"\n"
             f"state_dir = {toml_str(self.agent.state)}\n{self.agent_extra}")
        if self.registry_url:
            t += (f"\n[registry]\nurl = {toml_str(self.registry_url)}\ntoken_file = {toml_str(self.token_file)}\n"
                  "retry_initial = \"1s\"\nretry_max = \"2s\"\n")
        for name in self.sources:
            t += (f"\n[[source]]\nname = \"{name}\"\nplugin = \"folder\"\npath = {toml_str(self.share(name))}\n"
                  f"settle = \"0s\"\n{self.source_extra}")
        for name in self.sources:
            t += (f"\n[[rule]]\nsource = \"{name}\"\nmatch = {{ glob = \"**/*.pdf\" }}\n"
                  "kind = \"course_certificate\"\nactivity = \"1.1.1\"\n")
        return t

    def write(self, text=None):
        with open(self.agent.config, "w", encoding="utf-8") as f:
            f.write(self.text() if text is None else text)


class Daemon:
    """`sseccoe-agent run` in the background, its log in a file."""

    def __init__(self, test, agent, *extra):
        self.agent = agent
        self.log_path = os.path.join(agent.root, "agent.log")
        self._log = open(self.log_path, "wb")
        test.addCleanup(self._log.close)
        self.proc = subprocess.Popen([AGENT, "--config", agent.config, *extra, "run"], stdout=self._log,
                                     stderr=self._log)
        test.addCleanup(lambda: self.proc.poll() is None and self.proc.kill())
        # SIGHUP before the signals are taken would end the process.
        wait_until(lambda: "sseccoe-agent running" in self.log() or self.proc.poll() is not None, 60,
                   "the agent to start")
        if self.proc.poll() is not None:
            raise AssertionError(f"the agent exited with {self.proc.returncode}:\n{self.log()}")

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def reload(self, expect):
        """SIGHUP, then wait for the log line that ends this reload
        ("configuration applied" or "reload refused"), counted so that an
        earlier reload's line does not count."""
        before = self.log().count(expect)
        self.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: self.log().count(expect) > before or self.proc.poll() is not None, 60,
                   f"'{expect}' after SIGHUP")
        if self.proc.poll() is not None:
            raise AssertionError(f"the agent exited on SIGHUP with {self.proc.returncode}:\n{self.log()}")

    def metrics(self):
        return read_metrics(os.path.join(self.agent.state, "metrics.prom"))

    def wait_metric(self, series, value, timeout=60):
        wait_until(lambda: self.metrics().get(series) == value, timeout, f"{series} to be {value}")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=60)
        return code


class Reload(unittest.TestCase):
    def test_a_new_source_is_harvested_after_sighup_by_the_same_process(self):
        with Registry() as reg, Agent() as a:
            cfg = Config(a, reg.url, reg.token_file("INM"))
            cfg.write()
            a.put_file("Constancias/uno.pdf", PDF + b"1", MAY_2021)
            d = Daemon(self, a)
            wait_until(lambda: len(a.records("synced")) == 1, 60, "the first source's file to be registered")

            # A second share, unknown to the running agent until the reload.
            cfg.sources.append("difusion")
            path = os.path.join(cfg.share("difusion"), "cartel.pdf")
            with open(path, "wb") as f:
                f.write(PDF + b"2")
            os.utime(path, (MAY_2021, MAY_2021))
            cfg.write()
            d.reload("configuration applied")
            self.assertIn("added: difusion", d.log())
            wait_until(lambda: len(a.records("synced")) == 2, 60, "the new source's file to be registered")
            sources = {r["source"] for r in a.records("synced")}
            self.assertEqual(sources, {"comite", "difusion"})

            # Same process, store open, lock held: a second agent is still refused.
            self.assertIsNone(d.proc.poll())
            second = a.run("run", "--once", timeout=60)
            self.assertEqual(second.code, 1, second)
            self.assertIn("another sseccoe-agent is running", second.err)

            # The metrics count both sources and the reload.
            # (Registrations made by the replaced syncer are kept: counters
            # survive the reload.)
            d.wait_metric('sseccoe_source_items_total{source="difusion",outcome="new"}', 1)
            d.wait_metric('sseccoe_registry_records_total{outcome="registered"}', 2)
            m = d.metrics()
            self.assertEqual(m['sseccoe_source_items_total{source="comite",outcome="new"}'], 1)
            self.assertEqual(m['sseccoe_config_reloads_total{result="applied"}'], 1)
            self.assertEqual(m["sseccoe_config_last_reload_successful"], 1)

            # The first source was not harvested twice by the restart of its harvester.
            self.assertEqual(d.stop(), 0)
            self.assertEqual(len(a.records()), 2)

    def test_an_invalid_configuration_is_refused_with_its_line_and_the_old_one_runs_on(self):
        with Registry() as reg, Agent() as a:
            cfg = Config(a, reg.url, reg.token_file("INM"))
            cfg.write()
            a.put_file("Constancias/uno.pdf", PDF + b"1", MAY_2021)
            d = Daemon(self, a)
            wait_until(lambda: len(a.records("synced")) == 1, 60, "the first file to be registered")

            good = cfg.text()
            bad = good.replace('settle = "0s"\n', 'settle = "0s"\nincldue = ["**/*.pdf"]\n', 1)
            bad = bad.replace('activity = "1.1.1"', 'activity = "uno"', 1)
            cfg.write(bad)
            lines = bad.splitlines()
            typo_line = next(i for i, l in enumerate(lines, 1) if l.startswith("incldue"))
            activity_line = next(i for i, l in enumerate(lines, 1) if l.startswith("activity"))
            d.reload("reload refused")
            log = d.log()
            typo = [l for l in log.splitlines() if f"reload: {a.config}:{typo_line}:1:" in l]
            self.assertEqual(len(typo), 1, log)
            self.assertIn("source.comite.incldue", typo[0])
            self.assertIn("did you mean 'include'", typo[0])
            self.assertIn(f"reload: {a.config}:{activity_line}:", log)
            self.assertIn("the running configuration stays", log)

            # Still running, with the configuration it had: a new file is registered.
            a.put_file("Constancias/dos.pdf", PDF + b"2", MAY_2021)
            wait_until(lambda: synced_in_store(a) == 2, 60, "a file dropped after the refused reload")
            self.assertIsNone(d.proc.poll())
            d.wait_metric("sseccoe_config_last_reload_successful", 0)
            self.assertEqual(d.metrics()['sseccoe_config_reloads_total{result="refused"}'], 1)

            # Fixed and reloaded: applied.
            cfg.write(good)
            d.reload("configuration applied")
            d.wait_metric("sseccoe_config_last_reload_successful", 1)
            self.assertEqual(d.stop(), 0)

    def test_a_change_only_a_restart_can_make_is_refused_with_what_to_do(self):
        with Agent() as a:
            cfg = Config(a)  # no registry: harvest only
            cfg.write()
            a.put_file("Constancias/uno.pdf", PDF + b"1", MAY_2021)
            d = Daemon(self, a)
            wait_until(lambda: len(a.records()) == 1, 60, "the first file to be stored")
            original_state = a.state

            a.state = os.path.join(a.root, "other-state")
            cfg.write()
            d.reload("reload refused")
            self.assertIn("restart the service to change state_dir", d.log())

            a.state = original_state
            cfg.write(cfg.text().replace('institution = "INM"', 'institution = "SAT"'))
            d.reload("reload refused")
            self.assertIn("restart the service to change institution", d.log())
            self.assertFalse(os.path.exists(os.path.join(a.root, "other-state")))

            # The old configuration still runs.
            a.put_file("Constancias/dos.pdf", PDF + b"2", MAY_2021)
            wait_until(lambda: len(a.records()) == 2, 60, "a file dropped after the refusals")
            self.assertEqual(d.stop(), 0)


class BlockedRegistry(unittest.TestCase):
    def status_registry(self, agent):
        return agent.run("status", "--json", check=True).json()["registry"]

    def test_a_wrong_token_blocks_and_a_fixed_token_file_resumes_after_sighup(self):
        with Registry() as reg, Agent() as a:
            token_file = os.path.join(a.root, "registry.token")
            with open(token_file, "w") as f:
                f.write("not-the-token\n")
            os.chmod(token_file, 0o600)
            cfg = Config(a, reg.url, token_file)
            cfg.write()
            for i in range(5):
                a.put_file(f"Constancias/c{i}.pdf", PDF + str(i).encode(), MAY_2021)
            d = Daemon(self, a)
            wait_until(lambda: self.status_registry(a).get("state") == "blocked", 60, "status to say blocked")
            d.wait_metric("sseccoe_registry_blocked", 1)
            self.assertEqual(len(a.records("pending")), 5)
            self.assertEqual(d.log().count("sync: stopped:"), 1, d.log())  # said once, not on every probe
            # A refused configuration is not the records' fault: no attempt is
            # counted against them (nor a backoff of their own that would
            # delay them once the token is fixed).
            self.assertEqual(outbox_attempts(a), [0] * 5)

            with open(token_file, "w") as f:
                f.write(reg.token("INM") + "\n")
            d.reload("configuration applied")
            wait_until(lambda: len(a.records("synced")) == 5, 60, "the backlog to drain after the reload")
            wait_until(lambda: self.status_registry(a).get("state") == "ok", 60, "status to say ok")
            d.wait_metric("sseccoe_registry_blocked", 0)
            self.assertEqual(d.metrics()["sseccoe_outbox_pending"], 0)
            self.assertEqual(d.stop(), 0)
            # The token never reaches the log.
            self.assertNotIn(reg.token("INM"), d.log())

    def test_a_blocked_registry_resumes_by_itself_when_it_accepts_the_token_again(self):
        reg = Registry(server={"listen": f"127.0.0.1:{free_port()}"})
        self.addCleanup(lambda: reg.__exit__(None, None, None))
        reg.write_config()
        token_file = reg.token_file("INM")
        # The registry forgets INM for a while: 401 for the agent's token.
        reg.institutions = ["SAT"]
        reg.write_config()
        reg.start()
        with Agent() as a:
            cfg = Config(a, reg.url, token_file)
            cfg.write()
            for i in range(3):
                a.put_file(f"Constancias/c{i}.pdf", PDF + str(i).encode(), MAY_2021)
            d = Daemon(self, a)
            wait_until(lambda: self.status_registry(a).get("state") == "blocked", 60, "status to say blocked")

            reg.stop()
            reg.institutions = ["INM", "SAT"]
            reg.write_config()
            reg.start()  # same port, INM known again: no reload, no restart of the agent
            wait_until(lambda: len(a.records("synced")) == 3, 60, "the next probe to unblock and drain")
            wait_until(lambda: self.status_registry(a).get("state") == "ok", 60, "status to say ok")
            d.wait_metric("sseccoe_registry_blocked", 0)
            self.assertNotIn("configuration applied", d.log())
            self.assertEqual(d.stop(), 0)


class MinFreeSpace(unittest.TestCase):
    def test_a_reserve_above_the_free_space_pauses_and_lowering_it_by_reload_resumes(self):
        with Registry() as reg, Agent() as a:
            cfg = Config(a, reg.url, reg.token_file("INM"))
            # More than any disk here: harvesting cannot start.
            cfg.agent_extra = 'min_free_space = "1000TiB"\n'
            cfg.write()
            for i in range(3):
                a.put_file(f"Constancias/c{i}.pdf", PDF + str(i).encode(), MAY_2021)
            check = a.run("check-config")
            self.assertEqual(check.code, 0, check)
            self.assertIn("agent.min_free_space", check.err)
            self.assertIn("harvesting would stay paused", check.err)

            d = Daemon(self, a)
            wait_until(lambda: "harvesting paused" in d.log(), 60, "the pause")
            self.assertIn("under the reserve of 1048576000.0 MiB", d.log())
            d.wait_metric('sseccoe_harvest_paused{reason="disk_full"}', 1)
            m = d.metrics()
            self.assertEqual(m["sseccoe_state_disk_min_free_bytes"], 1000 * 2 ** 40)
            self.assertLess(m["sseccoe_state_disk_free_bytes"], 1000 * 2 ** 40)
            self.assertGreater(m["sseccoe_state_disk_free_bytes"], 0)
            self.assertEqual(a.records(), [])
            wait_until(lambda: "harvesting paused" in (a.run("status", "--json", check=True).json()["harvest_paused"]
                                                       or ""), 60, "status to show the pause")

            cfg.agent_extra = 'min_free_space = "1MiB"\n'
            cfg.write()
            d.reload("configuration applied")
            wait_until(lambda: len(a.records("synced")) == 3, 60, "the files to be registered after the reload")
            d.wait_metric('sseccoe_harvest_paused{reason="disk_full"}', 0)
            self.assertEqual(d.metrics()["sseccoe_state_disk_min_free_bytes"], 2 ** 20)
            self.assertEqual(d.stop(), 0)
            self.assertIsNone(a.run("status", "--json", check=True).json()["harvest_paused"])


class Options(unittest.TestCase):
    def check(self, agent_extra):
        a = Agent()
        self.addCleanup(a.close)
        cfg = Config(a)
        cfg.agent_extra = agent_extra
        cfg.write()
        line = next(i for i, l in enumerate(cfg.text().splitlines(), 1) if l == agent_extra.strip())
        return a, a.run("check-config"), f"{a.config}:{line}:"

    def test_min_free_space_mistakes_are_errors_with_their_line(self):
        for value, message in [('"512KiB"', "must be at least 1MiB"),
                               ('"10MB"', "ambiguous"),
                               ('"lots"', ""),
                               ('-5', "")]:
            with self.subTest(value=value):
                _, r, where = self.check(f"min_free_space = {value}\n")
                self.assertEqual(r.code, 2, r)
                err = [l for l in r.err.splitlines() if "agent.min_free_space" in l]
                self.assertEqual(len(err), 1, r.err)
                self.assertTrue(err[0].startswith(where), (where, err[0]))
                self.assertIn(message, err[0])

    def test_a_sensible_min_free_space_is_accepted(self):
        _, r, _ = self.check('min_free_space = "256MiB"\n')
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("min_free_space", r.err)

    def test_metrics_file_in_a_missing_directory_is_an_error(self):
        _, r, where = self.check('metrics_file = "/nonexistent-sseccoe/node-exporter/sseccoe.prom"\n')
        self.assertEqual(r.code, 2, r)
        self.assertIn(where, r.err)
        self.assertIn("/nonexistent-sseccoe/node-exporter does not exist", r.err)

    def test_metrics_file_not_ending_in_prom_is_a_warning(self):
        _, r, where = self.check('metrics_file = "metrics.txt"\n')
        self.assertEqual(r.code, 0, r)
        self.assertIn(where, r.err)
        self.assertIn("textfile collector would ignore it", r.err)

    def test_run_once_writes_the_metrics_file_where_configured(self):
        a = Agent()
        self.addCleanup(a.close)
        collector = os.path.join(a.root, "node-exporter")
        os.makedirs(collector)
        cfg = Config(a)
        cfg.agent_extra = f"metrics_file = {toml_str(os.path.join(collector, 'sseccoe.prom'))}\n"
        cfg.write()
        a.put_file("Constancias/uno.pdf", PDF + b"1", MAY_2021)
        a.put_file("Constancias/roto.pdf", b"", MAY_2021)
        r = a.run("run", "--once", "--json", check=True)
        self.assertEqual(os.listdir(collector), ["sseccoe.prom"])  # no temporary file left behind
        self.assertFalse(os.path.exists(os.path.join(a.state, "metrics.prom")))
        m = read_metrics(os.path.join(collector, "sseccoe.prom"))
        new = m['sseccoe_source_items_total{source="comite",outcome="new"}']
        self.assertEqual(new, r.json()["sources"]["comite"]["new"])
        self.assertEqual(m['sseccoe_harvest_paused{reason="disk_full"}'], 0)
        self.assertEqual(m["sseccoe_registry_blocked"], 0)
        self.assertEqual(m["sseccoe_quarantine_items"], r.json()["quarantine"])
        self.assertEqual(m['sseccoe_records{status="pending"}'] + m['sseccoe_records{status="held"}'] +
                         m['sseccoe_records{status="unclassified"}'], r.json()["records"])
        with open(os.path.join(collector, "sseccoe.prom"), encoding="utf-8") as f:
            text = f.read()
        for name in ("sseccoe_harvest_paused", "sseccoe_state_disk_free_bytes", "sseccoe_outbox_pending",
                     "sseccoe_quarantine_items", "sseccoe_registry_blocked", "sseccoe_source_items_total"):
            self.assertRegex(text, rf"(?m)^# TYPE {name} (gauge|counter)$")


if __name__ == "__main__":
    unittest.main()

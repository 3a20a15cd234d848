"""The README's scripts as a newcomer meets them when something goes wrong:
a failing step names itself, its command, its last output lines and what to
try, and exits with the command's status; a successful one says how long it
took; deps.sh refuses an unknown profile. (The happy path runs for real in
every CI run, and on a fresh Debian in scripts/fresh-debian.sh.)"""
import os
import shutil
import subprocess
import tempfile
import unittest

SOURCE_DIR = os.environ.get("SSECCOE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
LIB = os.path.join(SOURCE_DIR, "scripts", "lib.sh")


class Scripts(unittest.TestCase):
    def setUp(self):
        self.logs = tempfile.mkdtemp(prefix="sseccoe-scripts-")
        self.addCleanup(shutil.rmtree, self.logs, True)

    def step(self, command, filt=""):
        script = (f'set -euo pipefail; . "{LIB}"; step "npm tools for the contract tests" "20-60 s" '
                  f'"set NODE_EXTRA_CA_CERTS, or SSECCOE_SKIP_NPM=1" "{filt}" -- bash -c \'{command}\'')
        return subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "SSECCOE_LOGS": self.logs})

    def test_a_failing_step_names_itself_its_command_and_what_to_try(self):
        r = self.step("echo npm ERR! code SELF_SIGNED_CERT_IN_CHAIN; echo noise; exit 7", "^npm ERR!")
        self.assertEqual(r.returncode, 7, r)
        self.assertIn("==> npm tools for the contract tests (usually 20-60 s)", r.stdout)
        self.assertIn("    npm ERR! code SELF_SIGNED_CERT_IN_CHAIN", r.stdout)
        self.assertNotIn("noise", r.stdout, "the filter shows progress lines only")
        self.assertIn("FAILED: npm tools for the contract tests (exit 7", r.stderr)
        self.assertIn("command: bash -c echo npm ERR!", r.stderr)
        self.assertIn("noise", r.stderr, "the last lines of the output are shown on failure")
        self.assertIn("what to try: set NODE_EXTRA_CA_CERTS, or SSECCOE_SKIP_NPM=1", r.stderr)
        log = os.path.join(self.logs, "npm-tools-for-the-contract-tests.log")
        self.assertIn(log, r.stderr)
        with open(log, encoding="utf-8") as f:
            self.assertEqual(f.read(), "npm ERR! code SELF_SIGNED_CERT_IN_CHAIN\nnoise\n")

    def test_a_step_that_works_says_how_long_it_took(self):
        r = self.step("echo building; echo done")
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("    building", r.stdout)
        self.assertRegex(r.stdout, r"    done in \d+ s")
        self.assertEqual(r.stderr, "")

    def test_deps_refuses_an_unknown_profile(self):
        r = subprocess.run(["bash", os.path.join(SOURCE_DIR, "scripts", "deps.sh"), "everything"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("usage: deps.sh [demo|test]", r.stderr)


if __name__ == "__main__":
    unittest.main()

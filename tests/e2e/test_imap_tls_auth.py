"""End to end: TLS and login of the imap plugin against a real Dovecot.

The server's certificate is always verified: one from a CA the machine does
not trust is refused (and accepted once ca_file names that CA), one issued
for another name is refused even with the right CA. A wrong password is a
clear error that names the user and the server and never shows the password:
not on stdout or stderr, not in `status`, not in the state directory, not on
any process's command line. An OAuth2 bearer token (XOAUTH2, validated by
Dovecot itself) logs in; an expired one says to renew token_file, and a
renewed file is used at the next pass."""
import os
import signal
import subprocess
import unittest

import mailgen
from agent_harness import AGENT, Agent, wait_until
from dovecot_harness import Dovecot, imap_source_toml

SOURCE = "correo"
PASSWORD = "Tr3s-Tristes-Tigres-9431"


class ImapTlsAndLogin(unittest.TestCase):
    def start(self, **dovecot_args):
        self.dovecot = Dovecot(users={"comite": PASSWORD}, **dovecot_args)
        self.addCleanup(self.dovecot.close)
        self.dovecot.start()
        self.dovecot.add_message("comite", "INBOX", mailgen.certificate_message(1, "Ana Pérez", "Ética pública"))
        self.agent = Agent()
        self.addCleanup(self.agent.close)

    def configure(self, url, password=PASSWORD, ca_file=None, token=None):
        secret = os.path.join(self.agent.root, "imap.secret")
        with open(secret, "w", encoding="utf-8") as f:
            f.write((token or password) + "\n")
        os.chmod(secret, 0o600)
        source = imap_source_toml(SOURCE, url, None if token else secret, ca_file=ca_file,
                                  token_file=secret if token else None)
        self.agent.write_config(sources=source)

    def run_once(self):
        result = self.agent.run("run", "--once", "--json")
        return result, result.json()["sources"][SOURCE]

    def test_a_certificate_from_an_unknown_ca_is_refused_until_ca_file_names_it(self):
        self.start(tls=True)
        self.configure(self.dovecot.url(tls=True))
        result, source = self.run_once()
        self.assertNotEqual(result.code, 0, result)
        self.assertIn(f"the TLS certificate of localhost:{self.dovecot.imaps_port} is not trusted", source["error"])
        self.assertIn("set ca_file", source["error"])
        self.assertEqual(result.json()["records"], 0)
        self.assertNotIn("Login: user=<comite>", self.dovecot.log(), "no credentials before TLS is trusted")

        self.configure(self.dovecot.url(tls=True), ca_file=self.dovecot.ca_file)
        result, source = self.run_once()
        self.assertEqual(result.code, 0, result)
        self.assertEqual(source["error"], "")
        self.assertEqual(result.json()["records"], 1)
        self.assertIn("method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, mpid=", self.dovecot.log())
        self.assertRegex(self.dovecot.log(), r"Login: user=<comite>, method=PLAIN, .*, TLS")

    def test_a_certificate_for_another_name_is_refused_even_from_the_right_ca(self):
        self.start(tls=True, tls_names=("mail.inm.example",))
        self.configure(self.dovecot.url(tls=True), ca_file=self.dovecot.ca_file)
        result, source = self.run_once()
        self.assertNotEqual(result.code, 0, result)
        self.assertIn("not valid for 'localhost'", source["error"])
        self.assertEqual(result.json()["records"], 0)

    def test_a_wrong_password_is_a_clear_error_that_never_shows_the_password(self):
        self.start(tls=True)
        wrong = "Wr0ng-" + PASSWORD[::-1]
        self.configure(self.dovecot.url(tls=True), password=wrong, ca_file=self.dovecot.ca_file)
        result, source = self.run_once()
        self.assertNotEqual(result.code, 0, result)
        self.assertIn(f"login refused for user comite at localhost:{self.dovecot.imaps_port}: check password_file",
                      source["error"])
        status = self.agent.run("status", "--json")
        doctor = self.agent.run("doctor")
        self.assertIn("login refused for user comite", doctor.out + doctor.err)
        for text in (result.out, result.err, status.out, status.err, doctor.out, doctor.err):
            self.assertNotIn(wrong, text)
        for dirpath, _, names in os.walk(self.agent.state):
            for name in names:
                with open(os.path.join(dirpath, name), "rb") as f:
                    self.assertNotIn(wrong.encode(), f.read(), os.path.join(dirpath, name))

        # While the service runs (and logs in), no process shows the password.
        refused = self.dovecot.log().count("auth failed")
        proc = subprocess.Popen([AGENT, "--config", self.agent.config, "run"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        try:
            wait_until(lambda: self.dovecot.log().count("auth failed") > refused, 60, "the service's refused login")
            for pid in filter(str.isdigit, os.listdir("/proc")):
                for what in ("cmdline", "environ"):
                    try:
                        with open(f"/proc/{pid}/{what}", "rb") as f:
                            self.assertNotIn(wrong.encode(), f.read(), f"/proc/{pid}/{what}")
                    except OSError:
                        pass  # gone, or not ours to read
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=60)
        self.assertNotIn(wrong, err.decode("utf-8", "replace"))
        self.assertIn("login refused for user comite", err.decode("utf-8", "replace"))

    def test_plain_imap_is_allowed_on_loopback(self):
        self.start(tls=False)
        self.configure(f"imap://127.0.0.1:{self.dovecot.imap_port}")
        result, source = self.run_once()
        self.assertEqual(result.code, 0, result)
        self.assertEqual(result.json()["records"], 1)

    def test_oauth2_bearer_token_logs_in_and_an_expired_one_says_renew_it(self):
        self.start(tls=True, oauth2=True)
        expired = self.dovecot.oauth2_token("comite", lifetime=-600)
        self.configure(self.dovecot.url(tls=True), ca_file=self.dovecot.ca_file, token=expired)
        result, source = self.run_once()
        self.assertNotEqual(result.code, 0, result)
        self.assertIn(f"OAuth2 login refused for user comite at localhost:{self.dovecot.imaps_port}: check token_file",
                      source["error"])
        self.assertNotIn(expired, result.out + result.err)
        self.assertNotIn(expired.split(".")[2], result.out + result.err)

        # A renewed token, written in place: no configuration change, no restart.
        with open(os.path.join(self.agent.root, "imap.secret"), "w", encoding="utf-8") as f:
            f.write(self.dovecot.oauth2_token("comite") + "\n")
        result, source = self.run_once()
        self.assertEqual(result.code, 0, result)
        self.assertEqual(result.json()["records"], 1)
        self.assertIn("Login: user=<comite>, method=XOAUTH2", self.dovecot.log())

    def test_oauth2_needs_a_server_that_offers_it(self):
        self.start(tls=True)
        self.configure(self.dovecot.url(tls=True), ca_file=self.dovecot.ca_file, token="ya29.token-de-prueba")
        result, source = self.run_once()
        self.assertNotEqual(result.code, 0, result)
        self.assertIn("does not offer OAuth2 login (AUTH=XOAUTH2)", source["error"])
        self.assertNotIn("ya29.token-de-prueba", result.out + result.err)


if __name__ == "__main__":
    unittest.main()

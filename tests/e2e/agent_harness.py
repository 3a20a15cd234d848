"""Runs the real sseccoe-agent binary against a temporary configuration.

The registry side lives in harness.py; this module adds the agent: a state
directory, a share, a configuration written from keyword arguments, and a
`run()` that returns what a user would see (exit code, stdout, stderr, and
parsed JSON when --json was asked for).
"""
import json
import os
import shutil
import subprocess
import tempfile
import textwrap
import time

BUILD_DIR = os.environ.get("SSECCOE_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
SOURCE_DIR = os.environ.get("SSECCOE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
AGENT = os.path.join(BUILD_DIR, "bin", "sseccoe-agent")


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"exit {self.code}\n--- stdout\n{self.out}\n--- stderr\n{self.err}"


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


class Agent:
    """A temporary agent: share/, state/ and agent.toml under one directory."""

    def __init__(self, root=None):
        self._own = root is None
        self.root = root or tempfile.mkdtemp(prefix="sseccoe-agent-")
        self.share = os.path.join(self.root, "share")
        self.state = os.path.join(self.root, "state")
        self.config = os.path.join(self.root, "agent.toml")
        os.makedirs(self.share, exist_ok=True)

    def close(self):
        if self._own:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def write_config(self, registry_url=None, token_file=None, rules=(), extra_agent="", extra_source="",
                     extra_registry="", catalog_file=None, sources=None):
        """rules: list of (glob, kind, activity[, title])."""
        text = textwrap.dedent(f"""\
            [agent]
            institution = "INM"
            program = "PAT-2021"
            state_dir = {toml_str(self.state)}
            """)
        if catalog_file:
            text += f"catalog_file = {toml_str(catalog_file)}\n"
        text += extra_agent
        if registry_url:
            text += f"\n[registry]\nurl = {toml_str(registry_url)}\ntoken_file = {toml_str(token_file)}\n"
            text += "retry_initial = \"1s\"\nretry_max = \"2s\"\n" + extra_registry
        if sources is None:
            text += f"\n[[source]]\nname = \"comite\"\nplugin = \"folder\"\npath = {toml_str(self.share)}\n"
            text += "settle = \"0s\"\n" + extra_source
        else:
            text += sources
        for r in rules:
            glob, kind, activity = r[:3]
            text += f"\n[[rule]]\nsource = \"comite\"\nmatch = {{ glob = {toml_str(glob)} }}\n"
            text += f"kind = {toml_str(kind)}\nactivity = {toml_str(activity)}\n"
            if len(r) > 3:
                text += f"title = {toml_str(r[3])}\n"
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(text)
        return text

    def put_file(self, rel, data=b"", mtime=None):
        """Writes share/rel (bytes or str) and sets its mtime (a unix time)."""
        path = os.path.join(self.share.encode() if isinstance(rel, bytes) else self.share, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        if mtime is not None:
            os.utime(path, (mtime, mtime))
        return path

    def run(self, *args, timeout=600, env=None, check=False):
        cmd = [AGENT, "--config", self.config, *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **(env or {})})
        result = Result(proc)
        if check and result.code != 0:
            raise AssertionError(f"{' '.join(cmd)} failed: {result!r}")
        return result

    def records(self, status=None):
        args = ["records", "list", "--json"] + (["--status", status] if status else [])
        return self.run(*args, check=True).json()["records"]


# 2021-05-14 12:00 local time: inside every 2021 activity window used here.
MAY_2021 = 1621015200


def wait_until(predicate, timeout, what):
    """Polls `predicate` until it returns something true; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")

"""bench/imap: the agent's IMAP harvest against mbsync, on the same mailbox, in one run.

A throw-away Dovecot (tests/e2e/dovecot_harness.py) serves MESSAGES course
certificate mails, each with a certificate PDF and an incompressible
attachment of ATTACHMENT_KB KiB, over plain IMAP on 127.0.0.1. Then, for each
storage (the temporary directory's file system, and /dev/shm where fsync
costs nothing), two contenders pull the whole folder into an empty
destination, one after the other:

  mbsync (isync)             Sync Pull into a fresh Maildir (FSync yes: one
                             fsync per message, as it ships)
  sseccoe-agent run --once   the imap source into a fresh state dir: fetch,
                             spool, parse (GMime), store the message and each
                             attachment as blobs (fsync each), a record per
                             message in SQLite (synchronous=FULL), no registry

Each run must have done the work: mbsync's Maildir must hold MESSAGES files,
the agent must report MESSAGES new items. The table gives seconds, messages
per second, IMAP payload MB/s and peak RSS; the last column is the agent's
time over mbsync's (below 1.00: the agent is faster).

Needs root (Dovecot serves mail as the `mail` user, field-notes.md), isync
and dovecot-imapd. Usage:  bench/imap/run.sh [BUILD_DIR]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "e2e"))

import mailgen  # noqa: E402
from dovecot_harness import Dovecot  # noqa: E402

MESSAGES = int(os.environ.get("MESSAGES", "10000"))
ATTACHMENT_KB = int(os.environ.get("ATTACHMENT_KB", "24"))
STORAGES = os.environ.get("STORAGES", "tmp,shm").split(",")
SKIP_AGENT = os.environ.get("SKIP_AGENT") == "1"
SKIP_MBSYNC = os.environ.get("SKIP_MBSYNC") == "1"


def message(n):
    pdf = mailgen.certificate_pdf(f"Servidor Público {n}", "Ética pública", f"SICAVISP-2021-{n:05d}")
    filler = mailgen._pseudo_random_block(ATTACHMENT_KB * 1024, seed=f"anexo-{n}".encode())
    return mailgen.build_message(
        subject=f"Constancia del curso «Ética pública» {n}", sender=mailgen.PLATFORM,
        to=f"Servidor {n} <servidor{n}@inm.gob.mx>", date=mailgen.mx_date(2021, 5, 14, 9, n % 60),
        message_id=f"constancia.{n}.bench@sicavisp.apps.funcionpublica.gob.mx",
        body="Adjuntamos su constancia.", crlf=True,
        attachments=[mailgen.Attachment(f"Constancia {n}.pdf", pdf),
                     mailgen.Attachment("anexo.bin", filler, media_type="application/octet-stream")])


def timed(cmd, **kw):
    """Runs cmd under /usr/bin/time; returns (seconds, peak RSS bytes, CompletedProcess)."""
    fd, rss_file = tempfile.mkstemp(prefix="bench-imap-rss-")
    os.close(fd)
    started = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file, "--", *cmd], capture_output=True,
                          text=True, **kw)
    elapsed = time.monotonic() - started
    with open(rss_file, encoding="ascii") as f:
        rss = int(f.read().strip().splitlines()[-1]) * 1024
    os.unlink(rss_file)
    return elapsed, rss, proc


def run_mbsync(dovecot, workdir, password_file):
    maildir = os.path.join(workdir, "mbsync")
    os.makedirs(maildir)
    conf = os.path.join(workdir, "mbsyncrc")
    # Sections are separated by blank lines (field-notes.md).
    with open(conf, "w", encoding="utf-8") as f:
        f.write(f"IMAPAccount dovecot\nHost 127.0.0.1\nPort {dovecot.imap_port}\nUser comite\n"
                f"PassCmd \"cat {password_file}\"\nSSLType None\nAuthMechs LOGIN\n\n"
                f"IMAPStore remote\nAccount dovecot\n\n"
                f"MaildirStore local\nPath {maildir}/\nInbox {maildir}/INBOX\n\n"
                f"Channel pull\nFar :remote:\nNear :local:\nPatterns INBOX\nSync Pull\nCreate Near\n"
                f"SyncState *\n")
    elapsed, rss, proc = timed(["mbsync", "-q", "-c", conf, "-a"])
    if proc.returncode != 0:
        raise SystemExit(f"mbsync failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    got = sum(len(files) for d, _, files in os.walk(os.path.join(maildir, "INBOX")) if os.path.basename(d) in
              ("cur", "new"))
    if got != MESSAGES:
        raise SystemExit(f"mbsync pulled {got} messages, not {MESSAGES}")
    return elapsed, rss


def run_agent(agent_bin, dovecot, workdir, password_file):
    state = os.path.join(workdir, "state")
    conf = os.path.join(workdir, "agent.toml")
    with open(conf, "w", encoding="utf-8") as f:
        f.write(f'[agent]\ninstitution = "INM"\nprogram = "PAT-2021"\nstate_dir = {json.dumps(state)}\n\n'
                f'[[source]]\nname = "correo"\nplugin = "imap"\n'
                f'url = "imap://127.0.0.1:{dovecot.imap_port}"\nusername = "comite"\n'
                f'password_file = {json.dumps(password_file)}\n')
    elapsed, rss, proc = timed([agent_bin, "--config", conf, "run", "--once", "--json"])
    if proc.returncode != 0:
        raise SystemExit(f"the agent failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    new = json.loads(proc.stdout)["sources"]["correo"]["new"]
    if new != MESSAGES:
        raise SystemExit(f"the agent stored {new} messages, not {MESSAGES}:\n{proc.stderr[-3000:]}")
    return elapsed, rss


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(SOURCE_DIR, "build"))
    agent_bin = os.path.join(build, "bin", "sseccoe-agent")
    if os.geteuid() != 0:
        raise SystemExit("bench/imap needs root: Dovecot serves mail as the `mail` user (field-notes.md)")
    if not SKIP_AGENT and not os.access(agent_bin, os.X_OK):
        raise SystemExit(f"{agent_bin} is missing: build the sseccoe-agent and sseccoe_imap targets")
    if not SKIP_MBSYNC and shutil.which("mbsync") is None:
        raise SystemExit("mbsync is missing: apt-get install isync")

    dovecot = Dovecot()
    try:
        dovecot.start()
        started = time.monotonic()
        dovecot.add_messages("comite", "INBOX", (message(n) for n in range(1, MESSAGES + 1)))
        dovecot.index("comite")
        payload = 0
        cur = os.path.join(dovecot.maildir("comite"), "cur")
        for name in os.listdir(cur):  # also warms the page cache for every contender
            with open(os.path.join(cur, name), "rb") as f:
                payload += len(f.read())
        print(f"bench/imap: {MESSAGES} messages, {payload / 1e6:.0f} MB of IMAP payload "
              f"(certificate PDF + {ATTACHMENT_KB} KiB attachment each), made and indexed in "
              f"{time.monotonic() - started:.0f} s; Dovecot {dovecot_version()} on 127.0.0.1, plain IMAP",
              flush=True)
        rows = []
        for storage in STORAGES:
            base = "/dev/shm" if storage == "shm" else None
            workdir = tempfile.mkdtemp(prefix="sseccoe-bench-imap-", dir=base)
            try:
                password = os.path.join(workdir, "imap.pass")
                with open(password, "w", encoding="utf-8") as f:
                    f.write("s3cret\n")
                fs = subprocess.run(["stat", "-f", "-c", "%T", workdir], capture_output=True, text=True).stdout.strip()
                where = f"{storage} ({fs})"
                mb = None if SKIP_MBSYNC else run_mbsync(dovecot, workdir, password)
                ag = None if SKIP_AGENT else run_agent(agent_bin, dovecot, workdir, password)
                if mb:
                    rows.append((where, "mbsync (Sync Pull, FSync yes)", *mb, None))
                if ag:
                    rows.append((where, "sseccoe-agent run --once (imap)", *ag, ag[0] / mb[0] if mb else None))
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
        print(f"\n{'storage':<18} {'contender':<34} {'seconds':>8} {'msg/s':>8} {'MB/s':>7} {'peak RSS':>9} "
              f"{'agent/mbsync':>13}")
        for where, name, secs, rss, ratio in rows:
            print(f"{where:<18} {name:<34} {secs:8.1f} {MESSAGES / secs:8.0f} {payload / 1e6 / secs:7.1f} "
                  f"{rss / 2**20:7.0f} MB {'' if ratio is None else f'{ratio:13.2f}'}")
    finally:
        dovecot.close()


def dovecot_version():
    return subprocess.run(["dovecot", "--version"], capture_output=True, text=True).stdout.split()[0]


if __name__ == "__main__":
    main()

"""A throw-away Dovecot for tests and benchmarks (field-notes.md, "Real servers").

Standard library only; runs as root (Dovecot serves mail as the system user
`mail`, never as uid 0).

    with Dovecot(users={"comite": "s3cret"}, tls=True) as dc:
        dc.create_folder("comite", "Enviados", special_use="\\Sent")
        dc.add_message("comite", "INBOX", raw_bytes)          # straight into the Maildir
        uid = dc.append("comite", "Enviados", raw_bytes)      # through IMAP
        dc.url(tls=True)  -> "imaps://localhost:PORT"
        dc.ca_file        -> the test CA that signed the server certificate

Everything (configuration, Maildirs, logs, sockets, certificates) lives in
one temporary directory removed by close(). The server is always stopped:
by __exit__, by close(), and by an atexit hook for a test that dies before
either runs.

- make_ca(): a CA and a server certificate for localhost / 127.0.0.1 (openssl CLI).
- Dovecot: start/stop/restart, folders with special-use, messages written
  straight into the Maildir (fast: 100,000 in seconds) or APPENDed, expunge,
  move, UIDVALIDITY reset, kicking connections; optionally OAuth2 (XOAUTH2)
  with bearer tokens it validates locally (oauth2_token()).
- FaultProxy: a TCP relay in front of Dovecot that can cut the connection
  once a number of bytes went from server to client (a drop mid-FETCH).
- build_message(): a small MIME message with optional attachments, for
  tests that do not need the mail generator.
- imap_source_toml(): the agent's [[source]] table for the imap plugin.
"""
import atexit
import base64
import email.message
import email.policy
import email.utils
import grp
import hashlib
import hmac
import imaplib
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time

START_TIMEOUT = 60
MAIL_UID = pwd.getpwnam("mail").pw_uid
MAIL_GID = grp.getgrnam("mail").gr_gid

_live = set()


@atexit.register
def _stop_all():
    for server in list(_live):
        try:
            server.stop()
        except Exception:  # noqa: BLE001 - best effort at interpreter exit
            pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd, **kw):
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def make_ca(directory, name="test", server_names=("localhost", "127.0.0.1")):
    """Writes NAME-ca.crt, NAME-ca.key, NAME-server.crt, NAME-server.key in
    `directory`: a CA and a server certificate it signed, valid for
    `server_names` (DNS names and IP addresses). Returns a dict of the four paths."""
    os.makedirs(directory, exist_ok=True)
    p = {"ca_crt": os.path.join(directory, f"{name}-ca.crt"), "ca_key": os.path.join(directory, f"{name}-ca.key"),
         "server_crt": os.path.join(directory, f"{name}-server.crt"),
         "server_key": os.path.join(directory, f"{name}-server.key")}
    _run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
          "-keyout", p["ca_key"], "-out", p["ca_crt"], "-days", "2", "-subj", f"/CN=sseccoe {name} test CA",
          "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    csr = os.path.join(directory, f"{name}-server.csr")
    _run(["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
          "-keyout", p["server_key"], "-out", csr, "-subj", "/CN=localhost"])
    ext = os.path.join(directory, f"{name}-server.ext")
    with open(ext, "w", encoding="ascii") as f:
        sans = ",".join(("IP:" if n.replace(".", "").isdigit() or ":" in n else "DNS:") + n for n in server_names)
        f.write(f"subjectAltName={sans}\nextendedKeyUsage=serverAuth\n"
                "basicConstraints=critical,CA:FALSE\n")
    _run(["openssl", "x509", "-req", "-in", csr, "-CA", p["ca_crt"], "-CAkey", p["ca_key"], "-CAcreateserial",
          "-out", p["server_crt"], "-days", "2", "-extfile", ext])
    return p


def build_message(subject="Constancia", sender="plataforma@sicavisp.example", to="comite@inm.example",
                  body="Se adjunta la constancia.", attachments=(), message_id=..., date=None, extra_headers=None):
    """A MIME message as bytes (CRLF line ends). attachments: (name, bytes,
    media type) tuples. message_id: ... makes a fresh one, None leaves it out."""
    msg = email.message.EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = date or "Fri, 14 May 2021 10:00:00 -0500"
    if message_id is ...:
        message_id = email.utils.make_msgid(domain="inm.example")
    if message_id is not None:
        msg["Message-ID"] = message_id
    for k, v in (extra_headers or {}).items():
        msg[k] = v
    msg.set_content(body)
    for name, data, media_type in attachments:
        maintype, subtype = media_type.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes(policy=email.policy.SMTP)


class Dovecot:
    """A Dovecot on 127.0.0.1 with a temporary configuration and Maildirs.

    users: {name: password}. tls: also serve IMAPS and STARTTLS with a
    certificate from a test CA (`ca_file`), valid for `tls_names`. Ports are
    picked free at start and kept across restarts.
    """

    def __init__(self, users=None, tls=False, root=None, extra_config="", tls_names=("localhost", "127.0.0.1"),
                 oauth2=False):
        self.users = dict(users or {"comite": "s3cret"})
        self.tls = tls
        self._own_root = root is None
        self.root = root or tempfile.mkdtemp(prefix="sseccoe-dovecot-")
        os.chmod(self.root, 0o755)  # imap processes run as `mail` and read below it
        self.config_path = os.path.join(self.root, "dovecot.conf")
        self.log_path = os.path.join(self.root, "dovecot.log")
        self.extra_config = extra_config
        self.imap_port = None
        self.imaps_port = None
        self.certs = make_ca(os.path.join(self.root, "certs"), server_names=tls_names) if tls else None
        self.running = False
        self._special_use = {}  # folder -> "\\Sent"
        # OAuth2 (XOAUTH2) with bearer tokens that Dovecot validates itself:
        # HS256 JWTs signed with a key only this harness and Dovecot know.
        self.oauth2_key = os.urandom(32) if oauth2 else None

    # -- configuration ---------------------------------------------------

    @property
    def ca_file(self):
        return self.certs["ca_crt"] if self.certs else None

    def home(self, user):
        return os.path.join(self.root, "home", user)

    def maildir(self, user, folder="INBOX"):
        """The Maildir++ directory of a folder: INBOX is the root, others `.Name`."""
        base = os.path.join(self.home(user), "Maildir")
        return base if folder == "INBOX" else os.path.join(base, "." + folder)

    def _write_config(self):
        for d in ("run", "state", "home"):
            os.makedirs(os.path.join(self.root, d), exist_ok=True)
        passwd = os.path.join(self.root, "passwd")
        with open(passwd, "w", encoding="utf-8") as f:
            for user, password in self.users.items():
                f.write(f"{user}:{{PLAIN}}{password}\n")
        # Read by the auth process, which runs as the `dovecot` user.
        os.chown(passwd, 0, grp.getgrnam("dovecot").gr_gid)
        os.chmod(passwd, 0o640)
        oauth2 = ""
        if self.oauth2_key:
            keys = os.path.join(self.root, "oauth2-keys")
            # dict fs:posix maps the key "shared/default/HS256/default" to this file.
            os.makedirs(os.path.join(keys, "default", "HS256"), exist_ok=True)
            with open(os.path.join(keys, "default", "HS256", "default"), "w", encoding="ascii") as f:
                f.write(base64.b64encode(self.oauth2_key).decode())
            for dirpath, _, names in os.walk(keys):
                os.chmod(dirpath, 0o755)
                for name in names:
                    os.chmod(os.path.join(dirpath, name), 0o644)
            oauth2_conf = os.path.join(self.root, "oauth2.conf")
            with open(oauth2_conf, "w", encoding="utf-8") as f:
                f.write(f"introspection_mode = local\nlocal_validation_key_dict = fs:posix:prefix={keys}/\n"
                        "username_attribute = sub\n")
            oauth2 = (f"passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = {oauth2_conf}\n}}\n")
        mailboxes = "".join(
            f"  mailbox {name} {{\n    special_use = {use}\n  }}\n" for name, use in self._special_use.items())
        ssl_conf = "ssl = no\n"
        imaps = ""
        if self.tls:
            ssl_conf = (f"ssl = yes\nssl_cert = <{self.certs['server_crt']}\n"
                        f"ssl_key = <{self.certs['server_key']}\nssl_min_protocol = TLSv1.2\n")
            imaps = f"  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {self.imaps_port}\n    ssl = yes\n  }}\n"
        text = f"""# Written by tests/e2e/dovecot_harness.py; removed with its directory.
protocols = imap
listen = 127.0.0.1
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.log_path}
info_log_path = {self.log_path}
debug_log_path = {self.log_path}
{ssl_conf}disable_plaintext_auth = no
auth_mechanisms = plain login{" xoauth2 oauthbearer" if self.oauth2_key else ""}
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {passwd}
}}
{oauth2}
userdb {{
  driver = static
  args = uid={MAIL_UID} gid={MAIL_GID} home={self.root}/home/%u allow_all_users=yes
}}
mail_location = maildir:~/Maildir
first_valid_uid = 1
mail_fsync = never
namespace inbox {{
  inbox = yes
  separator = .
{mailboxes}}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.imap_port}
  }}
{imaps}}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
}}
{self.extra_config}
"""
        with open(self.config_path, "w", encoding="utf-8") as f:
            f.write(text)

    # -- process ---------------------------------------------------------

    def start(self):
        if self.running:
            return self
        if self.imap_port is None:
            self.imap_port = free_port()
            self.imaps_port = free_port() if self.tls else None
        for user in self.users:
            for sub in ("cur", "new", "tmp"):
                os.makedirs(os.path.join(self.maildir(user), sub), exist_ok=True)
            self.chown(user)
        self._write_config()
        # The master daemonizes and would keep a pipe open: its early errors go
        # to a file instead.
        err_path = os.path.join(self.root, "dovecot-start.err")
        with open(err_path, "wb") as err:
            code = subprocess.call(["dovecot", "-c", self.config_path], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=err, timeout=60)
        if code != 0:
            with open(err_path, encoding="utf-8", errors="replace") as f:
                raise AssertionError(f"dovecot did not start ({code}): {f.read()}\n{self.log()}")
        self.running = True
        _live.add(self)
        deadline = time.monotonic() + START_TIMEOUT
        ports = [self.imap_port] + ([self.imaps_port] if self.tls else [])
        while not all(self._port_open(p) for p in ports):
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"dovecot does not listen on {ports}:\n{self.log()}")
            time.sleep(0.05)
        return self

    @staticmethod
    def _port_open(port):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False

    def stop(self):
        if not self.running:
            return
        self.running = False
        _live.discard(self)
        # `dovecot stop` leaves running imap sessions alive: drop them first,
        # as a real restart does (and so no process outlives the test).
        for user in self.users:
            subprocess.call(["doveadm", "-c", self.config_path, "kick", user], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        subprocess.call(["dovecot", "-c", self.config_path, "stop"], stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        # `stop` signals the master and returns; wait until the ports are free
        # so that a restart on the same ports cannot race the old master.
        deadline = time.monotonic() + START_TIMEOUT
        pid_file = os.path.join(self.root, "run", "master.pid")
        while os.path.exists(pid_file) and time.monotonic() < deadline:
            time.sleep(0.05)

    def restart(self):
        self.stop()
        return self.start()

    def close(self):
        self.stop()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def oauth2_token(self, user, lifetime=3600):
        """A bearer token Dovecot accepts for `user` (a negative lifetime: expired)."""
        def b64url(data):
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
        now = int(time.time())
        header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        claims = b64url(json.dumps({"sub": user, "iat": now - 60, "nbf": now - 60, "exp": now + lifetime}).encode())
        signature = hmac.new(self.oauth2_key, f"{header}.{claims}".encode(), hashlib.sha256).digest()
        return f"{header}.{claims}.{b64url(signature)}"

    def url(self, tls=False, host="localhost"):
        """imaps://host:port (tls) or imap://host:port."""
        if tls:
            return f"imaps://{host}:{self.imaps_port}"
        return f"imap://{host}:{self.imap_port}"

    def doveadm(self, *args):
        return _run(["doveadm", "-c", self.config_path, *args])

    def kick(self, user):
        """Drops every IMAP connection of `user` (the server side hangs up)."""
        self.doveadm("kick", user)

    # -- folders and messages -------------------------------------------

    def chown(self, user):
        for dirpath, dirnames, filenames in os.walk(self.home(user)):
            os.chown(dirpath, MAIL_UID, MAIL_GID)
            for name in filenames:
                os.chown(os.path.join(dirpath, name), MAIL_UID, MAIL_GID)
        os.chown(os.path.join(self.root, "home"), MAIL_UID, MAIL_GID)

    def create_folder(self, user, folder, special_use=None):
        """Creates a Maildir++ folder; `special_use` ("\\Sent") is announced
        in LIST (takes effect at the next start or restart)."""
        path = self.maildir(user, folder)
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)
        if special_use:
            self._special_use[folder] = special_use
            if self.running:
                self._write_config()
                self.doveadm("reload")
        self.chown(user)
        return path

    _seq = 0

    def _unique_name(self):
        Dovecot._seq += 1
        return f"{int(time.time())}.M{Dovecot._seq}P{os.getpid()}.sseccoe-test"

    def add_message(self, user, folder, raw, seen=True, chown=True):
        """Writes one message into the folder's Maildir (cur/ with :2,S when
        seen, else new/). Returns its file path. Dovecot gives it the next UID
        when a client next looks."""
        base = self.maildir(user, folder)
        name = self._unique_name()
        final = os.path.join(base, "cur", name + ":2,S") if seen else os.path.join(base, "new", name)
        tmp = os.path.join(base, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(raw)
        os.rename(tmp, final)
        if chown:
            os.chown(final, MAIL_UID, MAIL_GID)
        return final

    def add_messages(self, user, folder, raws):
        """Writes many messages (an iterable of bytes) straight into cur/; returns the count."""
        base = os.path.join(self.maildir(user, folder), "cur")
        n = 0
        stamp = int(time.time())
        for raw in raws:
            n += 1
            path = os.path.join(base, f"{stamp}.B{n}P{os.getpid()}.sseccoe-test:2,S")
            with open(path, "wb") as f:
                f.write(raw)
            os.chown(path, MAIL_UID, MAIL_GID)
        return n

    def index(self, user, folder="INBOX"):
        """Lets Dovecot assign UIDs and build its index now (else the first
        SELECT does it)."""
        self.doveadm("index", "-u", user, folder)

    def imap(self, user):
        """An imaplib client logged in as `user` over the plain port."""
        client = imaplib.IMAP4("127.0.0.1", self.imap_port)
        client.login(user, self.users[user])
        return client

    def append(self, user, folder, raw, flags="(\\Seen)"):
        """APPENDs a message; returns its UID (UIDPLUS)."""
        c = self.imap(user)
        try:
            typ, data = c.append(folder, flags, imaplib.Time2Internaldate(time.time()), raw)
            if typ != "OK":
                raise AssertionError(f"APPEND to {folder} failed: {data}")
            m = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
            return int(m.group(1)) if m else None
        finally:
            c.logout()

    def uids(self, user, folder="INBOX"):
        c = self.imap(user)
        try:
            c.select(folder, readonly=True)
            typ, data = c.uid("SEARCH", "ALL")
            return [int(x) for x in data[0].split()]
        finally:
            c.logout()

    def uid_of(self, user, folder, message_id):
        """The UID of the message whose Message-ID is `message_id` (without brackets)."""
        c = self.imap(user)
        try:
            c.select(folder, readonly=True)
            typ, data = c.uid("SEARCH", "HEADER", "Message-ID", f"<{message_id}>")
            uids = [int(x) for x in data[0].split()]
            if len(uids) != 1:
                raise AssertionError(f"{len(uids)} messages with Message-ID {message_id} in {folder}")
            return uids[0]
        finally:
            c.logout()

    def uidvalidity(self, user, folder="INBOX"):
        c = self.imap(user)
        try:
            typ, data = c.status(folder, "(UIDVALIDITY)")
            return int(re.search(rb"UIDVALIDITY (\d+)", data[0]).group(1))
        finally:
            c.logout()

    def expunge(self, user, folder, uids):
        """Deletes the messages with these UIDs for good."""
        c = self.imap(user)
        try:
            c.select(folder)
            uid_set = ",".join(str(u) for u in uids)
            c.uid("STORE", uid_set, "+FLAGS.SILENT", "(\\Deleted)")
            c.uid("EXPUNGE", uid_set)
        finally:
            c.logout()

    def move(self, user, src, dst, uids):
        c = self.imap(user)
        try:
            c.select(src)
            typ, data = c.uid("MOVE", ",".join(str(u) for u in uids), dst)
            if typ != "OK":
                raise AssertionError(f"MOVE {src} -> {dst} failed: {data}")
        finally:
            c.logout()

    def reset_uidvalidity(self, user, folder="INBOX"):
        """What a server migration or a rebuilt index does: the folder gets a
        new UIDVALIDITY and its messages new UIDs (renumbered from 1). Done
        on Dovecot's own files: dovecot-uidlist is rewritten with V+1 and
        the index is removed so that Dovecot rebuilds it from the list.
        Returns (old, new) UIDVALIDITY."""
        old = self.uidvalidity(user, folder)
        was_running = self.running
        self.stop()
        base = self.maildir(user, folder)
        uidlist = os.path.join(base, "dovecot-uidlist")
        with open(uidlist, encoding="utf-8", errors="surrogateescape") as f:
            lines = f.read().splitlines()
        entries = []
        for line in lines[1:]:
            parts = line.split(" ", 1)
            if len(parts) == 2 and parts[0].isdigit():
                # "UID [extensions ]:filename"; keep the file name part
                rest = parts[1]
                entries.append(rest)
        # Newest messages first: the renumbered UIDs differ from the old ones
        # even for the same count, as after a real rebuild.
        entries.reverse()
        new = old + 1
        header = f"3 V{new} N{len(entries) + 1}"
        with open(uidlist, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(header + "\n")
            for i, rest in enumerate(entries, 1):
                f.write(f"{i} {rest}\n")
        for name in os.listdir(base):
            if name.startswith("dovecot.index") or name == "dovecot.list.index":
                os.unlink(os.path.join(base, name))
        root_list = os.path.join(self.maildir(user), "dovecot.list.index")
        if os.path.exists(root_list):
            os.unlink(root_list)
        self.chown(user)
        if was_running:
            self.start()
        got = self.uidvalidity(user, folder)
        if got != new:
            raise AssertionError(f"UIDVALIDITY of {folder} is {got} after the reset, expected {new}")
        return old, new


class FaultProxy:
    """A TCP relay 127.0.0.1:port -> upstream that can cut a connection.

    cut_after(n): the next connection is closed (both ways, RST) once n
    bytes went from the server to the client; later connections pass
    untouched. `cuts` counts the cuts made.
    before_client(pattern, callback): the first time the client sends bytes
    containing `pattern`, callback() runs before they are forwarded (to
    expunge a message or restart the server at an exact point of a pass).
    """

    def __init__(self, upstream_port, upstream_host="127.0.0.1"):
        self.upstream = (upstream_host, upstream_port)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = self._sock.getsockname()[1]
        self._cut_after = None
        self._lock = threading.Lock()
        self._closed = False
        self.cuts = 0
        self.connections = 0
        self._hooks = []  # (pattern, callback), each fired once
        t = threading.Thread(target=self._accept, daemon=True)
        t.start()

    def cut_after(self, n):
        with self._lock:
            self._cut_after = n

    def before_client(self, pattern, callback):
        with self._lock:
            self._hooks.append((pattern, callback))

    def _fire_hooks(self, data):
        with self._lock:
            due = [h for h in self._hooks if h[0] in data]
            self._hooks = [h for h in self._hooks if h not in due]
        for _, callback in due:
            callback()

    def _accept(self):
        while not self._closed:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                limit, self._cut_after = self._cut_after, None
                self.connections += 1
            try:
                server = socket.create_connection(self.upstream, timeout=10)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            threading.Thread(target=self._pump, args=(client, server, None, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, limit, False), daemon=True).start()

    def _pump(self, src, dst, limit, from_client):
        sent = 0
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if from_client and self._hooks:
                    self._fire_hooks(data)
                if limit is not None and sent + len(data) >= limit:
                    dst.sendall(data[: max(0, limit - sent)])
                    with self._lock:
                        self.cuts += 1
                    # shutdown() first: close() alone leaves the socket open
                    # while the other direction's thread is blocked in recv().
                    for s in (src, dst):
                        try:
                            s.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass
                        s.close()
                    return
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self):
        self._closed = True
        self._sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def imap_source_toml(name, url, password_file=None, folders=("INBOX",), ca_file=None, token_file=None, extra=""):
    """A [[source]] table for the imap plugin (for tests/e2e/agent_harness.Agent)."""
    text = (f"\n[[source]]\nname = {json.dumps(name)}\nplugin = \"imap\"\nurl = {json.dumps(url)}\n"
            f"username = \"comite\"\nfolders = {json.dumps(list(folders), ensure_ascii=False)}\n")
    if password_file:
        text += f"password_file = {json.dumps(password_file)}\n"
    if token_file:
        text += f"token_file = {json.dumps(token_file)}\n"
    if ca_file:
        text += f"ca_file = {json.dumps(ca_file)}\n"
    return text + extra

"""A throw-away PostgreSQL 15 server for tests. Standard library only.

    with PostgresServer() as pg:
        pg.create_role("lector", "s3cret")
        pg.create_database("rh", owner="lector")
        pg.psql("CREATE TABLE t (a int)", db="rh")
        dsn_path = pg.write_dsn_file(path, db="rh", user="lector", password="s3cret")

The server runs from a temporary directory on 127.0.0.1 and a free port,
with password (SCRAM-SHA-256) authentication only. PostgreSQL refuses to run
as root, so when the tests run as root (they do in CI) initdb and pg_ctl run
as the `postgres` system user on a directory it owns (field-notes.md).

Passwords never go on a command line: psql reads them from a password file
named by PGPASSFILE, and roles are created with a SCRAM verifier computed
here, so that not even the server (or its log, if a statement fails) sees a
password in clear text. SQL goes to psql on standard input.

The server is stopped by stop() / the context manager, and at interpreter
exit (atexit) if a test forgot or failed before it could.
"""
import atexit
import base64
import hashlib
import hmac
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time

PG_BIN = os.environ.get("SSECCOE_PG_BIN", "/usr/lib/postgresql/15/bin")
START_TIMEOUT = 60


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scram_verifier(password, iterations=4096, salt=None):
    """The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802,
    RFC 7677): what CREATE ROLE ... PASSWORD accepts in place of the clear
    text. ASCII passwords need no SASLprep."""
    salt = salt or secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def sql_literal(text):
    """A SQL string literal (standard_conforming_strings is on)."""
    return "'" + str(text).replace("'", "''") + "'"


def sql_ident(name):
    return '"' + str(name).replace('"', '""') + '"'


def conninfo_value(value):
    """A libpq conninfo value, quoted when it needs to be."""
    value = str(value)
    if value and all(c.isalnum() or c in "._-/:@" for c in value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class PsqlError(AssertionError):
    pass


class PostgresServer:
    def __init__(self, superuser_password=None):
        self.superuser_password = superuser_password or secrets.token_urlsafe(18)
        self.root = None
        self.data_dir = None
        self.log_path = None
        self.port = None
        self.host = "127.0.0.1"
        self._passwords = {}  # role -> password, for psql's password file
        self._running = False
        self._atexit = None

    # -- process -----------------------------------------------------------

    @staticmethod
    def _as_root():
        return os.geteuid() == 0

    def _as_postgres(self, argv):
        return ["runuser", "-u", "postgres", "--", *argv] if self._as_root() else argv

    def _chown(self, path):
        if self._as_root():
            pw = pwd.getpwnam("postgres")
            os.chown(path, pw.pw_uid, pw.pw_gid)

    def _run(self, argv, **kw):
        proc = subprocess.run(self._as_postgres(argv), capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL, **kw)
        if proc.returncode != 0:
            raise AssertionError(f"{os.path.basename(argv[0])} failed ({proc.returncode}):\n{proc.stdout}\n"
                                 f"{proc.stderr}\n{self.log()}")
        return proc

    def start(self):
        """initdb on first start, then pg_ctl start (waits until it accepts connections)."""
        if self.root is None:
            self.root = tempfile.mkdtemp(prefix="sseccoe-pg-")
            os.chmod(self.root, 0o700)
            self._chown(self.root)
            self.data_dir = os.path.join(self.root, "data")
            self.log_path = os.path.join(self.root, "server.log")
            pwfile = os.path.join(self.root, "superuser.pw")
            self._write_private(pwfile, self.superuser_password + "\n")
            # C locale: databases of any encoding (LATIN1, SQL_ASCII) can be
            # made from template0. --no-sync: a test's data need not survive
            # a power cut.
            self._run([os.path.join(PG_BIN, "initdb"), "-D", self.data_dir, "-U", "postgres",
                       "-A", "scram-sha-256", f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C", "--no-sync"])
            os.unlink(pwfile)
            self.port = _free_port()
            self._passwords["postgres"] = self.superuser_password
            self._write_passfile()
            self._atexit = atexit.register(self.stop)
        options = (f"-c listen_addresses={self.host} -c port={self.port} -c unix_socket_directories={self.root} "
                   "-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=40")
        self._run([os.path.join(PG_BIN, "pg_ctl"), "-D", self.data_dir, "-l", self.log_path, "-w",
                   "-t", str(START_TIMEOUT), "-o", options, "start"])
        self._running = True
        return self

    def stop(self, mode="fast"):
        """pg_ctl stop; `mode` "immediate" is a crash (no checkpoint)."""
        if not self._running:
            return
        self._running = False
        subprocess.run(self._as_postgres([os.path.join(PG_BIN, "pg_ctl"), "-D", self.data_dir, "-m", mode, "-w",
                                          "-t", "60", "stop"]),
                       capture_output=True, timeout=90, stdin=subprocess.DEVNULL)

    def close(self):
        self.stop()
        if self.root:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
        if self._atexit is not None:
            atexit.unregister(self.stop)
            self._atexit = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    @property
    def running(self):
        return self._running

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except (FileNotFoundError, TypeError):
            return ""

    # -- files -------------------------------------------------------------

    def _write_private(self, path, text):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        self._chown(path)

    def _write_passfile(self):
        # host:port:database:user:password, with ':' and '\' escaped.
        esc = lambda s: s.replace("\\", "\\\\").replace(":", "\\:")  # noqa: E731
        lines = [f"{self.host}:{self.port}:*:{esc(u)}:{esc(p)}" for u, p in self._passwords.items()]
        self.passfile = os.path.join(self.root, "pgpass")
        fd = os.open(self.passfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

    def dsn(self, db, user, password=None, **extra):
        """A libpq conninfo string for `db` as `user` over TCP."""
        parts = {"host": self.host, "port": self.port, "dbname": db, "user": user}
        if password is not None:
            parts["password"] = password
        parts.update(extra)
        return " ".join(f"{k}={conninfo_value(v)}" for k, v in parts.items())

    def write_dsn_file(self, path, db, user, password=None, **extra):
        """Writes dsn(...) to `path` with mode 0600; returns the path."""
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(self.dsn(db, user, password, **extra) + "\n")
        return path

    # -- SQL -----------------------------------------------------------------

    def psql(self, sql, db="postgres", user="postgres", encoding="UTF8", check=True):
        """Runs `sql` (a string or bytes, several statements allowed) through
        psql over TCP with password authentication; returns stdout (unaligned,
        tuples only, '|' between fields). The password comes from PGPASSFILE."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update({"PGPASSFILE": self.passfile, "PGCLIENTENCODING": encoding, "PGCONNECT_TIMEOUT": "10"})
        data = sql if isinstance(sql, bytes) else sql.encode("utf-8" if encoding == "UTF8" else "latin-1")
        proc = subprocess.run(
            [os.path.join(PG_BIN, "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", self.host,
             "-p", str(self.port), "-U", user, "-d", db, "-f", "-"],
            input=data, capture_output=True, timeout=300, env=env)
        out = proc.stdout.decode("utf-8", "replace")
        if check and proc.returncode != 0:
            raise PsqlError(f"psql failed ({proc.returncode}): {proc.stderr.decode('utf-8', 'replace')}")
        return out

    def scalar(self, sql, db="postgres", user="postgres"):
        return self.psql(sql, db=db, user=user).strip()

    def create_role(self, name, password, login=True, extra=""):
        """CREATE ROLE with a SCRAM verifier: the clear password never leaves
        this process except in the password file psql reads."""
        self.psql(f"CREATE ROLE {sql_ident(name)} {'LOGIN' if login else 'NOLOGIN'} "
                  f"PASSWORD {sql_literal(scram_verifier(password))} {extra}")
        self._passwords[name] = password
        self._write_passfile()

    def create_database(self, name, owner=None, encoding="UTF8"):
        owner_sql = f" OWNER {sql_ident(owner)}" if owner else ""
        self.psql(f"CREATE DATABASE {sql_ident(name)}{owner_sql} ENCODING {sql_literal(encoding)} "
                  f"LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")

    def wait_ready(self, timeout=START_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if subprocess.run([os.path.join(PG_BIN, "pg_isready"), "-h", self.host, "-p", str(self.port)],
                              capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
        raise AssertionError(f"PostgreSQL did not become ready in {timeout}s:\n{self.log()}")

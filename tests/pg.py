"""A throwaway PostgreSQL server for the test suite.

``scripts/ensure-postgres.sh`` finds (or installs) the server programs; a cluster is
initialised in a temporary directory, started on a free loopback port with its unix socket in
that directory, and stopped and deleted at the end of the session. PostgreSQL refuses to run
as root, so as root the cluster belongs to the ``postgres`` user (or ``nobody``) and the
programs run through ``runuser``. Durability is switched off (fsync, synchronous_commit):
the data is thrown away anyway.

``NEWSCRAWLER_TEST_PG_URL=postgresql://user@host/db`` uses an existing server instead (the
user needs CREATEDB). When no server can be had the PostgreSQL tests fail with the reason:
they are never skipped silently.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENSURE = ROOT / "scripts" / "ensure-postgres.sh"
START_ATTEMPTS = 3


class PgUnavailable(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self) -> None:
        self.admin_url: str | None = None
        self.tmp: Path | None = None
        self.bindir: str | None = None
        self.user: str | None = None  # who runs the server when we are root
        self._names = itertools.count(1)
        self._external = False

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> PgServer:
        external = os.environ.get("NEWSCRAWLER_TEST_PG_URL")
        if external:
            self.admin_url, self._external = external, True
            self._check()
            return self
        try:
            found = subprocess.run(["sh", str(ENSURE)], capture_output=True, text=True,
                                   timeout=900)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PgUnavailable(f"{ENSURE} did not run: {exc}") from exc
        if found.returncode != 0 or not found.stdout.strip():
            raise PgUnavailable(f"{ENSURE} failed (exit {found.returncode}): "
                                f"{found.stderr.strip()[-2000:]}")
        self.bindir = found.stdout.strip().splitlines()[-1]
        self.tmp = Path(tempfile.mkdtemp(prefix="newscrawler-pg-"))
        if os.geteuid() == 0:
            self.user = self._unprivileged_user()
            entry = pwd.getpwnam(self.user)
            os.chown(self.tmp, entry.pw_uid, entry.pw_gid)
        self.tmp.chmod(0o700)
        data = self.tmp / "data"
        self._run([f"{self.bindir}/initdb", "-D", str(data), "-A", "trust", "-U", "postgres",
                   "-E", "UTF8", "--locale=C", "--no-sync"], "initdb")
        last = ""
        for _ in range(START_ATTEMPTS):  # a port taken between choosing and binding: retry
            port = _free_port()
            options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {self.tmp} "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                       "-c max_connections=200 -c shared_buffers=64MB")
            try:
                self._run([f"{self.bindir}/pg_ctl", "-D", str(data), "-l",
                           str(self.tmp / "server.log"), "-w", "-t", "60", "-o", options,
                           "start"], "pg_ctl start")
            except PgUnavailable as exc:
                last = f"{exc}\n{self._log_tail()}"
                continue
            self.admin_url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
            self._check()
            return self
        self.stop()
        raise PgUnavailable(f"the server did not start: {last}")

    def stop(self) -> None:
        if self.tmp is None:
            return
        data = self.tmp / "data"
        if (data / "postmaster.pid").exists():
            try:
                self._run([f"{self.bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "-w",
                           "stop"], "pg_ctl stop")
            except PgUnavailable:
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp = None

    # ------------------------------------------------------------------ databases
    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        import psycopg

        name = f"nc_test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
        return self.url_for(name)

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def url_for(self, name: str) -> str:
        base, _, _ = self.admin_url.rpartition("/")
        query = ""
        if "?" in self.admin_url.rsplit("/", 1)[1]:
            query = "?" + self.admin_url.rsplit("?", 1)[1]
        return f"{base}/{name}{query}"

    # ------------------------------------------------------------------ helpers
    def _check(self) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise PgUnavailable(f"psycopg is not installed: {exc}") from exc
        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(self.admin_url, connect_timeout=5) as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise PgUnavailable(f"cannot connect to {self.admin_url}: {exc}") from exc
                time.sleep(0.2)

    @staticmethod
    def _unprivileged_user() -> str:
        for name in ("postgres", "nobody"):
            try:
                pwd.getpwnam(name)
                return name
            except KeyError:
                continue
        raise PgUnavailable("running as root and neither a 'postgres' nor a 'nobody' user "
                            "exists to run the server as (PostgreSQL refuses root)")

    def _run(self, argv: list[str], what: str) -> None:
        if self.user is not None:
            if shutil.which("runuser"):
                argv = ["runuser", "-u", self.user, "--", *argv]
            else:
                argv = ["su", "-s", "/bin/sh", self.user, "-c", shlex.join(argv)]
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                                  cwd=self.tmp or "/", stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PgUnavailable(f"{what} did not run: {exc}") from exc
        if done.returncode != 0:
            raise PgUnavailable(f"{what} failed (exit {done.returncode}): "
                                f"{(done.stderr or done.stdout).strip()[-2000:]}")

    def _log_tail(self) -> str:
        try:
            return (self.tmp / "server.log").read_text(errors="replace")[-2000:]
        except OSError:
            return ""

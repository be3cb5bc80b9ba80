"""A real PostgreSQL server for the tests, started from the installed server binaries.

`initdb` makes a cluster in a new temporary directory and `pg_ctl` starts it, listening on a
Unix socket in that directory only (no TCP port, so parallel test runs never collide), with
trust authentication and fsync off (the data is thrown away). Each test gets a new database.

PostgreSQL refuses to run as root. Run as root (CI), the cluster belongs to the `postgres` user
that Debian's package creates (else `nobody`), and initdb/pg_ctl run as that user through
`runuser`; the tests connect as the database superuser over the socket either way.

The binaries are looked for in $SANCTIONWATCH_TEST_PG_BIN, /usr/lib/postgresql/*/bin (Debian,
newest first), then the PATH. Where there are none the PostgreSQL tests skip, with the reason,
unless $SANCTIONWATCH_REQUIRE_POSTGRES is set (CI sets it), when they fail.
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

BIN_ENV = "SANCTIONWATCH_TEST_PG_BIN"
REQUIRE_ENV = "SANCTIONWATCH_REQUIRE_POSTGRES"
_PROGRAMS = ("initdb", "pg_ctl", "postgres")


def find_bindir() -> Path | None:
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                    key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.name)], reverse=True)
    on_path = shutil.which("pg_ctl")
    candidates = [os.environ.get(BIN_ENV), *debian, Path(on_path).parent if on_path else None]
    for candidate in candidates:
        if candidate and all((Path(candidate) / name).is_file() for name in _PROGRAMS):
            return Path(candidate)
    return None


def _server_user() -> str | None:
    """The unprivileged user to run the server as, when we are root; None otherwise."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and there is no postgres or nobody user to run "
                       "PostgreSQL as")


class PostgresServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.user = _server_user()
        self.root = Path(tempfile.mkdtemp(prefix="sw-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._names = itertools.count(1)

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"{args[0]} failed ({done.returncode}):\n{done.stderr}{log[-3000:]}")

    def start(self) -> None:
        if self.user:
            shutil.chown(self.root, self.user)
        # UTF-8 with a C.UTF-8 ctype: lower() folds non-ASCII letters ("Żubr"), as on SQLite.
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.root}' "
                   "-c fsync=off -c full_page_writes=off -c synchronous_commit=off "
                   "-c max_connections=100")
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.log),
                  "-o", options)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.root}"

    def new_database(self) -> str:
        """The URL of a new, empty database."""
        import psycopg

        name = f"sw_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(host=str(self.root), user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = find_bindir()
    if bindir is None:
        reason = ("no PostgreSQL server binaries (initdb, pg_ctl, postgres) found: install "
                  f"Debian's postgresql, or set ${BIN_ENV} to their directory")
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"${REQUIRE_ENV} is set but {reason}")
        pytest.skip(reason)
    server = PostgresServer(bindir)
    try:
        server.start()
    except BaseException:
        shutil.rmtree(server.root, ignore_errors=True)
        raise
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty store database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_server").new_database()

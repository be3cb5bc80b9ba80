"""Opening the store's database: URL resolution, SQLite and PostgreSQL settings, migrations.

Many writers may share one store. On PostgreSQL they write at once (see repository.Store.save
for why that stores each article once and never deadlocks); on SQLite a writer takes the
database's write lock when its transaction begins and the others wait for it, up to
SQLITE_LOCK_TIMEOUT seconds, then fail with StoreLocked, having written nothing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from ..defaults import DB_ENV, DEFAULT_DB
from ..errors import SanctionwatchError

# Connection option that makes SQLite take the write lock when a transaction begins, so two
# writers queue up instead of failing when one upgrades its read snapshot.
WRITE = {"sanctionwatch_write": True}
DIALECTS = ("sqlite", "postgresql")
SQLITE_LOCK_TIMEOUT = 60.0  # seconds a SQLite writer waits for another to finish
# Held (for the transaction) by whoever migrates a PostgreSQL store, so that clients opening a
# new store at once create its tables once.
_MIGRATION_LOCK = 0x73772D6D69677261  # "sw-migra"


class StoreLocked(SanctionwatchError):
    """A SQLite store stayed locked by another writer for longer than the timeout."""


def database_url(value: str | None = None) -> str:
    """A SQLAlchemy URL from --db, else $SANCTIONWATCH_DB, else ./sanctionwatch.db; a plain
    path means a SQLite file."""
    value = value or os.environ.get(DB_ENV) or DEFAULT_DB
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    try:
        make_url(value)
    except ArgumentError:
        raise SanctionwatchError(f"not a database URL: {value!r}") from None
    return value


def create_store_engine(url: str) -> Engine:
    dialect = make_url(url).get_backend_name()
    if dialect not in DIALECTS:
        raise SanctionwatchError(f"cannot use database {_safe(url)}: the store is SQLite or "
                                 f"PostgreSQL, not {dialect}")
    # Saving relies on READ COMMITTED (PostgreSQL's default, made sure of here): a row another
    # writer committed while this one waited is seen by the next statement.
    options = {"isolation_level": "READ COMMITTED"} if dialect == "postgresql" else {}
    try:
        # Text as text in the JSON columns, so a search for a non-ASCII name finds it.
        engine = create_engine(url, json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False),
                               **options)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise SanctionwatchError(f"cannot use database {_safe(url)}: {exc}") from None
    if dialect == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        # SQLite's lower() folds ASCII only; text filters need "Żubr" to match "żubr".
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_LOCK_TIMEOUT * 1000)}")
        _write_ahead_log(cursor)
        for pragma in ("synchronous=NORMAL", "foreign_keys=ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        write = connection.get_execution_options().get("sanctionwatch_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _write_ahead_log(cursor: sqlite3.Cursor) -> None:
    """Put the file in WAL mode (it stays so). Switching a new file can fail at once with
    "database is locked" while another client switches it or creates the schema: SQLite does
    not wait on the busy timeout there, so this waits, up to the same timeout."""
    deadline = time.monotonic() + SQLITE_LOCK_TIMEOUT
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def is_locked(engine: Engine, exc: OperationalError) -> bool:
    """Whether an error is SQLite's write lock held too long by another connection."""
    return engine.dialect.name == "sqlite" and "database is locked" in str(exc.orig)


def locked(engine: Engine) -> StoreLocked:
    return StoreLocked(
        f"the store {engine.url.database} stayed locked by another writer for "
        f"{SQLITE_LOCK_TIMEOUT:g} s; nothing was written (for many writers at once, use "
        "PostgreSQL)")


def alembic_config():
    from alembic.config import Config  # here: Alembic takes half a second to import

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("sanctionwatch.store").joinpath("migrations")))
    return config


@dataclass(frozen=True)
class Schema:
    current: str | None  # the store's revision; None before the first migration
    head: str  # the newest revision shipped in the package
    known: bool  # whether this package ships the store's revision (else a newer one made it)

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def schema_state(engine: Engine) -> Schema:
    """Where the store's schema stands against the migrations shipped in the package."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    known = current is None or any(s.revision == current for s in scripts.walk_revisions())
    return Schema(current, scripts.get_current_head() or "", known)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to a revision shipped in the package, by default the newest (Alembic)."""
    from alembic import command
    from alembic.util import CommandError

    config = alembic_config()
    with engine.connect().execution_options(**WRITE) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, revision)
        except CommandError as exc:
            # Typically a store upgraded by a newer sanctionwatch than this one.
            where = engine.url.render_as_string(hide_password=True)
            raise SanctionwatchError(
                f"cannot upgrade the store {where}: {exc} (is this sanctionwatch older than the "
                "one that last upgraded the store?)") from None


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "?"

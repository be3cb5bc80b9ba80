"""Opening the store's database: URL resolution, SQLite settings, migrations on open."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from ..defaults import DB_ENV, DEFAULT_DB
from ..errors import SanctionwatchError

# Connection option that makes SQLite take the write lock when a transaction begins, so two
# writers queue up instead of failing when one upgrades its read snapshot.
WRITE = {"sanctionwatch_write": True}


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
    try:
        # Text as text in the JSON columns, so a search for a non-ASCII name finds it.
        engine = create_engine(url, json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False))
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise SanctionwatchError(f"cannot use database {_safe(url)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        # SQLite's lower() folds ASCII only; text filters need "Żubr" to match "żubr".
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                       "busy_timeout=60000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        write = connection.get_execution_options().get("sanctionwatch_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision shipped in the package (Alembic)."""
    from alembic import command  # here: Alembic takes half a second to import
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("sanctionwatch.store").joinpath("migrations")))
    with engine.connect().execution_options(**WRITE) as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "?"

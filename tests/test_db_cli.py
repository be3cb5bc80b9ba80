"""`sanctionwatch db status|upgrade`, and a store whose schema a newer sanctionwatch made: on
SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from sanctionwatch.store import Store
from sanctionwatch.store.database import alembic_config

from .cli_helpers import run_cli

# The newest revision the package ships: the store's schema after an upgrade.
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_upgrade_creates_the_schema_then_has_nothing_to_do(db_url: str, capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "db", "status", "--db", db_url)
    if db_url.startswith("sqlite"):  # no file yet: nothing to report on
        assert result.code == 1 and "no store at" in result.err
    else:  # an empty database
        assert result.code == 1
        assert f"schema: revision none; newest known: {HEAD} (run `sanctionwatch db upgrade`)" \
            in result.out

    result = run_cli(capsys, monkeypatch, "db", "upgrade", "--db", db_url)
    assert (result.code, result.out) == (0, f"The store was upgraded from revision none to {HEAD}.\n")
    result = run_cli(capsys, monkeypatch, "db", "upgrade", "--db", db_url)
    assert result.out == f"The store is at revision {HEAD}, the newest: nothing to do.\n"

    result = run_cli(capsys, monkeypatch, "db", "status", "--db", db_url)
    assert result.code == 0
    assert f"schema: revision {HEAD}; newest known: {HEAD} (up to date)" in result.out
    assert "holds: 0 articles, 0 entities, 0 events, 0 flags, 0 screening" in result.out


def test_a_store_upgraded_by_a_newer_sanctionwatch_is_refused_clearly(db_url: str, capsys,
                                                                       monkeypatch):
    Store.open(db_url).close()
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()

    result = run_cli(capsys, monkeypatch, "db", "status", "--db", db_url)
    assert result.code == 1
    assert (f"schema: revision 9999; newest known: {HEAD} (made by a newer sanctionwatch: upgrade "
            "sanctionwatch)") in result.out
    result = run_cli(capsys, monkeypatch, "query", "flags", "--db", db_url)
    assert result.code == 1
    [line] = result.err.strip().splitlines()
    assert line.startswith("sanctionwatch: error: cannot upgrade the store ")
    assert "9999" in line and "older than the one that last upgraded the store" in line

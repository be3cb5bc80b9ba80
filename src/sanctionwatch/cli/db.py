"""`sanctionwatch db status|upgrade`: the store's schema, for whoever looks after a shared store.

The store (SQLAlchemy and alembic behind it) is imported by the commands, so that the rest of the
command line starts without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from .common import app, out
from .ingest import DB_OPTION

if TYPE_CHECKING:
    from ..store.database import Schema

db_app = typer.Typer(help="The store's database schema: status and upgrade.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _state(schema: Schema) -> str:
    if schema.up_to_date:
        return "up to date"
    if not schema.known:
        return "made by a newer sanctionwatch: upgrade sanctionwatch"
    return "run `sanctionwatch db upgrade`"


@db_app.command("status")
def status_command(db: str | None = DB_OPTION) -> None:
    """Show the store's schema revision against the newest this sanctionwatch ships, and what
    the store holds; changes nothing. Exit 1 when they differ."""
    from ..store import Store

    with Store.open(db, create=False, upgrade=False) as store:
        schema = store.schema()
        out.print(f"store: {store.engine.url.render_as_string(hide_password=True)}", markup=False)
        out.print(f"schema: revision {schema.current or 'none'}; newest known: {schema.head} "
                  f"({_state(schema)})", markup=False)
        if schema.up_to_date:
            holds = ", ".join(f"{n:,} {name}" for name, n in store.counts().items())
            out.print(f"holds: {holds}", markup=False)
    if not schema.up_to_date:
        raise typer.Exit(1)


@db_app.command("upgrade")
def upgrade_command(db: str | None = DB_OPTION) -> None:
    """Create the store, or bring its schema to the newest revision this sanctionwatch ships.
    Every command that opens the store does this too; this does only that."""
    from ..store import Store

    with Store.open(db, upgrade=False) as store:
        before = store.schema().current
    with Store.open(db) as store:
        after = store.schema().current
    if before == after:
        out.print(f"The store is at revision {after}, the newest: nothing to do.", markup=False)
    else:
        out.print(f"The store was upgraded from revision {before or 'none'} to {after}.",
                  markup=False)

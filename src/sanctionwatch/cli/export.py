"""`sanctionwatch export`: flags, events, entities, articles or incidents as JSONL, CSV or
Parquet, or the whole store as FollowTheMoney entities; streamed."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import IO

import typer

from ..errors import SanctionwatchError
from ..export.tables import TABLES, records
from ..export.writers import write_csv, write_jsonl, write_parquet
from ..store import Store
from ..store.queries import Filters
from .common import app, warn
from .ingest import DB_OPTION
from .query import COUNTRY_OPTION, LIMIT_OPTION, SINCE_OPTION, TEXT_OPTION, UNTIL_OPTION


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    ftm = "ftm"


class What(StrEnum):
    flags = "flags"
    events = "events"
    entities = "entities"
    articles = "articles"
    incidents = "incidents"


@app.command("export")
def export(
    fmt: ExportFormat = typer.Option(..., "--format", "-f", help="Output format."),
    what: What = typer.Option(What.flags, "--table", "-t",
                              help="What to export (not for ftm, which exports everything)."),
    out: Path | None = typer.Option(None, "--out", "-o", metavar="PATH",
                                    help="Output file (default: standard output; Parquet needs one)."),
    db: str | None = DB_OPTION,
    kind: str | None = typer.Option(
        None, "--category", "--type",
        help="Flags and incidents: a category or regime; events: a type; entities: a kind."),
    country: str | None = COUNTRY_OPTION,
    since: str | None = SINCE_OPTION,
    until: str | None = UNTIL_OPTION,
    text: str | None = TEXT_OPTION,
    limit: int | None = LIMIT_OPTION,
) -> None:
    """Export what the store holds, filtered as in `query`, in a stream (bounded memory)."""
    if fmt is ExportFormat.parquet and out is None:
        raise typer.BadParameter("Parquet is binary: give a file with --out", param_hint="--out")
    filters = Filters(kind, country, since, until, text, limit)
    with Store.open(db, create=False) as store:
        if fmt is ExportFormat.parquet:
            assert out is not None
            n = write_parquet(records(store, what.value, filters), TABLES[what.value].columns,
                              str(out))
        else:
            with _output(out) as stream:
                n = _write_text(store, fmt, what.value, filters, stream)
    if out is not None:
        warn(f"exported {n:,} {'entities' if fmt is ExportFormat.ftm else what.value} to {out}")


def _write_text(store: Store, fmt: ExportFormat, what: str, filters: Filters, stream: IO[str]) -> int:
    if fmt is ExportFormat.ftm:
        from ..export.ftm import ftm_entities

        return write_jsonl(ftm_entities(store, filters), stream)
    rows = records(store, what, filters)
    if fmt is ExportFormat.csv:
        return write_csv(rows, TABLES[what].columns, stream)
    return write_jsonl(rows, stream)


class _output:
    """A file opened for writing, or standard output."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.stream: IO[str] = sys.stdout

    def __enter__(self) -> IO[str]:
        if self.path is not None:
            try:
                self.stream = self.path.open("w", encoding="utf-8", newline="")
            except OSError as exc:
                raise SanctionwatchError(f"cannot write {self.path}: {exc.strerror}") from None
        return self.stream

    def __exit__(self, *_exc: object) -> None:
        if self.path is not None:
            self.stream.close()


__all__ = ["export"]

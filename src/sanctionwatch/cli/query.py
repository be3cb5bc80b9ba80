"""`sanctionwatch query flags|events`: list what the store holds, as a table, JSONL or CSV."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any

import typer

from ..printable import json_printable, one_line
from .common import app, table_out, warn
from .ingest import DB_OPTION
from .scan import published_option

query_app = typer.Typer(help="List stored flags and events.", no_args_is_help=True)
app.add_typer(query_app, name="query")


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


Row = dict[str, Any]
Columns = dict[str, Callable[[Row], str]]


def _party(side: str, field: str = "name") -> Callable[[Row], str]:
    return lambda row: (row.get(side) or {}).get(field) or ""


def _label(side: str) -> Callable[[Row], str]:
    """A party as one table cell: "Russia (RUS)"."""
    def label(row: Row) -> str:
        name, country = _party(side)(row), _party(side, "country")(row)
        return f"{name} ({country})" if name and country else name or country
    return label


def _article(field: str) -> Callable[[Row], str]:
    return lambda row: row["article"].get(field) or ""


def _title(row: Row) -> str:
    """The article's title, else where it was read from."""
    return row["article"].get("title") or row["article"].get("origin") or ""


def _day(row: Row) -> str:
    return row.get("day") or ""


def _flag_goods(row: Row) -> str:
    return (row.get("goods") or {}).get("text") or row.get("activity") or ""


def _event_goods(row: Row) -> str:
    return ", ".join(g["text"] for g in row.get("goods") or ()) or row.get("activity") or ""


_FLAG_CSV: Columns = {
    "day": _day, "category": lambda r: r["category"],
    "supplier": _party("supplier"), "supplier_country": _party("supplier", "country"),
    "recipient": _party("recipient"), "recipient_country": _party("recipient", "country"),
    "goods": _flag_goods, "confidence": lambda r: f"{r['confidence']:.2f}",
    "citations": lambda r: "; ".join(r.get("citations") or ()),
    "title": _article("title"), "url": _article("url"), "article_id": _article("id"),
}
_FLAG_TABLE: Columns = {
    "day": _day, "category": _FLAG_CSV["category"], "supplier": _label("supplier"),
    "recipient": _label("recipient"), "goods": _flag_goods,
    "confidence": _FLAG_CSV["confidence"], "title": _title, "article": _article("id"),
    "url": _article("url"),
}
_EVENT_CSV: Columns = {
    "day": _day, "type": lambda r: r["type"],
    "source": _party("source"), "source_country": _party("source", "country"),
    "target": _party("target"), "target_country": _party("target", "country"),
    "goods": _event_goods, "modality": lambda r: r.get("modality") or "",
    "title": _article("title"), "url": _article("url"), "article_id": _article("id"),
}
_EVENT_TABLE: Columns = {
    "day": _day, "type": _EVENT_CSV["type"], "source": _label("source"),
    "target": _label("target"), "goods": _event_goods, "modality": _EVENT_CSV["modality"],
    "title": _title, "article": _article("id"), "url": _article("url"),
}


def write_rows(rows: Iterable[Row], fmt: Format, csv_columns: Columns, table_columns: Columns,
           what: str) -> None:
    # Stored text comes from the web: control characters are escaped in every format.
    if fmt is Format.jsonl:
        for row in rows:
            sys.stdout.write(json_printable(json.dumps(row, ensure_ascii=False)) + "\n")
    elif fmt is Format.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(csv_columns)
        writer.writerows([one_line(get(row)) for get in csv_columns.values()] for row in rows)
    else:
        from rich.table import Table
        from rich.text import Text

        table = Table(title=f"Stored {what}")
        for name in table_columns:
            table.add_column(name, overflow="fold")
        for row in rows:
            table.add_row(*(Text(one_line(get(row))) for get in table_columns.values()))
        if table.row_count:
            table_out(width=220).print(table)
        else:
            warn(f"no stored {what} match")


# Options both commands take.
SINCE_OPTION = typer.Option(None, "--since", callback=published_option, metavar="YYYY-MM-DD",
                      help="On or after this date (the event's, else the article's).")
UNTIL_OPTION = typer.Option(None, "--until", callback=published_option, metavar="YYYY-MM-DD",
                      help="On or before this date.")
COUNTRY_OPTION = typer.Option(None, "--country", metavar="ISO3",
                        help="A state on either side (ISO 3166 alpha-3, e.g. PRK).")
TEXT_OPTION = typer.Option(None, "--text", metavar="TEXT",
                     help="Text in the evidence, names, goods or title.")
FORMAT_OPTION = typer.Option(Format.table, "--format", "-f", metavar="table|jsonl|csv", help="Output format.")
LIMIT_OPTION = typer.Option(None, "--limit", min=1, metavar="N", help="At most this many rows.")
CATEGORY_OPTION = typer.Option(None, "--category", metavar="ID|REGIME",
                         help="A category id (un-dprk/luxury-goods) or a regime (un-dprk).")


@query_app.command("flags")
def query_flags(
    db: str | None = DB_OPTION,
    category: str | None = CATEGORY_OPTION,
    country: str | None = COUNTRY_OPTION,
    since: str | None = SINCE_OPTION,
    until: str | None = UNTIL_OPTION,
    text: str | None = TEXT_OPTION,
    fmt: Format = FORMAT_OPTION,
    limit: int | None = LIMIT_OPTION,
) -> None:
    """Potential breaches found in stored articles, newest first."""
    from ..store import Store
    from ..store.queries import Filters, list_flags

    with Store.open(db, create=False) as store:
        rows = list_flags(store, Filters(category, country, since, until, text, limit))
        write_rows(rows, fmt, _FLAG_CSV, _FLAG_TABLE, "flags")


@query_app.command("events")
def query_events(
    db: str | None = DB_OPTION,
    event_type: str | None = typer.Option(None, "--type", metavar="TYPE",
                                          help="An event type (transfer, …)."),
    country: str | None = COUNTRY_OPTION,
    since: str | None = SINCE_OPTION,
    until: str | None = UNTIL_OPTION,
    text: str | None = TEXT_OPTION,
    fmt: Format = FORMAT_OPTION,
    limit: int | None = LIMIT_OPTION,
) -> None:
    """Events found in stored articles, newest first."""
    from ..store import Store
    from ..store.queries import Filters, list_events

    with Store.open(db, create=False) as store:
        rows = list_events(store, Filters(event_type, country, since, until, text, limit))
        write_rows(rows, fmt, _EVENT_CSV, _EVENT_TABLE, "events")


__all__ = ["COUNTRY_OPTION", "FORMAT_OPTION", "LIMIT_OPTION", "SINCE_OPTION", "TEXT_OPTION", "UNTIL_OPTION",
           "Format", "query_app", "query_events", "query_flags", "write_rows"]

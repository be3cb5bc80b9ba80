"""`sanctionwatch relations A [B]`: the relation of two states over time, as a table or a chart."""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from ..analysis.relations import Timeline, timeline
from ..store import Store
from .common import app, out, warn
from .ingest import DB_OPTION


class By(StrEnum):
    week = "week"
    month = "month"


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


_TYPES_SHOWN = 6


@app.command("relations")
def relations(
    a: str = typer.Argument(..., metavar="STATE", help="ISO 3166 alpha-3, e.g. RUS."),
    b: str | None = typer.Argument(None, metavar="[OTHER]",
                                   help="The other state; without it, STATE against all others."),
    db: str | None = DB_OPTION,
    since: str | None = typer.Option(None, "--from", metavar="YYYY[-MM[-DD]]", help="First period."),
    until: str | None = typer.Option(None, "--to", metavar="YYYY[-MM[-DD]]", help="Last period."),
    by: By = typer.Option(By.month, "--by", help="Period."),
    plot: Path | None = typer.Option(None, "--plot", metavar="FILE.png|FILE.html",
                                     help="Also draw the timeline (needs the analysis extra)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="Output format."),
) -> None:
    """Events between two states per week or month, by type, with a cooperation-conflict index
    (Goldstein weights of their CAMEO codes), the flags and incidents between them, and how many
    stored articles name both."""
    with Store.open(db, create=False) as store:
        result = timeline(store, a, b, by.value, since, until)
    if plot is not None:
        from ..analysis.plot import draw

        draw(result, plot)
        warn(f"timeline drawn to {plot}")
    if fmt is Format.jsonl:
        for period in result.periods:
            sys.stdout.write(json.dumps(period.as_dict(), ensure_ascii=False) + "\n")
    elif fmt is Format.csv:
        _csv(result)
    elif result.periods:
        out.print(_table(result))
    else:
        warn("no stored events, flags or articles for these states")


def _cells(result: Timeline) -> tuple[list[str], list[list[str]]]:
    types = result.types[:_TYPES_SHOWN]
    head = ["period", "events", *types, "other", "index", "mean", "dated text/pub", "flags",
            "incidents", "naming both"]
    rows = []
    for p in result.periods:
        shown = sum(p.events.get(t, 0) for t in types)
        total = sum(p.events.values())
        rows.append([p.period, str(total), *(str(p.events.get(t, 0)) for t in types),
                     str(total - shown), f"{p.index:+.1f}",
                     f"{p.mean:+.2f}" if p.mean is not None else "",
                     f"{p.by_event_date}/{p.by_publication}", str(sum(p.flags.values())),
                     str(sum(p.incidents.values())), f"{p.articles}/{p.published}"])
    return head, rows


def _table(result: Timeline) -> Table:
    head, rows = _cells(result)
    pair = f"{result.a}–{result.b}" if result.b else f"{result.a}–all"
    table = Table(title=f"{pair} per {result.by} (index: sum of Goldstein weights)")
    for name in head:
        if name == "period":
            table.add_column(name, no_wrap=True, min_width=8)
        else:
            table.add_column(name, justify="right", overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


def _csv(result: Timeline) -> None:
    types = result.types
    writer = csv.writer(sys.stdout)
    writer.writerow(["period", "start", "events", *(f"events_{t}" for t in types), "index", "mean",
                     "by_event_date", "by_publication", "flags", "incidents", "articles",
                     "published"])
    for p in result.periods:
        writer.writerow([p.period, p.start.isoformat(), sum(p.events.values()),
                         *(p.events.get(t, 0) for t in types), round(p.index, 2),
                         round(p.mean, 2) if p.mean is not None else "", p.by_event_date,
                         p.by_publication, sum(p.flags.values()), sum(p.incidents.values()),
                         p.articles, p.published])


__all__ = ["relations"]

"""`sanctionwatch incidents list|show|merge|split|update`: the reports of one act, together.

The store and the incident code (SQLAlchemy behind them) are imported by the commands, so that the
rest of the command line starts without them.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Any

import typer
from rich.text import Text

from ..printable import printable
from .common import app, out
from .ingest import DB_OPTION
from .query import (
    CATEGORY_OPTION,
    COUNTRY_OPTION,
    FORMAT_OPTION,
    LIMIT_OPTION,
    SINCE_OPTION,
    TEXT_OPTION,
    UNTIL_OPTION,
    Columns,
    Format,
    write_rows,
)

incidents_app = typer.Typer(help="Incidents: the flags of many articles that tell of one act.",
                            no_args_is_help=True)
app.add_typer(incidents_app, name="incidents")


def _join(field: str) -> Any:
    return lambda row: "; ".join(str(v) for v in row.get(field) or ())


# The CSV columns of `incidents list --format csv` (README: Incidents).
INCIDENT_CSV: Columns = {
    "id": lambda r: str(r["id"]), "title": lambda r: r["title"],
    "category": lambda r: r["category"], "categories": _join("categories"),
    "citations": _join("citations"),
    "supplier_country": lambda r: r["supplier_country"] or "",
    "recipient_country": lambda r: r["recipient_country"] or "",
    "date_start": lambda r: r["date_start"] or "", "date_end": lambda r: r["date_end"] or "",
    "first_seen": lambda r: r["first_seen"] or "", "last_seen": lambda r: r["last_seen"] or "",
    "articles": _join("articles"), "outlets": _join("outlets"),
    "corroboration": lambda r: str(r["corroboration"]),
    "confirmations": _join("confirmations"), "denials": lambda r: str(r["denial_count"]),
    "confidence": lambda r: f"{r['confidence']:.2f}",
}
_INCIDENT_TABLE: Columns = {
    "id": INCIDENT_CSV["id"], "title": INCIDENT_CSV["title"],
    "categories": lambda r: ", ".join(c.split("/")[-1] for c in r.get("categories") or ()),
    "articles": lambda r: str(r["article_count"]), "outlets": lambda r: str(r["outlet_count"]),
    "corroboration": INCIDENT_CSV["corroboration"], "confidence": INCIDENT_CSV["confidence"],
    "last seen": INCIDENT_CSV["last_seen"],
}


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


@incidents_app.command("list")
def incidents_list(
    db: str | None = DB_OPTION,
    category: str | None = CATEGORY_OPTION,
    country: str | None = COUNTRY_OPTION,
    since: str | None = SINCE_OPTION,
    until: str | None = UNTIL_OPTION,
    text: str | None = TEXT_OPTION,
    fmt: Format = FORMAT_OPTION,
    limit: int | None = LIMIT_OPTION,
) -> None:
    """Incidents, newest first (by the date the articles give, else when first reported)."""
    from ..analysis.incidents import list_incidents
    from ..store import Store
    from ..store.queries import Filters

    with Store.open(db, create=False) as store:
        rows = list_incidents(store, Filters(category, country, since, until, text, limit))
        write_rows(rows, fmt, INCIDENT_CSV, _INCIDENT_TABLE, "incidents")


@incidents_app.command("show")
def incidents_show(
    incident_id: int = typer.Argument(..., metavar="ID"),
    db: str | None = DB_OPTION,
    fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", metavar="text|json",
                                   help="Output format."),
) -> None:
    """One incident: its parties, goods, dates, corroboration, and each article that reports it
    with its strongest evidence."""
    from ..analysis.incidents import get_incident
    from ..store import Store

    with Store.open(db, create=False) as store:
        incident = get_incident(store, incident_id)
    if incident is None:
        raise typer.BadParameter(f"no incident {incident_id}", param_hint="ID")
    if fmt is ShowFormat.json:
        sys.stdout.write(json.dumps(incident, ensure_ascii=False, indent=2) + "\n")
    else:
        out.print(_render(incident))


def _render(incident: dict[str, Any]) -> Text:
    t = Text()
    t.append(f"Incident {incident['id']}: {printable(incident['title'])}\n", style="bold")
    if "merged_from" in incident:
        t.append(f"  (incident {incident['merged_from']} was merged into this one)\n", style="dim")
    t.append("  " + ", ".join(incident.get("categories") or ()) + "\n", style="red")
    t.append("  " + "; ".join(incident.get("citations") or ()) + "\n", style="cyan")
    for side in ("suppliers", "recipients"):
        parties = [f"{p['name']} ({p['country']})" if p.get("country") else p["name"]
                   for p in incident.get(side) or ()]
        if parties:
            t.append(f"  {side}: {printable(', '.join(parties))}\n")
    goods = [g["text"] for g in incident.get("goods") or ()]
    if goods or incident.get("activities"):
        t.append(f"  goods: {printable(', '.join(goods + list(incident.get('activities') or ())))}\n")
    dates = incident.get("dates") or {}
    t.append(f"  date: {dates.get('label')}; first seen {incident.get('first_seen')}, "
             f"last seen {incident.get('last_seen')}\n")
    t.append(f"  {incident['article_count']} articles from {incident['outlet_count']} outlets "
             f"({printable(', '.join(incident.get('outlets') or ()))}); corroboration "
             f"{incident['corroboration']}")
    if incident.get("confirmations"):
        t.append(f", confirmed by {printable(', '.join(incident['confirmations']))}")
    if incident.get("denial_count"):
        t.append(f", denied by {incident['denial_count']} outlet(s)")
    t.append(f"; confidence {incident['confidence']:.2f}\n")
    for report in incident.get("reports") or ():
        article = report["article"]
        t.append(f"\n  [{printable(str(article['id']))}] ", style="dim")
        t.append(printable(article.get("title") or article.get("url") or ""), style="bold")
        t.append(f"  {report['outlet']}, {article.get('published') or 'undated'}\n", style="dim")
        if report.get("evidence"):
            t.append(f"    “{printable(report['evidence']['text'])}”\n", style="yellow")
    for action in incident.get("history") or ():
        t.append(f"\n  {action['at']}: {action['action']} by {printable(action['who'])}", style="dim")
    return t


WHO_OPTION = typer.Option(..., "--by", metavar="NAME", help="Who makes the change (kept in the "
                                                            "incident's history).")


@incidents_app.command("merge")
def incidents_merge(
    ids: list[int] = typer.Argument(..., metavar="ID", help="Two or more incident ids."),
    who: str = WHO_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Merge incidents that tell of the same act into the one with the lowest id. Later ingests
    keep them together."""
    from ..analysis.incidents import merge
    from ..store import Store

    with Store.open(db, create=False) as store:
        target = merge(store, ids, who)
    out.print(f"Merged into incident {target}.", markup=False)


@incidents_app.command("split")
def incidents_split(
    incident_id: int = typer.Argument(..., metavar="ID"),
    article_ids: list[str] = typer.Argument(..., metavar="ARTICLE_ID",
                                            help="Ids of articles of the incident to move out."),
    who: str = WHO_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Move the reports of some articles out of an incident into a new one. Later ingests keep
    the split."""
    from ..analysis.incidents import split
    from ..store import Store

    with Store.open(db, create=False) as store:
        new = split(store, incident_id, article_ids, who)
    out.print(f"Split into incident {new}.", markup=False)


@incidents_app.command("update")
def incidents_update(db: str | None = DB_OPTION) -> None:
    """Bring incidents up to date with every stored article (ingest does this as it stores; run
    it once on a store ingested before incidents existed)."""
    from ..analysis.incidents import update_incidents
    from ..store import Store

    with Store.open(db, create=False) as store:
        stats = update_incidents(store)
    out.print(f"Reconciled {stats.articles:,} articles: {stats.opened:,} incidents opened, "
              f"{stats.attached:,} reports attached to existing ones.", markup=False)


__all__ = ["INCIDENT_CSV", "incidents_app"]

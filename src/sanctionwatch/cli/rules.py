"""`sanctionwatch rules`: the sanctions provisions the engine applies, and a check of their data."""

from __future__ import annotations

from pathlib import Path

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from .common import app, err, fail, out, table_out

rules_app = typer.Typer(help="The sanctions provisions as data: list them, check them.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


@rules_app.command("list")
def list_rules(
    regime: str | None = typer.Option(None, "--regime", "-r", metavar="REGIME",
                                      help="Only this regime (e.g. un-dprk)."),
) -> None:
    """Show every provision: category, id, direction, dates in force, citations, whether checked."""
    from ..rules import load_rules

    rules = load_rules()
    regimes = rules.regimes
    if regime is not None:
        chosen = rules.regime(regime)
        if chosen is None:
            fail(f"unknown regime {regime!r} (known: {', '.join(r.id for r in rules.regimes)})")
        regimes = (chosen,)
    table = Table(box=box.SIMPLE, pad_edge=False)
    for column in ("category", "id", "dir", "in force"):
        table.add_column(column, no_wrap=True)
    table.add_column("citations", overflow="fold", ratio=1)
    table.add_column("checked", no_wrap=True)
    for item in regimes:
        for provision in item.provisions:
            table.add_row(
                Text(provision.category), Text(provision.id.removeprefix(provision.category + "/")),
                provision.direction, provision.in_force.label(), Text("; ".join(provision.citations)),
                "yes" if provision.verified else "no",
            )
    table_out().print(table)


@rules_app.command("check")
def check(
    directory: Path | None = typer.Argument(
        None, metavar="[DIR]", help="A rules data directory to check instead of the installed one.",
        file_okay=False, show_default=False),
) -> None:
    """Validate the rule data; print one line per problem and exit non-zero if there is any."""
    from ..rules import check_rules, load_rules

    problems = check_rules(directory)
    for problem in problems:
        err.print(f"sanctionwatch: error: {problem}", markup=False, highlight=False)
    if problems:
        raise typer.Exit(1)
    rules = load_rules(directory)
    provisions = list(rules.provisions())
    checked = sum(1 for p in provisions if p.verified)
    out.print(f"ok: {len(rules.regimes)} regimes, {len(provisions)} provisions "
              f"({checked} with their facts checked, {len(provisions) - checked} marked unverified); "
              f"goods classes checked against {rules.vocabulary}",
              markup=False)


__all__ = ["rules_app"]

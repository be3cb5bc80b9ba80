"""`sanctionwatch kb`: check the knowledge base, show an entry, find entries by name."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .common import app, err, fail, out

if TYPE_CHECKING:
    from ..kb import Entry, KnowledgeBase

kb_app = typer.Typer(help="The knowledge base: countries, people, organisations, vessels, goods.",
                     no_args_is_help=True)
app.add_typer(kb_app, name="kb")

DATA_OPTION = typer.Option(None, "--data", metavar="DIR", exists=True, file_okay=False,
                           help="A knowledge-base data directory to use instead of the installed one.")


def _summary(entry: Entry) -> str:
    """What an entry is, in a few words: its kind and the facts that tell it apart, and its lists."""
    from ..kb import Country, Organisation, Person, Vessel

    if isinstance(entry, Country):
        return f"country {entry.alpha3}, {entry.status}"
    if isinstance(entry, Person):
        role = entry.role_at(None)
        text = f"person, {entry.country or 'international'}" + (f", {role.title}" if role else "")
    elif isinstance(entry, Organisation):
        text = f"{entry.kind}, {entry.country or 'international'}"
    elif isinstance(entry, Vessel):
        text = f"vessel, IMO {entry.imo or '-'}, flag {entry.flag or 'not stated'}"
    else:
        return f"goods, HS {entry.hs or '-'}, " + ", ".join(entry.classes)
    lists = sorted({listing.list for listing in entry.listed})
    return text + (f", listed: {' '.join(lists)}" if lists else "")


@kb_app.command("check")
def check(data: Path | None = DATA_OPTION) -> None:
    """Validate every data file and their cross-references; one line per problem, non-zero if any."""
    from ..kb import check_kb, load_kb

    problems = check_kb(data)
    for problem in problems:
        err.print(f"sanctionwatch: error: {problem}", markup=False, highlight=False)
    if problems:
        raise typer.Exit(1)
    kb = load_kb(data)
    out.print(f"ok: {len(kb.countries)} countries, {len(kb.people)} people, "
              f"{len(kb.organisations)} organisations, {len(kb.vessels)} vessels, "
              f"{len(kb.goods)} goods entries in {len(kb.classes)} classes; version: {kb.version}",
              markup=False)


@kb_app.command("show")
def show(
    entry_id: str = typer.Argument(..., metavar="ID",
                                   help="An entry id (country/PRK or PRK, person/kim-jong-un, "
                                        "vessel/chon-ma-san, …)."),
    data: Path | None = DATA_OPTION,
) -> None:
    """Print one entry as YAML."""
    import dataclasses

    import yaml

    from ..kb import load_kb

    kb = load_kb(data)
    entry = kb.get(entry_id) or kb.get(f"country/{entry_id.upper()}")
    if entry is None:
        fail(f"no entry {entry_id!r} in the knowledge base{_suggest(kb, entry_id)}")
    text = yaml.safe_dump(dataclasses.asdict(entry), sort_keys=False, allow_unicode=True, width=100)
    out.print(text.rstrip(), markup=False, highlight=False, soft_wrap=True)


def _suggest(kb: KnowledgeBase, entry_id: str) -> str:
    close = [e.id for e, _ in kb.find(entry_id.rpartition("/")[2].replace("-", " "))[:3]]
    close = close or difflib.get_close_matches(entry_id, [e.id for e in kb.entries()], n=3)
    return f" (did you mean {', '.join(close)}?)" if close else ""


@kb_app.command("find")
def find(
    text: str = typer.Argument(..., metavar="TEXT",
                               help="A name or part of one; case, accents and punctuation aside."),
    data: Path | None = DATA_OPTION,
) -> None:
    """List the entries with a name, alias or term containing TEXT: id, name matched, what it is."""
    from ..kb import load_kb

    if not text.strip():
        fail("give a name to look for")
    hits = load_kb(data).find(text)
    if not hits:
        fail(f"no entries match {text!r}")
    for entry, matched in hits:
        typer.echo(f"{entry.id}\t{matched}\t{_summary(entry)}")  # tab-separated: one entry a line


__all__ = ["kb_app"]

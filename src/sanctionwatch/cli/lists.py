"""`sanctionwatch lists update|rebuild|status|diff` and `sanctionwatch screen`: lists at the terminal.

The screening modules (and FollowTheMoney behind them) are imported by the commands that use them,
so that the rest of the command line starts without them.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..defaults import DEFAULT_THRESHOLD
from ..errors import SanctionwatchError
from ..printable import json_printable, one_line
from .common import app, err, fail, out, warn

if TYPE_CHECKING:
    from ..screening.diff import Entry, ListDiff
    from ..screening.sources import Source
    from ..screening.store import Installed, ListStore

lists_app = typer.Typer(help="Install, update and compare the sanctions lists used for screening.",
                        no_args_is_help=True)
app.add_typer(lists_app, name="lists")

DATA_DIR_OPTION = typer.Option(
    None, "--data-dir", metavar="DIR",
    help="Where lists and the index live (default: $SANCTIONWATCH_DATA or the user data directory).")
# Official lists change every few weeks: a copy older than this is worth an update.
MAX_AGE_DAYS = 30
Step = Callable[[str], None]  # says what an update is doing now


class Format(StrEnum):
    text = "text"
    json = "json"


FORMAT_OPTION = typer.Option(Format.text, "--format", "-f", metavar="text|json", help="Output format.")


def _store(directory: Path | None) -> ListStore:
    from ..screening.paths import data_dir
    from ..screening.store import ListStore

    return ListStore(data_dir(directory))


def _local_files(src: Source, paths: list[Path]) -> dict[str, Path]:
    """The files given on the command line, under the names the installed copy gives them."""
    from ..screening.sources import detect

    if len(paths) == 1 and paths[0].is_dir():
        found, files = detect(paths[0])
        if found.format != src.format:
            raise SanctionwatchError(f"{paths[0]}: holds a {found.id} list, not {src.id}")
        return files
    for path in paths:
        if not path.is_file():
            raise SanctionwatchError(f"{path}: no such file")
    if src.format != "ofac-csv":
        if len(paths) != 1:
            raise SanctionwatchError(f"{src.id}: give one file")
        return {src.files[0].local: paths[0]}
    files: dict[str, Path] = {}
    for path in paths:
        name = path.name.lower()
        local = "alt.csv" if "alt" in name else "add.csv" if "add" in name else "sdn.csv"
        if local in files:
            raise SanctionwatchError(f"two files for {local}: {files[local]} and {path}")
        files[local] = path
    return files


def _download(src: Source, base_url: str | None, into: Path,
              step: Step) -> tuple[dict[str, Path], dict[str, str]]:
    """The list's files fetched into `into` (local name -> path), and where each came from."""
    from ..screening.download import download

    base = (base_url or src.base).rstrip("/") + "/"
    files, urls = {}, {}
    for remote in src.files:
        dest = into / remote.local
        step(f"{src.id}: downloading {remote.remote}")
        try:
            download(base + remote.remote, dest, src.bounds)
        except SanctionwatchError as exc:
            if remote.required:
                raise
            warn(f"{src.id}: skipping {remote.local}: {exc}")
            continue
        files[remote.local] = dest
        urls[remote.local] = base + remote.remote
    return files, urls


def as_given(message: str, given: dict[str, str]) -> str:
    """A message about a working copy of a list file, naming the file as the user gave it
    (`given`: the copy's name -> the path or URL it came from) rather than the copy:
    "…/.20261130T….partial/consolidated.xml: not well-formed XML" -> "old.xml: not well-formed XML"."""
    for local, origin in given.items():
        copy = re.compile(rf"(?<![^\s(])(?:[^\s:]*/)?{re.escape(local)}(?=[:\s),]|$)")
        message = copy.sub(lambda _, named=origin: named, message)
    return message


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {what}" for what, n in counts.items() if not what.startswith(("un-", "us-")))


@contextmanager
def _progress() -> Iterator[Step]:
    """Say what an update is doing while it works: a spinner with the step and the time taken
    on a terminal, nothing in a log (each list says when it is installed)."""
    if not err.is_terminal:
        yield lambda _: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("starting")
        yield lambda what: bar.update(task, description=what, refresh=True)


@lists_app.command("update")
def update(
    sources: list[str] = typer.Option(None, "--source", "-s", metavar="un|ofac|opensanctions:DATASET",
                                      help="The list to update (repeatable; default: un and ofac)."),
    files: list[Path] = typer.Option(None, "--file", metavar="PATH",
                                     help="Install this local file (or OFAC directory), no download."),
    base_url: str = typer.Option(None, "--base-url", metavar="URL",
                                 help="Fetch the list files from here instead of the official address."),
    directory: Path = DATA_DIR_OPTION,
    force: bool = typer.Option(False, "--force", help="Install a list even if it is older than the "
                               "installed one or holds far fewer entries (see lists update --help)."),
) -> None:
    """Download the official lists (or install local files), check they parse, switch to them.
    A list older than the installed one, or with over a tenth fewer entries, is refused unless
    --force: a truncated download or a stale mirror must not replace a good list."""
    from ..fetch import download_area
    from ..screening.records import ListFormatError
    from ..screening.sources import DEFAULT_SOURCES, detect, source
    from ..screening.update_check import FORCE_HINT, ListRefused, check_update

    store = _store(directory)
    if files:
        if sources and len(sources) > 1:
            fail("--file installs one list at a time: give one --source")
        src = source(sources[0]) if sources else detect(files[0])[0]
        local = _local_files(src, files)
        chosen = [(src, local, {name: str(path) for name, path in local.items()})]
    else:
        chosen = [(source(source_id), {}, {}) for source_id in sources or DEFAULT_SOURCES]
    with download_area(store.root) as tmp, _progress() as step:
        for src, local, given in chosen:
            origin = ", ".join(map(str, files)) if files else (base_url or src.base)
            try:
                if not local:
                    into = tmp / src.dirname
                    into.mkdir()
                    local, given = _download(src, base_url, into, step)
                step(f"{src.id}: reading and checking every entry")
                item = store.install(src, local, origin, check=None if force else check_update)
            except ListFormatError as exc:
                fail(f"{src.id}: {as_given(str(exc), given)}; the installed copy is unchanged")
            except ListRefused as exc:
                fail(f"{src.id}: refused: {as_given(str(exc), given)}; the installed copy is unchanged "
                     f"({FORCE_HINT})")
            dated = f" of {item.generated}" if item.generated else ""
            out.print(f"{src.id}: installed {src.title}{dated}: {_summary(item.counts)}", markup=False)
            for problem in item.problems:
                warn(f"{src.id}: {as_given(problem, given)}")
        step("building the screening index")
        counts = store.rebuild()
    _print_index(store, counts)


@lists_app.command("rebuild")
def rebuild(directory: Path = DATA_DIR_OPTION) -> None:
    """Compile the screening index again from the installed lists (no download)."""
    store = _store(directory)
    if not store.installed():
        fail(f"no lists installed in {store.root}; run `sanctionwatch lists update`")
    with _progress() as step:
        step("building the screening index")
        counts = store.rebuild()
    _print_index(store, counts)


def _print_index(store: ListStore, counts: dict[str, int]) -> None:
    out.print(f"index: {sum(counts.values()):,} entries ({store.index_path})", markup=False)
    for list_id, n in sorted(counts.items()):
        out.print(f"  {list_id:<28} {n:>8,}", markup=False)


def list_date(item: Installed) -> tuple[str, str]:
    """How old the list in an installed copy is: the date the list gives itself ("list"), else
    the modification date of its file as it was given or downloaded ("file")."""
    if item.generated:
        return item.generated, "list"
    from ..screening.sources import source

    main = item.directory / source(item.source).files[0].local
    return datetime.fromtimestamp(main.stat().st_mtime, UTC).date().isoformat(), "file"


def _days_since(day: str, today: date | None = None) -> int:
    return ((today or datetime.now(UTC).date()) - date.fromisoformat(day[:10])).days


@lists_app.command("status")
def status(
    directory: Path = DATA_DIR_OPTION,
    max_age: int = typer.Option(MAX_AGE_DAYS, "--max-age", min=0, metavar="DAYS",
                                help="Warn about a list older than this."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Show which lists are installed, how old they are, and what the index holds."""
    from ..screening import load_screener

    store = _store(directory)
    items = store.installed()
    screener = load_screener(store.root)
    index = screener.index.counts() if screener else {}
    dates = {i.source: list_date(i) for i in items}
    old = [i.source for i in items if _days_since(dates[i.source][0]) > max_age]
    if fmt is Format.json:
        data = {"data_dir": str(store.root), "index": str(store.index_path) if screener else None,
                "lists": [{"source": i.source, "dated": dates[i.source][0], "dated_by": dates[i.source][1],
                           "age_days": _days_since(dates[i.source][0]), "outdated": i.source in old,
                           "generated": i.generated, "installed": i.installed, "origin": i.origin,
                           "counts": i.counts, "sha256": i.sha256} for i in items],
                "entries": index}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    if not items:
        out.print(f"no lists installed in {store.root}; run `sanctionwatch lists update`", markup=False)
        return
    out.print(f"data directory: {store.root}", markup=False)
    for i in items:
        day, by = dates[i.source]
        what = "list dated" if by == "list" else "list undated, its file dated"
        installed = i.installed[:16].replace("T", " ")
        out.print(f"{i.source}: {what} {day} ({_days_since(day):,} days ago), installed {installed} UTC "
                  f"from {one_line(i.origin)}", markup=False)
        out.print(f"  {_summary(i.counts)}", markup=False)
    if screener:
        out.print(f"index: {sum(index.values()):,} entries, built {screener.index.meta.get('built')}",
                  markup=False)
        for list_id, n in sorted(index.items()):
            out.print(f"  {list_id:<28} {n:>8,}", markup=False)
    else:
        out.print("index: not built; run `sanctionwatch lists update`", markup=False)
    for source_id in old:
        warn(f"warning: {source_id}: the list is {_days_since(dates[source_id][0]):,} days old (more than "
             f"{max_age}); run `sanctionwatch lists update`")


@lists_app.command("diff")
def diff(
    old: Path = typer.Argument(..., metavar="OLD",
                               help="The older list file (UN XML, OFAC sdn.csv or folder, FtM JSON)."),
    new: Path = typer.Argument(..., metavar="NEW", help="The newer file of the same list."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Show who was added to a list and who was removed (and whose names changed)."""
    from ..screening.diff import diff_lists
    from ..screening.records import ListFormatError
    from ..screening.sources import detect

    old_src, old_files = detect(old)
    new_src, new_files = detect(new)
    if old_src.format != new_src.format:
        fail(f"{old} holds a {old_src.id} list and {new} a {new_src.id} list: nothing to compare")
    sides = {"old": (old_src, old_files), "new": (new_src, new_files)}
    with tempfile.TemporaryDirectory(prefix="sanctionwatch-") as tmp:
        reads = []
        try:
            for name, (src, files) in sides.items():
                where = Path(tmp) / name
                where.mkdir()
                for local, path in files.items():
                    (where / local).symlink_to(path.resolve())
                reads.append(src.read(where))
            result = diff_lists(*reads)
        except ListFormatError as exc:
            fail(as_given(str(exc), {f"{name}/{local}": str(path) for name, (_, files) in sides.items()
                                     for local, path in files.items()}))
    if fmt is Format.json:
        sys.stdout.write(json_printable(json.dumps(_diff_json(result), indent=2, ensure_ascii=False)) + "\n")
        return
    _print_diff(result)


def _print_diff(result: ListDiff) -> None:
    out.print(f"{len(result.added)} added, {len(result.removed)} removed, {len(result.renamed)} with changed "
              f"names, {result.unchanged} unchanged", markup=False)
    if result.note:
        out.print(f"({result.note})", markup=False)
    for sign, entries in (("+", result.added), ("-", result.removed)):
        for e in entries:
            out.print(f"{sign} {e.list:<14} {one_line(e.ref):<14} {e.schema:<12} {one_line(e.caption)}",
                      markup=False)
    for before, after in result.renamed:
        # The names added and removed, but for the main name when the line says it changed.
        renamed = before.caption != after.caption
        changes = [f"+{n!r}" for n in sorted(result.names(after) - result.names(before))
                   if not (renamed and n == after.caption)]
        changes += [f"-{n!r}" for n in sorted(result.names(before) - result.names(after))
                    if not (renamed and n == before.caption)]
        line = f"~ {after.list:<14} {one_line(after.ref):<14} {after.schema:<12} "
        line += f"{before.caption} -> {after.caption}" if renamed else after.caption
        out.print(one_line(line + (f": {' '.join(changes)}" if changes else "")), markup=False)


def _diff_json(result: ListDiff) -> dict:
    def entry(e: Entry) -> dict[str, str]:
        return {"id": e.ref, "list": e.list, "schema": e.schema, "name": e.caption}

    return {"added": [entry(e) for e in result.added], "removed": [entry(e) for e in result.removed],
            "renamed": [{"before": entry(a), "after": entry(b),
                         "names_added": sorted(result.names(b) - result.names(a)),
                         "names_removed": sorted(result.names(a) - result.names(b))}
                        for a, b in result.renamed],
            "unchanged": result.unchanged, "note": result.note}


@app.command("screen")
def screen(
    name: str = typer.Argument(..., metavar="NAME", help="The name of a person, organisation or vessel."),
    kind: str = typer.Option(None, "--type", "-t", metavar="person|org|vessel", help="What the name names."),
    country: str = typer.Option(None, "--country", "-c", metavar="XX", help="Country (ISO code or name)."),
    birth_year: int = typer.Option(None, "--birth-year", min=1800, max=2100, metavar="YEAR",
                                   help="Year of birth."),
    imo: str = typer.Option(None, "--imo", metavar="NUMBER",
                            help="IMO number of a vessel or shipping company."),
    limit: int = typer.Option(5, "--limit", "-n", min=1, metavar="N", help="At most this many matches."),
    threshold: float = typer.Option(
        None, "--threshold", min=0.0, max=1.0, metavar="SCORE",
        help="The lowest score that counts as a match (default: [screening] threshold in the data "
             f"directory's config.toml, else {DEFAULT_THRESHOLD})."),
    directory: Path = DATA_DIR_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Screen a name against the installed sanctions lists and print the matches."""
    from ..screening import load_screener
    from ..screening.paths import data_dir

    if kind is not None and kind.lower() not in {"person", "org", "vessel"}:
        raise typer.BadParameter(f"not one of person, org, vessel: {kind!r}", param_hint="--type")
    if not name.strip():
        fail("the name is empty")
    for value in (name, country, imo):
        if value and one_line(value) != value:
            fail(f"not valid text (control characters, or bytes that are not UTF-8: check the "
                 f"terminal's encoding): {one_line(value)}", code=2)
    screener = load_screener(directory, threshold=threshold)
    if screener is None:
        fail(f"no sanctions lists installed in {data_dir(directory)}; run `sanctionwatch lists update`")
    hits = screener.screen(name, schema=kind, country=country, birth_year=birth_year, imo=imo, limit=limit)
    if fmt is Format.json:
        sys.stdout.write(json_printable(json.dumps([asdict(h) for h in hits], indent=2, ensure_ascii=False))
                         + "\n")
        return
    if not hits:
        out.print(f"no match for {name!r} at or above {screener.threshold:.2f}", markup=False)
        return
    for hit in hits:
        programs = f" [{', '.join(hit.programs)}]" if hit.programs else ""
        out.print(f"{hit.score:.2f}  {hit.list:<14} {one_line(hit.entry_id):<10} {hit.schema or '':<12} "
                  f"{one_line(hit.matched_name + programs)}", markup=False)
        for reason in hit.reasons[1:]:
            out.print(f"      {one_line(reason)}", markup=False)


__all__ = ["as_given", "lists_app", "list_date", "screen"]

"""`sanctionwatch lists update|rebuild|status|diff` and `sanctionwatch screen`: lists at the terminal."""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path

import typer

from ..errors import SanctionwatchError
from ..screening import load_screener
from ..screening.diff import Entry, diff_lists
from ..screening.download import download
from ..screening.matcher import DEFAULT_THRESHOLD
from ..screening.records import ListFormatError
from ..screening.sources import DEFAULT_SOURCES, Source, detect, source
from ..screening.store import ListStore, age_days, data_dir
from .common import app, fail, out, warn

lists_app = typer.Typer(help="Install, update and compare the sanctions lists used for screening.",
                        no_args_is_help=True)
app.add_typer(lists_app, name="lists")

DATA_DIR_HELP = "Where lists and the index live (default: $SANCTIONWATCH_DATA or the user data directory)."


class Format(StrEnum):
    text = "text"
    json = "json"


def _store(directory: Path | None) -> ListStore:
    return ListStore(data_dir(directory))


def _local_files(src: Source, paths: list[Path]) -> dict[str, Path]:
    """The files given on the command line, under the names the installed copy gives them."""
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


def _download(src: Source, base_url: str | None, into: Path) -> dict[str, Path]:
    base = (base_url or src.base).rstrip("/") + "/"
    files = {}
    for remote in src.files:
        dest = into / remote.local
        try:
            download(base + remote.remote, dest)
        except SanctionwatchError as exc:
            if remote.required:
                raise
            warn(f"{src.id}: skipping {remote.local}: {exc}")
            continue
        files[remote.local] = dest
    return files


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {what}" for what, n in counts.items() if not what.startswith(("un-", "us-")))


@lists_app.command("update")
def update(
    sources: list[str] = typer.Option(None, "--source", "-s", metavar="un|ofac|opensanctions:DATASET",
                                      help="The list to update (repeatable; default: un and ofac)."),
    files: list[Path] = typer.Option(None, "--file", metavar="PATH",
                                     help="Install this local file (or OFAC directory), no download."),
    base_url: str = typer.Option(None, "--base-url", metavar="URL",
                                 help="Fetch the list files from here instead of the official address."),
    directory: Path = typer.Option(None, "--data-dir", help=DATA_DIR_HELP),
) -> None:
    """Download the official lists (or install local files), check they parse, switch to them."""
    store = _store(directory)
    if files:
        if sources and len(sources) > 1:
            fail("--file installs one list at a time: give one --source")
        src = source(sources[0]) if sources else detect(files[0])[0]
        chosen = [(src, _local_files(src, files), ", ".join(map(str, files)))]
    else:
        chosen = []
        for source_id in sources or DEFAULT_SOURCES:
            src = source(source_id)
            chosen.append((src, {}, (base_url or src.base)))
    with tempfile.TemporaryDirectory(prefix="sanctionwatch-") as tmp:
        for src, local, origin in chosen:
            if not local:
                into = Path(tmp) / src.dirname
                into.mkdir()
                local = _download(src, base_url, into)
            try:
                item = store.install(src, local, origin)
            except ListFormatError as exc:
                fail(f"{src.id}: {exc}; the installed copy is unchanged")
            dated = f" of {item.generated}" if item.generated else ""
            out.print(f"{src.id}: installed {src.title}{dated}: {_summary(item.counts)}", markup=False)
            for problem in item.problems:
                warn(f"{src.id}: {problem}")
    _print_index(store, store.rebuild())


@lists_app.command("rebuild")
def rebuild(directory: Path = typer.Option(None, "--data-dir", help=DATA_DIR_HELP)) -> None:
    """Compile the screening index again from the installed lists (no download)."""
    store = _store(directory)
    if not store.installed():
        fail(f"no lists installed in {store.root}; run `sanctionwatch lists update`")
    counts = store.rebuild()
    _print_index(store, counts)


def _print_index(store: ListStore, counts: dict[str, int]) -> None:
    out.print(f"index: {sum(counts.values()):,} entries ({store.index_path})", markup=False)
    for list_id, n in sorted(counts.items()):
        out.print(f"  {list_id:<28} {n:>8,}", markup=False)


@lists_app.command("status")
def status(
    directory: Path = typer.Option(None, "--data-dir", help=DATA_DIR_HELP),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
) -> None:
    """Show which lists are installed, how old they are, and what the index holds."""
    store = _store(directory)
    items = store.installed()
    screener = load_screener(store.root)
    index = screener.index.counts() if screener else {}
    if fmt is Format.json:
        data = {"data_dir": str(store.root), "index": str(store.index_path) if screener else None,
                "lists": [{"source": i.source, "generated": i.generated, "installed": i.installed,
                           "age_days": round(age_days(i), 2), "origin": i.origin, "counts": i.counts,
                           "sha256": i.sha256} for i in items],
                "entries": index}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    if not items:
        out.print(f"no lists installed in {store.root}; run `sanctionwatch lists update`", markup=False)
        return
    out.print(f"data directory: {store.root}", markup=False)
    for i in items:
        generated = f", list dated {i.generated}" if i.generated else ""
        out.print(f"{i.source}: installed {i.installed} ({age_days(i):.1f} days ago{generated}) "
                  f"from {i.origin}", markup=False)
        out.print(f"  {_summary(i.counts)}", markup=False)
    if screener:
        out.print(f"index: {sum(index.values()):,} entries, built {screener.index.meta.get('built')}",
                  markup=False)
        for list_id, n in sorted(index.items()):
            out.print(f"  {list_id:<28} {n:>8,}", markup=False)
    else:
        out.print("index: not built; run `sanctionwatch lists update`", markup=False)


@lists_app.command("diff")
def diff(
    old: Path = typer.Argument(..., help="The older list file (UN XML, OFAC sdn.csv or folder, FtM JSON)."),
    new: Path = typer.Argument(..., help="The newer file of the same list."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
) -> None:
    """Show who was added to a list and who was removed (and whose names changed)."""
    old_src, old_files = detect(old)
    new_src, new_files = detect(new)
    if old_src.format != new_src.format:
        fail(f"{old} holds a {old_src.id} list and {new} a {new_src.id} list: nothing to compare")
    with tempfile.TemporaryDirectory(prefix="sanctionwatch-") as tmp:
        reads = []
        for name, (src, files) in (("old", (old_src, old_files)), ("new", (new_src, new_files))):
            where = Path(tmp) / name
            where.mkdir()
            for local, path in files.items():
                (where / local).symlink_to(path.resolve())
            reads.append(src.read(where))
        result = diff_lists(*reads)
    if fmt is Format.json:
        data = {"added": [_entry(e) for e in result.added], "removed": [_entry(e) for e in result.removed],
                "renamed": [{"before": _entry(a), "after": _entry(b)} for a, b in result.renamed],
                "unchanged": result.unchanged}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    out.print(f"{len(result.added)} added, {len(result.removed)} removed, {len(result.renamed)} with changed "
              f"names, {result.unchanged} unchanged", markup=False)
    for sign, entries in (("+", result.added), ("-", result.removed)):
        for e in entries:
            out.print(f"{sign} {e.list:<14} {e.id:<24} {e.schema:<12} {e.caption}", markup=False)
    for before, after in result.renamed:
        out.print(f"~ {after.list:<14} {after.id:<24} {after.schema:<12} {before.caption} -> {after.caption}",
                  markup=False)


def _entry(e: Entry) -> dict[str, str]:
    return {"id": e.id, "list": e.list, "schema": e.schema, "name": e.caption}


@app.command("screen")
def screen(
    name: str = typer.Argument(..., help="The name of a person, organisation or vessel."),
    kind: str = typer.Option(None, "--type", "-t", metavar="person|org|vessel", help="What the name names."),
    country: str = typer.Option(None, "--country", "-c", metavar="XX", help="Country (ISO code or name)."),
    birth_year: int = typer.Option(None, "--birth-year", min=1800, max=2100, help="Year of birth."),
    imo: str = typer.Option(None, "--imo", help="IMO number of a vessel or shipping company."),
    limit: int = typer.Option(5, "--limit", "-n", min=1, help="At most this many matches."),
    threshold: float = typer.Option(
        None, "--threshold", min=0.0, max=1.0,
        help="The lowest score that counts as a match (default: [screening] threshold in the data "
             f"directory's config.toml, else {DEFAULT_THRESHOLD})."),
    directory: Path = typer.Option(None, "--data-dir", help=DATA_DIR_HELP),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
) -> None:
    """Screen a name against the installed sanctions lists and print the matches."""
    if kind is not None and kind.lower() not in {"person", "org", "vessel"}:
        raise typer.BadParameter(f"not one of person, org, vessel: {kind!r}", param_hint="--type")
    if not name.strip():
        fail("the name is empty")
    screener = load_screener(directory, threshold=threshold)
    if screener is None:
        fail(f"no sanctions lists installed in {data_dir(directory)}; run `sanctionwatch lists update`")
    hits = screener.screen(name, schema=kind, country=country, birth_year=birth_year, imo=imo, limit=limit)
    if fmt is Format.json:
        sys.stdout.write(json.dumps([asdict(h) for h in hits], indent=2, ensure_ascii=False) + "\n")
        return
    if not hits:
        out.print(f"no match for {name!r} at or above {screener.threshold:.2f}", markup=False)
        return
    for hit in hits:
        programs = f" [{', '.join(hit.programs)}]" if hit.programs else ""
        out.print(f"{hit.score:.2f}  {hit.list:<14} {hit.entry_id:<10} {hit.schema or '':<12} "
                  f"{hit.matched_name}{programs}", markup=False)
        for reason in hit.reasons[1:]:
            out.print(f"      {reason}", markup=False)


__all__ = ["lists_app", "screen"]

"""`sanctionwatch ingest`: analyse a corpus into the store, with progress and a summary."""

from __future__ import annotations

import time
from types import TracebackType

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..analysis.incidents import count_incidents
from ..errors import InputProblem
from ..ingest import DEFAULT_BATCH_SIZE, IngestStats, default_workers, ingest
from ..sources import ReadOptions
from ..sources.readers import DEFAULT_MAX_CHARS
from ..store import DB_ENV, DEFAULT_DB, Store
from .common import app, err, out, warn
from .scan import published_option

LOG_EVERY_SECONDS = 10.0


DB_OPTION = typer.Option(
    None, "--db", metavar="URL|PATH",
    help=f"The store: a SQLAlchemy URL or a SQLite file (default: ${DB_ENV}, else ./{DEFAULT_DB}).")


@app.command("ingest")
def ingest_command(
    sources: list[str] = typer.Argument(
        ..., metavar="SOURCE", help="Files, directories, JSONL, RSS/Atom feeds (files or URLs), WARC, .gz of "
                  "these, or - for standard input."),
    db: str | None = DB_OPTION,
    workers: int = typer.Option(
        default_workers(), "--workers", "-w", min=0,
        help="Analysis processes (0: analyse in this process)."),
    batch_size: int = typer.Option(
        DEFAULT_BATCH_SIZE, "--batch-size", min=1,
        help="Articles per batch: analysed together, saved in one transaction."),
    published: str | None = typer.Option(
        None, "--published", callback=published_option, metavar="YYYY-MM-DD",
        help="Publication date for articles that carry none."),
    max_size: int = typer.Option(
        DEFAULT_MAX_CHARS, "--max-size", min=1, metavar="CHARS",
        help="Refuse articles longer than this many characters."),
    all_events: bool = typer.Option(
        False, "--all-events",
        help="Parse every sentence, to store the events no flag needs (visits, meetings, "
             "agreements) for `relations`; slower."),
) -> None:
    """Analyse many articles into the store. Articles stored before are skipped; a run that
    was stopped goes on where it stopped when run again."""
    with Store.open(db) as store:
        with IngestProgress(err) as progress:
            stats = ingest(sources, store, workers=workers, batch_size=batch_size,
                           read_options=ReadOptions(published=published, max_chars=max_size),
                           on_problem=progress.problem, on_progress=progress.update,
                           all_events=all_events)
        out.print(summary(stats), markup=False)
        counts = store.counts()
        out.print(f"The store holds {counts['articles']:,} articles, {counts['flags']:,} flags in "
                  f"{count_incidents(store):,} incidents, {counts['events']:,} events, "
                  f"{counts['entities']:,} entities.", markup=False)
    if stats.problems:
        raise typer.Exit(1)


def summary(stats: IngestStats) -> str:
    elapsed = max(stats.elapsed, 1e-9)
    return (
        f"Ingested {stats.done:,} articles in {_duration(elapsed)} "
        f"({stats.done / elapsed:.1f} articles/s, {stats.words / elapsed:,.0f} words/s "
        f"analysed): {stats.new:,} new, "
        f"{stats.replaced:,} re-analysed, {stats.skipped:,} already stored, "
        f"{stats.problems:,} problems; {stats.flags:,} flags found, {stats.incidents:,} new incidents."
    )


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h {minutes:02d}m {secs:02d}s"
    return f"{minutes}m {secs:02d}s" if minutes else f"{seconds:.1f}s"


class IngestProgress:
    """A live progress bar on a terminal; a plain line every few seconds otherwise (logs)."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar: Progress | None = None
        self.task = None
        self.last_line = time.monotonic()

    def __enter__(self) -> IngestProgress:
        if self.console.is_terminal:
            self.bar = Progress(
                SpinnerColumn(), TextColumn("ingest"), BarColumn(),
                TextColumn("{task.fields[count]} articles"),
                TextColumn("{task.fields[rate]:.1f}/s"),
                TextColumn("{task.fields[flags]:,} flags"),
                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                console=self.console)
            self.bar.start()
            self.task = self.bar.add_task("ingest", total=None, count="0", rate=0.0, flags=0)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.bar is not None:
            self.bar.stop()

    def problem(self, problem: InputProblem) -> None:
        warn(f"error: {problem}")

    def update(self, stats: IngestStats) -> None:
        if self.bar is not None and self.task is not None:
            count = f"{stats.done:,}" + (f"/{stats.total:,}" if stats.total else "")
            self.bar.update(self.task, completed=stats.done, total=stats.total, count=count,
                            rate=stats.rate(), flags=stats.flags)
        elif time.monotonic() - self.last_line >= LOG_EVERY_SECONDS:
            self.last_line = time.monotonic()
            of = f" of {stats.total:,}" if stats.total else ""
            warn(f"ingest: {stats.done:,}{of} articles ({stats.rate():.1f}/s), "
                 f"{stats.flags:,} flags, {stats.problems:,} problems")


__all__ = ["IngestProgress", "DB_OPTION", "ingest_command", "summary"]

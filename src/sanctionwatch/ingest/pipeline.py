"""The ingest pipeline: read → skip what is stored → analyse in worker processes → save.

Reading, the store and the saving happen in this process; analysis happens in `workers`
processes (the model loaded once in each). Only a bounded number of batches is in flight, so
memory stays flat however large the corpus. Each batch is saved in one transaction: a run killed
at any moment loses at most the batches in flight, and the next run analyses just those again.

After each saved batch the incidents are brought up to date for its articles, batch after batch
in input order (whatever order the workers finish in), so the same input gives the same
incidents; at the end, any article a killed run left without incidents is reconciled too.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

from ..analysis.incidents import update_incidents
from ..errors import InputProblem, SanctionwatchError
from ..model import Article
from ..sources import ReadOptions, read_inputs
from ..store import Store, article_key
from . import worker
from .estimate import count_articles

DEFAULT_BATCH_SIZE = 32


@dataclass
class IngestStats:
    total: int | None = None  # articles the sources hold, when cheap to know
    skipped: int = 0  # stored before by the same versions: not analysed again
    new: int = 0
    replaced: int = 0  # stored before by other versions: analysed again, results replaced
    failed: int = 0  # read but could not be analysed
    problems: int = 0  # inputs that could not be read, and failed analyses
    flags: int = 0  # flags in the articles analysed in this run
    incidents: int = 0  # incidents opened in this run
    words: int = 0  # words in the articles analysed in this run
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        return self.skipped + self.new + self.replaced + self.failed

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def rate(self) -> float:
        """Articles done per second."""
        return self.done / max(self.elapsed, 1e-9)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _ignore(_: Any) -> None:
    pass


def ingest(
    sources: Sequence[str],
    store: Store,
    *,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    read_options: ReadOptions | None = None,
    on_problem: Callable[[InputProblem], None] = _ignore,
    on_progress: Callable[[IngestStats], None] = _ignore,
    all_events: bool = False,
) -> IngestStats:
    """Read every article of the sources, analyse those the store does not hold from the current
    versions, save them and update the incidents. `workers=0` analyses in this process.
    `all_events` parses every sentence (no prefilter), so that the events no flag needs (visits,
    meetings, agreements) are stored too, for relations over time; articles stored that way are
    not analysed again by a run without it."""
    items = read_inputs(sources, read_options or ReadOptions())
    return ingest_items(items, store, workers=workers, batch_size=batch_size,
                        total=count_articles(sources), on_problem=on_problem,
                        on_progress=on_progress, all_events=all_events)


def ingest_items(
    items: Iterable[Article | InputProblem],
    store: Store,
    *,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    total: int | None = None,
    on_problem: Callable[[InputProblem], None] = _ignore,
    on_progress: Callable[[IngestStats], None] = _ignore,
    all_events: bool = False,
) -> IngestStats:
    """`ingest` for articles already read (the monitor reads feeds itself)."""
    workers = default_workers() if workers is None else workers
    stats = IngestStats(total=total)
    run = _Run(store, stats, on_problem, on_progress, max_in_flight=max(workers, 1) * 2,
               all_events=all_events)
    executor = _executor(workers)
    try:
        run.current = executor.submit(worker.versions, all_events).result()
        run.accepted = {run.current, worker.with_all_events(run.current)}
        for batch in _batches(iter(items), batch_size, run.problem):
            todo = run.select(batch)
            if todo:
                run.wait_below_limit()
                run.submit(executor, todo)
            on_progress(stats)
        run.drain()
        stats.incidents += update_incidents(store).opened  # what an earlier, killed run left
    except BrokenProcessPool:
        raise SanctionwatchError(
            "a worker process stopped unexpectedly (out of memory?); every saved batch is kept: "
            "run the same command again to go on") from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return stats


class _Run:
    def __init__(self, store: Store, stats: IngestStats,
                 on_problem: Callable[[InputProblem], None],
                 on_progress: Callable[[IngestStats], None], max_in_flight: int,
                 all_events: bool = False) -> None:
        self.store = store
        self.stats = stats
        self.on_problem = on_problem
        self.on_progress = on_progress
        self.max_in_flight = max_in_flight
        self.all_events = all_events
        self.current = ""  # versions of the analysis this run applies (store.keys.versions_key)
        self.accepted: set[str] = set()  # stored versions this run does not analyse again
        self.in_flight: dict[Future[worker.BatchResult], tuple[int, set[str]]] = {}
        self.keys_in_flight: set[str] = set()
        self.submitted = 0  # batches submitted, numbered in input order
        self.next_due = 0  # the next batch whose incidents are to be updated
        self.saved: dict[int, list[str]] = {}  # batch number -> keys saved, in input order

    def problem(self, problem: InputProblem) -> None:
        self.stats.problems += 1
        self.on_problem(problem)

    def select(self, batch: list[tuple[str, Article]]) -> worker.Batch:
        """The articles of a batch that need analysis: not stored by the current versions, not
        already in flight, not repeated in the batch."""
        stored = self.store.stored_versions(key for key, _ in batch)
        todo: worker.Batch = []
        chosen: set[str] = set()
        for key, article in batch:
            if stored.get(key) in self.accepted or key in self.keys_in_flight or key in chosen:
                self.stats.skipped += 1
            else:
                chosen.add(key)
                todo.append((key, article))
        return todo

    def submit(self, executor: Executor, todo: worker.Batch) -> None:
        keys = {key for key, _ in todo}
        self.keys_in_flight |= keys
        self.in_flight[executor.submit(worker.analyse, todo, self.all_events)] = (self.submitted, keys)
        self.submitted += 1

    def wait_below_limit(self) -> None:
        while len(self.in_flight) >= self.max_in_flight:
            self._collect(wait(self.in_flight, return_when=FIRST_COMPLETED).done)

    def drain(self) -> None:
        while self.in_flight:
            self._collect(wait(self.in_flight, return_when=FIRST_COMPLETED).done)

    def _collect(self, done: Iterable[Future[worker.BatchResult]]) -> None:
        for future in done:
            result = future.result()
            saved = self.store.save(result.rows) if result.rows else None
            number, keys = self.in_flight.pop(future)
            self.keys_in_flight -= keys
            # Only articles with a flag or a denial can change incidents (an article analysed
            # again that lost its flags is reconciled at the end, as pending).
            self.saved[number] = [rows.key for rows in result.rows if rows.flag_count or any(
                e["modality"] == "denied" for e in rows.items["events"])]
            stats = self.stats
            if saved:
                stats.new += saved.new
                stats.replaced += saved.replaced
                stats.skipped += saved.unchanged
            stats.flags += sum(rows.flag_count for rows in result.rows)
            stats.words += sum(rows.article["words"] for rows in result.rows)
            stats.failed += len(result.failures)
            for failure in result.failures:
                self.problem(failure)
            self._update_incidents()
            self.on_progress(stats)

    def _update_incidents(self) -> None:
        """Incidents for the saved batches that are due: in input order, none skipped."""
        while self.next_due in self.saved:
            keys = self.saved.pop(self.next_due)
            self.next_due += 1
            ids = self.store.article_ids(keys)
            if ids:
                self.stats.incidents += update_incidents(
                    self.store, [ids[k] for k in keys if k in ids]).opened


def _batches(items: Iterator[Article | InputProblem], size: int,
             on_problem: Callable[[InputProblem], None]) -> Iterator[list[tuple[str, Article]]]:
    batch: list[tuple[str, Article]] = []
    for item in items:
        if isinstance(item, InputProblem):
            on_problem(item)
            continue
        batch.append((article_key(item.text, item.url), item))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _InlineExecutor(Executor):
    """Runs each task at once in this process (workers=0)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


def _executor(workers: int) -> Executor:
    if workers == 0:
        return _InlineExecutor()
    # spawn, not fork: the parent may run threads (the progress display), which fork does not copy.
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                               initializer=worker.start_worker)

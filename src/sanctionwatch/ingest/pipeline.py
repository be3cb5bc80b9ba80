"""The ingest pipeline: read → skip what is stored → analyse in worker processes → save.

Reading, the store and the saving happen in this process; analysis happens in `workers`
processes (the model loaded once in each). Only a bounded number of batches is in flight, so
memory stays flat however large the corpus. Each batch is saved in one transaction: a run killed
at any moment loses at most the batches in flight, and the next run analyses just those again.

After each saved batch the incidents are brought up to date for its articles, batch after batch
in input order (whatever order the workers finish in), so the same input gives the same
incidents; at the end, any article a killed run left without incidents is reconciled too.

A batch has a time limit (`TimeLimit`), which the worker's kernel timer enforces: spaCy's
tokenizer holds the interpreter, so no Python code in the worker could stop it. When a worker
process dies (over its time, out of memory, a crash), the batches in flight are analysed again,
one article at a time, and the article that kills a worker alone is reported and skipped; the
run goes on with a new pool. A bad article costs only itself, never the run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

from ..analysis.incidents import update_incidents
from ..defaults import DEFAULT_BATCH_SIZE, TimeLimit, default_workers
from ..errors import InputProblem, SanctionwatchError
from ..model import Article
from ..sources import ReadOptions, read_inputs
from ..store import Store, article_key
from . import worker
from .estimate import count_articles
from .rescreen import only_lists_differ


@dataclass
class IngestStats:
    total: int | None = None  # articles the sources hold, when cheap to know
    skipped: int = 0  # stored before by the same versions: not analysed again
    new: int = 0
    replaced: int = 0  # stored before by other versions: analysed again, results replaced
    rescreened: int = 0  # stored before under other lists: screened again, not parsed
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


def _ignore(_: Any) -> None:
    pass


def ingest(
    sources: Sequence[str],
    store: Store,
    *,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    read_options: ReadOptions | None = None,
    time_limit: TimeLimit | None = None,
    on_problem: Callable[[InputProblem], None] = _ignore,
    on_progress: Callable[[IngestStats], None] = _ignore,
    all_events: bool = False,
) -> IngestStats:
    """Read every article of the sources, analyse those the store does not hold from the current
    versions, save them and update the incidents. `workers=0` analyses in this process (with no
    time limit). `all_events` parses every sentence (no prefilter), so that the events no flag
    needs (visits, meetings, agreements) are stored too, for relations over time; articles stored
    that way are not analysed again by a run without it."""
    items = read_inputs(sources, read_options or ReadOptions())
    return ingest_items(items, store, workers=workers, batch_size=batch_size, time_limit=time_limit,
                        total=count_articles(sources), on_problem=on_problem,
                        on_progress=on_progress, all_events=all_events)


def ingest_items(
    items: Iterable[Article | InputProblem],
    store: Store,
    *,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    time_limit: TimeLimit | None = None,
    total: int | None = None,
    on_problem: Callable[[InputProblem], None] = _ignore,
    on_progress: Callable[[IngestStats], None] = _ignore,
    all_events: bool = False,
) -> IngestStats:
    """`ingest` for articles already read (the monitor reads feeds itself)."""
    workers = default_workers() if workers is None else workers
    stats = IngestStats(total=total)
    run = _Run(store, stats, on_problem, on_progress, workers, time_limit or TimeLimit(), all_events)
    try:
        try:
            run.current = run.pool.submit(worker.versions, all_events).result()
        except BrokenProcessPool:
            raise SanctionwatchError("the analysis process stopped while loading the model (out of "
                                     "memory?)") from None
        run.accepted = {run.current, worker.with_all_events(run.current)}
        run.rescreen_stored(batch_size)
        for batch in _batches(iter(items), batch_size, run.problem):
            todo = run.select(batch)
            if todo:
                run.wait_below_limit()
                run.submit(todo)
            on_progress(stats)
        run.drain()
        stats.incidents += update_incidents(store).opened  # what an earlier, killed run left
    except Exception:
        with suppress(Exception):  # what is in flight is saved before the error is told
            run.drain()
        raise
    except BaseException:  # Ctrl-C, SystemExit: save what is done, do not wait for the rest
        run.save_done()
        raise
    finally:
        run.pool.shutdown(wait=True, cancel_futures=True)
    return stats


# a batch in flight: its articles, when it was submitted, its number in input order
_Result = tuple[worker.Batch, float, int]


class _Run:
    def __init__(self, store: Store, stats: IngestStats,
                 on_problem: Callable[[InputProblem], None],
                 on_progress: Callable[[IngestStats], None], workers: int,
                 time_limit: TimeLimit, all_events: bool = False) -> None:
        self.store = store
        self.stats = stats
        self.on_problem = on_problem
        self.on_progress = on_progress
        self.workers = workers
        self.time_limit = time_limit
        self.max_in_flight = max(workers, 1) * 2
        self.pool = _executor(workers)
        self.all_events = all_events
        self.current = ""  # versions of the analysis this run applies (store.keys.versions_key)
        self.accepted: set[str] = set()  # stored versions this run does not analyse again
        self.in_flight: dict[Future[worker.BatchResult], _Result] = {}
        self.keys_in_flight: set[str] = set()
        self.submitted = 0  # batches submitted, numbered in input order
        self.next_due = 0  # the next batch whose incidents are to be updated
        self.saving: dict[int, list[str]] = {}  # batch number -> keys saved so far
        self.saved: dict[int, list[str]] = {}  # batch number -> keys saved, the batch complete

    def rescreen_stored(self, batch_size: int) -> None:
        """Screen again every stored article whose analysis is current but for the lists: new
        hits and flags from the stored entities and events, no parse (ingest.rescreen)."""
        keys = self.store.keys_where_versions(lambda stored: only_lists_differ(stored, self.current))
        pending: list[Future[worker.BatchResult]] = []
        for start in range(0, len(keys), batch_size):
            batch = [(key, self.store.report(key)) for key in keys[start:start + batch_size]]
            pending.append(self.pool.submit(worker.rescreen, [(key, r) for key, r in batch if r]))
            if len(pending) >= self.max_in_flight:
                self._rescreened(pending.pop(0).result())
        for future in pending:
            self._rescreened(future.result())

    def _rescreened(self, result: worker.BatchResult) -> None:
        saved = self.store.save(result.rows) if result.rows else None
        self.stats.rescreened += saved.replaced if saved else 0
        self.stats.flags += sum(rows.flag_count for rows in result.rows)
        self.stats.failed += len(result.failures)
        for failure in result.failures:
            self.problem(failure)
        ids = self.store.article_ids([rows.key for rows in result.rows if rows.flag_count])
        if ids:
            self.stats.incidents += update_incidents(self.store, list(ids.values())).opened
        self.on_progress(self.stats)

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

    def submit(self, todo: worker.Batch) -> None:
        self.keys_in_flight |= {key for key, _ in todo}
        seconds = self.time_limit.of(article for _, article in todo) if self.workers else None
        try:
            future = self.pool.submit(worker.analyse, todo, self.all_events, seconds)
        except BrokenProcessPool:  # the pool broke since the last look: this batch is a suspect too
            future = Future()
            future.set_exception(BrokenProcessPool())
        self.in_flight[future] = (todo, time.monotonic(), self.submitted)
        self.submitted += 1

    def wait_below_limit(self) -> None:
        while len(self.in_flight) >= self.max_in_flight:
            self._collect(wait(self.in_flight, return_when=FIRST_COMPLETED).done)

    def drain(self) -> None:
        while self.in_flight:
            self._collect(wait(self.in_flight, return_when=FIRST_COMPLETED).done)

    def save_done(self) -> None:
        """Save the batches that are done, without waiting for the others."""
        done = [f for f in self.in_flight if f.done() and f.exception() is None]
        for future in done:
            batch, _, number = self.in_flight.pop(future)
            self._save(batch, future.result(), number)

    def _collect(self, done: Iterable[Future[worker.BatchResult]]) -> None:
        suspects: list[_Result] = []
        for future in done:
            batch, submitted, number = self.in_flight.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool:
                suspects.append((batch, submitted, number))
                continue
            self._save(batch, result, number)
        if suspects:
            self._recover(suspects)

    def _save(self, batch: worker.Batch, result: worker.BatchResult, number: int,
              complete: bool = True) -> None:
        """Save a batch's rows (or, with `complete` false, part of them), then the incidents of
        the batches now due."""
        saved = self.store.save(result.rows) if result.rows else None
        self.keys_in_flight -= {key for key, _ in batch}
        # Only articles with a flag or a denial can change incidents (an article analysed again
        # that lost its flags is reconciled at the end, as pending).
        self.saving.setdefault(number, []).extend(rows.key for rows in result.rows if rows.flag_count or any(
            e["modality"] == "denied" for e in rows.items["events"]))
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
        if complete:
            self.saved[number] = self.saving.pop(number)
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

    def _recover(self, suspects: list[_Result]) -> None:
        """A worker process died: every batch in flight is lost with the pool. Each of their
        articles is analysed again alone, one at a time in a new pool, so the one that kills a
        worker is known; it is reported and skipped."""
        for future, (batch, submitted, number) in list(self.in_flight.items()):
            del self.in_flight[future]
            if future.done() and future.exception() is None:
                self._save(batch, future.result(), number)
            else:
                suspects.append((batch, submitted, number))
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = _executor(self.workers)
        for batch, _, number in sorted(suspects, key=lambda s: s[2]):
            for n, item in enumerate(batch, 1):
                seconds = self.time_limit.of([item[1]])
                started = time.monotonic()
                try:
                    result = self.pool.submit(worker.analyse, [item], self.all_events, seconds).result()
                except BrokenProcessPool:
                    took = time.monotonic() - started
                    result = worker.BatchResult(failures=[_killed(item[1], seconds, took)])
                    self.pool.shutdown(wait=True)
                    self.pool = _executor(self.workers)
                self._save([item], result, number, complete=n == len(batch))


def _killed(article: Article, seconds: float, took: float) -> InputProblem:
    what = f"article {article.with_id().id} ({len(article.text):,} characters)"
    if took >= seconds:
        why = f"analysis took longer than its limit of {seconds:,.1f} s (see --time-limit)"
    else:
        why = "the analysis process died (out of memory?)"
    return InputProblem(article.origin or "<input>", f"{what}: {why}; skipped")


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

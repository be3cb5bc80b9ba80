"""What runs in a worker process: the analyzer, loaded once, applied to batches of articles.

Functions here are top level so a process pool can call them by name.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..errors import InputProblem, SanctionwatchError
from ..model import Article, Report
from ..store.keys import versions_key
from ..store.rows import ArticleRows, article_rows
from .rescreen import rescreened

if TYPE_CHECKING:
    from ..analyze import Analyzer

Batch = list[tuple[str, Article]]  # (store key, article)
PARENT_CHECK_SECONDS = 1.0


@dataclass
class BatchResult:
    rows: list[ArticleRows] = field(default_factory=list)
    failures: list[InputProblem] = field(default_factory=list)


def start_worker() -> None:
    """Pool initializer. Ctrl-C is for the parent, which stops the pool; and should the parent
    be killed outright, this worker stops too rather than wait on its task queue for ever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


# An analysis that parsed every sentence says so in its versions: its events differ.
ALL_EVENTS = {"parse": "all-events"}


def analyzer(all_events: bool = False) -> Analyzer:
    """The process's analyzer, built on first use. It is cached by default_analyzer alone, so that
    clearing that cache (to load newly installed lists) reaches ingest too. It is built in a
    task, not in the pool initializer, so that a failure (say, invalid knowledge data) reaches
    the parent as an error.
    A corpus is analysed with the prefilter (no parse where no flag can be), unless all events
    are wanted."""
    from ..analyze import default_analyzer  # here: the parent process never loads the model

    try:
        return default_analyzer(prefilter=not all_events)
    except SanctionwatchError as exc:
        raise SanctionwatchError(str(exc)) from None  # a plain error pickles back intact


def _versions(loaded: Analyzer, all_events: bool) -> dict[str, str]:
    return {**loaded.versions, **ALL_EVENTS} if all_events else loaded.versions


def versions(all_events: bool = False) -> str:
    """The versions this worker's analyzer puts in its reports (store.keys.versions_key)."""
    return versions_key(_versions(analyzer(all_events), all_events))


def with_all_events(key: str) -> str:
    """The versions key of the same analysis when it parses every sentence."""
    return versions_key({**json.loads(key), **ALL_EVENTS})


def analyse(batch: Batch, all_events: bool = False, seconds: float | None = None) -> BatchResult:
    """Rows for each article of the batch. Should the analyzer fail on the batch, the articles
    are analysed one by one so only the one that fails is lost, reported as a failure.

    With `seconds`, this process is killed by the kernel (SIGALRM, not handled) should the batch
    take longer: the parent then finds the article that takes too long (pipeline._Run._recover).
    """
    loaded = analyzer(all_events)  # before the timer: loading the model is not the batch's time
    with _time_limit(seconds):
        return _analyse_each_on_failure(loaded, batch, all_events)


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    if seconds is None or not hasattr(signal, "setitimer"):
        yield
        return
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the default action ends the process
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _analyse_each_on_failure(loaded: Analyzer, batch: Batch, all_events: bool) -> BatchResult:
    try:
        return BatchResult(rows=_analyse(loaded, batch, all_events))
    except Exception as exc:
        if len(batch) == 1:
            return BatchResult(failures=[_failure(batch[0][1], exc)])
    result = BatchResult()
    for item in batch:
        single = _analyse_each_on_failure(loaded, [item], all_events)
        result.rows += single.rows
        result.failures += single.failures
    return result


def rescreen(batch: list[tuple[str, Report]]) -> BatchResult:
    """Rows for stored reports screened again with this worker's lists (no parse)."""
    loaded = analyzer()
    return BatchResult(rows=[article_rows(key, report.article, rescreened(loaded, report))
                             for key, report in batch])


def _analyse(loaded: Analyzer, batch: Batch, all_events: bool) -> list[ArticleRows]:
    # Strings the pipeline interns for these texts are freed afterwards, so a long ingest does
    # not grow the vocabulary without bound; reports hold plain Python values only.
    with loaded.nlp.memory_zone():
        reports = loaded.analyze_many((article for _, article in batch), batch_size=len(batch))
        if all_events:
            reports = [replace(r, versions=_versions(loaded, True)) for r in reports]
        return [article_rows(key, article, report)
                for (key, article), report in zip(batch, reports, strict=True)]


def _failure(article: Article, exc: Exception) -> InputProblem:
    return InputProblem(article.origin or "<input>", f"article {article.with_id().id}: "
                                                     f"analysis failed: {type(exc).__name__}: {exc}")

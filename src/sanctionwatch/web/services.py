"""What the routes use, built once per worker process: the store, the analysis thread, the
screener and the URL fetcher. Routes get them injected (`Depends(services)`), tests build them
with stand-ins where the real thing would reach outside (DNS)."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from fastapi import Request

from ..errors import SanctionwatchError
from ..model import Article, Report
from ..net import Fetcher
from ..store import Store
from .settings import Settings

if TYPE_CHECKING:
    from ..analyze import Analyzer
    from ..screening import Screener

log = logging.getLogger("sanctionwatch.web")


class Busy(SanctionwatchError):
    """Too many scans are waiting: try again shortly."""


class NotReady(SanctionwatchError):
    """What the request needs is still loading (or failed to load)."""


def _default_analyzer() -> Analyzer:
    from ..analyze import default_analyzer

    return default_analyzer()


def _default_screener() -> Screener | None:
    from ..screening import load_screener

    return load_screener()


class Loaded:
    """Something slow to load, loaded once in the background; `get` waits for it."""

    def __init__(self, what: str, load: Callable[[], Any]) -> None:
        self.what = what
        self._load = load
        self._future: Future[Any] | None = None
        self._lock = threading.Lock()

    def start(self, executor: ThreadPoolExecutor) -> None:
        with self._lock:
            if self._future is None:
                self._future = executor.submit(self._load_logged)

    def _load_logged(self) -> Any:
        try:
            value = self._load()
        except Exception:
            log.exception("cannot load the %s", self.what)
            raise
        log.info("%s loaded", self.what)
        return value

    @property
    def ready(self) -> bool:
        return self._future is not None and self._future.done() and self._future.exception() is None

    @property
    def failed(self) -> str | None:
        if self._future is not None and self._future.done() and self._future.exception():
            return f"{type(self._future.exception()).__name__}: {self._future.exception()}"
        return None

    def get(self) -> Any:
        if self._future is None:
            raise NotReady(f"the {self.what} is not loading")
        try:
            return self._future.result()
        except Exception as exc:
            raise NotReady(f"the {self.what} could not be loaded: {exc}") from None


class Analysis:
    """Articles analysed one at a time in this worker's analysis thread, which also loads the
    model (once); the event loop goes on serving other requests meanwhile."""

    def __init__(self, load: Callable[[], Analyzer], queue: int) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analysis")
        self.analyzer = Loaded("analysis model", load)
        self._queue = queue
        self._waiting = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        self.analyzer.start(self._executor)

    async def analyze(self, article: Article) -> Report:
        with self._lock:
            if self._waiting >= self._queue:
                raise Busy(f"{self._waiting} articles are waiting to be analysed; try again shortly")
            self._waiting += 1
        try:
            return await asyncio.wrap_future(self._executor.submit(self._run, article))
        finally:
            with self._lock:
                self._waiting -= 1

    def _run(self, article: Article) -> Report:
        analyzer = self.analyzer.get()
        # Strings interned for this text are freed after it, so the vocabulary does not grow.
        with analyzer.nlp.memory_zone():
            return analyzer.analyze(article)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class Screening:
    """Names screened against the installed lists; one look-up at a time (the index's cache
    is not shared between threads)."""

    def __init__(self, load: Callable[[], Screener | None]) -> None:
        self.screener = Loaded("sanctions lists", load)
        self._lock = threading.Lock()

    def screen(self, name: str, **query: Any) -> list[Any]:
        screener = self.screener.get()
        if screener is None:
            raise NotReady("no sanctions lists are installed (sanctionwatch lists update)")
        with self._lock:
            return screener.screen(name, **query)


class Services:
    def __init__(self, settings: Settings, *, analyzer: Callable[[], Analyzer] | None = None,
                 screener: Callable[[], Screener | None] | None = None,
                 fetcher: Fetcher | None = None) -> None:
        self.settings = settings
        self.store: Store | None = None
        self.analysis = Analysis(analyzer or _default_analyzer, settings.queue)
        self.screening = Screening(screener or _default_screener)
        self.fetcher = fetcher or Fetcher(settings.fetch)
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="load")

    def start(self) -> None:
        self.store = Store.open(self.settings.db)
        self.analysis.start()
        self.screening.screener.start(self._loader)

    def close(self) -> None:
        self.analysis.close()
        self._loader.shutdown(wait=False, cancel_futures=True)
        self.fetcher.close()
        if self.store is not None:
            self.store.close()

    def readiness(self) -> dict[str, Any]:
        """What is loaded; the service is ready when the store and the model are."""
        lists = ("failed" if self.screening.screener.failed else
                 "loading" if not self.screening.screener.ready else
                 "loaded" if self.screening.screener.get() is not None else "none installed")
        model = ("loaded" if self.analysis.analyzer.ready else
                 "failed" if self.analysis.analyzer.failed else "loading")
        return {"ready": self.store is not None and model == "loaded",
                "store": "open" if self.store is not None else "closed",
                "model": model, "lists": lists}


def services(request: Request) -> Services:
    return request.app.state.services


def store(request: Request) -> Store:
    opened = request.app.state.services.store
    if opened is None:
        raise NotReady("the store is not open")
    return opened

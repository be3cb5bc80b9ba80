"""The monitor: poll each source when it is due, ingest what is new, raise and send alerts.

A source that fails (an HTTP error, a time-out, a missing directory) waits longer before its
next poll (the interval doubled per failure in a row, up to `longest_backoff`) while the
others go on. Everything it needs to resume is in the store: each source's validators and
back-off, the files already read, the alerts raised and delivered.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..errors import InputProblem, SanctionwatchError
from ..ingest import ingest_items
from ..net import Fetcher, FetchError, FetchPolicy
from ..sources import ReadOptions
from ..store import Store
from . import alerts
from .sources import SourceState, backoff, load_state, now_utc, poll, save_state

log = logging.getLogger("sanctionwatch.monitor")


@dataclass(frozen=True)
class MonitorConfig:
    sources: tuple[str, ...]
    every: timedelta = timedelta(minutes=15)
    min_confidence: float = 0.5
    webhook: alerts.Webhook | None = None
    dashboard_url: str | None = None
    longest_backoff: timedelta = timedelta(hours=6)
    # The sources are the operator's own: any address may be polled, within time and size limits.
    fetch: FetchPolicy = field(default_factory=lambda: FetchPolicy(
        any_address=True, max_bytes=64 * 1024 * 1024, read_timeout=30.0, deadline=120.0))
    workers: int = 0  # analysis processes for ingest; 0: in this process (the model stays loaded)


@dataclass
class SourceResult:
    source: str
    status: str  # "new", "unchanged", "failed", "waiting"
    articles: int = 0  # new or re-analysed
    problems: int = 0
    error: str | None = None


@dataclass
class PollResult:
    sources: list[SourceResult]
    alerts_raised: int = 0
    delivered: int = 0
    undelivered: int = 0


class Monitor:
    def __init__(self, store: Store, config: MonitorConfig,
                 clock: Callable[[], datetime] = now_utc,
                 fetcher: Fetcher | None = None) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        self.fetcher = fetcher or Fetcher(config.fetch)
        self.options = ReadOptions()
        self.since = alerts.since(store, clock())

    def poll_once(self) -> PollResult:
        """Poll every due source once, then raise and send alerts."""
        results = [self._poll_source(source) for source in self.config.sources]
        result = PollResult(results)
        now = self.clock()
        result.alerts_raised = sum(
            raise_alerts(self.store, self.config.min_confidence, self.since, now,
                         self.config.dashboard_url)
            for raise_alerts in (alerts.raise_flag_alerts, alerts.raise_incident_alerts))
        if self.config.webhook is not None:
            result.delivered, result.undelivered = alerts.deliver(self.store, self.config.webhook,
                                                                  self.clock)
        return result

    def _poll_source(self, source: str) -> SourceResult:
        state = load_state(self.store, source)
        now = self.clock()
        if not state.due(now):
            return SourceResult(source, "waiting")
        state.last_polled = now
        problems: list[InputProblem] = []
        try:
            found = poll(source, state, self.store, self.fetcher, self.options)
            stats = ingest_items(found.items, self.store, workers=self.config.workers,
                                 on_problem=problems.append)
        except (FetchError, OSError, SanctionwatchError) as exc:
            return self._failed(state, now, exc)
        for problem in problems:
            log.warning("%s", problem)
        state.etag, state.last_modified = found.etag, found.last_modified
        state.failures, state.last_error = 0, None
        state.last_success = now
        state.next_due = now + self.config.every
        save_state(self.store, state, found.files)
        status = "unchanged" if found.unchanged else "new"
        log.info("poll source=%s status=%s articles=%d problems=%d", source, status,
                 stats.new + stats.replaced, len(problems))
        return SourceResult(source, status, stats.new + stats.replaced, len(problems))

    def _failed(self, state: SourceState, now: datetime, exc: Exception) -> SourceResult:
        state.failures += 1
        state.last_error = str(exc)[:500] or type(exc).__name__
        wait = backoff(self.config.every, state.failures, self.config.longest_backoff)
        state.next_due = now + wait
        save_state(self.store, state)
        log.warning("poll source=%s failed (%d in a row, next in %s): %s", state.source,
                    state.failures, wait, state.last_error)
        return SourceResult(state.source, "failed", error=state.last_error)

    def run(self, stop: threading.Event, tick: float = 5.0) -> None:
        """Poll until `stop` is set; checks every `tick` seconds which sources are due."""
        while not stop.is_set():
            try:
                self.poll_once()
            except Exception:  # one bad round (say, the database locked) must not end the monitor
                log.exception("monitor round failed; trying again")
            stop.wait(tick)

    def close(self) -> None:
        self.fetcher.close()


def parse_interval(text: str) -> timedelta:
    """'15m', '1h', '90s', '1h30m', '2d', or plain seconds."""
    text = text.strip().lower()
    if text.isdigit():
        seconds = int(text)
    else:
        seconds, number = 0, ""
        units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
        for char in text:
            if char.isdigit():
                number += char
            elif char in units and number:
                seconds += int(number) * units[char]
                number = ""
            else:
                raise ValueError(f"not an interval: {text!r} (e.g. 15m, 1h, 90s)")
        if number:
            raise ValueError(f"not an interval: {text!r} (a number needs a unit: s, m, h, d)")
    if seconds <= 0:
        raise ValueError(f"the interval must be positive: {text!r}")
    return timedelta(seconds=seconds)

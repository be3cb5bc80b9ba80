"""Watched sources and what the monitor remembers of each between polls and restarts.

A feed URL is fetched with a conditional GET (If-None-Match / If-Modified-Since from the last
response): an unchanged feed costs a 304 and nothing else. A directory (or a single file) is
read for the files that are new or changed since the last poll, by size and modification time.
Articles already stored are skipped by ingest anyway; this only saves reading them again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, insert, select, update

from ..errors import InputProblem
from ..model import Article
from ..net import Fetcher, FetchError
from ..sources import ReadOptions, is_url, read_file, walk
from ..sources.feeds import feed_articles, looks_like_feed
from ..store import Store
from ..store.database import WRITE
from ..store.reviews import as_utc
from ..store.schema import watch_files, watch_sources

Item = Article | InputProblem


@dataclass
class SourceState:
    source: str
    etag: str | None = None
    last_modified: str | None = None
    last_polled: datetime | None = None
    last_success: datetime | None = None
    failures: int = 0
    next_due: datetime | None = None
    last_error: str | None = None

    def due(self, now: datetime) -> bool:
        return self.next_due is None or self.next_due <= now


@dataclass
class Poll:
    """What one poll of one source read, and what to remember once it is stored."""

    items: list[Item] = field(default_factory=list)
    unchanged: bool = False  # 304, or no new files
    etag: str | None = None
    last_modified: str | None = None
    files: dict[str, str] = field(default_factory=dict)  # path -> signature, read this time


def load_state(store: Store, source: str) -> SourceState:
    with store.engine.connect() as conn:
        row = conn.execute(select(watch_sources).where(watch_sources.c.source == source)).mappings().first()
    if row is None:
        return SourceState(source)
    return SourceState(**{k: as_utc(v) if isinstance(v, datetime) else v for k, v in row.items()})


def save_state(store: Store, state: SourceState, files: dict[str, str] | None = None) -> None:
    values = {k: v for k, v in state.__dict__.items() if k != "source"}
    with store.engine.connect().execution_options(**WRITE) as conn, conn.begin():
        done = conn.execute(update(watch_sources).where(watch_sources.c.source == state.source)
                            .values(values))
        if done.rowcount == 0:
            conn.execute(insert(watch_sources).values(source=state.source, **values))
        if files:
            conn.execute(delete(watch_files).where(watch_files.c.source == state.source,
                                                   watch_files.c.path.in_(list(files))))
            conn.execute(insert(watch_files), [{"source": state.source, "path": p, "signature": s}
                                               for p, s in files.items()])


def poll(source: str, state: SourceState, store: Store, fetcher: Fetcher,
         options: ReadOptions) -> Poll:
    """Read what is new at a source; raises FetchError or OSError when the source fails."""
    if is_url(source):
        return _poll_feed(source, state, fetcher, options)
    return _poll_files(source, store, options)


def _poll_feed(url: str, state: SourceState, fetcher: Fetcher, options: ReadOptions) -> Poll:
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    fetched = fetcher.get(url, headers=headers)
    if fetched.status == 304:
        return Poll(unchanged=True, etag=state.etag, last_modified=state.last_modified)
    if not looks_like_feed(fetched.content):
        raise FetchError(f"{url} did not answer with an RSS or Atom feed")
    return Poll(items=list(feed_articles(fetched.content, url, options)),
                etag=fetched.headers.get("etag"), last_modified=fetched.headers.get("last-modified"))


def _poll_files(source: str, store: Store, options: ReadOptions) -> Poll:
    path = Path(source)
    if path.is_dir():
        files = walk(path)
    elif path.is_file():
        files = [path]
    else:
        raise FileNotFoundError(f"no such file or directory: {source}")
    with store.engine.connect() as conn:
        known = dict(conn.execute(select(watch_files.c.path, watch_files.c.signature)
                                  .where(watch_files.c.source == source)).all())
    changed = {}
    for file in files:
        stat = os.stat(file)
        signature = f"{stat.st_size}:{stat.st_mtime_ns}"
        if known.get(str(file)) != signature:
            changed[str(file)] = signature
    items = list(_read(changed, options))
    return Poll(items=items, unchanged=not changed, files=changed)


def _read(files: dict[str, str], options: ReadOptions) -> Iterator[Item]:
    for name in files:
        yield from read_file(Path(name), options)


def backoff(every: timedelta, failures: int, longest: timedelta) -> timedelta:
    """How long to wait after `failures` failures in a row: the interval, doubled each time,
    at most `longest`."""
    return min(every * (2 ** max(failures, 0)), max(longest, every))


def now_utc() -> datetime:
    return datetime.now(UTC)

"""Sanctions lists: loaders, a compiled on-disk index, and a name screener over it.

    from sanctionwatch.screening import load_screener
    screener = load_screener()            # None when no lists are installed
    screener.screen("Kim Jong-un")        # -> [ScreeningHit(list="us-ofac-sdn", entry_id="20157", …)]
"""

from __future__ import annotations

from pathlib import Path

from . import store
from .index import IndexOutdated
from .matcher import DEFAULT_THRESHOLD, Screener
from .store import ListStore


def load_screener(data_dir: str | Path | None = None, threshold: float | None = None) -> Screener | None:
    """The screener over the index in the data directory, or None when no lists are installed.

    The threshold is `threshold`, else the one set in the data directory's config.toml, else
    DEFAULT_THRESHOLD. An index compiled by another version of sanctionwatch (or of rigour)
    is compiled again from the lists."""
    lists = ListStore(store.data_dir(data_dir))
    if not lists.index_path.exists():
        return None
    if threshold is None:
        threshold = lists.threshold()
    if threshold is None:
        threshold = DEFAULT_THRESHOLD
    try:
        return Screener.open(lists.index_path, threshold=threshold)
    except IndexOutdated:
        lists.rebuild()
        return Screener.open(lists.index_path, threshold=threshold)


__all__ = ["DEFAULT_THRESHOLD", "ListStore", "Screener", "load_screener"]

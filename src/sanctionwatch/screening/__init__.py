"""Sanctions lists: loaders, a compiled on-disk index, and a name screener over it.

    from sanctionwatch.screening import load_screener
    screener = load_screener()            # None when no lists are installed
    screener.screen("Kim Jong-un")        # -> [ScreeningHit(list="us-ofac-sdn", entry_id="20157", …)]

The loaders and the matcher (FollowTheMoney, rigour, ICU) are imported when first used, so that
analysing without lists installed does not load them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..defaults import DEFAULT_THRESHOLD
from . import paths

if TYPE_CHECKING:
    from .matcher import Screener
    from .store import ListStore


def load_screener(data_dir: str | Path | None = None, threshold: float | None = None) -> Screener | None:
    """The screener over the index in the data directory, or None when no lists are installed.

    The threshold is `threshold`, else the one set in the data directory's config.toml, else
    DEFAULT_THRESHOLD. An index compiled by another version of sanctionwatch (or of rigour)
    is compiled again from the lists."""
    root = paths.data_dir(data_dir)
    index = root / paths.INDEX_FILE
    if not index.exists():
        return None
    from .index import IndexOutdated
    from .matcher import Screener
    from .store import ListStore

    lists = ListStore(root)
    if threshold is None:
        threshold = lists.threshold()
    if threshold is None:
        threshold = DEFAULT_THRESHOLD
    try:
        return Screener.open(index, threshold=threshold)
    except IndexOutdated:
        lists.rebuild()
        return Screener.open(index, threshold=threshold)


def __getattr__(name: str) -> Any:
    """`Screener` and `ListStore`, imported when first asked for."""
    if name == "Screener":
        from .matcher import Screener

        return Screener
    if name == "ListStore":
        from .store import ListStore

        return ListStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["DEFAULT_THRESHOLD", "ListStore", "Screener", "load_screener"]

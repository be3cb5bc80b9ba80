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


def load_screener(data_dir: str | Path | None = None,
                  threshold: float = DEFAULT_THRESHOLD) -> Screener | None:
    """The screener over the index in the data directory, or None when no lists are installed.

    An index compiled by another version of sanctionwatch is compiled again from the lists."""
    root = paths.data_dir(data_dir)
    index = root / paths.INDEX_FILE
    if not index.exists():
        return None
    from .index import IndexOutdated
    from .matcher import Screener
    from .store import ListStore

    try:
        return Screener.open(index, threshold=threshold)
    except IndexOutdated:
        ListStore(root).rebuild()
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

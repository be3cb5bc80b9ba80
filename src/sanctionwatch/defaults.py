"""The defaults that the command line shows in its help and the library applies.

They live here, in a module that imports nothing, so that building the command line (`--help`)
loads none of the libraries behind the commands.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Article

DEFAULT_MAX_CHARS = 5_000_000  # sources: the longest article read, in characters
DEFAULT_BATCH_SIZE = 32  # ingest: articles analysed together and saved in one transaction
# screening: the lowest score that counts as a match, chosen on labelled name pairs: the best F1
# with other persons weighed as a query meets them (benchmarks/threshold.py; table in the README)
DEFAULT_THRESHOLD = 0.65
DB_ENV = "SANCTIONWATCH_DB"  # the store, when --db is not given
DEFAULT_DB = "sanctionwatch.db"


def default_workers() -> int:
    """Ingest's analysis processes: the cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class TimeLimit:
    """How long the analysis of an article may take: `seconds`, and one second more for every
    `chars_per_second` characters (a long article takes longer). A batch gets `seconds` plus
    the allowance of all its characters; should it take longer, its articles are analysed again
    one by one, each against its own limit."""

    seconds: float = 60.0
    chars_per_second: float = 2_000.0

    def of(self, articles: Iterable[Article]) -> float:
        return self.seconds + sum(len(a.text) for a in articles) / self.chars_per_second

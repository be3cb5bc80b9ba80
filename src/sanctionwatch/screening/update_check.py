"""Whether a new copy of a list may replace the installed one: a list file cut short (a
truncated download, a 2-row test file) or an older copy from a stale mirror parses fine, and
would silently stop screening from matching. Such a copy is refused unless the user forces it.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import SanctionwatchError
from .records import SCREENED_SCHEMATA, ListRead
from .store import Installed

# A list shrinks by a few entries at a time (delistings); a drop of more than this share of its
# entries in one update is a broken file, not a policy.
MAX_SHRINK = 0.10
FORCE_HINT = "--force installs it anyway"

# The counts (records.ListRead.counts) that are one listed party each, by loader: UN, OFAC, FtM.
_ENTRIES = {"individuals", "entities", "sdn.csv entries", *SCREENED_SCHEMATA}


class ListRefused(SanctionwatchError):
    """A list file that parses but looks wrong beside the installed copy."""


def entry_count(counts: Mapping[str, int]) -> int:
    """How many listed parties a list holds, from the counts its loader keeps."""
    return sum(n for what, n in counts.items() if what in _ENTRIES)


def check_update(read: ListRead, installed: Installed | None, max_shrink: float = MAX_SHRINK) -> None:
    """Raise ListRefused when the new copy (`read`, parsed in full) is older than the installed
    one, or holds more than `max_shrink` fewer entries."""
    if installed is None:
        return
    if read.generated and installed.generated and read.generated < installed.generated:
        raise ListRefused(f"the new file is dated {read.generated}, older than the installed list of "
                          f"{installed.generated} (a stale copy?)")
    new, old = entry_count(read.counts), entry_count(installed.counts)
    if old and new < old * (1 - max_shrink):
        raise ListRefused(f"the new file holds {new:,} entries where the installed list holds {old:,} "
                          f"({(new - old) / old:+.0%}; an update may drop at most {max_shrink:.0%}: "
                          f"a file cut short?)")


__all__ = ["FORCE_HINT", "MAX_SHRINK", "ListRefused", "check_update", "entry_count"]

"""When an event happened, as the span of days its provisions are judged over.

``Event.date`` keeps the precision the text gives: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or
``--MM-DD`` (no year). A month or a year is judged over all its days. ``--MM-DD`` takes the
publication year, or the year before when that would put the event after publication. An event
with no usable date is judged at the publication date; with neither, it is undated and any
provision that was ever in force applies (at lower confidence, see ``engine.yaml``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_YEAR = re.compile(r"(\d{4})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_NO_YEAR = re.compile(r"--(\d{2})-(\d{2})")


@dataclass(frozen=True)
class Period:
    start: date | None  # None (with end None): undated
    end: date | None
    basis: str  # day, month, year, published, undated
    note: str  # how the date was read, in words for a flag's explanation

    @property
    def undated(self) -> bool:
        return self.start is None

    @property
    def approximate(self) -> bool:
        return self.start != self.end

    def overlaps(self, start: date, end: date | None) -> bool:
        """Whether some day of the period falls within [start, end] (end None: open)."""
        if self.start is None or self.end is None:
            return True
        return self.end >= start and (end is None or self.start <= end)

    def inside(self, start: date, end: date | None) -> bool:
        """Whether every day of the period falls within [start, end]."""
        if self.start is None or self.end is None:
            return False
        return self.start >= start and (end is None or self.end <= end)


def _iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _day(value: str, published: date | None) -> Period | None:
    if (day := _iso(value)) is not None and len(value) == 10:
        return Period(day, day, "day", f"on {day}")
    if m := _MONTH.fullmatch(value):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            last = calendar.monthrange(year, month)[1]
            return Period(date(year, month, 1), date(year, month, last), "month", f"in {value}")
    if m := _YEAR.fullmatch(value):
        year = int(m[1])
        return Period(date(year, 1, 1), date(year, 12, 31), "year", f"in {year}")
    if (m := _NO_YEAR.fullmatch(value)) and published is not None:
        for year in (published.year, published.year - 1):
            try:
                day = date(year, int(m[1]), int(m[2]))
            except ValueError:
                continue
            if day <= published:
                return Period(day, day, "day", f"on {day} (the text gives {value}; year from publication)")
    return None


def _yearless(value: str) -> bool:
    return _NO_YEAR.fullmatch(value) is not None


def event_period(value: str | None, published: str | None) -> Period:
    """The days an event may have happened on, from ``Event.date`` and the publication date."""
    # a partial publication date (YYYY-MM, YYYY) is judged over its days, and anchors on its last
    issued = _day(published.strip(), None) if published else None
    if value and (period := _day(value.strip(), issued.end if issued else None)) is not None:
        return period
    if issued is not None:
        return Period(issued.start, issued.end, "published", f"undated, judged at publication ({published})")
    if value and _yearless(value.strip()):
        return Period(None, None, "undated", f"on {value.strip()[2:]} of a year neither the text nor a "
                                             f"publication date gives")
    return Period(None, None, "undated", "undated, with no publication date")


__all__ = ["Period", "event_period"]

"""The days a date may mean, and whether two such spans agree.

Reports give dates as precisely as the text does: `2024-02-18`, `2024-02`, `2024`, or `--02-18`
when the year is unknown. Each is a span of days; two dates agree when their spans meet, so
`2024-02-18` and `2024-02` agree, and `--02-18` agrees with any span that holds a 18 February.
An act the text does not date happened on or before its report: it gets the days of a window
before the publication date (`window`), so two undated reports agree when published close together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..kb.model import date_bounds

_YEARLESS = re.compile(r"^--(\d{2})-(\d{2})$")
_MAX_YEARS = 200  # a yearless date is tried against at most this many years of a span


@dataclass(frozen=True)
class Days:
    """A span of days, or (when `start` is None) any 18 February of unknown year (`monthday`)."""

    start: date | None
    end: date | None
    monthday: tuple[int, int] | None = None

    def meets(self, other: Days) -> bool:
        if self.start is None or other.start is None:
            if self.start is None and other.start is None:
                return self.monthday == other.monthday
            span, yearless = (other, self) if self.start is None else (self, other)
            return _holds(span, yearless.monthday)
        assert self.end is not None and other.end is not None
        return self.start <= other.end and other.start <= self.end

    def iso(self) -> tuple[str | None, str | None]:
        return (self.start.isoformat() if self.start else None,
                self.end.isoformat() if self.end else None)

    def as_json(self) -> list[object]:
        return [*self.iso(), list(self.monthday) if self.monthday else None]

    @classmethod
    def from_json(cls, value: list[object] | None) -> Days | None:
        if not value:
            return None
        start, end, monthday = value
        return cls(date.fromisoformat(start) if isinstance(start, str) else None,
                   date.fromisoformat(end) if isinstance(end, str) else None,
                   (int(monthday[0]), int(monthday[1])) if isinstance(monthday, list) else None)


def _holds(span: Days, monthday: tuple[int, int] | None) -> bool:
    if monthday is None or span.start is None or span.end is None:
        return False
    first = span.start.year
    for year in range(first, min(span.end.year, first + _MAX_YEARS) + 1):
        day = _day(year, *monthday)
        if day is not None and span.start <= day <= span.end:
            return True
    return False


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 29 February of a common year, or a month-day that does not exist
        return None


def _last_day(iso_end: str) -> date:
    """date_bounds gives "-31" as the last day of any month; the real last day of it."""
    year, month, day = (int(x) for x in iso_end.split("-"))
    while _day(year, month, day) is None:
        day -= 1
    return date(year, month, day)


def span_of(value: str | None) -> Days | None:
    """The days an ISO date names (YYYY, YYYY-MM, YYYY-MM-DD); None for anything else."""
    bounds = date_bounds(value)
    if bounds is None:
        return None
    return Days(date.fromisoformat(bounds[0]), _last_day(bounds[1]))


def stated_days(value: str | None, published: str | None) -> Days | None:
    """The days a date the text gives may mean. A yearless date takes the publication's year, or
    the year before when that would follow publication (as the rules do); with no publication
    date it stays yearless."""
    if not value:
        return None
    if m := _YEARLESS.match(value):
        month, day = int(m.group(1)), int(m.group(2))
        pub = span_of(published)
        if pub is None or pub.end is None:
            return Days(None, None, (month, day))
        year = pub.end.year
        anchored = _day(year, month, day)
        if anchored is None or anchored > pub.end:
            anchored = _day(year - 1, month, day)
        return Days(anchored, anchored) if anchored else Days(None, None, (month, day))
    return span_of(value)


def reported_days(published: str | None, window: int) -> Days | None:
    """The days an act an article does not date may have happened: the `window` days up to its
    publication (all of them when the publication date is partial)."""
    pub = span_of(published)
    if pub is None or pub.start is None or pub.end is None:
        return None
    return Days(pub.start - timedelta(days=window), pub.end)


def when(value: str | None, published: str | None, window: int) -> tuple[Days | None, bool]:
    """The days an act may have happened and whether the text stated them."""
    stated = stated_days(value, published)
    if stated is not None:
        return stated, True
    return reported_days(published, window), False


__all__ = ["Days", "reported_days", "span_of", "stated_days", "when"]

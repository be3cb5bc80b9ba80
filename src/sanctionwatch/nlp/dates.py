"""Date expressions normalised against the article's publication date.

A date keeps only the precision the text gives: "February 18" is 2024-02-18 when the article was
published in February 2024, and ``--02-18`` when no publication date anchors it (never guessed);
"September 2023" is 2023-09; "last year" is a year; "yesterday" needs the publication date.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

import dateparser

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]
_MONTH = re.compile(r"\b(" + "|".join(m[:3] for m in _MONTHS) + r")[a-z]*\.?(?![a-z])", re.I)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DAY = re.compile(r"\b([0-3]?\d)(?:st|nd|rd|th)?\b")
_WEEKDAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)
_RELATIVE_DAY = re.compile(r"\b(today|yesterday|tomorrow|(\w+) days? ago)\b", re.I)
_RELATIVE_MONTH = re.compile(r"\b(last|this|past|previous|next) month\b|\b(\w+) months? ago\b", re.I)
_RELATIVE_YEAR = re.compile(r"\b(last|this|past|previous|next) year\b|\b(\w+) years? ago\b", re.I)


def _parse(text: str, base: date | None) -> datetime | None:
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    return dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]


def _month_number(abbreviation: str) -> int:
    return [m[:3] for m in _MONTHS].index(abbreviation.lower()) + 1


def _month_day(text: str) -> tuple[int, int] | None:
    """(month, day) when the text names both and they can form a date (in a leap year)."""
    month = _MONTH.search(text)
    if not month:
        return None
    for m in _DAY.finditer(text):
        if _YEAR.fullmatch(m.group(0)):
            continue
        try:
            day = date(2000, _month_number(month.group(1)), int(m.group(1)))
        except ValueError:
            return None
        return day.month, day.day
    return None


def publication_base(published: str | None) -> tuple[date | None, bool]:
    """The day dates in the text are read against, and whether it is exact. A partial
    publication date (``2018-02``, ``2018``) anchors on its last day: it places "February 18"
    in a year, but not "yesterday"."""
    if not published:
        return None, False
    parts = published.split("-")
    try:
        if len(parts) == 3:
            return date.fromisoformat(published), True
        year = int(parts[0])
        month = int(parts[1]) if len(parts) == 2 else 12
    except ValueError:
        return None, False
    return date(year, month, calendar.monthrange(year, month)[1]), False


def normalize_date(text: str, published: str | None = None) -> str | None:
    """An ISO value for a date expression (YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD), or None."""
    base, exact = publication_base(published)
    year = _YEAR.search(text)
    month = _MONTH.search(text)
    month_day = _month_day(text)
    if year and month_day:
        try:
            return date(int(year.group(1)), *month_day).isoformat()
        except ValueError:
            return None
    if year and month:
        parsed = _parse(f"{month.group(0)} {year.group(1)}", None)
        return f"{parsed:%Y-%m}" if parsed else None
    if year:
        return year.group(1)
    if month_day:
        if base is None:
            return f"--{month_day[0]:02d}-{month_day[1]:02d}"
        parsed = _parse(f"{month.group(0)} {month_day[1]}", base) if month else None
        return parsed.date().isoformat() if parsed else None
    if base is None:
        return None
    if month:
        parsed = _parse(month.group(0), base)
        return f"{parsed:%Y-%m}" if parsed else None
    if not exact:
        return None
    weekday = _WEEKDAY.search(text)
    if weekday and not _RELATIVE_DAY.search(text) and weekday.group(1).lower() == \
            ["mon", "tues", "wednes", "thurs", "fri", "satur", "sun"][base.weekday()]:
        return base.isoformat()  # "on Saturday" in a report published on a Saturday: that day
    if _RELATIVE_DAY.search(text) or weekday:
        parsed = _parse(text, base)
        return parsed.date().isoformat() if parsed else None
    if m := _RELATIVE_MONTH.search(text):
        parsed = _parse(m.group(0), base)
        return f"{parsed:%Y-%m}" if parsed else None
    if m := _RELATIVE_YEAR.search(text):
        parsed = _parse(m.group(0), base)
        return f"{parsed:%Y}" if parsed else None
    return None


def year_of(value: str | None) -> int | None:
    """The year of a normalised date value, when it has one."""
    return int(value[:4]) if value and value[:4].isdigit() else None

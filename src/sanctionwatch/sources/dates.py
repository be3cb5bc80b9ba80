"""Publication dates as they come from files and feeds, normalised to ISO dates."""

from __future__ import annotations

import re
from datetime import date, datetime

import dateparser

_PARTIAL = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2]))?")
# Absolute dates only: a relative one ("yesterday", "2 days ago") would be read against the day
# of the run, which is not the day it was written.
_ABSOLUTE = {"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first",
             "PARSERS": ["timestamp", "custom-formats", "absolute-time"]}
_RELATIVE = {"PARSERS": ["relative-time"]}
_LONGEST_DATE = 100  # characters: longer is not a date, and dateparser would take long to say so


def parse_published(value: object) -> str | None:
    """An ISO date from a date, datetime or absolute date string; None when unparseable or
    relative. A partial date (``YYYY``, ``YYYY-MM``) is kept as given: a page may say no more."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if _PARTIAL.fullmatch(text):
        return text
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    if len(text) > _LONGEST_DATE:
        return None
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=_ABSOLUTE)  # type: ignore[arg-type]
    except (ValueError, OverflowError, OSError):  # a timestamp out of range
        return None
    return parsed.date().isoformat() if parsed else None


def is_relative_date(text: str) -> bool:
    """Whether a date string is relative to the day it was written ("yesterday", "in 3 days")."""
    if len(text) > _LONGEST_DATE:
        return False
    try:
        return dateparser.parse(text, languages=["en"], settings=_RELATIVE) is not None  # type: ignore[arg-type]
    except (ValueError, OverflowError, OSError):
        return False


def check_iso_date(value: str) -> str:
    """Validate a YYYY-MM-DD date given by the user; raise ValueError otherwise."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
    return date.fromisoformat(value).isoformat()

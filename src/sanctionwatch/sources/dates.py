"""Publication dates as they come from files and feeds, normalised to ISO dates."""

from __future__ import annotations

import re
from datetime import date, datetime

import dateparser

_PARTIAL = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2]))?")


def parse_published(value: object) -> str | None:
    """An ISO date from a date, datetime or date string; None when unparseable. A partial date
    (``YYYY``, ``YYYY-MM``) is kept as given: a page may say no more than that."""
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
    parsed = dateparser.parse(
        text, languages=["en"], settings={"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first"}
    )
    return parsed.date().isoformat() if parsed else None


def check_iso_date(value: str) -> str:
    """Validate a YYYY-MM-DD date given by the user; raise ValueError otherwise."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
    return date.fromisoformat(value).isoformat()

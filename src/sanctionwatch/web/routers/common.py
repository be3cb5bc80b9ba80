"""What the API routers share: the error responses they document, cursors, the store filters."""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Annotated, Any

from fastapi import HTTPException, Path, Query

from ...sources.dates import check_iso_date
from ...store.queries import Position
from ..schemas import Problem


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the errors a route can answer with; 422 always (any parameter can be
    invalid), described as this API answers it (one sentence, not FastAPI's list)."""
    text = {
        400: "The body is not valid JSON",
        401: "No token, or an unknown one (Authorization: Bearer <token>)",
        403: "Writes are disabled on this server (no tokens configured)",
        404: "Not found",
        413: "The request or the article is over the size limit",
        422: "The request is not valid; `detail` says why",
        502: "The URL could not be fetched",
        503: "Not ready yet (the model or lists are loading), or busy: try again",
    }
    return {code: {"model": Problem, "description": text[code]} for code in sorted({*codes, 422})}


def encode_cursor(position: Position | None) -> str | None:
    if position is None:
        return None
    return base64.urlsafe_b64encode(json.dumps(list(position)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> Position | None:
    if not cursor:
        return None
    try:
        value, row_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if (isinstance(row_id, int) and 0 < row_id <= MAX_ID
                and (value is None or isinstance(value, (str, int, float)))):
            return value, row_id
    except (ValueError, TypeError, UnicodeDecodeError):
        pass
    raise HTTPException(422, "not a cursor this API returned")


def period_bound(value: str | None, name: str) -> str | None:
    """A year, month or day (2024, 2024-06, 2024-06-30) that is a real date, else 422."""
    if value is None:
        return None
    parts = value.split("-")
    try:
        if not (1 <= len(parts) <= 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4):
            raise ValueError
        numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
        date(*numbers)
    except ValueError:
        raise HTTPException(422, f"{name}: not a year, month or day (2024, 2024-06, 2024-06-30)") from None
    return value


def iso_date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return check_iso_date(value)
    except ValueError:
        raise HTTPException(422, f"{name}: not a YYYY-MM-DD date") from None


# Row ids fit SQL integers (and JavaScript numbers).
MAX_ID = 2**53
IncidentId = Annotated[int, Path(ge=1, le=MAX_ID, description="The incident's id")]

Category = Annotated[str | None, Query(max_length=200, description=(
    "A category id (un-dprk/luxury-goods) or a whole regime (un-dprk)"))]
Country = Annotated[str | None, Query(pattern="^[A-Za-z]{3}$", description=(
    "A state on either side, ISO 3166 alpha-3 (PRK)"))]
Since = Annotated[str | None, Query(description="On or after this day, YYYY-MM-DD (the event's, "
                                                "else the article's)")]
Until = Annotated[str | None, Query(description="On or before this day, YYYY-MM-DD")]
Text = Annotated[str | None, Query(max_length=500, description=(
    "Text in the evidence, names, goods or title (case-insensitive)"))]
Outlet = Annotated[str | None, Query(max_length=200, description=(
    "Text in the article's URL or origin: a site (kcna), a feed"))]

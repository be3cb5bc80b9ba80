"""What the API routers share: the error responses they document, cursors, the store filters."""

from __future__ import annotations

import base64
import json
from typing import Annotated, Any

from fastapi import HTTPException, Query

from ...sources.dates import check_iso_date
from ...store.queries import Position
from ..schemas import Problem


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the errors a route can answer with."""
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
    return {code: {"model": Problem, "description": text[code]} for code in codes}


def encode_cursor(position: Position | None) -> str | None:
    if position is None:
        return None
    return base64.urlsafe_b64encode(json.dumps(list(position)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> Position | None:
    if not cursor:
        return None
    try:
        value, row_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if isinstance(row_id, int) and (value is None or isinstance(value, (str, int, float))):
            return value, row_id
    except (ValueError, TypeError, UnicodeDecodeError):
        pass
    raise HTTPException(422, "not a cursor this API returned")


def iso_date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return check_iso_date(value)
    except ValueError:
        raise HTTPException(422, f"{name}: not a YYYY-MM-DD date") from None


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

"""Stored flags: filtered lists with cursor pagination, one flag with its review history, and
reviews (confirm, dismiss with a reason, needs checking, note)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query

from ...store import Store
from ...store import reviews as review_store
from ...store.queries import UNREVIEWED, Filters, flag_counts, flag_page, get_flag
from ..access import Reader, Writer
from ..schemas import CategoryCount, FlagDetail, FlagPage, Review, ReviewRequest
from ..services import store
from .common import (
    MAX_ID,
    Category,
    Country,
    Outlet,
    Since,
    Text,
    Until,
    decode_cursor,
    encode_cursor,
    iso_date,
    responses,
)

router = APIRouter(prefix="/v1", tags=["flags"])

ReviewFilter = Annotated[
    Literal["unreviewed", "confirmed", "dismissed", "needs-checking"] | None,
    Query(description="The review state; `unreviewed`: never reviewed")]


def flag_filters(category: Category = None, country: Country = None, since: Since = None,
                 until: Until = None, text: Text = None, outlet: Outlet = None,
                 review: ReviewFilter = None,
                 min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None) -> Filters:
    return Filters(kind=category, country=country, since=iso_date(since, "since"),
                   until=iso_date(until, "until"), text=text, outlet=outlet, review=review,
                   min_confidence=min_confidence)


FlagFilters = Annotated[Filters, Depends(flag_filters)]
OpenStore = Annotated[Store, Depends(store)]


@router.get("/flags", summary="List stored flags", response_model=FlagPage,
            responses=responses(401, 422))
def list_flags(
    _: Reader, db: OpenStore, filters: FlagFilters,
    order: Annotated[Literal["newest", "confidence"], Query(description=(
        "`newest`: by day (the event date, else the publication date), undated last; "
        "`confidence`: most confident first. Ties: most recently stored first"))] = "newest",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=500, description=(
        "`next_cursor` of the previous page"))] = None,
) -> FlagPage:
    """Potential breaches found in stored articles, filtered as `sanctionwatch query flags`,
    one page at a time. The order is stable, so paging never repeats or skips a flag."""
    page = flag_page(db, filters, order=order, after=decode_cursor(cursor), limit=limit)
    return FlagPage(items=page.items, next_cursor=encode_cursor(page.next))


@router.get("/flags/counts", summary="Count stored flags per category",
            response_model=list[CategoryCount], responses=responses(401, 422))
def count_flags(_: Reader, db: OpenStore, filters: FlagFilters) -> list[CategoryCount]:
    """How many flags match the filters, per category, most first."""
    return [CategoryCount(category=c, flags=n) for c, n in flag_counts(db, filters).items()]


@router.get("/flags/{key}", summary="One flag with its review history", response_model=FlagDetail,
            responses=responses(401, 404))
def get_one(_: Reader, db: OpenStore, key: str) -> FlagDetail:
    flag = get_flag(db, key)
    if flag is None:
        raise HTTPException(404, "no stored flag has this key")
    history = [r.to_dict() for r in review_store.history(db, "flag", key)]
    return FlagDetail(**flag, history=history)


@router.post("/flags/{key}/reviews", summary="Review a flag", status_code=201,
             response_model=Review, responses=responses(400, 401, 403, 404, 413, 422))
def review(who: Writer, db: OpenStore, key: str, body: ReviewRequest) -> Review:
    """Confirm, dismiss (with a reason), mark as needing checking, or add a note. Recorded with
    who (the token's name) and when; the flag keeps its review when its article is analysed
    again."""
    if get_flag(db, key) is None:
        raise HTTPException(404, "no stored flag has this key")
    recorded = review_store.record(db, "flag", key, body.action, who.name, reason=body.reason,
                                   note=body.note)
    return Review(**recorded.to_dict())


@router.get("/reviews", summary="The audit trail of reviews", response_model=list[Review],
            tags=["reviews"], responses=responses(401, 422))
def audit(
    _: Reader, db: OpenStore,
    kind: Annotated[Literal["flag", "incident"] | None, Query()] = None,
    who: Annotated[str | None, Query(max_length=128)] = None,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID,
                                        description="Only actions older than this id")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[Review]:
    """Every review action, newest first: who did what to which flag or incident, and when."""
    return [Review(**r.to_dict())
            for r in review_store.audit_log(db, kind=kind, who=who, before=before, limit=limit)]


__all__ = ["UNREVIEWED", "flag_filters", "router"]

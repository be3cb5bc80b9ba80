"""Incidents (the reports of many articles that tell of one act): lists, one incident, merge and
split, reviews; and the relation between two states over time."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field

from ...analysis import incidents as incident_store
from ...analysis.relations import timeline
from ...store import Store
from ...store import reviews as review_store
from ...store.queries import Filters, Position
from ..access import Reader, Writer
from ..schemas import Review, ReviewRequest
from ..services import store
from .common import (
    MAX_ID,
    Category,
    Country,
    IncidentId,
    Since,
    Text,
    Until,
    decode_cursor,
    encode_cursor,
    iso_date,
    period_bound,
    responses,
)

router = APIRouter(prefix="/v1", tags=["incidents"])
OpenStore = Annotated[Store, Depends(store)]


class Incident(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int
    title: str
    category: str
    regime: str
    supplier_country: str | None = None
    recipient_country: str | None = None
    day: str | None = Field(None, description="The first date the articles give, else first seen")
    first_seen: str | None = None
    last_seen: str | None = None
    article_count: int
    outlet_count: int
    corroboration: int = Field(description="Independent outlets and official confirmations")
    confidence: float
    review: dict[str, Any] | None = Field(None, description="The current review; null: unreviewed")


class IncidentPage(BaseModel):
    items: list[Incident]
    next_cursor: str | None = None


class IncidentDetail(Incident):
    reports: list[dict[str, Any]] = Field(description="Each article that reports it: its flags "
                                          "and strongest evidence")
    history: list[dict[str, Any]] = Field(description="Merges and splits: who, when, what")
    reviews: list[Review] = Field(description="Review actions on this incident, oldest first")


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        min_length=2, max_length=50,
        description="The incidents to merge; the lowest id stays and the others lead to it")


class SplitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    articles: list[str] = Field(min_length=1, max_length=500, description=(
        "Ids of the articles (as the incident lists them) to move into a new incident"))


class Changed(BaseModel):
    id: int = Field(description="The incident that holds the reports now")


def incident_filters(category: Category = None, country: Country = None, since: Since = None,
                     until: Until = None, text: Text = None) -> Filters:
    return Filters(kind=category, country=country, since=iso_date(since, "since"),
                   until=iso_date(until, "until"), text=text)


IncidentFilters = Annotated[Filters, Depends(incident_filters)]


def incident_page(db: Store, filters: Filters, after: Position | None,
                  limit: int) -> tuple[list[dict[str, Any]], Position | None]:
    """A page of `list_incidents` (newest first: day, undated last, then id) after a position."""
    items = []
    for incident in incident_store.list_incidents(db, replace(filters, limit=None)):
        if after is None or _later(incident, after):
            items.append(incident)
            if len(items) > limit:
                break
    if len(items) <= limit:
        return items, None
    last = items[limit - 1]
    return items[:limit], (last["day"], last["id"])


def _later(incident: dict[str, Any], position: Position) -> bool:
    day, row_id = position
    if day is None:
        return incident["day"] is None and incident["id"] < row_id
    return (incident["day"] is None or incident["day"] < day
            or (incident["day"] == day and incident["id"] < row_id))


def with_reviews(db: Store, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    states = review_store.states(db, "incident", [str(i["id"]) for i in items])
    return [{**i, "review": states.get(str(i["id"]))} for i in items]


@router.get("/incidents", summary="List incidents", response_model=IncidentPage,
            responses=responses(401, 422))
def list_incidents(
    _: Reader, db: OpenStore, filters: IncidentFilters,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> IncidentPage:
    """Incidents newest first (by the first date their articles give, else when first reported),
    filtered as `sanctionwatch incidents list`, one page at a time."""
    items, position = incident_page(db, filters, decode_cursor(cursor), limit)
    return IncidentPage(items=with_reviews(db, items), next_cursor=encode_cursor(position))


@router.get("/incidents/{incident_id}", summary="One incident with its reports",
            response_model=IncidentDetail, responses=responses(401, 404))
def get_incident(_: Reader, db: OpenStore, incident_id: IncidentId) -> IncidentDetail:
    """The incident, each article that reports it, and what analysts did to it. An id that was
    merged into another leads to that one (`merged_from` says so)."""
    found = incident_store.get_incident(db, incident_id)
    if found is None:
        raise HTTPException(404, "no incident has this id")
    key = str(found["id"])
    reviews = [Review(**r.to_dict()) for r in review_store.history(db, "incident", key)]
    return IncidentDetail(**with_reviews(db, [found])[0], reviews=reviews)


@router.post("/incidents/merge", summary="Merge incidents", response_model=Changed,
             responses=responses(400, 401, 403, 413, 422))
def merge(who: Writer, db: OpenStore, body: MergeRequest) -> Changed:
    """One incident from several: the lowest id stays, the others lead to it. Its reports are
    pinned: analysing the articles again keeps them together."""
    return Changed(id=incident_store.merge(db, body.ids, who.name))


@router.post("/incidents/{incident_id}/split", summary="Split an incident",
             response_model=Changed, responses=responses(400, 401, 403, 413, 422))
def split(who: Writer, db: OpenStore, incident_id: IncidentId, body: SplitRequest) -> Changed:
    """Move the reports of these articles into a new incident (returned)."""
    return Changed(id=incident_store.split(db, incident_id, body.articles, who.name))


@router.post("/incidents/{incident_id}/reviews", summary="Review an incident", status_code=201,
             response_model=Review, responses=responses(400, 401, 403, 404, 413, 422))
def review(who: Writer, db: OpenStore, incident_id: IncidentId, body: ReviewRequest) -> Review:
    """Confirm, dismiss (with a reason), mark as needing checking, or add a note."""
    if incident_store.get_incident(db, incident_id) is None:
        raise HTTPException(404, "no incident has this id")
    recorded = review_store.record(db, "incident", str(incident_id), body.action, who.name,
                                   reason=body.reason, note=body.note)
    return Review(**recorded.to_dict())


class RelationPeriod(BaseModel):
    model_config = ConfigDict(extra="allow")
    period: str
    start: str
    events: dict[str, int]
    event_count: int
    index: float = Field(description="Sum of the Goldstein weights of the period's events")
    mean: float | None
    flags: dict[str, int]
    incidents: dict[str, int]


class Relations(BaseModel):
    model_config = ConfigDict(extra="allow")
    a: str
    b: str | None
    by: str
    scale: str
    periods: list[RelationPeriod]
    top_incidents: list[dict[str, Any]]


State = Annotated[str, Query(pattern="^[A-Za-z]{3}$", description="ISO 3166 alpha-3")]


@router.get("/relations", summary="Relations between two states over time",
            response_model=Relations, tags=["relations"], responses=responses(401, 422))
def relations(
    _: Reader, db: OpenStore, a: State,
    b: Annotated[str | None, Query(pattern="^[A-Za-z]{3}$", description=(
        "The other state; none: `a` against every other state"))] = None,
    by: Literal["month", "week"] = "month",
    since: Annotated[str | None, Query(alias="from", pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
                                       description="From this period: 2023, 2023-01, 2023-01-31")] = None,
    until: Annotated[str | None, Query(alias="to", pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] = None,
) -> dict[str, Any]:
    """Per week or month: events between the two states by type, a cooperation–conflict index
    (Goldstein weights of the events' CAMEO codes), flags and incidents by category, and the
    three most corroborated incidents."""
    return timeline(db, a, b, by=by, since=period_bound(since, "from"),
                    until=period_bound(until, "to")).as_dict()

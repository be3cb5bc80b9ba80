"""The dashboard's incident pages (list, one incident with its reports on a timeline, merge and
split) and the relations page."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import Field
from sqlalchemy import select

from ...analysis import incidents as incident_store
from ...analysis.relations import BY, timeline
from ...errors import SanctionwatchError
from ...store import Store
from ...store import reviews as review_store
from ...store.queries import Filters
from ...store.schema import articles
from ..access import PageReader, PageWriter
from ..chart import chart
from ..render import render
from ..services import store
from .common import MAX_ID, IncidentId, decode_cursor, encode_cursor, iso_date, period_bound
from .incidents import incident_page, with_reviews

router = APIRouter(include_in_schema=False)
OpenStore = Annotated[Store, Depends(store)]


@router.get("/incidents", response_class=HTMLResponse)
def incidents_page(
    request: Request, _: PageReader, db: OpenStore,
    category: Annotated[str | None, Query(max_length=200)] = None,
    country: Annotated[str | None, Query(max_length=3)] = None,
    since: str | None = None, until: str | None = None,
    text: Annotated[str | None, Query(max_length=500)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> HTMLResponse:
    params = {"category": category, "country": country, "since": since, "until": until,
              "text": text}
    filters = Filters(kind=category or None, country=country or None,
                      since=iso_date(since or None, "since"), until=iso_date(until or None, "until"),
                      text=text or None)
    items, position = incident_page(db, filters, decode_cursor(cursor), 50)
    return render(request, "incidents.html", section="incidents", incidents=with_reviews(db, items),
                  params=params, next_cursor=encode_cursor(position), first_page=cursor is None,
                  problem=request.query_params.get("problem"))


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_view(request: Request, _: PageReader, db: OpenStore, incident_id: IncidentId) -> HTMLResponse:
    found = incident_store.get_incident(db, incident_id)
    if found is None:
        raise HTTPException(404, "No incident has this id.")
    reports = sorted(found["reports"], key=lambda r: (r["article"]["published"] or "",
                                                      r["article"]["id"]))
    keys = _article_keys(db, [r["article"]["id"] for r in reports])
    key = str(found["id"])
    return render(request, "incident.html", section="incidents", incident=found,
                  review=review_store.states(db, "incident", [key]).get(key),
                  reviews=review_store.history(db, "incident", key), reports=reports, keys=keys,
                  reasons=review_store.DISMISS_REASONS, problem=request.query_params.get("problem"),
                  done=request.query_params.get("done"))


def _article_keys(db: Store, ids: list[str]) -> dict[str, str]:
    """Store keys of articles by the ids incidents list them by (for links to the article view)."""
    query = select(articles.c.external_id, articles.c.key).where(articles.c.external_id.in_(ids))
    with db.engine.connect() as conn:
        return {external: key for external, key in conn.execute(query)}


@router.post("/incidents/merge")
def merge_incidents(who: PageWriter, db: OpenStore,
                    ids: Annotated[list[Annotated[int, Field(ge=1, le=MAX_ID)]], Form()]
                    ) -> RedirectResponse:
    try:
        target = incident_store.merge(db, ids, who.name)
    except SanctionwatchError as exc:
        return RedirectResponse(f"/incidents?problem={_q(str(exc))}", status_code=303)
    return RedirectResponse(f"/incidents/{target}?done=merged", status_code=303)


@router.post("/incidents/{incident_id}/split")
def split_incident(who: PageWriter, db: OpenStore, incident_id: IncidentId,
                   articles: Annotated[list[str], Form()]) -> RedirectResponse:
    try:
        new = incident_store.split(db, incident_id, articles, who.name)
    except SanctionwatchError as exc:
        return RedirectResponse(f"/incidents/{incident_id}?problem={_q(str(exc))}", status_code=303)
    return RedirectResponse(f"/incidents/{new}?done=split", status_code=303)


@router.post("/incidents/{incident_id}/review")
def review_incident(
    who: PageWriter, db: OpenStore, incident_id: IncidentId,
    action: Annotated[str, Form(max_length=30)],
    reason: Annotated[str | None, Form(max_length=64)] = None,
    note: Annotated[str | None, Form(max_length=review_store.MAX_NOTE)] = None,
) -> RedirectResponse:
    if incident_store.get_incident(db, incident_id) is None:
        raise HTTPException(404, "No incident has this id.")
    review_store.record(db, "incident", str(incident_id), action, who.name, reason=reason or None,
                        note=note)
    return RedirectResponse(f"/incidents/{incident_id}?done={action}#review", status_code=303)


def _q(text: str) -> str:
    return quote(text[:300])


@router.get("/relations", response_class=HTMLResponse)
def relations_page(
    request: Request, _: PageReader, db: OpenStore,
    a: Annotated[str, Query(max_length=20)] = "RUS",
    b: Annotated[str | None, Query(max_length=20)] = "PRK",
    by: str = "month",
    since: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    until: Annotated[str | None, Query(alias="to", max_length=10)] = None,
) -> HTMLResponse:
    by = by if by in BY else "month"
    params: dict[str, Any] = {"a": a.upper(), "b": (b or "").upper(), "by": by,
                              "from": since or "", "to": until or ""}
    problem, found = None, None
    if not a.isalpha() or len(a) != 3 or (b and (not b.isalpha() or len(b) != 3)):
        problem = "States are ISO 3166 alpha-3 codes: RUS, PRK, CHN."
    else:
        try:
            found = timeline(db, a, b or None, by=by, since=period_bound(since or None, "From"),
                             until=period_bound(until or None, "To"))
        except HTTPException as exc:
            problem = str(exc.detail)
        except SanctionwatchError as exc:
            problem = str(exc).replace("--from and --to", "From and To")
    return render(request, "relations.html", section="relations", params=params,
                  timeline=found, chart=chart(found) if found else None, problem=problem)

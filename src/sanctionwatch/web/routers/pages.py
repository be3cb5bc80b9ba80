"""The dashboard: inbox, article view, reviews, sign-in, knowledge-base and screening pages.

Server-rendered HTML; forms post to these routes and are answered with a redirect (303) back to
the page, so a reload never posts twice.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ...analysis.incidents import list_incidents
from ...monitor.alerts import recent as recent_alerts
from ...rules import load_rules
from ...store import Store
from ...store import reviews as review_store
from ...store.queries import ORDERS, UNREVIEWED, Filters, article_flags, flag_counts, flag_page, get_flag
from ..access import SESSION_COOKIE, PageReader, PageWriter
from ..auth import SESSION_SECONDS
from ..highlight import highlighted, marks_for
from ..render import local_path, render
from ..security import check_same_origin
from ..services import NotReady, Services, services, store
from .common import MAX_ID, decode_cursor, encode_cursor, iso_date
from .incidents import with_reviews

router = APIRouter(include_in_schema=False)
OpenStore = Annotated[Store, Depends(store)]
Svc = Annotated[Services, Depends(services)]
REVIEW_STATES = (UNREVIEWED, *review_store.STATES)


@lru_cache(maxsize=1)
def _categories() -> dict[str, str]:
    return {c: label for regime in load_rules().regimes for c, label in regime.categories.items()}


def _provisions(flag: dict[str, Any]) -> list[dict[str, Any]]:
    """The provisions a flag cites, with their plain-language summary and source documents."""
    rules = load_rules()
    regime = rules.regime(flag["regime"])
    if regime is None:
        return []
    cited = set(flag.get("citations") or ())
    found = []
    for p in regime.provisions:
        if p.category == flag["category"] and (p.id == flag.get("rule_id") or cited & set(p.citations)):
            sources = [{"id": s, **regime.sources.get(s, {})} for s in p.source]
            found.append({"id": p.id, "title": p.title, "citations": p.citations,
                          "summary": p.summary, "in_force": p.in_force.label(),
                          "verified": p.verified is not None, "sources": sources})
    return found


@router.get("/", response_class=HTMLResponse)
def inbox(
    request: Request, _: PageReader, db: OpenStore,
    category: Annotated[str | None, Query(max_length=200)] = None,
    country: Annotated[str | None, Query(max_length=3)] = None,
    since: str | None = None, until: str | None = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    text: Annotated[str | None, Query(max_length=500)] = None,
    review: Annotated[str | None, Query(max_length=30)] = None,
    order: str = "newest",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> HTMLResponse:
    review = review if review in REVIEW_STATES else None
    order = order if order in ORDERS else "newest"
    params = {"category": category, "country": country, "since": since, "until": until,
              "outlet": outlet, "text": text, "review": review, "order": order}
    filters = Filters(kind=category or None, country=country or None,
                      since=iso_date(since or None, "since"), until=iso_date(until or None, "until"),
                      text=text or None, outlet=outlet or None, review=review)
    page = flag_page(db, filters, order=order, after=decode_cursor(cursor), limit=50)  # type: ignore[arg-type]
    counts = flag_counts(db, replace(filters, kind=None))
    return render(request, "inbox.html", section="inbox", flags=page.items,
                  next_cursor=encode_cursor(page.next), params=params, counts=counts,
                  categories=_categories(), review_states=REVIEW_STATES, orders=ORDERS,
                  first_page=cursor is None, alerts=recent_alerts(db, limit=8),
                  incidents=with_reviews(db, list(list_incidents(db, Filters(limit=5)))))


@router.get("/articles/{key}", response_class=HTMLResponse)
def article_page(request: Request, _: PageReader, db: OpenStore, key: str) -> HTMLResponse:
    return _article(request, db, key, focus=None)


@router.get("/flags/{key}", response_class=HTMLResponse)
def flag_view(request: Request, _: PageReader, db: OpenStore, key: str) -> HTMLResponse:
    flag = get_flag(db, key)
    if flag is None:
        raise HTTPException(404, "No stored flag has this key: its article may have been "
                                 "analysed again without it.")
    return _article(request, db, flag["article"]["key"], focus=key)


def _article(request: Request, db: Store, key: str, focus: str | None) -> HTMLResponse:
    report = db.report(key)
    if report is None:
        raise HTTPException(404, "No stored article has this key.")
    data = report.to_dict()
    flags = article_flags(db, key)
    for flag in flags:
        flag["provisions"] = _provisions(flag)
        flag["history"] = review_store.history(db, "flag", flag["key"])
    text = report.article.text
    body = highlighted(text, marks_for(text, flags, data["entities"], focus))
    return render(request, "article.html", section="inbox", key=key, article=data["article"],
                  origin=report.article.origin, text_html=body, flags=flags, focus=focus,
                  entities=data["entities"], events=data["events"], screening=data["screening"],
                  reasons=review_store.DISMISS_REASONS, versions=data["versions"],
                  reviewed=request.query_params.get("reviewed"))


@router.post("/flags/{key}/review")
def review_flag(
    who: PageWriter, db: OpenStore, key: str,
    action: Annotated[str, Form(max_length=30)],
    reason: Annotated[str | None, Form(max_length=64)] = None,
    note: Annotated[str | None, Form(max_length=review_store.MAX_NOTE)] = None,
) -> RedirectResponse:
    if get_flag(db, key) is None:
        raise HTTPException(404, "No stored flag has this key.")
    if action not in ("confirm", "dismiss", "needs-checking", "note"):
        raise HTTPException(422, f"Unknown review action: {action}")
    review_store.record(db, "flag", key, action, who.name, reason=reason or None, note=note)
    return RedirectResponse(f"/flags/{key}?reviewed={action}#review-{key}", status_code=303)


@router.get("/reviews", response_class=HTMLResponse)
def audit_page(
    request: Request, _: PageReader, db: OpenStore,
    who: Annotated[str | None, Query(max_length=128)] = None,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    entries = review_store.audit_log(db, who=who or None, before=before, limit=100)
    keys = {e.subject for e in entries if e.subject_kind == "flag"}
    titles = {k: f for k in keys if (f := get_flag(db, k)) is not None}
    return render(request, "reviews.html", section="reviews", entries=entries, flags=titles,
                  who_filter=who or "", reasons=review_store.DISMISS_REASONS,
                  older=entries[-1].id if len(entries) == 100 else None)


@router.get("/kb/{entry_id:path}", response_class=HTMLResponse)
def kb_page(request: Request, _: PageReader, entry_id: str) -> HTMLResponse:
    from ...kb import load_kb

    entry = load_kb().get(entry_id)
    if entry is None:
        raise HTTPException(404, "The knowledge base has no entry with this id.")
    return render(request, "kb.html", entry_id=entry_id, kind=type(entry).__name__,
                  facts=_facts(entry))


def _facts(entry: Any) -> list[tuple[str, Any]]:
    """An entry's fields as (name, value) pairs; roles and other records as lists of dicts."""
    def plain(value: Any) -> Any:
        if is_dataclass(value) and not isinstance(value, type):
            return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value
    return [(f.name, plain(getattr(entry, f.name))) for f in fields(entry)
            if getattr(entry, f.name) not in (None, (), "", [])]


@router.get("/screen", response_class=HTMLResponse)
async def screen_page(
    request: Request, _: PageReader, svc: Svc,
    name: Annotated[str | None, Query(max_length=300)] = None,
    kind: Annotated[str | None, Query(alias="type", max_length=20)] = None,
    country: Annotated[str | None, Query(max_length=60)] = None,
) -> HTMLResponse:
    hits, problem = [], None
    kind = kind if kind in ("person", "organization", "vessel") else None
    if name and name.strip():
        try:
            hits = await run_in_threadpool(svc.screening.screen, name.strip(), schema=kind,
                                           country=country or None, limit=10)
        except NotReady as exc:
            problem = str(exc)
    return render(request, "screen.html", section="screen", name=name or "", kind=kind or "",
                  country=country or "", hits=hits, problem=problem)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=local_path(next), problem=None)


@router.post("/login", response_model=None)
def login(
    request: Request, svc: Svc,
    token: Annotated[str, Form(max_length=500)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    check_same_origin(request)
    principal = svc.settings.tokens.verify(token.strip()) if svc.settings.tokens else None
    if principal is None:
        problem = ("This server accepts no sign-in: the operator has configured no tokens."
                   if not svc.settings.tokens else "Unknown token.")
        return render(request, "login.html", status=401, next=local_path(next), problem=problem)
    response = RedirectResponse(local_path(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, svc.settings.tokens.session(principal),
                        max_age=SESSION_SECONDS, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")
    return response


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    check_same_origin(request)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response

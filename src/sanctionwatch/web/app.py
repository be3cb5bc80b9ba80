"""The web service: `create_app()` wires settings, services, middleware, error handlers and one
router per area. `sanctionwatch serve` runs it under uvicorn (`create_app` as the factory, one
call per worker process); tests call it with their own settings and stand-ins.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from .. import __version__
from ..errors import SanctionwatchError
from ..net import Fetcher, FetchError, FetchRefused
from ..store.reviews import ReviewError
from .access import LoginRequired
from .render import render
from .routers import articles, flags, health, incidents, pages, pages_incidents, scan, screen
from .security import BodyLimit, SecurityHeaders
from .services import Busy, NotReady, Services
from .settings import Settings

if TYPE_CHECKING:
    from ..analyze import Analyzer
    from ..screening import Screener

log = logging.getLogger("sanctionwatch.web")

DESCRIPTION = """\
sanctionwatch reads news and finds the stories that matter to sanctions enforcement: who
supplied what to whom and when, which provision it may breach, and which named parties are on
the official sanctions lists.

This API analyses articles (`POST /v1/scan`), lists what the store holds (flags, incidents,
articles, the relations between states), screens names against the installed lists, and
records analysts' reviews, merges and splits. The same server
serves the analysts' dashboard at `/`.

**Access.** Writes (scanning, reviews) need a bearer token the operator configured:
`Authorization: Bearer <token>`. Reads are open, or need a token too when the operator sets
`SANCTIONWATCH_READS=token`. A missing or unknown token gets 401; a server with no tokens
configured refuses writes (403).

**Paging.** Lists return `next_cursor`; pass it back as `cursor` for the next page. The order
is stable: paging never repeats or skips an item, even while new ones arrive.

**Offsets.** Evidence `start`/`end` are Python string indices into the stored article text
(`GET /v1/articles/{key}`), so `text[start:end]` is the quoted span.
"""

TAGS = [
    {"name": "scan", "description": "Analyse an article given as JSON or fetched from a URL."},
    {"name": "flags", "description": "Potential breaches found in stored articles, and their reviews."},
    {"name": "incidents", "description": "The flags of many articles that tell of one act: "
                                         "lists, merge, split, reviews."},
    {"name": "relations", "description": "Two states over time: events by type, a "
                                         "cooperation–conflict index, flags and incidents."},
    {"name": "reviews", "description": "The audit trail: who reviewed what, and when."},
    {"name": "articles", "description": "Stored articles with their text and report."},
    {"name": "screening", "description": "Names against the installed sanctions lists."},
    {"name": "health", "description": "Liveness and readiness."},
]


def create_app(settings: Settings | None = None, *,
               analyzer: Callable[[], Analyzer] | None = None,
               screener: Callable[[], Screener | None] | None = None,
               fetcher: Fetcher | None = None) -> FastAPI:
    """The ASGI app. Without arguments, settings come from the environment and the real
    analyzer, lists and fetcher are used; tests may pass stand-ins for any of them."""
    settings = settings or Settings.from_env()
    svc = Services(settings, analyzer=analyzer, screener=screener, fetcher=fetcher)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(svc.start)
        try:
            yield
        finally:
            svc.close()

    app = FastAPI(title="sanctionwatch", version=__version__, description=DESCRIPTION,
                  openapi_tags=TAGS, docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.services = svc
    app.add_middleware(BodyLimit, limit=settings.max_body)
    app.add_middleware(SecurityHeaders)
    _add_error_handlers(app)
    for router in (health.router, scan.router, flags.router, incidents.router, articles.router,
                   screen.router, pages.router, pages_incidents.router):
        app.include_router(router)
    static = resources.files("sanctionwatch.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app


def _is_api(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/v1/") or path in ("/healthz", "/readyz", "/openapi.json")


def _problem(request: Request, status: int, message: str,
             headers: dict[str, str] | None = None) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    heading = {401: "Sign-in needed", 403: "Not allowed", 404: "Not found",
               413: "Too large", 422: "Not valid", 503: "Not ready"}.get(status, "Something went wrong")
    return render(request, "error.html", status=status, code=status, heading=heading, message=message)


def _add_error_handlers(app: FastAPI) -> None:
    statuses: list[tuple[type[Exception], int]] = [
        (ReviewError, 422), (FetchRefused, 422), (FetchError, 502), (Busy, 503), (NotReady, 503),
        (SanctionwatchError, 400)]

    for kind, status in statuses:
        def handler(request: Request, exc: Exception, status: int = status) -> Response:
            headers = {"Retry-After": "5"} if status == 503 else None
            return _problem(request, status, str(exc), headers)
        app.add_exception_handler(kind, handler)

    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> Response:
        return _problem(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": _validation_message(exc)}, status_code=422)
        return _problem(request, 422, _validation_message(exc))

    @app.exception_handler(LoginRequired)
    def login(request: Request, _: LoginRequired) -> Response:
        target = request.url.path if request.method == "GET" else "/"
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(Exception)
    def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _problem(request, 500, "internal error")


def _validation_message(exc: RequestValidationError) -> str:
    """The first problem, as one sentence: 'query.limit: Input should be less than or equal to 200'."""
    errors = exc.errors()
    if not errors:
        return "the request is not valid"
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or "request"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first.get('msg', 'not valid')}{more}"

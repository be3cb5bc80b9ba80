"""Who may read and write, as route dependencies: bearer tokens for the API, the signed session
cookie (plus the same-origin check) for the dashboard's forms."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from .auth import Principal
from .security import check_same_origin
from .services import Services, services

SESSION_COOKIE = "sanctionwatch_session"
NO_TOKENS = ("writes are disabled: the operator has configured no tokens "
             "(SANCTIONWATCH_TOKENS or SANCTIONWATCH_TOKENS_FILE)")


class LoginRequired(Exception):
    """A dashboard page needs a signed-in analyst: the handler sends the browser to /login."""


def _bearer(request: Request, svc: Services) -> Principal | None:
    """The principal of the request's bearer token; 401 when one is given but unknown."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("the Authorization header must be 'Bearer <token>'")
    principal = svc.settings.tokens.verify(token.strip())
    if principal is None:
        raise _unauthorized("unknown token")
    return principal


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


def api_reader(request: Request, svc: Annotated[Services, Depends(services)]) -> Principal | None:
    principal = _bearer(request, svc)
    if principal is None and svc.settings.reads == "token":
        raise _unauthorized("reading needs a token on this server")
    return principal


def api_writer(request: Request, svc: Annotated[Services, Depends(services)]) -> Principal:
    if not svc.settings.tokens:
        raise HTTPException(403, NO_TOKENS)
    principal = _bearer(request, svc)
    if principal is None:
        raise _unauthorized("this needs a token: Authorization: Bearer <token>")
    return principal


def session_principal(request: Request, svc: Services) -> Principal | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    return svc.settings.tokens.from_session(cookie) if cookie else None


def page_reader(request: Request, svc: Annotated[Services, Depends(services)]) -> Principal | None:
    principal = session_principal(request, svc)
    if principal is None and svc.settings.reads == "token":
        raise LoginRequired
    return principal


def page_writer(request: Request, svc: Annotated[Services, Depends(services)]) -> Principal:
    check_same_origin(request)
    if not svc.settings.tokens:
        raise HTTPException(403, NO_TOKENS)
    principal = session_principal(request, svc)
    if principal is None:
        raise LoginRequired
    return principal


Reader = Annotated[Principal | None, Depends(api_reader)]
Writer = Annotated[Principal, Depends(api_writer)]
PageReader = Annotated[Principal | None, Depends(page_reader)]
PageWriter = Annotated[Principal, Depends(page_writer)]

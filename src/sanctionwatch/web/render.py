"""Rendering the dashboard's pages: one Jinja environment (autoescape on, strict undefined) and
one `render` that gives every page the same base context:

- `request`: the request; `path`: its path (for `next=` links)
- `who`: the signed-in analyst (`Principal`) or None
- `can_write`: whether the server accepts writes at all (tokens are configured)
- `section`: which part of the navigation is current
- `version`: sanctionwatch's version
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .. import __version__
from .access import session_principal
from .services import Services


def safe_url(url: object) -> str | None:
    """An http(s) URL to use in href, or None (javascript:, data:, anything else is shown as
    text, never linked)."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in ("http", "https") and parts.netloc and url.isprintable():
        return url.strip()
    return None


def local_path(value: object, default: str = "/") -> str:
    """A path on this site to go back to after signing in; anything else becomes `default`."""
    if (isinstance(value, str) and value.startswith("/") and not value.startswith("//")
            and "\\" not in value and value.isprintable()):
        return value
    return default


def query(params: dict[str, Any], **changes: Any) -> str:
    """A query string from the current filters with some changed (None drops one)."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return "?" + urlencode(merged) if merged else "?"


def _party(party: dict[str, Any] | None) -> str:
    if not party:
        return "unknown"
    name, country = party.get("name"), party.get("country")
    return f"{name} ({country})" if name and country and name != country else name or country or "?"


environment = Environment(
    loader=PackageLoader("sanctionwatch.web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters.update(safe_url=safe_url, party=_party)
environment.globals.update(query=query)


def render(request: Request, template: str, status: int = 200, section: str = "",
           **context: Any) -> HTMLResponse:
    svc: Services = request.app.state.services
    base = {
        "request": request,
        "path": local_path(request.url.path + (f"?{request.url.query}" if request.url.query else "")),
        "who": session_principal(request, svc),
        "can_write": bool(svc.settings.tokens),
        "section": section,
        "version": __version__,
    }
    html = environment.get_template(template).render(**base, **context)
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})

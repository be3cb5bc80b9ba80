"""Protections every response and request gets: security headers (a Content-Security-Policy
that forbids inline script), a request body limit (413), a cross-site check for the dashboard's
forms, and a request log line without secrets."""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("sanctionwatch.web")

# Scripts and styles only from our own static files: no inline script, no inline style, no eval.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders:
    """Adds HEADERS to every HTTP response, and logs each request: method, path, status, time.
    The query string and headers are not logged (tokens travel in headers only, but queries
    can carry what an analyst searched for)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode().lower() not in HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            log.info("request method=%s path=%s status=%d ms=%.1f", scope["method"],
                     _printable(scope["path"]), status, (time.perf_counter() - started) * 1000)


class BodyLimit:
    """Refuses request bodies over `limit` bytes with 413, by Content-Length or as they arrive."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._too_large(send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await self._too_large(send)

    async def _too_large(self, send: Send) -> None:
        body = json.dumps({"detail": f"the request body is over the limit of {self.limit:,} bytes"})
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body.encode()})


class _TooLarge(Exception):
    pass


def check_same_origin(request: Request) -> None:
    """A form post must come from the dashboard itself: the browser says so in Sec-Fetch-Site,
    or, where it sends no such header, in Origin (else Referer). A post that tells neither is
    refused: the session cookie alone proves nothing about who made the page that posted."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        if site in ("same-origin", "none"):
            return
        raise HTTPException(403, f"cross-site form post refused (Sec-Fetch-Site: {_printable(site)})")
    ours = _origin(str(request.base_url))
    origin = request.headers.get("origin")
    if origin is not None:
        if origin != "null" and _origin(origin) == ours:
            return
        raise HTTPException(403, "cross-site form post refused (Origin)")
    referer = request.headers.get("referer")
    if referer and _origin(referer) == ours:
        return
    raise HTTPException(403, "form post refused: the browser did not say where it came from")


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _printable(text: Any) -> str:
    return "".join(c if c.isprintable() else "?" for c in str(text))[:300]

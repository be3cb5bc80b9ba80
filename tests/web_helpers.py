"""What the web, fetch and monitor tests share: a store of made-up reports, the app built on it,
and small HTTP servers on 127.0.0.1 whose answers a test scripts (pages, feeds that change,
fail or hang, webhooks)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from fastapi.testclient import TestClient

from sanctionwatch.model import Party, Report
from sanctionwatch.net import Fetcher
from sanctionwatch.store import Store
from sanctionwatch.web.app import create_app
from sanctionwatch.web.auth import Tokens
from sanctionwatch.web.settings import Settings

from .test_store import report, rows

ALICE = "alice-token-0123456789"
BOB = "bob-token-9876543210xyz"
TOKENS = Tokens({"alice": ALICE, "bob": BOB})
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def auth(token: str = ALICE) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def variant(n: int, day: str | None, category: str, supplier: str, goods: str,
            confidence: float = 0.8, versions: dict[str, str] | None = None) -> tuple[str, Report]:
    """A stored report with one flag and one event, distinct by its text."""
    text = f"Report {n}: officials said a ship carried {goods} from {supplier} to Rajin."
    key, base = report(text=text, versions=versions or {"sanctionwatch": "0.1.0", "model": "m-1"})
    start = text.index(goods)
    flag = replace(base.flags[0], category=category, regime=category.split("/")[0],
                   supplier=Party(supplier, supplier[:3].upper()), event_date=day,
                   confidence=confidence,
                   goods=replace(base.flags[0].goods, text=goods, start=start, end=start + len(goods)))
    event = replace(base.events[0], date=day)
    return key, replace(base, flags=(flag,), events=(event,))


def fill(path: Path, reports: list[tuple[str, Report]]) -> str:
    db = str(path)
    with Store.open(db) as store:
        store.save([rows(key, r) for key, r in reports])
    return db


@contextmanager
def client(db: str, *, tokens: Tokens = TOKENS, analyzer: Callable | None = None,
           screener: Callable | None = None, fetcher: Fetcher | None = None,
           **settings: object) -> Iterator[TestClient]:
    """The app on a store, started (lifespan run) and stopped around the block."""
    app = create_app(Settings(db=db, tokens=tokens, **settings),  # type: ignore[arg-type]
                     analyzer=analyzer or _no_analyzer, screener=screener or (lambda: None),
                     fetcher=fetcher)
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def _no_analyzer():
    raise RuntimeError("this test has no analyzer")


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str | None] = field(default_factory=dict)
    hang: float = 0.0  # seconds to wait before answering
    drip: float = 0.0  # seconds between body bytes


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: bytes


class LocalServer:
    """An HTTP server on 127.0.0.1 in a thread; `routes` maps a path to a function of the
    request that returns an Answer. Every request is recorded in `seen`."""

    def __init__(self, routes: dict[str, Callable[[Seen], Answer]] | None = None) -> None:
        self.routes = routes or {}
        self.seen: list[Seen] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                request = Seen(self.path, {k.lower(): v for k, v in self.headers.items()},
                               self.rfile.read(length) if length else b"")
                server.seen.append(request)
                route = server.routes.get(self.path.split("?")[0])
                answer = route(request) if route else Answer(404, b"not here")
                if answer.hang:
                    time.sleep(answer.hang)
                try:
                    self.send_response(answer.status)
                    headers = {"Content-Length": str(len(answer.body)), **answer.headers}
                    for name, value in headers.items():
                        if value is not None:  # None: leave the header out
                            self.send_header(name, value)
                    self.end_headers()
                    if answer.drip:
                        for byte in answer.body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(answer.drip)
                    else:
                        self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = _answer

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class LiveServer:
    """The app served by uvicorn on 127.0.0.1 in a thread, for a real browser."""

    def __init__(self, app: object) -> None:
        import socket

        import uvicorn

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,  # type: ignore[arg-type]
                                                    log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

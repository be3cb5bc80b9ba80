"""Misbehaving HTTP servers on 127.0.0.1, started by the tests: one that never stops sending, one
that sends a byte now and then for ever, one that says nothing, one that announces a huge body,
one that sends a gzip bomb; and a good one serving a folder."""

from __future__ import annotations

import gzip
import http.server
import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

TRICKLE_SECONDS = 0.2
BOMB = gzip.compress(b"\0" * (64 << 20), compresslevel=9)  # 64 MB of zeros in 64 KB


class _Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        kind = self.path.strip("/").split("/", 1)[0]
        try:
            if kind == "endless":
                self._head()
                block = b"<x>" * 20_000
                while True:
                    self.wfile.write(block)
            elif kind == "trickle":
                self._head()
                for _ in itertools.count():
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(TRICKLE_SECONDS)
            elif kind == "silent":
                self._head()
                time.sleep(60)
            elif kind == "huge":
                self._head(("Content-Length", str(1 << 40)))
            elif kind == "bomb":
                self._head(("Content-Encoding", "gzip"), ("Content-Length", str(len(BOMB))))
                self.wfile.write(BOMB)
            else:
                super().do_GET()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def _head(self, *headers: tuple[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.flush()

    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # handlers of endless bodies end when their client goes


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """The servers, at <base>endless/…, <base>trickle/…, <base>silent/…, <base>huge/…,
    <base>bomb/…; any other path is a file of `folder`. Yields the base URL."""
    server = _Server(("127.0.0.1", 0), partial(_Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()

"""`sanctionwatch serve`: the API and the dashboard under uvicorn, optionally with the monitor.

uvicorn, the web app and the store are imported by the command, so that the rest of the command
line starts without them.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import sys
from typing import TYPE_CHECKING

import typer

from ..defaults import DB_ENV
from ..errors import SanctionwatchError
from .common import app, warn
from .ingest import DB_OPTION
from .watch import WATCH_OPTIONS, MonitorOptions, start_monitor

if TYPE_CHECKING:
    import uvicorn

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", metavar="HOST", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, metavar="PORT", help="Port to listen on."),
    db: str | None = DB_OPTION,
    workers: int = typer.Option(
        1, "--workers", "-w", min=1, metavar="N",
        help="Worker processes, each with its own copy of the model."),
    reads: str = typer.Option(
        "open", "--reads", metavar="open|token",
        help="Whether reading (API and dashboard) needs a token too."),
    watch: list[str] = typer.Option(
        [], "--watch", metavar="SOURCE",
        help="Run the monitor in this process on these sources (feed URLs, feed files, "
             "directories); repeat the option for each."),
    every: str = WATCH_OPTIONS["every"],
    webhook: str | None = WATCH_OPTIONS["webhook"],
    min_confidence: float = WATCH_OPTIONS["min_confidence"],
    dashboard_url: str | None = WATCH_OPTIONS["dashboard_url"],
) -> None:
    """Serve the HTTP API (/v1/…, described at /openapi.json) and the analysts' dashboard (/).

    Writes need a bearer token from $SANCTIONWATCH_TOKENS or the file $SANCTIONWATCH_TOKENS_FILE
    names (`name:token`, comma-separated or one a line); with none, the server is read-only."""
    import uvicorn

    from ..store import Store, database_url
    from ..web.settings import READS_ENV, Settings

    if reads not in ("open", "token"):
        raise typer.BadParameter("must be 'open' or 'token'", param_hint="--reads")
    os.environ[DB_ENV] = database_url(db)
    os.environ[READS_ENV] = reads
    settings = Settings.from_env()  # a bad token file or setting fails here, in one line
    # Create or upgrade the schema once, before the workers start; and give SQLite's planner
    # fresh statistics, without which it may sort a whole category to find one page.
    with Store.open(settings.db) as store, store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
    if not settings.tokens:
        warn("no tokens configured (SANCTIONWATCH_TOKENS): the server is read-only")
    if not _is_loopback(host):
        warn(f"listening on {host} over plain HTTP: put a TLS proxy in front, tokens travel in "
             "headers")
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    monitor = None
    if watch:
        options = MonitorOptions.parse(watch, every, webhook, min_confidence, dashboard_url
                                       or f"http://{host}:{port}")
        monitor = start_monitor(options, settings.db)
    try:
        _run(uvicorn.Config("sanctionwatch.web.app:create_app", factory=True, host=host, port=port,
                            workers=workers, access_log=False, log_config=None, server_header=False))
    except SystemExit as exc:  # uvicorn exits when it cannot bind
        if exc.code:
            raise SanctionwatchError(f"cannot serve on {host}:{port}") from None
    finally:
        if monitor is not None:
            monitor.stop()


def _run(config: uvicorn.Config) -> None:
    """uvicorn.run, with the socket the workers share made a TCP one: uvicorn opens it with
    protocol 0, and asyncio sets TCP_NODELAY only on connections accepted from a TCP-protocol
    socket; without it every keep-alive response of a multi-worker server waited about 40 ms
    for the client's delayed ACK (measured: 44 ms against 2 ms with one worker)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    if config.workers <= 1:
        server = uvicorn.Server(config)
        server.run()
        if not server.started:
            sys.exit(1)
        return
    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    Multiprocess(config, sockets=[sock]).run()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


__all__ = ["serve"]

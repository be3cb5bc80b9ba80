"""`sanctionwatch watch`: poll feeds and directories, ingest what is new, alert on new flags.

The monitor and the store (the analysis stack and SQLAlchemy behind them) are imported by the
commands, so that the rest of the command line starts without them.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING

import typer

from ..errors import SanctionwatchError
from .common import app, out
from .ingest import DB_OPTION

if TYPE_CHECKING:
    from ..monitor import MonitorConfig

WATCH_OPTIONS = {
    "every": typer.Option("15m", "--every", metavar="INTERVAL",
                          help="How often to poll each source: 90s, 15m, 1h, 1d."),
    "webhook": typer.Option(
        None, "--webhook", metavar="URL",
        help="POST each alert here as JSON, signed with the secret in "
             "$SANCTIONWATCH_WEBHOOK_SECRET (HMAC-SHA256)."),
    "min_confidence": typer.Option(0.5, "--min-confidence", min=0.0, max=1.0, metavar="SCORE",
                                   help="Alert on flags at or above this confidence."),
    "dashboard_url": typer.Option(None, "--dashboard-url", metavar="URL",
                                  help="Where the dashboard is, for links in alerts."),
}


@dataclass(frozen=True)
class MonitorOptions:
    """The monitor's options as the commands take them, checked."""

    config: MonitorConfig  # imported when used: the monitor pulls in the analysis stack

    @classmethod
    def parse(cls, sources: list[str], every: str, webhook: str | None, min_confidence: float,
              dashboard_url: str | None) -> MonitorOptions:
        from ..monitor import MonitorConfig, Webhook, parse_interval
        from ..monitor.alerts import SECRET_ENV

        try:
            interval = parse_interval(every)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--every") from None
        hook = None
        if webhook:
            secret = os.environ.get(SECRET_ENV, "")
            if len(secret) < 16:
                raise SanctionwatchError(f"--webhook needs a signing secret of 16 characters or "
                                         f"more in ${SECRET_ENV}")
            if not webhook.lower().startswith(("http://", "https://")):
                raise typer.BadParameter("must be an http(s) URL", param_hint="--webhook")
            hook = Webhook(webhook, secret)
        return cls(MonitorConfig(tuple(sources), every=interval, min_confidence=min_confidence,
                                 webhook=hook, dashboard_url=dashboard_url))


class RunningMonitor:
    def __init__(self, thread: threading.Thread, stop: threading.Event) -> None:
        self.thread = thread
        self._stop = stop

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(timeout=30)


def start_monitor(options: MonitorOptions, db: str | None) -> RunningMonitor:
    """The monitor in a thread of this process (`serve --watch`)."""
    from ..monitor import Monitor
    from ..store import Store

    store = Store.open(db)
    monitor = Monitor(store, options.config)
    stop = threading.Event()

    def run() -> None:
        try:
            monitor.run(stop)
        finally:
            monitor.close()
            store.close()

    thread = threading.Thread(target=run, name="monitor", daemon=True)
    thread.start()
    return RunningMonitor(thread, stop)


@app.command("watch")
def watch_command(
    sources: list[str] = typer.Argument(
        ..., metavar="SOURCE", help="Feed URLs (RSS/Atom), feed files, directories where files arrive."),
    db: str | None = DB_OPTION,
    every: str = WATCH_OPTIONS["every"],
    webhook: str | None = WATCH_OPTIONS["webhook"],
    min_confidence: float = WATCH_OPTIONS["min_confidence"],
    dashboard_url: str | None = WATCH_OPTIONS["dashboard_url"],
    once: bool = typer.Option(False, "--once", help="Poll every source once, then exit."),
) -> None:
    """Watch sources: poll each every INTERVAL (conditional GET for feeds, new files for
    directories), ingest what is new, and alert on new flags to a webhook and the dashboard's
    inbox. Restarting it neither repeats nor loses an alert."""
    from ..monitor import Monitor
    from ..store import Store

    options = MonitorOptions.parse(sources, every, webhook, min_confidence, dashboard_url)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    with Store.open(db) as store:
        monitor = Monitor(store, options.config)
        try:
            if once:
                result = monitor.poll_once()
                for source in result.sources:
                    detail = source.error or f"{source.articles} new articles"
                    out.print(f"{source.source}: {source.status} ({detail})", markup=False)
                out.print(f"{result.alerts_raised} alerts raised, {result.delivered} delivered, "
                          f"{result.undelivered} not delivered", markup=False)
                if any(s.status == "failed" for s in result.sources):
                    raise typer.Exit(1)
                return
            stop = threading.Event()

            def on_signal(_signum: int, _frame: FrameType | None) -> None:
                stop.set()

            signal.signal(signal.SIGTERM, on_signal)
            signal.signal(signal.SIGINT, on_signal)
            monitor.run(stop)
        finally:
            monitor.close()


__all__ = ["MonitorOptions", "RunningMonitor", "WATCH_OPTIONS", "start_monitor", "watch_command"]

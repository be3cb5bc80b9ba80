"""The monitor against feeds served on 127.0.0.1 that change between polls, fail and hang, a
webhook that fails before it takes alerts, and a directory where files arrive."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from sanctionwatch.ingest import worker
from sanctionwatch.monitor import Monitor, MonitorConfig, Webhook, parse_interval
from sanctionwatch.monitor.sources import backoff, load_state
from sanctionwatch.net import FetchPolicy
from sanctionwatch.store import Store
from sanctionwatch.store.schema import alerts

from .cli_helpers import run_cli
from .web_helpers import Answer, LocalServer, Seen, client

SECRET = "webhook-secret-0123456789"
FLAGGED = ("A Russian company shipped 40 Mercedes-Benz limousines to North Korea in March 2024, "
           "according to customs records seen by reporters.")
QUIET = "The harbour authority repainted the lighthouse and opened a new visitor centre."
ARMS = ("North Korea delivered artillery shells to Russia by rail in January 2024, officials in "
        "Seoul said, citing satellite images of the border crossing.")


def feed(*entries: tuple[str, str]) -> bytes:
    items = "".join(f"<item><title>{title}</title><link>https://news.example/{title}</link>"
                    f"<guid>https://news.example/{title}</guid>"
                    "<pubDate>Mon, 01 Apr 2024 08:00:00 GMT</pubDate>"
                    f"<description>{text}</description></item>"
                    for title, text in entries)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test news</title>'
            f"{items}</channel></rss>").encode()


class Feed:
    """A feed with an ETag and Last-Modified that answers 304 to a matching conditional GET."""

    def __init__(self, body: bytes) -> None:
        self.set(body)
        self.fail = False
        self.hang = 0.0

    def set(self, body: bytes) -> None:
        self.body = body
        self.etag = '"' + hashlib.sha256(body).hexdigest()[:12] + '"'
        self.modified = format_datetime(datetime(2024, 4, 1, tzinfo=UTC), usegmt=True)

    def __call__(self, request: Seen) -> Answer:
        if self.fail:
            return Answer(500, b"broken")
        if self.hang:
            return Answer(200, self.body, hang=self.hang)
        if request.headers.get("if-none-match") == self.etag:
            return Answer(304)
        return Answer(200, self.body, {"Content-Type": "application/rss+xml", "ETag": self.etag,
                                       "Last-Modified": self.modified})


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 4, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Hook:
    """A webhook receiver; while `down`, it answers 503."""

    def __init__(self) -> None:
        self.down = False
        self.received: list[Seen] = []

    def __call__(self, request: Seen) -> Answer:
        if self.down:
            return Answer(503, b"busy")
        self.received.append(request)
        return Answer(204)


@pytest.fixture(scope="module", autouse=True)
def loaded_analyzer():
    """The monitor analyses in its own process (workers=0): load the model once for the module."""
    return worker.analyzer()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as s:
        yield s


def monitor(store: Store, server: LocalServer, clock: Clock, sources: list[str],
            hook_path: str | None = "/hook", **config) -> Monitor:
    webhook = Webhook(server.url(hook_path), SECRET, pause=0) if hook_path else None
    fetch = FetchPolicy(any_address=True, read_timeout=0.5, connect_timeout=0.5, deadline=3)
    return Monitor(store, MonitorConfig(tuple(sources), every=timedelta(minutes=15),
                                        min_confidence=0.5, webhook=webhook, fetch=fetch,
                                        dashboard_url="http://127.0.0.1:8000", **config),
                   clock=clock)


def _verify(request: Seen) -> dict:
    timestamp = request.headers["x-sanctionwatch-timestamp"]
    expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256)
    assert request.headers["x-sanctionwatch-signature"] == "sha256=" + expected.hexdigest()
    return json.loads(request.body)


def test_new_articles_are_ingested_and_alerted_once_across_polls_and_restarts(
        tmp_path: Path, server: LocalServer, clock: Clock):
    news = Feed(feed(("Limousines", FLAGGED), ("Lighthouse", QUIET)))
    hook = Hook()
    server.routes.update({"/news.rss": news, "/hook": hook})
    with Store.open(str(tmp_path / "m.db")) as store:
        m = monitor(store, server, clock, [server.url("/news.rss")])
        first = m.poll_once()
        assert (first.sources[0].status, first.sources[0].articles) == ("new", 2)
        assert first.alerts_raised == len(hook.received) == first.delivered >= 1
        alert = _verify(hook.received[0])
        assert alert["type"] == "flag" and alert["flag"]["category"].startswith("un-dprk/")
        kinds = [_verify(r)["type"] for r in hook.received]
        assert kinds.count("incident") >= 1
        incident = next(_verify(r) for r in hook.received if _verify(r)["type"] == "incident")
        assert incident["dashboard_url"].endswith(f"/incidents/{incident['incident']['id']}")
        assert alert["article"]["url"] == "https://news.example/Limousines"
        assert alert["dashboard_url"] == f"http://127.0.0.1:8000/flags/{alert['flag']['key']}"
        assert hook.received[0].headers["x-sanctionwatch-delivery"] == str(alert["id"])
        delivered = len(hook.received)

        # Not due yet: nothing is fetched.
        requests = len(server.seen)
        assert m.poll_once().sources[0].status == "waiting"
        assert len(server.seen) == requests

        # Due, unchanged: a conditional GET answered 304.
        clock.advance(minutes=15)
        assert m.poll_once().sources[0].status == "unchanged"
        assert server.seen[-1].headers["if-none-match"] == news.etag
        assert server.seen[-1].headers["if-modified-since"] == news.modified

        # The feed changes: only the new article is analysed, only its flag alerts.
        news.set(feed(("Limousines", FLAGGED), ("Lighthouse", QUIET), ("Shells", ARMS)))
        clock.advance(minutes=15)
        third = m.poll_once()
        assert third.sources[0].articles == 1 and third.alerts_raised >= 1
        assert len(hook.received) == delivered + third.alerts_raised
        m.close()

        # A restart on the same store: nothing is alerted or sent again.
        clock.advance(minutes=15)
        news.set(feed(("Limousines", FLAGGED), ("Shells", ARMS)))  # changed, but nothing new
        again = monitor(store, server, clock, [server.url("/news.rss")]).poll_once()
        assert (again.alerts_raised, again.delivered) == (0, 0)
        assert len(hook.received) == delivered + third.alerts_raised


def test_a_failing_source_backs_off_while_the_others_go_on(tmp_path: Path, server: LocalServer,
                                                          clock: Clock):
    broken, hanging, good = Feed(feed(("x", QUIET))), Feed(feed(("y", QUIET))), Feed(feed(("z", FLAGGED)))
    broken.fail = True
    hanging.hang = 2.0  # longer than the read time-out
    server.routes.update({"/broken.rss": broken, "/hanging.rss": hanging, "/good.rss": good})
    sources = [server.url("/broken.rss"), server.url("/hanging.rss"), server.url("/good.rss")]
    with Store.open(str(tmp_path / "b.db")) as store:
        m = monitor(store, server, clock, sources, hook_path=None)
        result = m.poll_once()
        assert [s.status for s in result.sources] == ["failed", "failed", "new"]
        assert "HTTP 500" in result.sources[0].error and "timed out" in result.sources[1].error
        state = load_state(store, sources[0])
        assert (state.failures, state.next_due) == (1, clock.now + timedelta(minutes=30))

        clock.advance(minutes=30)  # the broken one is due again; it fails again: 60 minutes
        assert [s.status for s in m.poll_once().sources] == ["failed", "failed", "unchanged"]
        assert load_state(store, sources[0]).next_due == clock.now + timedelta(minutes=60)

        broken.fail = False
        clock.advance(minutes=60)
        assert m.poll_once().sources[0].status == "new"
        recovered = load_state(store, sources[0])
        assert (recovered.failures, recovered.last_error) == (0, None)


def test_the_webhook_is_retried_and_undelivered_alerts_wait_for_the_next_poll(
        tmp_path: Path, server: LocalServer, clock: Clock):
    hook = Hook()
    hook.down = True
    server.routes.update({"/news.rss": Feed(feed(("Limousines", FLAGGED))), "/hook": hook})
    with Store.open(str(tmp_path / "w.db")) as store:
        m = monitor(store, server, clock, [server.url("/news.rss")])
        first = m.poll_once()
        assert first.alerts_raised >= 1 and first.delivered == 0
        assert len([s for s in server.seen if s.path == "/hook"]) == 3 * first.alerts_raised
        with client(str(tmp_path / "w.db")) as c:  # the inbox shows the alert, not sent yet
            assert "not sent: HTTP 503" in c.get("/").text
        hook.down = False
        clock.advance(minutes=1)
        second = m.poll_once()
        assert second.delivered == first.alerts_raised and len(hook.received) == first.alerts_raised
        with store.engine.connect() as conn:
            sent = conn.execute(select(alerts.c.attempts, alerts.c.delivered_at)).all()
        assert all(row.attempts == 2 and row.delivered_at is not None for row in sent)
        assert {_verify(r)["id"] for r in hook.received} == set(range(1, first.alerts_raised + 1))


def test_a_directory_where_files_arrive(tmp_path: Path, server: LocalServer, clock: Clock):
    inbox = tmp_path / "drop"
    inbox.mkdir()
    (inbox / "one.txt").write_text(QUIET)
    with Store.open(str(tmp_path / "d.db")) as store:
        m = monitor(store, server, clock, [str(inbox)], hook_path=None)
        assert m.poll_once().sources[0].articles == 1
        clock.advance(minutes=15)
        assert m.poll_once().sources[0].status == "unchanged"
        (inbox / "two.json").write_text(json.dumps({"text": FLAGGED, "title": "Cars"}))
        clock.advance(minutes=15)
        result = m.poll_once()
        assert (result.sources[0].status, result.sources[0].articles) == ("new", 1)
        assert result.alerts_raised >= 1
        missing = monitor(store, server, clock, [str(tmp_path / "gone")], hook_path=None).poll_once()
        assert missing.sources[0].status == "failed" and "no such file" in missing.sources[0].error


def test_flags_stored_before_the_monitor_first_ran_do_not_alert(tmp_path: Path, server: LocalServer,
                                                                 clock: Clock):
    drop = tmp_path / "old"
    drop.mkdir()
    (drop / "old.txt").write_text(FLAGGED)
    from sanctionwatch.ingest import ingest

    with Store.open(str(tmp_path / "o.db")) as store:
        ingest([str(drop)], store, workers=0)
        clock.now = datetime.now(UTC) + timedelta(hours=1)
        result = monitor(store, server, clock, [str(drop)], hook_path=None).poll_once()
        assert result.alerts_raised == 0


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("15m", 900), ("1h30m", 5400), ("2d", 172800),
                                               ("600", 600)])
def test_intervals(text: str, seconds: int):
    assert parse_interval(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "m", "15x", "0m", "1.5h", "h15"])
def test_bad_intervals(text: str):
    with pytest.raises(ValueError):
        parse_interval(text)


def test_backoff_doubles_up_to_a_ceiling():
    every, ceiling = timedelta(minutes=15), timedelta(hours=6)
    assert [backoff(every, n, ceiling) for n in (1, 2, 3, 10)] == [
        timedelta(minutes=30), timedelta(hours=1), timedelta(hours=2), timedelta(hours=6)]


def test_watch_once_from_the_command_line(tmp_path: Path, server: LocalServer, capsys, monkeypatch):
    server.routes["/news.rss"] = Feed(feed(("Limousines", FLAGGED)))
    db = str(tmp_path / "cli.db")
    result = run_cli(capsys, monkeypatch, "watch", server.url("/news.rss"), "--db", db, "--once")
    assert result.code == 0, result.err
    assert f"{server.url('/news.rss')}: new (1 new articles)" in result.out
    assert run_cli(capsys, monkeypatch, "watch", "x", "--every", "soon", "--once").code == 2
    monkeypatch.delenv("SANCTIONWATCH_WEBHOOK_SECRET", raising=False)
    no_secret = run_cli(capsys, monkeypatch, "watch", "x", "--db", db, "--webhook", server.url("/hook"))
    assert no_secret.code == 1
    assert no_secret.err.strip() == ("sanctionwatch: error: --webhook needs a signing secret of 16 "
                                     "characters or more in $SANCTIONWATCH_WEBHOOK_SECRET")
    failing = run_cli(capsys, monkeypatch, "watch", str(tmp_path / "nowhere"), "--db", db, "--once")
    assert failing.code == 1 and "failed" in failing.out


def test_serve_runs_the_monitor_in_a_thread_of_its_process(tmp_path: Path, server: LocalServer):
    from sanctionwatch.cli.watch import MonitorOptions, start_monitor

    server.routes["/news.rss"] = Feed(feed(("Limousines", FLAGGED), ("Lighthouse", QUIET)))
    db = str(tmp_path / "serve.db")
    running = start_monitor(MonitorOptions.parse([server.url("/news.rss")], "1h", None, 0.5, None), db)
    try:
        with Store.open(db) as store:
            for _ in range(200):
                if store.counts()["articles"] == 2:
                    break
                threading.Event().wait(0.1)
            assert store.counts()["articles"] == 2
    finally:
        running.stop()
    assert not running.thread.is_alive()

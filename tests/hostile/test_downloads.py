"""Downloads against misbehaving servers on 127.0.0.1 (item 6): a size cap and a deadline for
the whole transfer, for `lists update`, a feed URL given to `ingest` and to `scan`; nothing
partial left behind, whatever ends the run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

import sanctionwatch.screening.sources as list_sources
import sanctionwatch.sources.feeds as feeds
from sanctionwatch.fetch import Bounds
from sanctionwatch.screening.sources import source
from tests.cli_helpers import run_cli
from tests.screening_data import un_xml

from .servers import serving
from .test_hostile_inputs import error_lines

SMALL = Bounds(max_bytes=1 << 20, deadline=2.0)


@pytest.fixture
def base(tmp_path):
    folder = tmp_path / "served"
    folder.mkdir()
    un_xml(folder / "consolidated.xml")
    with serving(folder) as url:
        yield url


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "data"
    monkeypatch.setenv("SANCTIONWATCH_DATA", str(path))
    return path


@pytest.fixture
def small_bounds(monkeypatch):
    """Lists and feeds bounded at 1 MB and 2 s, so the tests end soon."""
    monkeypatch.setattr(list_sources, "source", lambda name: replace(source(name), bounds=SMALL))
    monkeypatch.setattr(feeds, "FEED_BOUNDS", SMALL)


def leftovers(data: Path) -> list[Path]:
    return [p for p in data.rglob("*") if p.name.startswith(".download-") or p.name.endswith(".partial")]


@pytest.mark.parametrize(("server", "message"), [
    ("endless", "over 1,048,576 bytes, more than this kind of file takes"),
    ("huge", "over 1,048,576 bytes, more than this kind of file takes"),
    ("bomb", "over 1,048,576 bytes, more than this kind of file takes"),
    ("trickle", "not done after 2 s"),
    ("silent", "timed out (ReadTimeout, 0 bytes received)"),
])
def test_a_list_download_is_bounded_and_leaves_nothing(base, data, small_bounds, capsys, monkeypatch,
                                                       server, message):
    assert run_cli(capsys, monkeypatch, "lists", "update", "--source", "un", "--base-url", base).code == 0
    started = time.monotonic()
    url = f"{base}{server}/"
    result = run_cli(capsys, monkeypatch, "lists", "update", "--source", "un", "--base-url", url)
    took = time.monotonic() - started
    (line,) = error_lines(result)
    assert result.code == 1 and line.startswith(f"sanctionwatch: error: {url}consolidated.xml: ")
    assert message in line
    assert took < 30  # the deadline (2 s) plus at most one read timeout (2 s) per try, 3 tries
    assert leftovers(data) == []
    status = run_cli(capsys, monkeypatch, "lists", "status", "-f", "json")
    assert '"generated": "2025-01-31"' in status.out  # the installed list is kept


@pytest.mark.parametrize("command", ["scan", "ingest"])
def test_a_feed_url_is_bounded(base, tmp_path, small_bounds, capsys, monkeypatch, command):
    url = f"{base}trickle/feed.xml"
    store = ["--db", str(tmp_path / "s.db"), "--workers", "0"] if command == "ingest" else []
    result = run_cli(capsys, monkeypatch, command, url, *store)
    (line,) = error_lines(result)
    assert line.startswith(f"sanctionwatch: error: {url}: cannot fetch the feed: not done after 2 s (")
    assert result.code == 1


def test_an_update_stopped_by_sigterm_removes_its_partial_download(base, data, tmp_path):
    environment = {**os.environ, "SANCTIONWATCH_DATA": str(data)}
    run = subprocess.Popen([sys.executable, "-m", "sanctionwatch", "lists", "update", "--source", "un",
                            "--base-url", f"{base}trickle/"], env=environment, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(data.rglob("*.partial")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(data.rglob("*.partial")), "the download never started"
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=30)
    assert run.returncode == 128 + signal.SIGTERM
    assert err == "sanctionwatch: error: stopped by SIGTERM\n"
    assert leftovers(data) == []


def test_what_a_killed_update_left_is_removed_by_the_next(base, data, capsys, monkeypatch):
    stale = data / ".download-999999999-1" / "un"
    stale.mkdir(parents=True)
    (stale / "consolidated.xml.partial").write_bytes(b"<" * 1000)
    assert run_cli(capsys, monkeypatch, "lists", "update", "--source", "un", "--base-url", base).code == 0
    assert leftovers(data) == []

"""Crash safety: an ingest killed with SIGKILL mid-way and run again loses nothing and stores
nothing twice, and what it stores is what an uninterrupted run stores."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sanctionwatch.ingest import ingest
from sanctionwatch.store import Store

SHIPS = ["Amber Dawn", "Northern Star", "Sea Lark", "Blue Heron", "Iron Gull"]
PORTS = ["Rotterdam", "Vladivostok", "Busan", "Dalian", "Nakhodka", "Singapore"]
CARGO = ["timber", "frozen fish", "fertiliser", "machine parts", "coal", "flour"]
ARTICLES = 300


def _corpus(path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n in range(ARTICLES):
            text = (f"The cargo ship {SHIPS[n % 5]} left {PORTS[n % 6]} on Monday with "
                    f"{n + 10} tonnes of {CARGO[n % 6]}, the harbour office said in notice {n}.")
            out.write(json.dumps({"id": f"notice-{n}", "text": text}) + "\n")


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_an_ingest_killed_mid_way_resumes_without_loss_or_duplicates(tmp_path: Path):
    corpus, db = tmp_path / "corpus.jsonl", tmp_path / "store.db"
    _corpus(corpus)
    command = [sys.executable, "-m", "sanctionwatch", "ingest", str(corpus), "--db", str(db),
               "--workers", "1", "--batch-size", "4"]

    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while _stored(db) < 20 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = _children(run.pid)
    run.send_signal(signal.SIGKILL)
    run.wait()
    killed_at = _stored(db)
    assert run.returncode == -signal.SIGKILL, run.stderr.read().decode()
    assert 20 <= killed_at < ARTICLES, "the kill came too late to test anything"

    # The workers notice their parent is gone and stop.
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    orphans = [pid for pid in workers if _alive(pid)]
    for pid in orphans:
        os.kill(pid, signal.SIGKILL)
    assert orphans == []

    resumed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{ARTICLES - killed_at:,} new, 0 re-analysed, {killed_at:,} already stored" \
        in resumed.stdout
    with sqlite3.connect(db) as conn:
        ids = [i for (i,) in conn.execute("SELECT external_id FROM articles")]
    assert sorted(ids) == sorted(f"notice-{n}" for n in range(ARTICLES))

    with Store.open(str(db)) as crashed, Store.open(str(tmp_path / "clean.db")) as clean:
        ingest([str(corpus)], clean, workers=0)
        assert crashed.counts() == clean.counts()
        with clean.engine.connect() as conn:
            keys = [k for (k,) in conn.exec_driver_sql("SELECT key FROM articles")]
        assert all(crashed.report(k) == clean.report(k) for k in keys)

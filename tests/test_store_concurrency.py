"""Many writers, one store: on SQLite and on a real PostgreSQL server, writers saving the same
articles at once store each one once, lose nothing and never deadlock; on SQLite a writer kept
waiting too long fails with a clear message and corrupts nothing."""

from __future__ import annotations

import json
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sanctionwatch.ingest import ingest
from sanctionwatch.store import Store, database
from sanctionwatch.store.database import StoreLocked
from sanctionwatch.store.schema import articles, entities

from .cli_helpers import run_cli
from .test_store import V1, V2, report, rows

ARTICLES = 60


def _reports(versions: dict[str, str]):
    """ARTICLES distinct articles, each with two entities, one event, one flag, one hit."""
    return [rows(*report(text=f"Harbour notice {n}: a ferry carried trucks to Rajin.",
                         versions=versions, url=f"https://port.example/notice/{n}"))
            for n in range(ARTICLES)]


def test_writers_saving_overlapping_batches_at_once_store_each_article_once(db_url: str):
    old, new = _reports(V1), _reports(V2)
    threads, rounds = 4, 15
    results: list[list] = [[] for _ in range(threads)]
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def writer(number: int) -> None:
        chance = random.Random(number)
        try:
            with Store.open(db_url) as store:
                start.wait()
                for round_ in range(rounds):
                    # Each round a random third of the articles, by one version or the other,
                    # in a random order: writers collide on keys and replace each other's results.
                    pool = new if (round_ + number) % 2 else old
                    batch = chance.sample(pool, ARTICLES // 3)
                    results[number].append(store.save(batch))
        except BaseException as exc:  # a deadlock or a unique violation would end up here
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in workers), "writers still waiting: deadlock"
    assert errors == []

    with Store.open(db_url) as store:
        saved = [r for per_writer in results for r in per_writer]
        stored = store.counts()
        # Every article stored, once; each with exactly one report's results, never two.
        assert stored == {"articles": ARTICLES, "entities": 2 * ARTICLES, "events": ARTICLES,
                          "flags": ARTICLES, "screening": ARTICLES}
        assert sum(r.new for r in saved) == len({rows.key for rows in old})
        assert sum(r.new + r.replaced + r.unchanged for r in saved) == threads * rounds * (
            ARTICLES // 3)
        assert all(store.report(r.key).versions in (V1, V2) for r in old)
        with store.engine.connect() as conn:
            per_article = conn.execute(select(entities.c.article_id, func.count())
                                       .group_by(entities.c.article_id)).all()
            assert sorted(n for _, n in per_article) == [2] * ARTICLES


def test_clients_opening_a_new_store_at_once_create_its_schema_once(db_url: str):
    clients = 6
    start = threading.Barrier(clients)
    errors: list[BaseException] = []

    def client() -> None:
        try:
            start.wait()
            Store.open(db_url).close()
        except BaseException as exc:  # e.g. "relation alembic_version already exists"
            errors.append(exc)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 120
    for thread in threads:
        thread.join(timeout=max(deadline - time.monotonic(), 0))
    assert not any(thread.is_alive() for thread in threads), "clients still waiting: deadlock"
    assert errors == []
    with Store.open(db_url) as store:
        assert store.schema().up_to_date and store.counts()["articles"] == 0


def _corpus(path: Path, count: int, reverse: bool = False) -> None:
    numbers = range(count - 1, -1, -1) if reverse else range(count)
    with path.open("w", encoding="utf-8") as out:
        for n in numbers:
            text = (f"The bulk carrier Sea Lark {n} unloaded {n + 20} tonnes of flour at "
                    f"Nakhodka on Tuesday, the harbour office said in its notice number {n}.")
            out.write(json.dumps({"id": f"notice-{n}", "text": text}) + "\n")


def _stored(summary: str) -> int:
    """The articles an ingest run stored: none when the other run (its model loaded first) had
    stored them all before this one began."""
    found = re.search(r"([\d,]+) new,", summary)
    if found is None:
        assert "already stored, nothing to analyse" in summary, summary
        return 0
    return int(found[1].replace(",", ""))


def test_two_ingest_processes_into_one_store_store_each_article_once(db_url: str,
                                                                     tmp_path: Path):
    count = 240
    forward, backward = tmp_path / "forward.jsonl", tmp_path / "backward.jsonl"
    _corpus(forward, count)
    _corpus(backward, count, reverse=True)  # the same articles, the other way round
    runs = [subprocess.Popen([sys.executable, "-m", "sanctionwatch", "ingest", str(corpus),
                              "--db", db_url, "--workers", "1", "--batch-size", "3"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for corpus in (forward, backward)]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
    new = [_stored(out) for out, _ in outputs]
    assert sum(new) == count  # each article stored by one of the two, none lost

    with Store.open(db_url) as shared, Store.open(str(tmp_path / "alone.db")) as alone:
        ingest([str(forward)], alone, workers=0)
        assert shared.counts() == alone.counts()
        with alone.engine.connect() as conn:
            keys = [key for (key,) in conn.execute(select(articles.c.key))]
        assert all(_without_origin(shared.report(key)) == _without_origin(alone.report(key))
                   for key in keys)


def _without_origin(stored):
    """A stored report, less the file it was read from (forward.jsonl or backward.jsonl)."""
    return replace(stored, article=replace(stored.article, origin=None))


@pytest.fixture
def sqlite_store(tmp_path: Path):
    path = tmp_path / "shared.db"
    with Store.open(str(path)) as store:
        store.save(_reports(V1)[:10])
    return path


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another program's write transaction on the store, open until closed."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("DELETE FROM screening")  # uncommitted: must never show
    return other


def test_a_sqlite_writer_waits_for_another_to_finish(sqlite_store: Path, monkeypatch):
    monkeypatch.setattr(database, "SQLITE_LOCK_TIMEOUT", 10.0)
    with Store.open(str(sqlite_store)) as store:
        other = _hold_write_lock(sqlite_store)
        releaser = threading.Timer(0.5, other.rollback)
        started = time.monotonic()
        releaser.start()
        saved = store.save(_reports(V1)[10:20])
        waited = time.monotonic() - started
        releaser.join()
        other.close()
        assert saved.new == 10 and waited >= 0.4
        assert store.counts()["articles"] == 20 and store.counts()["screening"] == 20


def test_a_sqlite_writer_kept_waiting_too_long_fails_clearly_and_corrupts_nothing(
        sqlite_store: Path, monkeypatch, capsys):
    monkeypatch.setattr(database, "SQLITE_LOCK_TIMEOUT", 0.3)
    with Store.open(str(sqlite_store)) as store:
        other = _hold_write_lock(sqlite_store)
        try:
            with pytest.raises(StoreLocked, match=(
                    rf"^the store {re.escape(str(sqlite_store))} stayed locked by another "
                    r"writer for 0.3 s; nothing was written")):
                store.save(_reports(V2)[:20])
            # The command says so in one line and exits 1 (here: when it opens the store).
            result = run_cli(capsys, monkeypatch, "ingest", "-", "--db", str(sqlite_store),
                             "--workers", "0", stdin=b"A ferry left port.\n")
            assert result.code == 1
            assert result.err.strip().splitlines() == [
                f"sanctionwatch: error: the store {sqlite_store} stayed locked by another writer "
                "for 0.3 s; nothing was written (for many writers at once, use PostgreSQL)"]
        finally:
            other.rollback()
            other.close()
        assert store.counts() == {"articles": 10, "entities": 20, "events": 10, "flags": 10,
                                  "screening": 10}
        assert all(store.report(r.key).versions == V1 for r in _reports(V1)[:10])
    with sqlite3.connect(sqlite_store) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)

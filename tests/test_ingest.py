"""`ingest`: every article of every source stored once; a second run adds nothing; newer
analysis versions replace older results; one article the analyzer fails on costs only itself."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from sanctionwatch.ingest import ingest, worker
from sanctionwatch.ingest.estimate import count_articles
from sanctionwatch.store import Store
from sanctionwatch.store.schema import articles

from .cli_helpers import run_cli
from .conftest import FIXTURES
from .test_warc import make_warc

NOTES = [
    "The coastguard escorted a damaged trawler back to port after its engine failed at sea.",
    "A delegation of farm ministers toured a seed bank and discussed drought-resistant rice.",
    "Freight rates on the northern route fell for the third month as more ships returned.",
]


def _lines(texts: list[str]) -> str:
    return "".join(json.dumps({"id": f"note-{n}", "text": t}) + "\n" for n, t in enumerate(texts))


@pytest.fixture(scope="module")
def analyzer():
    """The analyzer ingest applies (in this process when workers=0)."""
    return worker.analyzer()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A directory of every kind of source: 1 text, 1 page, 3 JSONL articles (plus a repeat of
    one), a feed with 3 articles (and an entry without text), an Atom feed with 2, a WARC
    with 3 pages: 13 distinct articles."""
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "memo.txt").write_text("Inspectors found the warehouse empty when they arrived.\n")
    body = " ".join(["The port authority published new rules for pilots and tugboats."] * 10)
    (root / "rules.html").write_text(f"<html><head><title>Pilot rules</title></head><body>"
                                     f"<article><p>{body}</p></article></body></html>")
    (root / "notes.jsonl").write_text(_lines(NOTES) + json.dumps({"text": NOTES[1]}) + "\n")
    shutil.copy(FIXTURES / "ingest" / "harbour-news.rss", root)
    shutil.copy(FIXTURES / "ingest" / "trade-notes.atom", root)
    (root / "crawl.warc.gz").write_bytes(make_warc(compress=True))
    return root


def test_ingest_stores_every_article_of_every_source_once(corpus: Path, tmp_path: Path,
                                                          capsys, monkeypatch):
    db = str(tmp_path / "s.db")
    first = run_cli(capsys, monkeypatch, "ingest", str(corpus), "--db", db, "--workers", "0")
    # The feed entry without text is reported; everything else is stored.
    assert first.code == 1
    assert "harbour-news.rss entry 3: feed entry has no content or summary" in first.err
    assert "13 new, 0 re-analysed, 1 already stored, 1 problem;" in first.out
    with Store.open(db) as store:
        counts = store.counts()
    assert counts["articles"] == 13

    second = run_cli(capsys, monkeypatch, "ingest", str(corpus), "--db", db, "--workers", "0")
    assert second.out.startswith("14 already stored, nothing to analyse (1 problem, ")
    assert "articles/s" not in second.out
    with Store.open(db) as store:
        assert store.counts() == counts


def test_the_dev_set_is_stored_once(shared: Path, tmp_path: Path, analyzer):
    devset = str(shared / "devset" / "articles.jsonl")
    with Store.open(str(tmp_path / "dev.db")) as store:
        first = ingest([devset], store, workers=0)
        assert (first.new, first.problems) == (29, 0)
        assert first.flags == store.counts()["flags"]
        again = ingest([devset], store, workers=0)
        assert (again.new, again.replaced, again.skipped) == (0, 0, 29)
        assert store.counts()["articles"] == 29


def test_a_newer_analysis_version_reanalyses_and_replaces(tmp_path: Path, analyzer,
                                                          monkeypatch):
    source = tmp_path / "notes.jsonl"
    source.write_text(_lines(NOTES))
    with Store.open(str(tmp_path / "v.db")) as store:
        ingest([str(source)], store, workers=0)
        before = store.counts()
        monkeypatch.setattr(analyzer, "versions", {**analyzer.versions, "rules": "next"})
        stats = ingest([str(source)], store, workers=0)
        assert (stats.new, stats.replaced, stats.skipped) == (0, 3, 0)
        assert store.counts() == before
        with store.engine.connect() as conn:
            versions = {v for (v,) in conn.execute(select(articles.c.versions))}
        assert len(versions) == 1 and '"rules":"next"' in versions.pop()


def test_an_article_the_analyzer_fails_on_costs_only_itself(tmp_path: Path, analyzer,
                                                             monkeypatch):
    analyze_many = analyzer.analyze_many

    def failing(articles, batch_size=32):
        articles = list(articles)
        if any("BROKEN" in a.text for a in articles):
            raise RuntimeError("cannot parse this one")
        return analyze_many(articles, batch_size=batch_size)

    monkeypatch.setattr(analyzer, "analyze_many", failing)
    source = tmp_path / "notes.jsonl"
    source.write_text(_lines([*NOTES, "A BROKEN article.", "One more harmless line of news."]))
    problems = []
    with Store.open(str(tmp_path / "f.db")) as store:
        stats = ingest([str(source)], store, workers=0, on_problem=problems.append)
        assert (stats.new, stats.failed, stats.problems) == (4, 1, 1)
        assert store.counts()["articles"] == 4
    assert [str(p) for p in problems] == [
        f"{source}: article note-3: analysis failed: RuntimeError: cannot parse this one"]


def test_worker_processes_store_what_analysis_in_process_stores(tmp_path: Path, analyzer):
    texts = [f"{text} Report number {n}." for n in range(6) for text in NOTES]
    source = tmp_path / "many.jsonl"
    source.write_text(_lines(texts))
    stored = []
    for workers in (0, 2):
        with Store.open(str(tmp_path / f"w{workers}.db")) as store:
            stats = ingest([str(source)], store, workers=workers, batch_size=4)
            assert (stats.new, stats.problems) == (len(texts), 0)
            with store.engine.connect() as conn:
                keys = sorted(k for (k,) in conn.execute(select(articles.c.key)))
            stored.append([store.report(key) for key in keys])
    assert stored[0] == stored[1]


def test_progress_lines_when_not_at_a_terminal(tmp_path: Path, analyzer, capsys, monkeypatch):
    monkeypatch.setattr("sanctionwatch.cli.ingest.LOG_EVERY_SECONDS", 0.0)
    source = tmp_path / "notes.jsonl"
    source.write_text(_lines(NOTES))
    result = run_cli(capsys, monkeypatch, "ingest", str(source), "--db", str(tmp_path / "p.db"),
                     "--workers", "0", "--batch-size", "1")
    assert result.code == 0
    lines = result.err.splitlines()
    assert len(lines) >= 3
    assert all(re.match(r"sanctionwatch: ingest: \d of 3 articles \(\d+\.\d/s\), 0 flags, "
                        r"0 problems$", line) for line in lines)
    assert lines[-1].startswith("sanctionwatch: ingest: 3 of 3 articles (")
    assert result.out.startswith("Analysed 3 articles in ")


def test_standard_input_is_a_source(tmp_path: Path, analyzer, capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "ingest", "-", "--db", str(tmp_path / "i.db"),
                     "--workers", "0", stdin=_lines(NOTES).encode())
    assert result.code == 0
    assert "3 new" in result.out


def test_a_missing_source_is_reported_and_the_rest_stored(tmp_path: Path, analyzer, capsys,
                                                          monkeypatch):
    source = tmp_path / "notes.jsonl"
    source.write_text(_lines(NOTES))
    result = run_cli(capsys, monkeypatch, "ingest", str(tmp_path / "nope.jsonl"), str(source),
                     "--db", str(tmp_path / "m.db"), "--workers", "0")
    assert result.code == 1
    assert result.err.strip() == (
        f"sanctionwatch: error: {tmp_path / 'nope.jsonl'}: no such file or directory")
    assert "3 new" in result.out


def test_a_store_that_cannot_be_opened_is_one_line(tmp_path: Path, capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "ingest", str(tmp_path), "--db",
                     str(tmp_path / "no" / "dir" / "s.db"))
    assert result.code == 1
    assert result.err.startswith("sanctionwatch: error: cannot open database sqlite:///")
    assert len(result.err.strip().splitlines()) == 1


def test_count_articles_for_the_progress_bar(corpus: Path, tmp_path: Path):
    (tmp_path / "two.jsonl").write_text(_lines(NOTES[:2]))
    (tmp_path / "last-line-unterminated.jsonl").write_text(_lines(NOTES).rstrip("\n"))
    assert count_articles([str(tmp_path / "two.jsonl"),
                           str(tmp_path / "last-line-unterminated.jsonl")]) == 5
    assert count_articles([str(corpus / "memo.txt"), str(corpus / "notes.jsonl")]) == 5
    # Feeds, WARCs, compressed files, URLs and standard input are counted only by reading them.
    assert count_articles([str(corpus)]) is None
    assert count_articles(["-"]) is None
    assert count_articles(["https://news.example/feed.rss"]) is None

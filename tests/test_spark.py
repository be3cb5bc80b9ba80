"""`spark ingest` on local[2]: over JSON Lines (plain and gzipped) and WARC files (one with a
corrupt record), Spark's flags equal `ingest`'s for the same articles; refused records are
counted and skipped; a re-run over overlapping input adds nothing; a run that died between two
tables is completed without duplicates; results load into the SQL store as ingest saves them.

One Spark session serves the whole module (starting one costs seconds). The tests skip when
pyspark or Java is missing, unless $SANCTIONWATCH_REQUIRE_SPARK is set (CI), when they fail.
"""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sanctionwatch.ingest import IngestStats, ingest
from sanctionwatch.store import Store
from sanctionwatch.store.schema import REPORT_TABLES, articles, flags

from .cli_helpers import run_cli
from .conftest import FIXTURES
from .test_warc import _record_offsets, make_warc

REQUIRE_ENV = "SANCTIONWATCH_REQUIRE_SPARK"


def _missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install -e '.[spark]')"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "no Java for Spark (Debian: openjdk-17-jre-headless)"
    return None


if (_reason := _missing()) is not None:
    if os.environ.get(REQUIRE_ENV):
        raise RuntimeError(f"${REQUIRE_ENV} is set but {_reason}")
    pytest.skip(_reason, allow_module_level=True)

from sanctionwatch.spark.job import IngestJob, JobOptions, JobSummary  # noqa: E402
from sanctionwatch.spark.session import spark_session  # noqa: E402
from sanctionwatch.spark.tables import TABLE_SCHEMAS  # noqa: E402

CASES = yaml.safe_load((FIXTURES / "cases.yaml").read_text(encoding="utf-8"))


def _line(case: dict) -> str:
    return json.dumps({"id": case["id"], "text": case["text"], "published": case["published"]})


def _page(case: dict) -> bytes:
    title = case["id"].replace("-", " ").capitalize()
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{case['text']}</p><p>Published on {case['published']}.</p></article>"
            "</body></html>").encode()


def _warc_with_a_corrupt_record(cases: list[dict]) -> bytes:
    """One page per case; the header of the second page's record is damaged."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for case in cases:
        payload = _page(case)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                           ("Content-Length", str(len(payload)))],
                                protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://news.example/{case['id']}", "response", payload=io.BytesIO(payload),
            http_headers=http))
    data = out.getvalue()
    second = _record_offsets(data)[1]
    return data[:second] + b"GARBAGE LINE\r\n" + data[second + len(b"WARC/1.1\r\n"):]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """22 articles written for the tests (tests/fixtures/cases.yaml), 12 of them flagged, and
    the three crawled pages of test_warc: JSON Lines with a bad line and a repeated article, a
    gzipped JSON Lines file, a WARC with a corrupt record, a gzipped WARC."""
    root = tmp_path_factory.mktemp("spark-corpus")
    lines = [_line(c) for c in CASES[:12]]
    (root / "notes.jsonl").write_text("\n".join([*lines, "{not json", lines[0]]) + "\n")
    (root / "more.jsonl.gz").write_bytes(
        gzip.compress(("\n".join(_line(c) for c in CASES[12:17]) + "\n").encode()))
    (root / "pages.warc").write_bytes(_warc_with_a_corrupt_record(CASES[17:]))
    (root / "crawl.warc.gz").write_bytes(make_warc(compress=True))
    return root


@pytest.fixture(scope="module")
def spark():
    conf = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": "4"}
    with spark_session("local[2]", conf) as session:
        yield session


@pytest.fixture(scope="module")
def native(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, IngestStats]:
    """`ingest` of the same corpus into a SQLite store."""
    db = str(tmp_path_factory.mktemp("native") / "native.db")
    with Store.open(db) as store:
        stats = ingest([str(corpus)], store, workers=0)
    return db, stats


@pytest.fixture(scope="module")
def first_run(spark, corpus: Path, tmp_path_factory) -> tuple[Path, JobSummary]:
    out = tmp_path_factory.mktemp("spark-out") / "out"
    return out, IngestJob(JobOptions(sources=(str(corpus),), out=str(out))).run(spark)


def _table(spark, out: Path, name: str) -> list:
    return spark.read.schema(TABLE_SCHEMAS[name]).parquet(str(out / name)).collect()


def _native_flags(db: str) -> dict[tuple[str, int], tuple[str, dict]]:
    """The flags a store holds, by article key and position: their own key and their data."""
    with Store.open(db) as store, store.engine.connect() as conn:
        query = select(articles.c.key, flags.c.seq, flags.c.key, flags.c.data).join(
            flags, flags.c.article_id == articles.c.id)
        return {(key, seq): (flag_key, data) for key, seq, flag_key, data in conn.execute(query)}


def test_spark_flags_equal_ingest_flags(spark, first_run, native):
    out, summary = first_run
    db, stats = native
    spark_flags = {(r.key, r.seq): (r.flag_key, json.loads(r.data))
                   for r in _table(spark, out, "flags")}
    assert len(spark_flags) >= 10  # the corpus is made to raise flags
    assert spark_flags == _native_flags(db)
    with Store.open(db) as store:
        counts = store.counts()
    assert summary.analysed == stats.new == counts["articles"]
    assert summary.items == {name: counts[name] for name in REPORT_TABLES}
    for name in ("articles", *REPORT_TABLES):
        assert len(_table(spark, out, name)) == counts[name]
    with Store.open(db) as store, store.engine.connect() as conn:
        assert {r.key for r in _table(spark, out, "articles")} == set(
            conn.scalars(select(articles.c.key)))


def test_tables_are_partitioned_by_publication_month(spark, first_run):
    out, _ = first_run
    rows = _table(spark, out, "articles")
    assert {r.month for r in rows} >= {"2024-02", "2024-08"}
    assert all(r.month == (r.published or "")[:7] or (r.month is None and not r.published)
               for r in rows)
    assert (out / "flags" / "month=2024-02").is_dir()


def test_refused_records_are_counted_and_skipped(first_run, native, corpus: Path):
    _, summary = first_run
    _, stats = native
    assert summary.files == 4
    # The 22 cases less the page in the corrupt record, the 3 crawled pages, 1 repeated line.
    assert summary.read == 21 + 3 + 1
    assert summary.repeated == 1
    assert summary.refused == stats.problems == 2
    assert sorted(summary.problems) == [
        f"{corpus / 'notes.jsonl'}: invalid JSON: Expecting property name enclosed in double "
        "quotes at column 2",
        f"{corpus / 'pages.warc'} record 1: corrupt WARC data after this record (a wrong "
        "Content-Length?): skipped to the next record",
    ]
    assert (Path(first_run[0]) / "problems" / f"run={summary.run}").is_dir()


def test_a_rerun_over_overlapping_input_adds_nothing(spark, first_run, corpus: Path,
                                                     tmp_path: Path):
    out, first = first_run
    extra = tmp_path / "extra"
    extra.mkdir()
    text = ("Customs officers in Nampo said a tanker unloaded 9,000 barrels of diesel from a "
            "Russian ship in March, in breach of the cap, a UN panel reported.")
    (extra / "late.jsonl").write_text(json.dumps({"id": "late", "text": text,
                                                  "published": "2024-04-02"}) + "\n")
    before = {name: len(_table(spark, out, name)) for name in TABLE_SCHEMAS}
    # The same corpus again, and one new article, given as a file:// URI (Hadoop's listing).
    again = IngestJob(JobOptions(sources=(str(corpus), extra.as_uri()),
                                 out=str(out))).run(spark)
    assert (again.read, again.stored, again.analysed) == (first.read + 1, first.analysed, 1)
    after = {name: _table(spark, out, name) for name in TABLE_SCHEMAS}
    assert len(after["articles"]) == before["articles"] + 1
    for name in REPORT_TABLES:
        keys = [(r.key, r.seq) for r in after[name]]
        assert len(keys) == len(set(keys)) == before[name] + again.items[name]


def test_a_run_that_died_between_tables_is_completed_without_duplicates(spark, first_run,
                                                                         corpus, tmp_path):
    out, first = first_run
    died = tmp_path / "died"
    shutil.copytree(out, died)
    # As if the run had died after writing the item tables and before the articles of 2024-08.
    shutil.rmtree(died / "articles" / "month=2024-08")
    lost = len([r for r in _table(spark, out, "articles") if r.month == "2024-08"])
    redone = IngestJob(JobOptions(sources=(str(corpus),), out=str(died))).run(spark)
    assert redone.analysed == lost > 0
    for name in TABLE_SCHEMAS:
        original = sorted(json.dumps(r.asDict(), default=str, sort_keys=True)
                          for r in _table(spark, out, name) if name != "articles")
        completed = sorted(json.dumps(r.asDict(), default=str, sort_keys=True)
                           for r in _table(spark, died, name) if name != "articles")
        assert completed == original  # the item tables: nothing added twice
    assert ({r.key for r in _table(spark, died, "articles")}
            == {r.key for r in _table(spark, out, "articles")})


def test_results_load_into_the_sql_store_as_ingest_saves_them(spark, native, db_url: str,
                                                              tmp_path: Path):
    source = tmp_path / "two.jsonl"
    source.write_text(f"{_line(CASES[0])}\n{_line(CASES[4])}\n")  # a limousine, shells
    with Store.open(db_url) as store:
        summary = IngestJob(JobOptions(sources=(str(source),), out=str(tmp_path / "out"))).run(
            spark, store)
        assert summary.loaded == 2
        native_db, _ = native
        with Store.open(native_db) as alone:
            keys = list(store.engine.connect().scalars(select(articles.c.key)))
            assert len(keys) == 2
            for key in keys:
                loaded, saved = store.report(key), alone.report(key)
                assert loaded.flags and loaded.flags == saved.flags
                assert replace(loaded, article=saved.article) == saved  # all but the origin
    loaded_flags, native_flags = _native_flags(db_url), _native_flags(native_db)
    assert loaded_flags and all(native_flags[at] == flag for at, flag in loaded_flags.items())


def test_the_command_reports_what_it_did_and_refuses_input_it_cannot_read(
        spark, tmp_path: Path, capsys, monkeypatch):
    source = tmp_path / "few.jsonl"
    source.write_text(f"{_line(CASES[0])}\n[1, 2]\n")
    out = tmp_path / "out"
    result = run_cli(capsys, monkeypatch, "spark", "ingest", str(source), "--out", str(out))
    assert result.code == 1
    assert result.err.strip() == f"sanctionwatch: error: {source}: not a JSON object"
    assert re.fullmatch(
        r"Read 1 articles from 1 files \(1 refused\); 0 repeated, 0 already in "
        rf"{re.escape(str(out))}; analysed 1 on local\[2\] in [\d.]+s \([\d.]+ articles/s\): "
        r"2 flags, \d+ events, \d+ entities, \d+ screening hits\.\n", result.out)

    result = run_cli(capsys, monkeypatch, "spark", "ingest", "-", "--out", str(out))
    assert result.code == 1
    assert result.err.strip() == ("sanctionwatch: error: spark ingest reads files (local paths, "
                                  "or URIs such as s3a:// and hdfs://), not standard input: -")

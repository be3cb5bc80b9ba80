"""The store: schema by migration, idempotent saves, re-analysis by version, round trips."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.model import Article, Entity, Event, Flag, Goods, Party, Report, ScreeningHit, Span
from sanctionwatch.store import Store, article_key, article_rows, database_url
from sanctionwatch.store.schema import articles, flags, metadata

V1 = {"sanctionwatch": "0.1.0", "model": "m-1"}
V2 = {"sanctionwatch": "0.1.0", "model": "m-1", "rules": "r-2"}

TEXT = "Officials in Vladivostok said a ferry carried 40 trucks to Rajin on 3 May."


def report(text: str = TEXT, versions: dict[str, str] = V1, url: str | None = None,
           published: str | None = "2024-05-06", with_flag: bool = True) -> tuple[str, Report]:
    article = Article(text=text, url=url, title="Ferry to Rajin", published=published,
                      origin="test").with_id()
    ferry = Goods(text="40 trucks", hs="8704", classes=("vehicles",), start=42, end=51)
    russia, dprk = Party("Russia", "RUS", kind="country"), Party("North Korea", "PRK")
    evidence = (Span(0, len(text), text),)
    event = Event(type="transfer", source=russia, target=dprk, goods=(ferry,), date="2024-05-03",
                  modality="reported", evidence=evidence)
    flag = Flag(category="un-dprk/vehicles", regime="un-dprk", rule_id="un-dprk-vehicles",
                citations=("UNSCR 2397 (2017) para 7",), supplier=russia, recipient=dprk,
                goods=ferry, event_date="2024-05-03", confidence=0.8, evidence=evidence,
                why="trucks are vehicles; supplied to the DPRK")
    entities = (Entity(text="Vladivostok", start=13, end=24, kind="place", label="GPE",
                       country="RUS"),
                Entity(text="Rajin", start=55, end=60, kind="place", label="GPE", kb_id="place/rajin"))
    hit = ScreeningHit(name="Rajin", list="un-1718", entry_id="X1", matched_name="Rajin Port",
                       score=0.91)
    result = Report(article=article, entities=entities, events=(event,),
                    flags=(flag,) if with_flag else (), screening=(hit,), versions=versions)
    return article_key(text, url), result


def rows(key: str, result: Report):
    return article_rows(key, result.article, result)


@pytest.fixture
def store(db_url: str):
    """A new store, once on SQLite and once on PostgreSQL (see tests/postgres.py)."""
    with Store.open(db_url) as opened:
        yield opened


def test_the_migrated_schema_is_the_declared_schema(store: Store):
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        if conn.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_opening_again_keeps_what_is_stored(db_url: str):
    with Store.open(db_url) as first:
        first.save([rows(*report())])
    with Store.open(db_url) as second:
        assert second.counts()["articles"] == 1


def test_a_report_round_trips_through_the_store(store: Store):
    key, original = report()
    assert store.save([rows(key, original)]).new == 1
    assert store.report(key) == original
    assert store.report("no-such-key") is None


def test_saving_the_same_article_twice_stores_it_once(store: Store):
    key, result = report()
    first = store.save([rows(key, result), rows(key, result)])
    second = store.save([rows(key, result)])
    assert (first.new, first.unchanged) == (1, 1)
    assert (second.new, second.unchanged) == (0, 1)
    assert store.counts() == {"articles": 1, "entities": 2, "events": 1, "flags": 1,
                              "screening": 1}


def test_a_newer_version_replaces_the_results_and_records_the_version(store: Store):
    key, old = report(versions=V1)
    store.save([rows(key, old)])
    _, new = report(versions=V2, with_flag=False)
    result = store.save([rows(key, new)])
    assert (result.new, result.replaced) == (0, 1)
    assert store.counts()["flags"] == 0
    assert store.counts()["entities"] == 2  # replaced, not added to
    assert store.report(key).versions == V2
    assert store.stored_versions([key, "other"]) == {key: '{"model":"m-1","rules":"r-2",'
                                                          '"sanctionwatch":"0.1.0"}'}


def test_article_key_ignores_whitespace_but_not_words_or_urls():
    assert article_key("A  ship\n sailed. ") == article_key("A ship sailed.")
    assert article_key("A ship sailed.") != article_key("A ship sank.")
    assert article_key("A ship sailed.", "https://a.example/1") != article_key(
        "A ship sailed.", "https://a.example/2")


def test_flag_rows_keep_query_columns_and_the_whole_flag(store: Store):
    key, result = report(published="2024-05-06")
    store.save([rows(key, result)])
    with store.engine.connect() as conn:
        row = conn.execute(select(flags)).mappings().one()
        assert (row["category"], row["supplier_country"], row["recipient_country"]) == (
            "un-dprk/vehicles", "RUS", "PRK")
        assert row["day"] == "2024-05-03"  # the event's date, not the publication date
        assert row["data"]["why"] == "trucks are vehicles; supplied to the DPRK"
        stored = conn.execute(select(articles.c.words, articles.c.external_id)).one()
        assert stored == (len(TEXT.split()), result.article.id)


def test_database_url_from_path_environment_and_default(monkeypatch, tmp_path):
    monkeypatch.delenv("SANCTIONWATCH_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert database_url() == f"sqlite:///{tmp_path / 'sanctionwatch.db'}"
    assert database_url("x/y.db") == f"sqlite:///{tmp_path / 'x' / 'y.db'}"
    monkeypatch.setenv("SANCTIONWATCH_DB", "postgresql://u:p@db.example/sw")
    assert database_url() == "postgresql://u:p@db.example/sw"
    assert database_url("sqlite:////tmp/z.db") == "sqlite:////tmp/z.db"


@pytest.mark.parametrize("db", ["not a url://x", "nosuchdialect://host/db"])
def test_a_bad_database_url_is_one_clear_error(db):
    with pytest.raises(SanctionwatchError, match=r"^(not a database URL|cannot use database)"):
        Store.open(db)


def test_a_store_in_a_missing_directory_is_one_clear_error(tmp_path):
    with pytest.raises(SanctionwatchError, match="^cannot open database sqlite:///.*/nowhere/s.db:"):
        Store.open(str(tmp_path / "nowhere" / "s.db"))


def test_opening_only_an_existing_store(tmp_path):
    missing = tmp_path / "missing.db"
    with pytest.raises(SanctionwatchError, match="^no store at .*missing.db"):
        Store.open(str(missing), create=False)
    assert not missing.exists()

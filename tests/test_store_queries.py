"""Listing stored flags and events: filters, order, and the `query` command's formats."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace

import pytest

from sanctionwatch.model import Party
from sanctionwatch.store import Store
from sanctionwatch.store.queries import Filters, headline, list_events, list_flags

from .cli_helpers import run_cli
from .test_store import report, rows

CHINA = Party("China", "CHN")
IRAN = Party("Iran", "IRN")


def _variant(text: str, day: str | None, category: str, supplier: Party, goods_text: str):
    """A stored report whose one flag and one event differ from the base report."""
    key, base = report(text=text)
    flag = replace(base.flags[0], category=category, regime=category.split("/")[0], supplier=supplier,
                   event_date=day,
                   goods=replace(base.flags[0].goods, text=goods_text))
    event = replace(base.events[0], source=supplier, date=day)
    return key, replace(base, flags=(flag,), events=(event,))


@pytest.fixture
def db(db_url: str) -> str:
    """A store of four reports, once on SQLite and once on PostgreSQL."""
    with Store.open(db_url) as store:
        store.save([
            rows(*_variant("First article text about trucks.", "2024-01-10",
                           "un-dprk/vehicles", Party("Russia", "RUS"), "trucks")),
            rows(*_variant("Second article text about a yacht.", "2024-03-02",
                           "un-dprk/luxury-goods", CHINA, "Sunseeker yacht")),
            rows(*_variant("Third article text about drones.", "2023-11-20",
                           "un-iran/arms", IRAN, "Shahed drones")),
            # No event date: the publication date (2024-05-06) stands in for it.
            rows(*_variant("Fourth article text about Żubr hovercraft.", None,
                           "un-dprk/arms", CHINA, "Żubr hovercraft")),
        ])
    return db_url


def _goods(db: str, **filters) -> list[str]:
    with Store.open(db) as store:
        return [f["goods"]["text"] for f in list_flags(store, Filters(**filters))]


def test_flags_come_newest_first_with_their_article(db: str):
    with Store.open(db) as store:
        found = list(list_flags(store, Filters()))
    assert [f["day"] for f in found] == ["2024-05-06", "2024-03-02", "2024-01-10", "2023-11-20"]
    assert found[1]["article"]["title"] == "Ferry to Rajin"
    assert found[1]["citations"] == ["UNSCR 2397 (2017) para 7"]


@pytest.mark.parametrize(("filters", "expected"), [
    ({"kind": "un-dprk/luxury-goods"}, ["Sunseeker yacht"]),
    ({"kind": "un-dprk"}, ["Żubr hovercraft", "Sunseeker yacht", "trucks"]),
    ({"kind": "un-dp"}, []),  # a regime matches whole, not as a prefix of letters
    ({"country": "chn"}, ["Żubr hovercraft", "Sunseeker yacht"]),
    ({"country": "PRK"}, ["Żubr hovercraft", "Sunseeker yacht", "trucks", "Shahed drones"]),
    ({"since": "2024-01-10", "until": "2024-03-31"}, ["Sunseeker yacht", "trucks"]),
    ({"text": "SUNSEEKER"}, ["Sunseeker yacht"]),
    ({"text": "żubr"}, ["Żubr hovercraft"]),
    ({"text": "100%"}, []),  # LIKE wildcards in the text are literal
    ({"limit": 2}, ["Żubr hovercraft", "Sunseeker yacht"]),
])
def test_flag_filters(db: str, filters: dict, expected: list[str]):
    assert _goods(db, **filters) == expected


def test_event_filters(db: str):
    with Store.open(db) as store:
        found = list(list_events(store, Filters(kind="transfer", country="IRN")))
        assert [e["source"]["name"] for e in found] == ["Iran"]
        assert list(list_events(store, Filters(kind="meeting"))) == []


def test_query_flags_as_jsonl_csv_and_table(db: str, capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "query", "flags", "--db", db, "--country", "CHN",
                     "--format", "jsonl")
    assert result.code == 0
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert [f["category"] for f in lines] == ["un-dprk/arms", "un-dprk/luxury-goods"]

    result = run_cli(capsys, monkeypatch, "query", "flags", "--db", db, "--format", "csv",
                     "--category", "un-iran")
    table = list(csv.DictReader(io.StringIO(result.out)))
    assert [(r["day"], r["supplier"], r["supplier_country"], r["goods"]) for r in table] == [
        ("2023-11-20", "Iran", "IRN", "Shahed drones")]
    assert table[0]["citations"] == "UNSCR 2397 (2017) para 7"

    result = run_cli(capsys, monkeypatch, "query", "flags", "--db", db, "--text", "yacht")
    assert result.code == 0
    assert "Sunseeker" in result.out and "trucks" not in result.out


def test_query_events_table_and_nothing_found(db: str, capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "query", "events", "--db", db, "--type", "transfer",
                     "--since", "2024-03-01")
    assert result.code == 0
    assert "China" in result.out and "Iran" not in result.out
    result = run_cli(capsys, monkeypatch, "query", "events", "--db", db, "--type", "meeting")
    assert result.code == 0
    assert result.err.strip() == "sanctionwatch: no stored events match"


def test_query_refuses_a_store_that_does_not_exist(tmp_path, capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "query", "flags", "--db", str(tmp_path / "none.db"))
    assert result.code == 1
    assert result.err.strip() == (
        f"sanctionwatch: error: no store at {tmp_path / 'none.db'} (sanctionwatch ingest "
        "creates one)")
    assert not (tmp_path / "none.db").exists()


def test_query_refuses_a_bad_date(db: str, capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "query", "flags", "--db", db, "--since", "last week")
    assert result.code == 2
    assert "not a YYYY-MM-DD date" in result.err
    assert len(result.err.strip().splitlines()) == 1


def _untitled(text: str, origin: str):
    key, base = report(text=text)
    article = replace(base.article, title=None, origin=origin, url="https://example.org/" + origin)
    return key, replace(base, article=article)


def test_rows_name_their_article_and_find_a_title_in_the_text(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "titles.db")
    headed = "Ferry with trucks reaches Rajin\n\nOfficials said a ferry carried 40 trucks to Rajin."
    plain = "Officials said a ferry carried 40 trucks to Rajin.\nIt was the second such voyage."
    with Store.open(db) as store:
        store.save([rows(*_untitled(headed, "headed.txt")), rows(*_untitled(plain, "plain.txt"))])
        found = {f["article"]["origin"]: f["article"] for f in list_flags(store, Filters())}
    # A first line on its own that reads as a headline is the title; a sentence is not.
    assert found["headed.txt"]["title"] == "Ferry with trucks reaches Rajin"
    assert found["plain.txt"]["title"] is None
    table = run_cli(capsys, monkeypatch, "query", "flags", "--db", db)
    header = next(line for line in table.out.splitlines() if "category" in line)
    assert [c.strip() for c in header.strip("┃│ ").split("┃")][-3:] == ["title", "article", "url"]
    assert "Ferry with trucks reaches Rajin" in table.out and "https://example.org/plain.txt" in table.out
    assert found["plain.txt"]["id"] in table.out
    # With no title at all, the table says where the article was read from.
    assert re.search(r"│ plain\.txt +│", table.out)
    events = run_cli(capsys, monkeypatch, "query", "events", "--db", db)
    assert "Ferry with trucks reaches Rajin" in events.out and found["headed.txt"]["id"] in events.out


@pytest.mark.parametrize(("text", "title"), [
    ("Kim receives a limousine\nPyongyang, 20 Feb.", "Kim receives a limousine"),
    ("  \n Kim receives a limousine \r\nText.", "Kim receives a limousine"),
    ("One line only, no break", None),
    ("A sentence that ends.\nMore.", None),
    ("x" * 151 + "\nMore.", None),
])
def test_headline(text: str, title: str | None):
    assert headline(text) == title

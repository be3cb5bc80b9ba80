"""Relations over time: events placed by their own date or by publication, weighted on the
Goldstein scale, with flags and incidents; the table and both charts."""

from __future__ import annotations

import json

import pytest

from sanctionwatch.analysis.incidents import update_incidents
from sanctionwatch.analysis.plot import draw
from sanctionwatch.analysis.relations import place, timeline, weight
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.model import Event, Span
from sanctionwatch.store import Store

from .cli_helpers import run_cli
from .incident_data import AURUS, AURUS_JUNE, COAL_SALE, KIM, PUTIN, Story, save


def _event(kind: str, code: str, date: str | None, modality: str = "asserted") -> Event:
    text = f"A {kind} between the two states."
    return Event(type=kind, code=code, source=PUTIN, target=KIM, date=date, modality=modality,
                 evidence=(Span(0, len(text), text),))


@pytest.fixture
def store(tmp_path):
    with Store.open(str(tmp_path / "relations.db")) as opened:
        summit = Story("summit", "Putin and Kim Jong Un met in Pyongyang and signed a treaty.",
                       category="", published="2024-06-21", extra=[
                           _event("visit", "042", "2024-06-19"),
                           _event("agreement", "057", "2024-06-19"),
                           _event("meeting", "036", None),  # placed by publication
                           _event("visit", "042", "2024-07-02", modality="denied")])
        threat = Story("threat", "Moscow warned of consequences.", category="",
                       published="2024-08-05", extra=[_event("sanction", "163", "2024-08")])
        update_incidents(opened, save(opened, *AURUS, AURUS_JUNE, COAL_SALE, summit, threat))
        yield opened


def test_goldstein_weights_come_from_the_cameo_table():
    assert weight("057") == 8.0  # sign formal agreement
    assert weight("042") == 1.9  # make a visit
    assert weight("0612") == weight("061") == 6.4  # a code without an entry takes its parent's
    assert weight("163") == -8.0  # impose embargo or sanctions
    assert weight("0") is None and weight(None) is None


def test_an_event_is_placed_by_its_own_date_when_precise_enough():
    assert place("2024-06-19", "2024-07-02", "month")[1] is True
    assert place("2024-06", "2024-07-02", "week") == place(None, "2024-07-02", "week")
    assert place("2024", "2024-07-02", "month")[1] is False


def test_the_pair_per_month(store):
    result = timeline(store, "RUS", "PRK", "month", "2024-01", "2024-08")
    months = {p.period: p for p in result.periods}
    assert list(months) == [f"2024-{m:02d}" for m in range(1, 9)]
    june = months["2024-06"]
    # the gift, the visit, the treaty and the meeting; the denied visit is left out
    assert june.events == {"transfer": 1, "visit": 1, "agreement": 1, "meeting": 1}
    assert (june.by_event_date, june.by_publication) == (3, 1)
    assert june.index == pytest.approx(7.4 + 1.9 + 8.0 + 4.0)
    assert june.flags == {"un-dprk/luxury-goods": 1} and june.incidents == {"un-dprk/luxury-goods": 1}
    assert months["2024-02"].incidents == {"un-dprk/luxury-goods": 1}
    assert months["2024-08"].index == pytest.approx(-8.0)
    assert months["2024-07"].events == {}
    assert [i["period"] for i in result.top_incidents] == ["2024-02", "2024-06"]
    # every stored article of June names both (by entities); none are stored here
    assert june.published == 2


def test_one_state_against_all_and_weeks(store):
    result = timeline(store, "PRK", None, "week", "2023-01", "2024-12")
    assert sum(sum(p.flags.values()) for p in result.periods) == 5
    assert result.periods[0].period == "2022-W52"  # the week of 1 January 2023
    with pytest.raises(SanctionwatchError):
        timeline(store, "PRK", None, "day")


def test_the_relations_command_and_its_charts(store, tmp_path, capsys, monkeypatch):
    db = str(store.engine.url.database)
    table = run_cli(capsys, monkeypatch, "relations", "RUS", "PRK", "--db", db, "--from",
                    "2024-05", "--to", "2024-07")
    assert table.code == 0 and "2024-06" in table.out
    rows = run_cli(capsys, monkeypatch, "relations", "RUS", "PRK", "--db", db, "--from",
                   "2024-06", "--to", "2024-06", "--format", "jsonl")
    june = json.loads(rows.out)
    assert june["events"]["visit"] == 1 and june["index"] == pytest.approx(21.3)
    png, html = tmp_path / "t.png", tmp_path / "t.html"
    for path in (png, html):
        done = run_cli(capsys, monkeypatch, "relations", "RUS", "PRK", "--db", db, "--plot", str(path))
        assert done.code == 0, done.err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = html.read_text()
    assert "vega" in page and "<script src=" not in page  # the libraries are inlined
    assert "PRK: limousine (Aurus), 2024-02-18" in page  # the most cited incident, labelled
    bad = run_cli(capsys, monkeypatch, "relations", "RUS", "--db", db, "--plot", str(tmp_path / "x.svg"))
    assert bad.code == 1 and "takes a .png or .html" in bad.err


def test_labels_from_articles_cannot_inject_markup(store, tmp_path):
    story = Story("inject", "Putin gave Kim Jong Un a </script><script>alert(1)</script> limousine.",
                  published="2024-03-02", date="2024-03-01")
    story.goods = type(AURUS[0].goods)("</script><script>alert(1)</script>", kb_id=None, hs="8703",
                                        classes=("motor-vehicle",))
    update_incidents(store, save(store, story))
    html = tmp_path / "x.html"
    draw(timeline(store, "RUS", "PRK", "month", "2024-01", "2024-06", top=5), html)
    assert "<script>alert(1)" not in html.read_text()


def test_a_missing_plotting_library_is_one_clear_error(store, tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "matplotlib", None)
    with pytest.raises(SanctionwatchError, match=r"sanctionwatch\[analysis\]"):
        draw(timeline(store, "RUS", "PRK"), tmp_path / "x.png")

"""Incidents: reports of one act from several outlets are one incident; others stay apart; the
update is incremental, deterministic and idempotent; analysts' merges and splits survive later
ingests and re-analyses."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select

from sanctionwatch.analysis.dates import Days, stated_days
from sanctionwatch.analysis.incidents import (
    get_incident,
    list_incidents,
    merge,
    split,
    update_incidents,
)
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.model import Event, Span
from sanctionwatch.store import Store
from sanctionwatch.store.queries import Filters
from sanctionwatch.store.schema import incidents

from .cli_helpers import run_cli
from .incident_data import AURUS, AURUS_JUNE, COAL_SALE, DPRK, KIM, RUSSIA, V2, Story, save


@pytest.fixture
def store(tmp_path):
    with Store.open(str(tmp_path / "incidents.db")) as opened:
        yield opened


def _groups(store: Store) -> dict[int, list[str]]:
    return {i["id"]: i["articles"] for i in list_incidents(store)}


def test_reports_of_one_act_from_three_outlets_are_one_incident(store):
    update_incidents(store, save(store, *AURUS))
    (incident,) = list_incidents(store)
    assert incident["articles"] == ["kcna-like", "seoul-like", "kremlin-like"]
    assert incident["title"] == "RUS → PRK: limousine (Aurus), 2024-02-18"
    assert incident["outlets"] == ["kcna-like.example", "seoul-like.example", "kremlin-like.example"]
    # three independent outlets and an official's confirmation
    assert incident["corroboration"] == 4
    assert incident["confirmations"] == ["Dmitry Peskov"]
    assert incident["confidence"] > max(s.confidence for s in AURUS)
    assert (incident["first_seen"], incident["last_seen"]) == ("2024-02-20", "2024-02-22")
    assert (incident["date_start"], incident["date_end"]) == ("2024-02-18", "2024-02-18")


def test_the_same_gift_months_later_and_other_acts_are_other_incidents(store):
    update_incidents(store, save(store, *AURUS, AURUS_JUNE, COAL_SALE))
    assert sorted(_groups(store).values()) == [
        ["coal-sale"], ["june-gift"], ["kcna-like", "seoul-like", "kremlin-like"]]


def test_dates_agree_within_their_precision():
    day = stated_days("2024-02-18", None)
    month = stated_days("2024-02", None)
    yearless = stated_days("--02-18", None)
    assert day.meets(month) and month.meets(yearless) and yearless.meets(day)
    assert not stated_days("2024-03", None).meets(yearless)
    # a yearless date takes the year of publication, or the year before if it would follow it
    assert stated_days("--12-30", "2024-01-03") == Days(*[stated_days("2023-12-30", None).start] * 2)
    assert not stated_days("2024-06-19", None).meets(month)


def test_opposite_directions_do_not_join(store):
    back = replace(AURUS[1], id="reverse", supplier=KIM, recipient=RUSSIA)
    update_incidents(store, save(store, AURUS[0], back))
    assert len(_groups(store)) == 2


def test_a_later_report_attaches_to_the_existing_incident_incrementally(store):
    first = update_incidents(store, save(store, AURUS[0], COAL_SALE))
    assert (first.opened, first.attached) == (2, 0)
    with store.engine.connect() as conn:
        coal_before = conn.execute(select(incidents).where(incidents.c.id == 2)).one()
    later = update_incidents(store, save(store, AURUS[2]))
    assert (later.articles, later.opened, later.attached) == (1, 0, 1)
    assert _groups(store)[1] == ["kcna-like", "kremlin-like"]
    with store.engine.connect() as conn:  # an incident the new report does not join is untouched
        assert conn.execute(select(incidents).where(incidents.c.id == 2)).one() == coal_before


def test_updating_again_and_saving_again_change_nothing(store):
    ids = save(store, *AURUS, COAL_SALE)
    update_incidents(store, ids)
    with store.engine.connect() as conn:
        before = conn.execute(select(incidents).order_by(incidents.c.id)).all()
    again = update_incidents(store, ids)
    assert (again.unchanged, again.opened, again.attached) == (4, 0, 0)
    save(store, *AURUS, COAL_SALE)  # the same reports: stored once, nothing to reconcile
    assert update_incidents(store).articles == 0
    with store.engine.connect() as conn:
        assert conn.execute(select(incidents).order_by(incidents.c.id)).all() == before


def test_the_same_input_order_gives_the_same_incidents(tmp_path):
    results = []
    for n in range(2):
        with Store.open(str(tmp_path / f"run{n}.db")) as store:
            update_incidents(store, save(store, COAL_SALE, *AURUS, AURUS_JUNE))
            results.append(_groups(store))
    assert results[0] == results[1]


def test_a_reanalysed_article_is_reconciled(store):
    update_incidents(store, save(store, *AURUS))
    changed = replace(AURUS[1], goods=None, category="")  # the new analysis finds no flag
    save(store, changed, versions=V2)
    stats = update_incidents(store)  # pending: the article whose versions changed
    assert stats.articles == 1
    assert _groups(store)[1] == ["kcna-like", "kremlin-like"]


def test_a_merge_survives_reanalysis_and_later_ingests(store):
    update_incidents(store, save(store, *AURUS, AURUS_JUNE))
    june = next(i for i, a in _groups(store).items() if a == ["june-gift"])
    target = merge(store, [june, 1], who="analyst-a")
    assert target == 1
    assert _groups(store) == {1: ["kcna-like", "seoul-like", "kremlin-like", "june-gift"]}
    # the merged id leads to the result
    assert get_incident(store, june)["merged_from"] == june
    # analysed again with other versions: the pinned reports keep their incident
    save(store, AURUS_JUNE, versions=V2)
    update_incidents(store)
    assert _groups(store) == {1: ["kcna-like", "seoul-like", "kremlin-like", "june-gift"]}
    # a new report of the June gift joins the merged incident
    update_incidents(store, save(store, replace(AURUS_JUNE, id="june-again", published="2024-06-22")))
    assert _groups(store)[1][-1] == "june-again"
    history = get_incident(store, 1)["history"]
    assert [(h["action"], h["who"], h["merged"]) for h in history] == [("merge", "analyst-a", [june])]


def test_a_split_survives_reanalysis_and_later_ingests(store):
    update_incidents(store, save(store, *AURUS))
    new = split(store, 1, ["kremlin-like"], who="analyst-b")
    assert _groups(store) == {1: ["kcna-like", "seoul-like"], new: ["kremlin-like"]}
    save(store, AURUS[2], versions=V2)  # its analysis changes: it stays where the analyst put it
    update_incidents(store)
    assert _groups(store) == {1: ["kcna-like", "seoul-like"], new: ["kremlin-like"]}
    later = replace(AURUS[0], id="later", published="2024-02-23")
    update_incidents(store, save(store, later))
    groups = _groups(store)
    assert groups[new] == ["kremlin-like"] and "later" in groups[1]
    assert [h["action"] for h in get_incident(store, new)["history"]] == ["split"]


def test_corrections_refuse_what_makes_no_sense(store):
    update_incidents(store, save(store, *AURUS))
    with pytest.raises(SanctionwatchError, match="at least two"):
        merge(store, [1, 1], who="a")
    with pytest.raises(SanctionwatchError, match="some, but not all"):
        split(store, 1, ["kcna-like", "seoul-like", "kremlin-like"], who="a")
    with pytest.raises(SanctionwatchError, match="no report from article"):
        split(store, 1, ["nowhere"], who="a")
    with pytest.raises(SanctionwatchError, match="who"):
        merge(store, [1, 2], who=" ")


def test_a_denial_lowers_confidence(store):
    update_incidents(store, save(store, *AURUS[:2]))
    before = list(list_incidents(store))[0]["confidence"]
    sentence = "Moscow denied that it had given any limousine to Kim Jong Un in February."
    denial = Event(type="transfer", code="071", source=RUSSIA, target=KIM,
                   goods=AURUS[0].goods and (AURUS[0].goods,), date="2024-02", modality="denied",
                   evidence=(Span(0, len(sentence), sentence),))
    denying = Story("denial", sentence, category="", extra=[denial], published="2024-02-24")
    stats = update_incidents(store, save(store, denying))
    assert stats.denials == 1
    incident = list(list_incidents(store))[0]
    assert incident["confidence"] < before
    assert incident["denials"][0]["article"] == "denial"


def test_filters(store):
    update_incidents(store, save(store, *AURUS, AURUS_JUNE, COAL_SALE))
    assert [i["articles"] for i in list_incidents(store, Filters(kind="un-dprk/export-ban"))] == [
        ["coal-sale"]]
    assert len(list(list_incidents(store, Filters(kind="un-dprk")))) == 3
    assert [i["articles"][0] for i in list_incidents(store, Filters(country="CHN"))] == ["coal-sale"]
    assert [i["articles"][0] for i in list_incidents(store, Filters(since="2024-06-01"))] == [
        "june-gift"]
    assert len(list(list_incidents(store, Filters(text="aurus", limit=1)))) == 1


def test_the_incidents_command(store, capsys, monkeypatch):
    update_incidents(store, save(store, *AURUS, AURUS_JUNE))
    db = str(store.engine.url.database)
    listed = run_cli(capsys, monkeypatch, "incidents", "list", "--db", db, "--format", "jsonl")
    assert listed.code == 0
    rows = [json.loads(line) for line in listed.out.splitlines()]
    assert rows[0]["articles"] == ["june-gift"]
    shown = run_cli(capsys, monkeypatch, "incidents", "show", "1", "--db", db, "--format", "json")
    detail = json.loads(shown.out)
    assert [r["article"]["id"] for r in detail["reports"]] == ["kcna-like", "seoul-like",
                                                               "kremlin-like"]
    assert detail["reports"][0]["evidence"]["text"].startswith("Kim Yo Jong received")
    text = run_cli(capsys, monkeypatch, "incidents", "show", "1", "--db", db)
    assert "3 articles from 3 outlets" in text.out
    merged = run_cli(capsys, monkeypatch, "incidents", "merge", "1", "2", "--by", "ana", "--db", db)
    assert merged.code == 0 and "Merged into incident 1" in merged.out
    missing = run_cli(capsys, monkeypatch, "incidents", "show", "99", "--db", db)
    assert missing.code == 2 and "no incident 99" in missing.err
    csv_out = run_cli(capsys, monkeypatch, "incidents", "list", "--db", db, "--format", "csv")
    assert csv_out.out.splitlines()[0].startswith("id,title,category,categories,citations")


def test_terminal_output_drops_control_characters(store, capsys, monkeypatch):
    story = Story("esc", "Putin gave Kim Jong Un an Aurus limousine \x1b[31mred\x1b[0m in February.",
                  date="2024-02", recipient=KIM)
    update_incidents(store, save(store, story))
    shown = run_cli(capsys, monkeypatch, "incidents", "show", "1", "--db",
                    str(store.engine.url.database))
    assert "\x1b" not in shown.out and "red" in shown.out


def test_ingest_forms_incidents_in_input_order(tmp_path, capsys, monkeypatch):
    lines = [
        {"id": "a1", "url": "https://one.example/a", "published": "2024-02-20",
         "text": "Russia delivered an Aurus limousine to Kim Jong Un on February 18, 2024, "
                 "state media said."},
        {"id": "a2", "url": "https://two.example/b", "published": "2024-02-21",
         "text": "North Korean leader Kim Jong Un received an Aurus limousine from Russia on "
                 "February 18, Seoul said."},
    ]
    source = tmp_path / "aurus.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    db = str(tmp_path / "ingest.db")
    first = run_cli(capsys, monkeypatch, "ingest", str(source), "--db", db, "--workers", "0")
    assert first.code == 0, first.err
    with Store.open(db) as store:
        groups = list(_groups(store).values())
    assert ["a1", "a2"] in groups
    second = run_cli(capsys, monkeypatch, "ingest", str(source), "--db", db, "--workers", "0")
    assert "0 new incidents" in second.out
    with Store.open(db) as store:
        assert list(_groups(store).values()) == groups


def test_prk_party_parses(store):
    # a supplier known only by its state still forms a titled incident
    story = Story("dprk", "North Korea sold coal abroad in 2023.", supplier=DPRK, recipient=None,
                  goods=COAL_SALE.goods, date="2023", category="un-dprk/export-ban")
    update_incidents(store, save(store, story))
    assert list(list_incidents(store))[0]["title"] == "PRK → ?: coal, 2023"


def test_articles_a_killed_run_left_without_incidents_are_picked_up(store):
    save(store, *AURUS[:2])  # saved, then the process died before the incidents were updated
    stats = update_incidents(store)
    assert (stats.articles, stats.opened, stats.attached) == (2, 1, 1)
    assert update_incidents(store).articles == 0

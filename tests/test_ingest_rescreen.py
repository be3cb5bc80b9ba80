"""`lists update` then `ingest`: stored articles are screened again against the new lists, their
hits and designated-party flags replaced, without parsing them again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sanctionwatch.analyze import default_analyzer
from sanctionwatch.ingest import ingest
from sanctionwatch.store import Store

from .cli_helpers import run_cli
from .screening_data import un_xml

ARTICLES = [
    {"id": "tanker", "published": "2024-06-01",
     "text": "A Panama-flagged tanker transferred diesel to the Samhae 3 off the coast of China on "
             "May 3, 2024, according to a panel that monitors North Korea's fuel imports."},
    {"id": "trader", "published": "2024-06-02",
     "text": "Prosecutors in Seoul said Paek Song Rim and Tak Chol Hwan had met a broker from "
             "Dandong in March to discuss shipments of coal to North Korea."},
]


def _new_list(path: Path) -> Path:
    """The UN list three months on: KPi.903 delisted, KPe.902 listed with its tanker SAMHAE 3."""
    un_xml(path, date="2025-03-01", with_new=True)
    text = path.read_text(encoding="utf-8").replace(
        "<FIRST_NAME>SAMHAE TRADING CORPORATION</FIRST_NAME>",
        "<FIRST_NAME>SAMHAE TRADING CORPORATION</FIRST_NAME>"
        "<COMMENTS1>Registered owner of the DPRK tanker SAMHAE 3.</COMMENTS1>")
    path.write_text(text, encoding="utf-8")
    return path


def _hits(store: Store, key: str) -> set[str]:
    report = store.report(key)
    assert report is not None
    return {hit.entry_id for hit in report.screening}


@pytest.fixture
def data(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("SANCTIONWATCH_DATA", str(tmp_path / "data"))
    default_analyzer.cache_clear()  # the process-wide analyzer loads the lists it finds
    yield tmp_path / "data"
    default_analyzer.cache_clear()


def test_a_lists_update_rescreens_the_stored_corpus(data, tmp_path, capsys, monkeypatch):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    assert run_cli(capsys, monkeypatch, "lists", "update", "-s", "un", "--file",
                   str(un_xml(tmp_path / "old.xml"))).code == 0
    with Store.open(str(tmp_path / "s.db")) as store:
        first = ingest([str(corpus)], store, workers=0)
        assert first.new == 2
        keys = store.keys_where_versions(lambda versions: True)
        before = {key: store.report(key) for key in keys}
        assert all("lists" in r.versions for r in before.values())
        tanker = next(k for k, r in before.items() if r.article.id == "tanker")
        trader = next(k for k, r in before.items() if r.article.id == "trader")
        assert "KPi.903" in _hits(store, trader)
        assert not any(f.category == "un-dprk/designated-party" for f in before[tanker].flags)

        assert run_cli(capsys, monkeypatch, "lists", "update", "-s", "un", "--file",
                       str(_new_list(tmp_path / "new.xml"))).code == 0
        default_analyzer.cache_clear()
        analyzer = default_analyzer(prefilter=True)
        monkeypatch.setattr(analyzer.nlp, "pipe", _no_parse)
        second = ingest([str(corpus)], store, workers=0)
        assert (second.rescreened, second.replaced, second.new, second.skipped) == (2, 0, 0, 2)
        after = {key: store.report(key) for key in keys}
        assert after[trader].versions["lists"] != before[trader].versions["lists"]
        assert {k: v for k, v in after[trader].versions.items() if k != "lists"} == \
            {k: v for k, v in before[trader].versions.items() if k != "lists"}
        assert "KPi.903" not in _hits(store, trader) and "KPi.901" in _hits(store, trader)
        assert after[trader].entities == before[trader].entities
        assert after[tanker].events == before[tanker].events
        flag = next(f for f in after[tanker].flags if f.category == "un-dprk/designated-party")
        assert "KPe.902" in flag.why
        assert store.counts()["articles"] == 2
        assert ingest([str(corpus)], store, workers=0).rescreened == 0  # now current: nothing to do


def _no_parse(*_args, **_kwargs):
    raise AssertionError("a stored article was parsed again")

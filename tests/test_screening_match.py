"""Name screening against an index compiled from small lists: spellings, scripts, and evidence."""

from __future__ import annotations

import time

import pytest

from sanctionwatch.model import Entity, Party
from sanctionwatch.screening import Screener, load_screener
from sanctionwatch.screening.ftm_json import read_ftm_json
from sanctionwatch.screening.index import build_index
from sanctionwatch.screening.matcher import Query
from sanctionwatch.screening.ofac_csv import read_ofac_csv
from sanctionwatch.screening.un_xml import read_un_xml
from tests.screening_data import ftm_json, ofac_dir, un_xml


@pytest.fixture(scope="module")
def screener(tmp_path_factory) -> Screener:
    root = tmp_path_factory.mktemp("lists")
    d = ofac_dir(root / "ofac")
    reads = [read_un_xml(un_xml(root / "un.xml")), read_ofac_csv(d / "sdn.csv", d / "alt.csv", d / "add.csv"),
             read_ftm_json(ftm_json(root / "entities.ftm.json"), "test_set")]
    build_index(reads, root / "index.sqlite")
    return Screener.open(root / "index.sqlite")


def ids(hits):
    return [(h.list, h.entry_id) for h in hits]


@pytest.mark.parametrize("name", ["Kim Jong-un", "KIM, Jong Un", "kim jong un", "Kim Jongun", "Jong-un Kim",
                                  "Ким Чен Ын", "김정은", "Kіm Jоng Un", "Kim\u200b Jong Un",
                                  "Mr Kim Jong Un"])
def test_spellings_and_scripts_of_one_name_find_the_entry(screener, name):
    hits = screener.screen(name)
    assert ids(hits)[:1] == [("us-ofac-sdn", "20157")]
    assert hits[0].matched_name == "KIM, Jong Un" and hits[0].schema == "Person"
    assert hits[0].programs == ("DPRK3",)


@pytest.mark.parametrize("name", ["Kim Yo Jong", "Kim Jong Il", "Kim", "Jong", "Pak Jong Un", "Kim Jong Nam"])
def test_other_people_do_not_match_kim_jong_un(screener, name):
    assert ("us-ofac-sdn", "20157") not in ids(screener.screen(name))


def test_un_entry_carries_its_regime_reference_and_listing_date(screener):
    hits = screener.screen("Paek Song Rim", schema="person")
    assert ids(hits) == [("un-1718", "KPi.901")]
    assert any("listed on 2017-06-02" in r for r in hits[0].reasons)
    assert screener.screen("Desert Lantern Brigade")[0].list == "un-1267"


def test_shortened_and_misspelt_names(screener):
    assert ids(screener.screen("Pyotr Orlov")) == [("us-ofac-sdn", "90003")]  # patronymic dropped
    assert ids(screener.screen("Paek Song Rym")) == [("un-1718", "KPi.901")]  # one letter off
    assert screener.screen("Song Rim") == []  # a weak alias alone is not enough
    # A generational syllable dropped: a match that says what was dropped, unless other facts differ.
    dropped = screener.screen("Paek Rim", schema="person")
    assert ids(dropped) == [("un-1718", "KPi.901")]
    assert "the query lacks the middle name 'song' (dropped)" in dropped[0].reasons
    assert dropped[0].score < screener.screen("Paek Song Rim")[0].score
    assert screener.screen("Paek Rim", birth_year=1990) == []
    assert screener.screen("Paek Rim", country="Norway") == []
    assert screener.screen("Paek Kim") == []  # a different given name is not a dropped one
    assert ids(screener.screen("Jong Un", schema="person")) == []  # the family name is never dropped


def test_company_legal_forms_and_acronyms(screener):
    assert ids(screener.screen("Hwangmae Sea Transport Co., Ltd.", schema="org")) == [("un-1718", "KPe.901")]
    assert ids(screener.screen("Blue Heron Maritime Ltd")) == [("us-ofac-sdn", "90001")]
    former = screener.screen("Heron Line L.L.C.", schema="org")
    assert ids(former) == [("us-ofac-sdn", "90001")]


def test_vessels_from_un_comments_ofac_and_opensanctions(screener):
    hits = screener.screen("Puksong 7", schema="vessel")
    assert set(ids(hits)) == {("un-1718", "KPe.901"), ("us-ofac-sdn", "90002")}
    assert screener.screen("Puksong 8", schema="vessel") == []
    assert screener.screen("Puksong 7", schema="person") == []
    hit = screener.screen("Northern Star", schema="vessel")[0]
    assert (hit.list, hit.entry_id) == ("opensanctions:test_set", "os-vessel-1")


def test_imo_number_country_and_birth_year_weigh_in(screener):
    by_imo = screener.screen("Unknown Tanker", schema="vessel", imo="IMO 8912340")
    assert ids(by_imo) == [("us-ofac-sdn", "90002")] and by_imo[0].score == 1.0
    # Another IMO number rules the OFAC entry out; the UN listing names the ship without one.
    assert ids(screener.screen("Puksong 7", schema="vessel", imo="9123453")) == [("un-1718", "KPe.901")]
    plain = screener.screen("Paek Song Rym")[0].score  # one letter off: below 1.0
    assert screener.screen("Paek Song Rym", country="PRK")[0].score > plain
    assert screener.screen("Paek Song Rym", country="Norway") == []
    assert screener.screen("Paek Song Rym", birth_year=1962)[0].score > plain
    assert screener.screen("Paek Song Rym", birth_year=1990) == []
    unlikely = screener.score_all(Query("Paek Song Rim", kind="person", birth_year=1990))[0]
    assert unlikely.score < screener.threshold
    assert "birth year 1990 differs (listed: 1961, 1962, 1963)" in unlikely.reasons


def test_opensanctions_person_in_cyrillic_and_latin(screener):
    for name in ("Ivan Sidorenko", "Иван Петрович Сидоренко", "SIDORENKO, Ivan Petrovich"):
        hit = screener.screen(name, schema="person")[0]
        assert (hit.list, hit.entry_id) == ("opensanctions:test_set", "EU.1234.56")


def test_entities_of_a_report_get_offsets_and_parties_are_screened(screener):
    entities = [Entity(text="Kim Jong Un", start=10, end=21, kind="person", country="PRK"),
                Entity(text="Pyongyang", start=30, end=39, kind="place"),
                Entity(text="the Puksong 7", start=50, end=63, kind="vessel", name="Puksong 7")]
    hits = screener.screen_entities(entities)
    assert {(h.entry_id, h.start, h.end, h.name) for h in hits} == {
        ("20157", 10, 21, "Kim Jong Un"), ("KPe.901", 50, 63, "the Puksong 7"),
        ("90002", 50, 63, "the Puksong 7")}
    assert ids(screener.listed(Party(name="Hwangmae Sea Transport Company", country="PRK", kind="org"))) == [
        ("un-1718", "KPe.901")]
    assert screener.listed(Party(name="Russia", country="RUS", kind="country")) == []


def test_no_lists_means_no_screener(tmp_path):
    assert load_screener(tmp_path) is None


def test_real_ofac_list_finds_kim_jong_un_fast(shared, tmp_path):
    d = shared / "lists" / "ofac-2021-07"
    build_index([read_ofac_csv(d / "sdn.csv", d / "alt.csv", d / "add.csv")], tmp_path / "index.sqlite")
    started = time.perf_counter()
    screener = Screener.open(tmp_path / "index.sqlite")
    assert time.perf_counter() - started < 1.0
    for name in ("Kim Jong-un", "Ким Чен Ын"):
        assert ("us-ofac-sdn", "20157") in ids(screener.screen(name))
    assert ("us-ofac-sdn", "20157") not in ids(screener.screen("Kim Yo Jong"))

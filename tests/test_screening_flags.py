"""The screener as the rules engine calls it: a listed party in a transfer yields a designated-party flag."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sanctionwatch.model import Event, Goods, Party
from sanctionwatch.rules import evaluate, load_rules
from sanctionwatch.screening import Screener
from sanctionwatch.screening.index import build_index
from sanctionwatch.screening.un_xml import read_un_xml
from tests.screening_data import un_xml

SUPPLIER = Party(name="Taiwan Ocean Trading Ltd", country="TWN", kind="org")


@pytest.fixture(scope="module")
def screener(tmp_path_factory) -> Screener:
    root = tmp_path_factory.mktemp("lists")
    build_index([read_un_xml(un_xml(root / "un.xml"))], root / "index.sqlite")
    return Screener.open(root / "index.sqlite")


def flags(event, screener):
    found = evaluate(event, load_rules(), published="2024-02-20", listed=screener.listed)
    return {f.category: f for f in found}


@pytest.mark.parametrize("target", [Party(name="Hwangmae Sea Transport Co.", country="PRK", kind="org"),
                                    Party(name="the tanker Puksong 7", country="PRK", kind="vessel")])
def test_goods_for_a_listed_company_or_vessel(screener, target):
    event = Event(type="transfer", source=SUPPLIER, target=target, goods=(Goods(text="rice", hs="1006"),),
                  date="2024-02-10")
    flag = flags(event, screener)["un-dprk/designated-party"]
    assert flag.citations == ("UNSCR 1718 (2006) para 8(d)",)
    assert "listed on un-1718" in flag.why and "(KPe.901)" in flag.why


def test_unlisted_parties_and_states_yield_no_designated_party_flag(screener):
    for target in (Party(name="Hwangmae Fisheries Cooperative", country="PRK", kind="org"),
                   Party(name="North Korea", country="PRK", kind="country")):
        event = Event(type="transfer", source=SUPPLIER, target=target, goods=(Goods(text="rice", hs="1006"),),
                      date="2024-02-10")
        assert "un-dprk/designated-party" not in flags(event, screener)


def test_listed_vessel_in_a_ship_to_ship_transfer(screener):
    event = Event(type="ship-to-ship", activity="ship-to-ship", date="2024-02-10",
                  source=Party(name="Koti", country="PAN", kind="vessel"),
                  target=Party(name="Puksong 7", country="PRK", kind="vessel"))
    assert {"un-dprk/ship-to-ship", "un-dprk/designated-party"} <= set(flags(event, screener))


def test_vessel_named_in_the_real_un_list(shared, tmp_path):
    build_index([read_un_xml(shared / "lists" / "un-consolidated-2026-02-27.xml")], tmp_path / "index.sqlite")
    screener = Screener.open(tmp_path / "index.sqlite")
    tanker = Party(name="Nam San 8", country="PRK", kind="vessel")
    event = Event(type="transfer", source=SUPPLIER, target=tanker, goods=(Goods(text="diesel", hs="2710"),),
                  date="2024-02-10")
    flag = flags(event, screener)["un-dprk/designated-party"]
    assert "(KPe.058)" in flag.why


def test_a_message_to_a_listed_party_is_no_dealing(screener):
    """A greeting sent to a listed organ transfers nothing: no designated-party flag without goods
    or an activity, however well the name matches."""
    target = Party(name="Hwangmae Sea Transport Company", country="PRK", kind="org")
    message = Event(type="transfer", trigger="sent", source=SUPPLIER, target=target, date="2024-02-10")
    assert "un-dprk/designated-party" not in flags(message, screener)
    rice = replace(message, goods=(Goods(text="rice", hs="1006"),))
    assert "un-dprk/designated-party" in flags(rice, screener)

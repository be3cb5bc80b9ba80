"""The rule engine on hand-built events: each case that must flag beside a near miss that must not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sanctionwatch.model import Event, Goods, Party, ScreeningHit
from sanctionwatch.rules import evaluate, load_rules

RUS = Party("Russia", "RUS", kind="country")
PRK = Party("North Korea", "PRK", kind="country")
KIM = Party("Kim Jong Un", "PRK", kind="person")
CHN = Party("China", "CHN", kind="country")
DEU = Party("a Munich car dealer", "DEU", kind="org")

LIMOUSINE = Goods("armoured limousine", hs="8703", classes=("motor-vehicle",), luxury=True)
SHELLS = Goods("152 mm artillery shells", hs="930690", classes=("ammunition",))
COAL = Goods("anthracite coal", hs="2701", classes=("coal",))
DIESEL = Goods("diesel fuel", hs="2710", classes=("refined-petroleum",))
DOGS = Goods("a pair of hunting dogs", classes=("animal",), luxury=True)
WATCH = Goods("gold wristwatch", hs="9101", classes=("luxury",))


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def transfer(source, target, *goods, date=None, **kw) -> Event:
    return Event(type="transfer", source=source, target=target, goods=goods, date=date, **kw)


def by_category(flags):
    return {f.category: f for f in flags}


def test_limousine_to_kim_breaches_luxury_and_vehicle_bans(rules):
    event = transfer(RUS, KIM, LIMOUSINE, date="2024-02-18", confirmed_by=("Kremlin spokesman",))
    flags = by_category(evaluate(event, rules))
    assert set(flags) == {"un-dprk/luxury-goods", "un-dprk/machinery-vehicles-metals"}
    luxury = flags["un-dprk/luxury-goods"]
    assert luxury.citations == ("UNSCR 1718 (2006) para 8(a)(iii)", "UNSCR 2094 (2013) Annex IV")
    assert luxury.rule_id == "un-dprk/luxury-goods/2094-annex-iv"
    assert flags["un-dprk/machinery-vehicles-metals"].citations == ("UNSCR 2397 (2017) para 7",)
    assert luxury.supplier == RUS and luxury.recipient == KIM and luxury.goods == LIMOUSINE
    assert luxury.confidence == pytest.approx(0.95)  # asserted 0.9 + confirmed 0.05
    assert "Russia (RUS) → Kim Jong Un (PRK)" in luxury.why and "2024-02-18" in luxury.why


def test_limousine_before_the_bans_is_no_breach_and_between_them_only_luxury(rules):
    assert evaluate(transfer(RUS, KIM, LIMOUSINE, date="2005-06-01"), rules) == []
    flags = by_category(evaluate(transfer(RUS, KIM, LIMOUSINE, date="2010-05-01"), rules))
    assert set(flags) == {"un-dprk/luxury-goods"}  # HS 87 is banned only from 2017-12-22
    assert flags["un-dprk/luxury-goods"].citations == ("UNSCR 1718 (2006) para 8(a)(iii)",)


def test_day_before_and_day_of_the_vehicle_ban(rules):
    before = by_category(evaluate(transfer(RUS, KIM, LIMOUSINE, date="2017-12-21"), rules))
    on = by_category(evaluate(transfer(RUS, KIM, LIMOUSINE, date="2017-12-22"), rules))
    assert "un-dprk/machinery-vehicles-metals" not in before
    assert "un-dprk/machinery-vehicles-metals" in on


def test_gifts_outside_the_prohibitions_raise_nothing(rules):
    assert evaluate(transfer(RUS, KIM, DOGS, date="2024-06-19"), rules) == []
    flags = evaluate(transfer(RUS, KIM, WATCH, date="2024-06-19"), rules)
    assert [f.citations for f in flags] == [("UNSCR 1718 (2006) para 8(a)(iii)", "UNSCR 2270 (2016) Annex V")]


def test_denied_planned_and_hypothetical_transfers_are_not_breaches(rules):
    for modality in ("denied", "planned", "hypothetical"):
        event = transfer(RUS, KIM, LIMOUSINE, date="2024-02-18", modality=modality)
        assert evaluate(event, rules) == [], modality
    reported = transfer(RUS, KIM, LIMOUSINE, date="2024-02-18", modality="reported", reported_by=("KCNA",))
    assert {f.confidence for f in evaluate(reported, rules)} == {0.8}


def test_an_anonymous_allegation_flags_with_less_confidence(rules):
    named = transfer(PRK, RUS, SHELLS, date="2023-10-01", modality="alleged", reported_by=("NIS",))
    anonymous = replace(named, reported_by=())
    assert [f.confidence for f in evaluate(named, rules)] == [0.6]
    assert [f.confidence for f in evaluate(anonymous, rules)] == [0.5]
    assert "unattributed" in evaluate(anonymous, rules)[0].why


def test_artillery_shells_from_the_dprk_breach_the_arms_embargo(rules):
    flags = evaluate(transfer(PRK, RUS, SHELLS, date="2023-10-01"), rules)
    assert [f.category for f in flags] == ["un-dprk/arms"]
    assert flags[0].citations == ("UNSCR 1874 (2009) para 9",)
    assert flags[0].supplier == PRK and flags[0].recipient == RUS


def test_the_dprks_own_missile_test_is_no_breach(rules):
    missile = Goods("Hwasong-18 ballistic missile", classes=("missile",))
    test = Event(type="weapons-test", source=PRK, goods=(missile,), date="2023-07-12")
    assert evaluate(test, rules) == []
    sale = transfer(PRK, RUS, missile, date="2024-01-02")
    assert {f.category for f in evaluate(sale, rules)} == {"un-dprk/arms", "un-dprk/wmd-missile-tech"}


def test_coal_exports_from_the_dprk_breach_the_export_ban_once_it_exists(rules):
    flags = evaluate(transfer(PRK, CHN, COAL, date="2018-03-10"), rules)
    assert [f.category for f in flags] == ["un-dprk/export-ban"]
    assert flags[0].citations == ("UNSCR 2270 (2016) para 29", "UNSCR 2371 (2017) para 8")
    assert flags[0].rule_id == "un-dprk/export-ban/2371-8"
    assert evaluate(transfer(PRK, CHN, COAL, date="2015-03-10"), rules) == []
    # coal *to* the DPRK is not banned
    assert evaluate(transfer(CHN, PRK, COAL, date="2018-03-10"), rules) == []


def test_refined_petroleum_to_the_dprk_flags_with_the_cap_in_doubt(rules):
    flags = evaluate(transfer(RUS, PRK, DIESEL, date="2024-03-01"), rules)
    assert [f.category for f in flags] == ["un-dprk/refined-petroleum"]
    assert flags[0].citations == ("UNSCR 2375 (2017) para 14", "UNSCR 2397 (2017) para 5")
    # 0.9, less 0.1: a notified supply within the cap is legal
    assert flags[0].confidence == pytest.approx(0.8)
    assert evaluate(transfer(RUS, PRK, DIESEL, date="2016-03-01"), rules) == []


def test_overseas_workers_after_the_repatriation_deadline(rules):
    workers = Event(type="employment", source=PRK, target=RUS, activity="overseas-workers", date="2025-02-01")
    flags = evaluate(workers, rules)
    assert [f.category for f in flags] == ["un-dprk/overseas-workers"]
    assert flags[0].citations == ("UNSCR 2371 (2017) para 11", "UNSCR 2375 (2017) para 17",
                                  "UNSCR 2397 (2017) para 8")
    assert flags[0].activity == "overseas-workers" and flags[0].goods is None
    during = evaluate(replace(workers, date="2018-06-01"), rules)
    assert "UNSCR 2397 (2017) para 8" not in during[0].citations  # states had until 2019-12-22
    assert evaluate(replace(workers, type="visit", activity=None), rules) == []


def test_an_event_inside_the_dprk_never_matches(rules):
    assert evaluate(transfer(PRK, KIM, LIMOUSINE, date="2024-02-18"), rules) == []
    assert evaluate(transfer(None, None, LIMOUSINE, date="2024-02-18"), rules) == []


def test_humanitarian_goods_and_aid_events_are_never_flagged(rules):
    aid = Goods("emergency medical kits", classes=("humanitarian", "medicine", "machinery"), hs="9018")
    assert evaluate(transfer(CHN, PRK, aid, date="2020-05-01"), rules) == []
    excavator = Goods("excavators", hs="842952", classes=("machinery",))
    assert [f.category for f in evaluate(transfer(CHN, PRK, excavator, date="2020-05-01"), rules)] == [
        "un-dprk/machinery-vehicles-metals"]
    assert evaluate(transfer(CHN, PRK, excavator, date="2020-05-01", code="073"), rules) == []


def test_hs_codes_match_by_prefix_of_the_goods_code(rules):
    sedan = Goods("sedan", hs="8703.23")  # no class: the HS code alone places it in chapter 87
    assert [f.category for f in evaluate(transfer(CHN, PRK, sedan, date="2020-05-01"), rules)] == [
        "un-dprk/machinery-vehicles-metals"]
    fuel = Goods("mineral fuel", hs="27")  # a chapter is less than the heading 2710 the cap covers
    assert evaluate(transfer(CHN, PRK, fuel, date="2020-05-01"), rules) == []


def test_eu_luxury_car_to_russia_after_march_2022(rules):
    flags = evaluate(transfer(DEU, RUS, LIMOUSINE, date="2023-05-04"), rules)
    assert [f.category for f in flags] == ["eu-russia/luxury-goods"]
    assert flags[0].regime == "eu-russia"
    assert flags[0].rule_id == "eu-russia/luxury-goods/annex-xviii-cars"
    assert any("Art. 3h" in c for c in flags[0].citations)
    assert evaluate(transfer(DEU, RUS, LIMOUSINE, date="2021-05-04"), rules) == []


def test_eu_rules_bind_eu_suppliers_only(rules):
    assert evaluate(transfer(CHN, RUS, LIMOUSINE, date="2023-05-04"), rules) == []
    unknown = evaluate(transfer(None, RUS, LIMOUSINE, date="2023-05-04"), rules)
    assert [f.category for f in unknown] == ["eu-russia/luxury-goods"]
    assert unknown[0].confidence == pytest.approx(0.85)  # the supplier is unknown


def screen(listed_names: dict[str, str]):
    def listed(party: Party) -> list[ScreeningHit]:
        entry = listed_names.get(party.name)
        if entry is None:
            return []
        list_id, entry_id = entry.split(":")
        return [ScreeningHit(party.name, list_id, entry_id, party.name.upper(), 0.97)]
    return listed


def test_a_transfer_to_a_designated_entity_breaches_the_asset_freeze(rules):
    bank = Party("Foreign Trade Bank", "PRK", kind="org")
    payment = Event(type="transfer", source=CHN, target=bank, activity="financial-services",
                    date="2019-04-01")
    flags = by_category(evaluate(payment, rules, listed=screen({"Foreign Trade Bank": "un-1718:KPe.047"})))
    assert "un-dprk/designated-party" in flags
    assert "KPe.047" in flags["un-dprk/designated-party"].why
    other_list = screen({"Foreign Trade Bank": "us-ofac-sdn:12345"})
    assert "un-dprk/designated-party" not in by_category(evaluate(payment, rules, listed=other_list))
    assert "un-dprk/designated-party" not in by_category(evaluate(payment, rules))


def test_an_event_without_a_date_is_judged_at_publication(rules):
    event = transfer(RUS, KIM, LIMOUSINE)
    assert {f.category for f in evaluate(event, rules, published="2024-02-20")} == {
        "un-dprk/luxury-goods", "un-dprk/machinery-vehicles-metals"}
    assert {f.category for f in evaluate(event, rules, published="2012-01-10")} == {"un-dprk/luxury-goods"}
    undated = evaluate(event, rules)
    assert {f.category for f in undated} == {"un-dprk/luxury-goods", "un-dprk/machinery-vehicles-metals"}
    assert {f.confidence for f in undated} == {0.8}  # 0.9 less 0.1 for having nothing to judge the date by


def test_a_date_without_a_year_takes_the_publication_year(rules):
    flags = evaluate(transfer(RUS, KIM, LIMOUSINE, date="--02-18"), rules, published="2024-02-20")
    assert "2024-02-18" in flags[0].why
    december = evaluate(transfer(RUS, KIM, LIMOUSINE, date="--12-28"), rules, published="2018-01-05")
    assert "2017-12-28" in december[0].why  # after publication in 2018 it cannot be: the year before
    early = evaluate(transfer(RUS, KIM, LIMOUSINE, date="--12-20"), rules, published="2018-01-05")
    assert {f.category for f in early} == {"un-dprk/luxury-goods"}  # 2017-12-20: before the 2397 ban


def test_a_year_that_straddles_a_provisions_start_lowers_confidence(rules):
    flags = by_category(evaluate(transfer(RUS, KIM, LIMOUSINE, date="2017"), rules))
    assert flags["un-dprk/machinery-vehicles-metals"].confidence == pytest.approx(0.85)
    assert flags["un-dprk/luxury-goods"].confidence == pytest.approx(0.9)


def test_textiles_bought_within_the_contract_grace_period_are_not_flagged(rules):
    cloth = Goods("garments", classes=("textiles",))
    assert evaluate(transfer(PRK, CHN, cloth, date="2017-11-15"), rules) == []
    assert [f.category for f in evaluate(transfer(PRK, CHN, cloth, date="2018-01-15"), rules)] == [
        "un-dprk/export-ban"]


def test_chartering_a_vessel_to_the_dprk_before_and_after_the_livelihood_exception_ended(rules):
    charter = Event(type="charter", source=CHN, target=PRK, activity="vessel-services", date="2016-06-01")
    during = evaluate(charter, rules)
    assert [(f.citations, f.confidence) for f in during] == [(("UNSCR 2270 (2016) para 19",), 0.8)]
    after = evaluate(replace(charter, date="2017-06-01"), rules)
    assert [(f.citations, f.confidence) for f in after] == [(
        ("UNSCR 2270 (2016) para 19", "UNSCR 2321 (2016) paras 8-9", "UNSCR 2321 (2016) para 22"), 0.9)]

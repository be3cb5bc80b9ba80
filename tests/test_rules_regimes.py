"""The regimes beyond the DPRK: UN measures on Iran across the snapback, and OFAC SDN dealings.

Each case that must flag sits beside a near miss that must not: the days before and after the
measures' suspension, a regime with no target state, a subsidiary flag and the UN flag it yields to.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from sanctionwatch.model import Event, Goods, Party, ScreeningHit
from sanctionwatch.rules import evaluate, load_rules
from sanctionwatch.screening import Screener
from sanctionwatch.screening.index import build_index
from sanctionwatch.screening.ofac_csv import read_ofac_csv
from sanctionwatch.screening.un_xml import read_un_xml
from tests.screening_data import ofac_dir

IRN = Party("Iran", "IRN", kind="country")
RUS = Party("Russia", "RUS", kind="country")
CHN = Party("China", "CHN", kind="country")
BLR = Party("Belarus", "BLR", kind="country")

ATTACK_DRONES = Goods("one-way attack drones", hs="8806", classes=("arms", "aircraft"))
PERCHLORATE = Goods("sodium perchlorate", hs="282990", classes=("missile-tech",))
TANKS = Goods("main battle tanks", hs="8710", classes=("arms", "motor-vehicle"))
RIFLES = Goods("assault rifles", hs="93", classes=("arms", "small-arms"))
RICE = Goods("rice", hs="1006")


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def transfer(source, target, *goods, date=None, **kw) -> Event:
    return Event(type="transfer", source=source, target=target, goods=goods, date=date, **kw)


def iran_flags(event, rules, **kw):
    return [f for f in evaluate(event, rules, **kw) if f.regime == "un-iran"]


def screen(entries: dict[str, tuple[str, str, tuple[str, ...]]]):
    """A screener over a list the test writes: party name -> (list id, entry id, programme tags)."""
    def listed(party: Party) -> list[ScreeningHit]:
        if party.name not in entries:
            return []
        list_id, entry_id, programs = entries[party.name]
        return [ScreeningHit(party.name, list_id, entry_id, party.name.upper(), 0.97, programs=programs)]
    return listed


# --- UN measures on Iran: in force, terminated on Implementation Day, restored by the snapback ---

@pytest.mark.parametrize(("date", "rule_id"), [
    ("2015-05-01", "un-iran/arms/1747-5"),              # resolution 1747 in force
    ("2018-05-01", "un-iran/arms/2231-annex-b-6b"),     # 2231 Annex B in its place
    ("2020-10-17", "un-iran/arms/2231-annex-b-6b"),     # its last day
    ("2020-10-18", None),                               # Annex B's arms restrictions expired
    ("2024-06-01", None),
    ("2025-09-27", None),                               # the snapback took effect at 00:00 UTC on the 28th
    ("2025-09-28", "un-iran/arms/1747-5"),
    ("2025-10-12", "un-iran/arms/1747-5"),
])
def test_arms_from_iran_across_the_snapback(rules, date, rule_id):
    flags = iran_flags(transfer(IRN, RUS, ATTACK_DRONES, date=date), rules)
    assert [f.rule_id for f in flags] == ([rule_id] if rule_id else [])


def test_a_restored_flag_cites_the_old_paragraph_and_says_when_it_applied(rules):
    flag = iran_flags(transfer(IRN, RUS, ATTACK_DRONES, date="2025-10-12"), rules)[0]
    assert flag.citations == ("UNSCR 1747 (2007) para 5",) and flag.category == "un-iran/arms"
    assert "in force 2007-03-24–2016-01-15 and since 2025-09-28" in flag.why
    assert flag.confidence == pytest.approx(0.9)


def test_a_month_that_straddles_the_snapback_flags_at_lower_confidence(rules):
    flags = iran_flags(transfer(IRN, RUS, ATTACK_DRONES, date="2025-09"), rules)
    assert [(f.rule_id, f.confidence) for f in flags] == [("un-iran/arms/1747-5", pytest.approx(0.85))]
    # January 2016: resolution 1747 ended on the 15th and 2231 Annex B began on the 16th; one flag cites both
    january = iran_flags(transfer(IRN, RUS, ATTACK_DRONES, date="2016-01"), rules)
    assert [(f.citations, f.confidence) for f in january] == [
        (("UNSCR 1747 (2007) para 5", "UNSCR 2231 (2015) Annex B para 6(b)"), pytest.approx(0.85))]


def test_missile_propellant_to_iran_only_while_a_missile_measure_applied(rules):
    october = iran_flags(transfer(CHN, IRN, PERCHLORATE, date="2025-10-05"), rules)
    assert [(f.rule_id, f.citations) for f in october] == [
        ("un-iran/wmd-missile-tech/1737-3-4", ("UNSCR 1737 (2006) paras 3-4",))]
    assert iran_flags(transfer(CHN, IRN, PERCHLORATE, date="2025-02-10"), rules) == []  # none applied
    interim = iran_flags(transfer(CHN, IRN, PERCHLORATE, date="2019-03-01"), rules)
    assert [f.rule_id for f in interim] == ["un-iran/wmd-missile-tech/2231-annex-b-4"]
    assert interim[0].confidence == pytest.approx(0.8)  # the Council may have approved it


def test_major_arms_to_iran_but_not_small_arms(rules):
    assert [f.rule_id for f in iran_flags(transfer(BLR, IRN, TANKS, date="2012-04-01"), rules)] == [
        "un-iran/arms/1929-8"]
    assert iran_flags(transfer(BLR, IRN, RIFLES, date="2012-04-01"), rules) == []
    # resolution 1929 was adopted on 2010-06-09
    assert iran_flags(transfer(BLR, IRN, TANKS, date="2010-06-08"), rules) == []


def test_technical_help_for_irans_missiles(rules):
    help_ = Event(type="assistance", source=RUS, target=IRN, activity="technical-assistance",
                  date="2025-11-01")
    flags = iran_flags(help_, rules)
    assert [f.citations for f in flags] == [("UNSCR 1737 (2006) para 6", "UNSCR 1929 (2010) para 9")]
    assert iran_flags(replace(help_, date="2024-11-01"), rules) == []


def test_a_party_on_the_1737_list_in_and_out_of_the_freeze(rules):
    listed = screen({"Malek Ashtar University": ("un-1737", "IRe.040", ())})
    university = Party("Malek Ashtar University", "IRN", kind="org")
    payment = Event(type="transfer", source=Party("a Turkish trader", "TUR", kind="org"), target=university,
                    goods=(RICE,), date="2012-05-01")
    by_date = {date: [f.rule_id for f in iran_flags(replace(payment, date=date), rules, listed=listed)]
               for date in ("2012-05-01", "2019-05-01", "2024-05-01", "2025-11-01")}
    assert by_date == {
        "2012-05-01": ["un-iran/designated-party/1737-12"],
        "2019-05-01": ["un-iran/designated-party/2231-annex-b-6c-d"],
        "2024-05-01": [],
        "2025-11-01": ["un-iran/designated-party/1737-12"],
    }
    other_list = screen({"Malek Ashtar University": ("un-1718", "KPe.999", ())})
    assert iran_flags(payment, rules, listed=other_list) == []


def test_iranian_entities_of_the_real_un_list_screen_to_the_1737_list(shared, tmp_path, rules):
    read = read_un_xml(shared / "lists" / "un-consolidated-2026-02-27.xml")
    build_index([read], tmp_path / "index.sqlite")
    assert (read.counts["un-1737 individuals"], read.counts["un-1737 entities"]) == (43, 78)
    assert rules.regime("un-iran").lists == {"un-1737"}
    screener = Screener.open(tmp_path / "index.sqlite")
    university = Party("Malek Ashtar University", "IRN", kind="org")
    event = transfer(Party("a Turkish trader", "TUR", kind="org"), university, RICE, date="2025-11-01")
    flags = iran_flags(event, rules, listed=screener.listed)
    assert [f.rule_id for f in flags] == ["un-iran/designated-party/1737-12"]
    assert "(IRe.040)" in flags[0].why


# --- OFAC SDN dealings: no target state, subsidiary to the UN regimes --------------------------

ORLOV = Party("Pyotr Orlov", "RUS", kind="person")
TRADER = Party("Harbour Line Trading", "HKG", kind="org")
SDN = screen({"Pyotr Orlov": ("us-ofac-sdn", "90003", ("RUSSIA-EO14024",)),
              "Kim Jong Un": ("us-ofac-sdn", "20157", ("DPRK3",)),
              "Havana Cigar Export": ("us-ofac-sdn", "36", ("CUBA",))})


def ofac_flags(event, rules, listed=SDN):
    return [f for f in evaluate(event, rules, listed=listed) if f.regime == "us-ofac"]


def test_a_dealing_with_an_sdn_flags_in_either_direction(rules):
    to_sdn = ofac_flags(transfer(TRADER, ORLOV, Goods("a yacht", hs="8903"), date="2023-06-01"), rules)
    ingots = Goods("aluminium ingots", hs="7601")
    from_sdn = ofac_flags(transfer(ORLOV, TRADER, ingots, date="2023-06-01"), rules)
    for flags in (to_sdn, from_sdn):
        assert [f.rule_id for f in flags] == ["us-ofac/sdn-dealing/ieepa-blocking"]
    flag = to_sdn[0]
    assert flag.citations[0].startswith("International Emergency Economic Powers Act, 50 U.S.C. 1701-1706")
    assert flag.citations[-1] == "Executive Order 14024"  # the order the programme tag names
    assert "listed on us-ofac-sdn as PYOTR ORLOV (90003)" in flag.why
    assert flag.confidence == pytest.approx(0.8)  # whether a US person or the US system was involved is open
    assert "us-nexus" in flag.why


def test_the_sdn_regime_needs_a_listed_party(rules):
    unlisted = transfer(TRADER, Party("Ivan Petrov", "RUS", kind="person"), Goods("a yacht", hs="8903"),
                        date="2023-06-01")
    assert ofac_flags(unlisted, rules) == []
    # with no target state, goods alone never match, whatever the states involved
    assert ofac_flags(transfer(Party("Iran", "IRN"), RUS, ATTACK_DRONES, date="2023-06-01"), rules) == []
    assert ofac_flags(transfer(TRADER, ORLOV, Goods("a yacht", hs="8903"), date="2023-06-01"), rules,
                      listed=None) == []


def test_a_programme_the_data_does_not_explain_gets_only_the_general_citations(rules):
    cigars = transfer(Party("Havana Cigar Export", "CUB", kind="org"), TRADER, Goods("cigars", hs="2402"),
                      date="2023-06-01")
    flag = ofac_flags(cigars, rules)[0]
    assert len(flag.citations) == 2 and "501.603" in flag.citations[1]


def test_the_sdn_flag_yields_to_a_un_flag_for_the_same_event(rules):
    kim = Party("Kim Jong Un", "PRK", kind="person")
    limousine = Goods("armoured limousine", hs="8703", classes=("motor-vehicle",), luxury=True)
    gift = evaluate(transfer(RUS, kim, limousine, date="2024-02-18"), rules, listed=SDN)
    assert {f.regime for f in gift} == {"un-dprk"}  # the UN flags are the finding
    # rice is no UN-covered transfer: the dealing with an SDN stands alone and cites the DPRK regulations
    rice = evaluate(transfer(TRADER, kim, RICE, date="2024-02-18"), rules, listed=SDN)
    assert [(f.regime, f.citations[-1]) for f in rice] == [("us-ofac", (
        "North Korea Sanctions Regulations, 31 CFR part 510 (implementing E.O. 13687, 13722 and 13810)"))]


def test_an_sdn_on_a_list_the_test_writes_in_ofacs_own_format(tmp_path, rules):
    folder = ofac_dir(tmp_path / "ofac")
    read = read_ofac_csv(folder / "sdn.csv", folder / "alt.csv", folder / "add.csv")
    build_index([read], tmp_path / "index.sqlite")
    screener = Screener.open(tmp_path / "index.sqlite")
    event = transfer(TRADER, Party("Pyotr Sergeyevich Orlov", "RUS", kind="person"),
                     Goods("a yacht", hs="8903"), date="2023-06-01")
    flags = ofac_flags(event, rules, listed=screener.listed)
    assert [f.citations[-1] for f in flags] == ["Executive Order 14024"]
    assert "(90003)" in flags[0].why
    unlisted = replace(event, target=Party("Pavel Ivanovich Smirnov", "RUS", kind="person"))
    assert ofac_flags(unlisted, rules, listed=screener.listed) == []

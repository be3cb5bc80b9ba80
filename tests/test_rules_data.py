"""The rule files: what they say, and that bad rule data is refused with a line per problem."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from sanctionwatch.model import Event, Goods, Party
from sanctionwatch.rules import RulesError, check_rules, evaluate, load_rules
from sanctionwatch.rules.provisions import DATA_DIR


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def provision(rules, provision_id):
    return next(p for p in rules.provisions() if p.id == provision_id)


def test_the_shipped_rule_data_has_no_problems():
    assert check_rules() == []


def test_key_dates_and_scopes_of_the_un_dprk_regime(rules):
    luxury = provision(rules, "un-dprk/luxury-goods/1718-8a-iii")
    assert (str(luxury.in_force.start), luxury.direction) == ("2006-10-14", "to")
    machinery = provision(rules, "un-dprk/machinery-vehicles-metals/2397-7")
    assert str(machinery.in_force.start) == "2017-12-22"
    assert set(machinery.covers.hs) == {"84", "85", "86", "87", "88", "89", *map(str, range(72, 77)),
                                        *map(str, range(78, 84))}
    export = provision(rules, "un-dprk/export-ban/2397-6")
    assert export.direction == "from" and {"07", "08", "12", "25", "44", "89"} <= set(export.covers.hs)


def test_every_provision_says_what_was_checked_or_why_not(rules):
    for item in rules.provisions():
        assert item.verified or item.unverified, item.id
        regime = rules.regime(item.regime)
        assert all(key in regime.sources for key in item.source), item.id


def test_the_rule_set_names_its_target_states_and_versions(rules):
    assert rules.targets == {"PRK", "RUS", "IRN"}  # us-ofac has no target state
    assert rules.regime("us-ofac").target is None
    assert re.fullmatch(r"eu-russia@[\d.]+\+un-dprk@[\d.]+\+un-iran@[\d.]+\+us-ofac@[\d.]+", rules.version)


def test_the_eu_regime_binds_member_states_only(rules):
    eu = rules.regime("eu-russia")
    assert eu.target == "RUS" and len(eu.jurisdiction) == 27 and "DEU" in eu.jurisdiction
    assert "RUS" not in eu.jurisdiction and "GBR" not in eu.jurisdiction


def test_categories_are_those_of_the_shared_taxonomy(rules, shared):
    taxonomy = (shared / "taxonomy.md").read_text("utf-8")
    known = set(re.findall(r"\b((?:un-dprk|eu-russia|un-iran|us-ofac)/[a-z-]+)", taxonomy))
    used = {p.category for p in rules.provisions()}
    assert used <= known, used - known


def copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("covers: {classes: [coal, iron, iron-ore]}", "covers: {classes: [coal, iron, iron-oar]}",
     "un-dprk/export-ban/2270-29: unknown goods class 'iron-oar'"),
    ('in_force: {from: "2006-10-14", to: null}\n    citations: ["UNSCR 1718 (2006) para 8(a)(iii)"]',
     'in_force: {from: "2006-13-14", to: null}\n    citations: ["UNSCR 1718 (2006) para 8(a)(iii)"]',
     "un-dprk/luxury-goods/1718-8a-iii: in_force.from: not a calendar date: '2006-13-14'"),
    ('citations: ["UNSCR 2371 (2017) para 9"]', "citations: []", "should be non-empty"),
    ("covers: {activities: [ship-to-ship]}", "covers: {activities: [ship-2-ship]}",
     "activity 'ship-2-ship' is not defined under activities"),
    ("    source: [S/RES/2397]\n", "    source: [S/RES/2398]\n", "source 'S/RES/2398' is not declared"),
    ("  - id: un-dprk/arms/1718-8b\n", "  - id: un-dprk/arms/1718-8a-i\n",
     "un-dprk/arms/1718-8a-i: id also used in un_dprk.yaml"),
    ("direction: from\n    covers: {classes: [seafood]}", "direction: out\n    covers: {classes: [seafood]}",
     "'out' is not one of ['to', 'from', 'both']"),
    ("    verified: >-\n      OP 8(a) covers supply",
     "    verified: false\n    notes: >-\n      OP 8(a) covers supply",
     "Additional properties are not allowed ('notes' was unexpected)"),
])
def test_bad_rule_data_is_reported_one_line_per_problem(tmp_path, old, new, expected):
    data = copy_data(tmp_path)
    edit(data / "un_dprk.yaml", old, new)
    problems = check_rules(data)
    assert any(expected in p for p in problems), problems
    assert all("\n" not in p and p.startswith("un_dprk.yaml: ") for p in problems)
    with pytest.raises(RulesError) as refused:
        load_rules(data)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(("name", "old", "new", "expected"), [
    ("un_iran.yaml", '      suspended: &snapback\n        - from: "2016-01-16"',
     '      suspended: &snapback\n        - from: "2006-12-01"',
     "un-iran/wmd-missile-tech/1737-3-4: in_force.suspended 2006-12-01–2025-09-27 is not inside the days "
     "in force"),
    ("un_iran.yaml", '      suspended: &snapback\n        - from: "2016-01-16"',
     '      suspended: &snapback\n        - from: "2026-01-16"',
     "in_force.suspended 2026-01-16–2025-09-27 ends before it starts"),
    ("us_ofac.yaml", "unless: [un-dprk, un-iran]", "unless: [un-dprk, un-libya]",
     "us-ofac/sdn-dealing/ieepa-blocking: unless names 'un-libya', which no rule file defines"),
    ("us_ofac.yaml", "unless: [un-dprk, un-iran]", "unless: [us-ofac]",
     "unless names its own regime 'us-ofac'"),
    ("us_ofac.yaml", "covers: {listed_party: true}", "covers: {listed_party: true, classes: [arms]}",
     "covers goods or activities, which need a target state; the regime has none"),
    ("us_ofac.yaml", "citation: 'Executive Order \\g<order>'", "citation: 'Executive Order \\g<eo>'",
     "the citation uses group 'eo', which the pattern lacks"),
])
def test_bad_data_of_the_newer_mechanisms_is_reported(tmp_path, name, old, new, expected):
    data = copy_data(tmp_path)
    edit(data / name, old, new)
    problems = check_rules(data)
    assert any(expected in p and p.startswith(name) for p in problems), problems


def test_a_suspension_splits_the_days_in_force(rules):
    restored = provision(rules, "un-iran/designated-party/1737-12")
    assert [(str(start), str(end) if end else None) for start, end in restored.in_force.spans()] == [
        ("2006-12-23", "2016-01-15"), ("2025-09-28", None)]
    assert restored.in_force.label() == "2006-12-23–2016-01-15 and since 2025-09-28"
    ofac = provision(rules, "us-ofac/sdn-dealing/ieepa-blocking")
    assert ofac.unless == {"un-dprk", "un-iran"} and ofac.covers.listed_party


def test_an_unverified_provision_must_say_why(tmp_path):
    data = copy_data(tmp_path)
    text = (data / "un_dprk.yaml").read_text("utf-8")
    start = text.index("    unverified: >-\n      Bulk cash is covered by para 11")
    end = text.index("\n\n", start)
    edit(data / "un_dprk.yaml", text[start:end + 1], "")
    assert any("'unverified' is a required property" in p for p in check_rules(data))


TOY_REGIME = """
regime: toy-embargo
name: A toy embargo on Eritrea, to show that a regime is a data file
version: "2026.1.0"
target: ERI
lists: []
sources:
  TOY-1: {title: "A made-up resolution for tests", date: "2010-06-09", url: "https://example.org/toy-1"}
categories:
  toy-embargo/arms: Arms to or from Eritrea
provisions:
  - id: toy-embargo/arms/toy-1-para-5
    category: toy-embargo/arms
    title: Arms to Eritrea, until the measure ended
    direction: to
    covers: {classes: [arms]}
    in_force: {from: 2010-06-09, to: 2015-12-31}
    citations: ["TOY-1 para 5"]
    summary: A made-up arms embargo that ended at the end of 2015.
    source: [TOY-1]
    verified: false
    unverified: Invented for the tests of the rule engine.
"""


def test_a_new_regime_is_a_new_data_file(tmp_path):
    data = copy_data(tmp_path)
    (data / "toy_embargo.yaml").write_text(TOY_REGIME, "utf-8")
    rules = load_rules(data)
    assert [r.id for r in rules.regimes] == ["eu-russia", "toy-embargo", "un-dprk", "un-iran", "us-ofac"]
    rifles = Goods("assault rifles", classes=("arms",))
    inside = Event(type="transfer", source=Party("Belarus", "BLR"), target=Party("Eritrea", "ERI"),
                   goods=(rifles,), date="2014-05-01")
    flags = evaluate(inside, rules)
    assert [(f.regime, f.citations) for f in flags] == [("toy-embargo", ("TOY-1 para 5",))]
    assert evaluate(replace(inside, date="2016-01-01"), rules) == []  # the provision ended on 2015-12-31

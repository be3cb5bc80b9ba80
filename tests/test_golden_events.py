"""Event extraction on sentences written for the purpose: each case of tests/golden/events yields
the events and flags its JSON records (regenerate with `python scripts/golden_events.py --write`
and review the diff). The properties below are what the cases are there to show."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("golden_events", ROOT / "scripts" / "golden_events.py")
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)
CASES = {c["id"]: c for c in golden.cases()}


@pytest.fixture(scope="module")
def made(analyzer):
    return {case_id: golden.made(case, analyzer) for case_id, case in CASES.items()}


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_case_yields_its_golden_events(made, case_id: str) -> None:
    expected = json.loads((golden.GOLDEN / f"{case_id}.json").read_text(encoding="utf-8"))
    assert made[case_id] == expected, "run `python scripts/golden_events.py --write` and review the diff"


def _acts(summary: dict) -> list[dict]:
    return [e for e in summary["events"] if e["type"] in ("transfer", "activity")]


def _categories(summary: dict) -> set[str]:
    return {f[0] for f in summary["flags"]}


def test_one_gift_told_in_five_sentences_is_one_event_with_its_attributions(made) -> None:
    acts = _acts(made["gift-told-five-times"])
    assert len(acts) == 1
    gift = acts[0]
    assert (gift["source"], gift["target"]) == ("RUS", "PRK")
    assert gift["date"] == "2024-02-28"
    assert gift["confirmed_by"] == ["Dmitry Peskov"]
    assert any("state media" in r for r in gift["reported_by"])
    assert gift["sentences"] >= 4


@pytest.mark.parametrize(("case_id", "category", "supplier", "recipient"), [
    ("passive-supplied-by", "un-dprk/arms", "PRK", "RUS"),
    ("debris-of-origin", "un-dprk/arms", "PRK", ""),
    ("fuel-at-sea-for-the-north", "un-dprk/refined-petroleum", "", "PRK"),
    ("coal-reaching-buyers", "un-dprk/export-ban", "PRK", ""),
    ("crypto-theft-attributed", "un-dprk/financial", "", "PRK"),
    ("soldiers-deployed", "un-dprk/arms", "PRK", "RUS"),
    ("workers-abroad", "un-dprk/overseas-workers", "PRK", "RUS"),
    ("luxury-cars-seen", "un-dprk/luxury-goods", "DEU", "PRK"),
    ("breach-asserted", "un-dprk/refined-petroleum", "RUS", "PRK"),
    ("iran-after-snapback", "un-iran/wmd-missile-tech", "CHN", "IRN"),
    ("eu-luxury-to-russia", "eu-russia/luxury-goods", "", "RUS"),
])
def test_acts_told_without_a_full_transfer_clause_are_flagged(made, case_id, category, supplier,
                                                              recipient) -> None:
    flags = {f[0]: f for f in made[case_id]["flags"]}
    assert category in flags, made[case_id]
    if supplier:
        assert flags[category][1] == supplier
    if recipient:
        assert flags[category][2] == recipient


@pytest.mark.parametrize("case_id", ["denied", "planned", "policy-only", "missile-test", "summit-visit",
                                     "food-aid", "domestic-giving"])
def test_what_is_not_a_breach_raises_no_flag(made, case_id: str) -> None:
    assert made[case_id]["flags"] == [], made[case_id]

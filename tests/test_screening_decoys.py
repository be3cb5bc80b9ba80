"""Near misses: other persons whose names share most of a listed name (made-up names throughout)."""

from __future__ import annotations

import json

import pytest

from sanctionwatch.screening import Screener
from sanctionwatch.screening.compare import compare_names
from sanctionwatch.screening.ftm_json import read_ftm_json
from sanctionwatch.screening.index import build_index
from sanctionwatch.screening.matcher import DEFAULT_THRESHOLD
from sanctionwatch.screening.names import NameForm, analyse


def score(a: str, b: str) -> float:
    first, second = analyse(a, "person"), analyse(b, "person")
    assert first is not None and second is not None
    ab, ba = compare_names(first, second), compare_names(second, first)
    assert ab.score == ba.score
    return ab.score


def test_a_dropped_middle_name_matches_in_the_script_it_is_listed_in():
    result = compare_names(analyse("Tarvo Belkin", "person"), analyse("Tarvo Ilmar Belkin", "person"))
    assert result.dropped and result.score >= DEFAULT_THRESHOLD


def test_a_shortened_name_in_another_script_is_not_a_dropped_middle_name():
    # 'Тарво Белкин' reads 'tarvo belkin', but a transliteration is only compatible with a
    # spelling, never the same spelling: shortened as well, it names someone else.
    result = compare_names(analyse("Тарво Белкин", "person"), analyse("Tarvo Ilmar Belkin", "person"))
    assert not result.dropped and result.score < DEFAULT_THRESHOLD
    assert score("Тарво Белкин", "Tarvo Ilmar Belkin") < DEFAULT_THRESHOLD
    # the whole name in another script still matches
    assert score("Тарво Илмар Белкин", "Tarvo Ilmar Belkin") >= DEFAULT_THRESHOLD


def _person(n: int, name: str) -> dict:
    return {"id": f"p{n}", "schema": "Person", "properties": {"name": [name]}}


@pytest.fixture(scope="module")
def screener(tmp_path_factory) -> Screener:
    root = tmp_path_factory.mktemp("decoys")
    names = ["Dal Vok Tem", "Sar Min Tek", "Oru Belan Kastrovin"]
    path = root / "people.ftm.json"
    rows = [json.dumps(_person(n, x)) for n, x in enumerate(names)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    build_index([read_ftm_json(path, "test_set")], root / "index.sqlite")
    return Screener.open(root / "index.sqlite")


def test_a_short_name_part_replaced_by_another_listed_name_is_another_person(screener):
    # 'Tek' is a name of the lists (Sar Min Tek): one letter from 'Tem' it is another name, not a slip.
    assert screener.screen("Dal Vok Tek", schema="person") == []
    assert screener.name_score("Dal Vok Tek", "Dal Vok Tem") < DEFAULT_THRESHOLD
    assert screener.name_score("Dal Vok Tek", "Dal Vok Tem") == screener.name_score("Dal Vok Tem",
                                                                                   "Dal Vok Tek")


def test_a_slip_that_makes_no_listed_name_still_matches(screener):
    assert [h.entry_id for h in screener.screen("Dal Vok Tey", schema="person")] == ["p0"]
    assert [h.entry_id for h in screener.screen("Oru Belan Kastrovyn", schema="person")] == ["p2"]


def test_a_transliteration_may_differ_at_one_end_of_a_syllable_not_in_its_middle():
    # 'Цхир' reads 'tshir': the onset written another way is the same syllable as 'Chir' ...
    assert score("Цхир Банду", "Chir Bandu") >= DEFAULT_THRESHOLD
    # ... but two letters changed inside 'Kelvo' are another name, in any script
    assert score("Бруна Касво", "Bruna Kelvo") < DEFAULT_THRESHOLD
    assert score("Бруна Келво", "Bruna Kelvo") >= DEFAULT_THRESHOLD


def test_two_short_syllables_run_together_are_spelt_exactly():
    assert score("Tor Vanil", "Tor Va Nil") >= DEFAULT_THRESHOLD  # run together
    assert score("Tor Dasu", "Tor Da Su") >= DEFAULT_THRESHOLD
    assert score("Tor Dasi", "Tor Da Su") < DEFAULT_THRESHOLD  # and a letter changed: another name


def test_a_name_symbol_ties_a_transliteration_only_to_a_spelling_it_agrees_with():
    from dataclasses import replace

    listed = replace(analyse("Varo Telm", "person"), symbols=(("Q1", (0,)),))
    near = replace(analyse("Ларо Телм", "person"), symbols=(("Q1", (0,)),))  # 'laro': the onset differs
    far = replace(analyse("Шуно Телм", "person"), symbols=(("Q1", (0,)),))  # 'shuno': another word
    assert compare_names(near, listed).score >= DEFAULT_THRESHOLD
    assert compare_names(far, listed).score < DEFAULT_THRESHOLD
    assert compare_names(far, listed).score == compare_names(listed, far).score


def test_two_short_listed_words_tied_only_by_a_symbol_are_two_names():
    from dataclasses import replace

    def form(name: str) -> NameForm:  # as the screener gives it: words of the lists, a shared symbol
        f = analyse(name, "person")
        return replace(f, symbols=(("Q1", (1,)),), listed=frozenset(range(len(f.tokens))))

    assert compare_names(form("Dal Ro"), form("Dal Lo")).score >= DEFAULT_THRESHOLD  # one letter: agree
    assert compare_names(form("Dal Kes"), form("Dal Vun")).score < DEFAULT_THRESHOLD  # two names
    assert compare_names(form("Dal Kes"), form("Dal Vun")).score == compare_names(form("Dal Vun"),
                                                                                  form("Dal Kes")).score
    # not words of the lists: the symbol still ties them
    plain = replace(form("Dal Kes"), listed=frozenset())
    assert compare_names(plain, form("Dal Vun")).score >= DEFAULT_THRESHOLD

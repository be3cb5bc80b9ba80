"""One score both ways: score(a, b) == score(b, a) for names in Latin, Cyrillic, Hangul and Han,
with and without the symbols an index adds; and generic state organs need the mention's state."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctionwatch.screening import Screener
from sanctionwatch.screening.compare import compare_names
from sanctionwatch.screening.ftm_json import read_ftm_json
from sanctionwatch.screening.index import build_index
from sanctionwatch.screening.names import analyse
from sanctionwatch.screening.un_xml import read_un_xml
from tests.screening_data import un_xml

SYLLABLES = {
    "latin": ["kim", "jong", "un", "ri", "pyong", "chol", "pak", "song", "il", "yo", "jang", "sok",
              "Orlov", "Pyotr", "Sergeyevich", "al-", "Rahman", "Abd", "bin", "Co.", "Ltd", "J."],
    "cyrillic": ["Ким", "Чен", "Ын", "Ри", "Пхён", "Чхоль", "Пак", "Сон", "Ир", "Орлов", "Пётр"],
    "hangul": ["김", "정은", "리", "병철", "박", "성", "일", "여정", "장", "석", "김정은"],
    "han": ["金", "正恩", "李", "炳哲", "朴", "成", "日", "与正", "张", "金正恩"],
}
name = st.sampled_from(list(SYLLABLES)).flatmap(
    lambda script: st.lists(st.sampled_from(SYLLABLES[script]), min_size=1, max_size=4).map(" ".join))
kinds = st.sampled_from(["person", "org", "vessel"])


@pytest.fixture(scope="module")
def screener(tmp_path_factory) -> Screener:
    root = tmp_path_factory.mktemp("lists")
    build_index([read_un_xml(un_xml(root / "un.xml"))], root / "index.sqlite")
    return Screener.open(root / "index.sqlite")


@settings(max_examples=300, deadline=None)
@given(a=name, b=name, kind=kinds)
def test_the_score_of_two_names_does_not_depend_on_their_order(a, b, kind):
    first, second = analyse(a, kind), analyse(b, kind)
    if first is None or second is None:
        return
    ab, ba = compare_names(first, second), compare_names(second, first)
    assert ab.score == ba.score
    assert (ab.only_a, ab.only_b, ab.dropped) == (ba.only_b, ba.only_a, ba.dropped)


@settings(max_examples=200, deadline=None)
@given(a=name, b=name, kind=kinds)
def test_the_screeners_score_does_not_depend_on_the_order(screener, a, b, kind):
    assert screener.name_score(a, b, kind) == screener.name_score(b, a, kind)


def test_dropped_and_swapped_parts_both_ways():
    full, short = analyse("Ri Pyong Chol", "person"), analyse("Ri Chol", "person")
    assert compare_names(full, short).dropped and compare_names(short, full).dropped
    assert compare_names(full, short).score == compare_names(short, full).score > 0.85
    swapped = analyse("Pyong Chol Ri", "person")
    assert compare_names(full, swapped).score == 1.0
    assert compare_names(analyse("Kim Yo Jong", "person"), analyse("Kim Jong Un", "person")).score < 0.7


def test_generic_state_organs_need_the_state_of_the_mention(tmp_path):
    path = tmp_path / "organs.ftm.json"
    path.write_text(
        '{"id": "o1", "schema": "Organization", "properties": {"name": ["Ministry of State Security"],'
        ' "country": ["kp"]}}\n'
        '{"id": "o2", "schema": "Organization", "properties": {"name": '
        '["Central Military Commission of the Workers\' Party of Korea"], "country": ["kp"]}}\n',
        encoding="utf-8")
    build_index([read_ftm_json(path, "organs")], tmp_path / "index.sqlite")
    screener = Screener.open(tmp_path / "index.sqlite")
    assert [h.entry_id for h in screener.screen("Ministry of State Security", "org", country="PRK")] == ["o1"]
    assert screener.screen("Ministry of State Security", "org", country="RUS") == []
    assert screener.screen("Ministry of State Security", "org") == []  # whose ministry? unknown
    # A party is not its military commission, even in its own state.
    assert screener.screen("Workers' Party of Korea", "org", country="PRK") == []


def test_acronyms_are_spelt_exactly_and_need_the_state(tmp_path):
    path = tmp_path / "acronyms.ftm.json"
    path.write_text('{"id": "a1", "schema": "Organization", "properties": '
                    '{"name": ["Second Economic Committee"], "alias": ["SEC"], "country": ["kp"]}}\n'
                    '{"id": "a2", "schema": "Company", "properties": {"name": ["BMI"], "country": ["ir"]}}\n',
                    encoding="utf-8")
    build_index([read_ftm_json(path, "acronyms")], tmp_path / "index.sqlite")
    screener = Screener.open(tmp_path / "index.sqlite")
    assert screener.screen("SEC", "org") == []  # the US regulator, as far as anyone can tell
    assert [h.entry_id for h in screener.screen("SEC", "org", country="PRK")] == ["a1"]
    assert screener.screen("BMW", "org", country="IRN") == []

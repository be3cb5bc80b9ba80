"""Near misses: other persons whose names share most of a listed name (made-up names throughout)."""

from __future__ import annotations

from sanctionwatch.screening.compare import compare_names
from sanctionwatch.screening.matcher import DEFAULT_THRESHOLD
from sanctionwatch.screening.names import analyse


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

"""Dates keep the precision the text gives, anchored on the publication date, never guessed."""

from __future__ import annotations

import pytest

from sanctionwatch.nlp.dates import normalize_date


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("February 18", None, "--02-18"),          # no anchor: the year stays unknown
        ("February 18", "2024-02-20", "2024-02-18"),
        ("on Feb. 18", "2024-02-20", "2024-02-18"),
        ("Dec. 22", "2024-01-05", "2023-12-22"),   # a past date in the previous year
        ("18 February 2024", None, "2024-02-18"),
        ("Oct. 19, 2017", "2024-02-20", "2017-10-19"),
        ("September 2023", None, "2023-09"),
        ("mid-2022", None, "2022"),
        ("2020", "2024-02-20", "2020"),
        ("yesterday", "2024-02-20", "2024-02-19"),
        ("yesterday", None, None),                 # relative dates need an anchor
        ("Friday", "2024-02-20", "2024-02-16"),
        ("last month", "2024-02-20", "2024-01"),
        ("last year", "2024-02-20", "2023"),
        ("in March", "2024-02-20", "2023-03"),
        ("in March", None, None),
        ("February 30", None, None),               # not a date
        ("recent weeks", "2024-02-20", None),
    ],
)
def test_normalize_date(text: str, published: str | None, expected: str | None) -> None:
    assert normalize_date(text, published) == expected

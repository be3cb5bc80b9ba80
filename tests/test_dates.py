"""Dates keep the precision the text gives, anchored on the publication date, never guessed."""

from __future__ import annotations

import pytest

from sanctionwatch.nlp.dates import normalize_date
from sanctionwatch.rules.period import event_period


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
        ("on Saturday", "2024-03-02", "2024-03-02"),  # the weekday of publication: that very day
        ("last month", "2024-02-20", "2024-01"),
        ("last year", "2024-02-20", "2023"),
        ("in March", "2024-02-20", "2023-03"),
        ("in March", None, None),
        ("February 30", None, None),               # not a date
        ("recent weeks", "2024-02-20", None),
        # a partial publication date anchors the year, never a relative day
        ("February 18", "2018-02", "2018-02-18"),
        ("March 3", "2018-02", "2017-03-03"),
        ("May 31", "2024", "2024-05-31"),
        ("yesterday", "2018-02", None),
    ],
)
def test_normalize_date(text: str, published: str | None, expected: str | None) -> None:
    assert normalize_date(text, published) == expected


@pytest.mark.parametrize(
    ("date", "published", "start", "end", "basis"),
    [
        (None, "2018-02", "2018-02-01", "2018-02-28", "published"),
        (None, "2024", "2024-01-01", "2024-12-31", "published"),
        ("--02-18", "2018-02", "2018-02-18", "2018-02-18", "day"),
        (None, "2024-02-20", "2024-02-20", "2024-02-20", "published"),
    ],
)
def test_partial_publication_dates_are_judged_over_their_days(
        date: str | None, published: str, start: str, end: str, basis: str) -> None:
    period = event_period(date, published)
    assert (str(period.start), str(period.end), period.basis) == (start, end, basis)

"""Relations between two states (or one state and all others) over time, from the store.

    timeline(store, a, b=None, by="month", since=None, until=None) -> Timeline

Per week or month: the events between the two states by type (transfers, visits, meetings,
agreements, support, sanctions, …; for activities, the activity: military cooperation, overseas
workers, …), a cooperation-conflict index (the sum, and the mean, of the Goldstein weight of each
event's CAMEO code: data/goldstein.yaml), the flags and the incidents by category, and how many
stored articles name both states. An event is placed by the date its text gives when that date is
precise enough for the period, else by its article's publication date; each period counts both
kinds. Denied and hypothetical events are left out: they did not happen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import ColumnElement, and_, func, or_, select

from ..errors import SanctionwatchError
from ..store import Store
from ..store.schema import articles, entities, events, flags, incidents
from .dates import span_of, stated_days

BY = ("week", "month")
_LEFT_OUT = frozenset({"denied", "hypothetical"})


@cache
def goldstein() -> dict[str, float]:
    text = resources.files("sanctionwatch.analysis").joinpath("data/goldstein.yaml").read_text()
    return {str(k): float(v) for k, v in yaml.safe_load(text)["weights"].items()}


def weight(code: str | None) -> float | None:
    """The Goldstein weight of a CAMEO code, or of its nearest parent; None if it has none."""
    table = goldstein()
    code = (code or "").strip()
    while code:
        if code in table:
            return table[code]
        code = code[:-1]
    return None


@dataclass
class Period:
    period: str  # 2024-06, or 2024-W25
    start: date
    events: Counter[str] = field(default_factory=Counter)  # by type
    index: float = 0.0  # sum of the events' Goldstein weights
    weighted: int = 0  # events that have a weight
    by_event_date: int = 0  # events placed by the date their text gives
    by_publication: int = 0  # events placed by their article's publication date
    flags: Counter[str] = field(default_factory=Counter)  # by category
    incidents: Counter[str] = field(default_factory=Counter)  # by category, by their first date
    articles: int = 0  # stored articles published in the period that name both states
    published: int = 0  # stored articles published in the period

    @property
    def mean(self) -> float | None:
        return self.index / self.weighted if self.weighted else None

    def as_dict(self) -> dict[str, Any]:
        return {"period": self.period, "start": self.start.isoformat(),
                "events": dict(self.events.most_common()), "event_count": sum(self.events.values()),
                "index": round(self.index, 2),
                "mean": round(self.mean, 2) if self.mean is not None else None,
                "by_event_date": self.by_event_date, "by_publication": self.by_publication,
                "flags": dict(self.flags.most_common()), "incidents": dict(self.incidents.most_common()),
                "articles": self.articles, "published": self.published}


@dataclass
class Timeline:
    a: str
    b: str | None  # None: a against every other state
    by: str
    periods: list[Period]
    top_incidents: list[dict[str, Any]]  # the most corroborated, with their period

    @property
    def types(self) -> list[str]:
        """Event types, most frequent first."""
        total: Counter[str] = Counter()
        for p in self.periods:
            total.update(p.events)
        return [t for t, _ in total.most_common()]

    def as_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "by": self.by, "scale": "goldstein",
                "periods": [p.as_dict() for p in self.periods], "top_incidents": self.top_incidents}


def period_of(day: date, by: str) -> tuple[str, date]:
    if by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}", day - timedelta(days=day.weekday())
    return f"{day:%Y-%m}", day.replace(day=1)


def place(stated: str | None, published: str | None, by: str) -> tuple[date, bool] | None:
    """The day that stands for an item in a timeline, and whether it is the text's own date:
    the stated date when its span fits in one period, else the publication date."""
    for span, own in ((stated_days(stated, published), True), (span_of(published), False)):
        if (span is not None and span.start is not None and span.end is not None
                and period_of(span.start, by)[0] == period_of(span.end, by)[0]):
            return span.start, own
    return None


def _pair(source: ColumnElement[Any], target: ColumnElement[Any], a: str,
          b: str | None) -> ColumnElement[bool]:
    if b is not None:
        return or_(and_(source == a, target == b), and_(source == b, target == a))
    return or_(and_(source == a, target.is_not(None), target != a),
               and_(target == a, source.is_not(None), source != a))


def _event_type(event: dict[str, Any]) -> str:
    """An activity by its name (military-cooperation), any other event by its type."""
    if event["type"] == "activity" and event.get("activity"):
        return event["activity"]
    return event["type"]


def timeline(store: Store, a: str, b: str | None = None, by: str = "month",
             since: str | None = None, until: str | None = None, top: int = 3) -> Timeline:
    """The relation of `a` and `b` (ISO alpha-3; b None: a and any other state) per period
    from `since` to `until` (ISO dates or their prefixes: 2023-01)."""
    if by not in BY:
        raise SanctionwatchError(f"--by is one of {', '.join(BY)}, not {by!r}")
    a, b = a.upper(), b.upper() if b else None
    low = span_of(since).start if since and span_of(since) else None  # type: ignore[union-attr]
    high = span_of(until).end if until and span_of(until) else None  # type: ignore[union-attr]
    if (since and low is None) or (until and high is None):
        raise SanctionwatchError("--from and --to take dates: 2023, 2023-01 or 2023-01-31")
    periods: dict[str, Period] = {}

    def at(day: date) -> Period | None:
        if (low and day < low) or (high and day > high):
            return None
        key, start = period_of(day, by)
        return periods.setdefault(key, Period(key, start))

    with store.engine.connect() as conn:
        query = (select(events.c.data, articles.c.published)
                 .join(articles, articles.c.id == events.c.article_id)
                 .where(_pair(events.c.source_country, events.c.target_country, a, b)))
        for data, published in conn.execute(query):
            if data.get("modality") in _LEFT_OUT:
                continue
            placed = place(data.get("date"), published, by)
            if placed is None or (period := at(placed[0])) is None:
                continue
            period.events[_event_type(data)] += 1
            if placed[1]:
                period.by_event_date += 1
            else:
                period.by_publication += 1
            w = weight(data.get("code"))
            if w is not None:
                period.index += w
                period.weighted += 1
        query = (select(flags.c.category, flags.c.event_date, articles.c.published)
                 .join(articles, articles.c.id == flags.c.article_id)
                 .where(_pair(flags.c.supplier_country, flags.c.recipient_country, a, b)))
        for category, event_date, published in conn.execute(query):
            placed = place(event_date, published, by)
            if placed and (period := at(placed[0])) is not None:
                period.flags[category] += 1
        cited = []
        query = (select(incidents.c.id, incidents.c.title, incidents.c.category, incidents.c.day,
                        incidents.c.corroboration, incidents.c.articles)
                 .where(incidents.c.merged_into.is_(None), incidents.c.articles > 0,
                        _pair(incidents.c.supplier_country, incidents.c.recipient_country, a, b)))
        for row in conn.execute(query):
            placed = place(row.day, None, by)
            if placed and (period := at(placed[0])) is not None:
                period.incidents[row.category] += 1
                cited.append({"id": row.id, "title": row.title, "period": period.period,
                              "corroboration": row.corroboration, "articles": row.articles})
        for published, both in _articles(conn, a, b):
            placed = place(None, published, by)
            if placed and (period := at(placed[0])) is not None:
                period.published += 1
                period.articles += both
    cited.sort(key=lambda i: (-i["corroboration"], -i["articles"], i["id"]))
    return Timeline(a, b, by, _filled(periods, by, low, high), cited[:top])


def _articles(conn: Any, a: str, b: str | None) -> Iterator[tuple[str | None, int]]:
    """(publication date, whether it names both states) of every stored article."""
    names = [a] if b is None else [a, b]
    named = (select(entities.c.article_id,
                    func.count(func.distinct(entities.c.country)).label("states"))
             .where(entities.c.country.in_(names)).group_by(entities.c.article_id).subquery())
    query = (select(articles.c.published, named.c.states)
             .outerjoin(named, named.c.article_id == articles.c.id))
    for published, states in conn.execute(query):
        yield published, int((states or 0) >= len(names))


def _filled(periods: dict[str, Period], by: str, low: date | None,
            high: date | None) -> list[Period]:
    """The periods in order, with the empty ones between (and up to the bounds asked) filled in."""
    if not periods and not (low and high):
        return []
    starts = [p.start for p in periods.values()]
    day = low or min(starts)
    last = high or max(starts)
    out = []
    while day <= last:
        key, start = period_of(day, by)
        out.append(periods.get(key) or Period(key, start))
        day = start + timedelta(days=7) if by == "week" else (start + timedelta(days=32)).replace(day=1)
    return out


__all__ = ["BY", "Period", "Timeline", "period_of", "place", "timeline", "weight"]

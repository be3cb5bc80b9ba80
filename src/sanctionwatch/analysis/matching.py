"""Whether an act tells of the same act as an incident's members, and how strongly: pure functions.

Hard conditions first (any one fails: not the same act):
- a category in common (the incident's categories are those of all its members);
- no conflict of direction: the supplier states agree where both are known, and the recipient
  states too, unless a specific named party (a vessel, a company) links the two anyway;
- goods compatible where both name goods (the same goods, HS heading or class), activities too;
- the days agree with some member's (see `dates`).
Then a score from 0 to 1: a weighted mean of the signals in `data/incidents.yaml`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from .acts import Features
from .settings import Settings, load_settings


@dataclass(frozen=True)
class Match:
    score: float
    signals: dict[str, float]


def _union(members: Sequence[Features], field: str) -> frozenset[str]:
    out: set[str] = set()
    for m in members:
        out |= getattr(m, field)
    return frozenset(out)


def _conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b and not a & b)


def goods_signal(act: Features, members: Sequence[Features], settings: Settings) -> float | None:
    """None when the goods or activities conflict."""
    goods, hs, classes = _union(members, "goods"), _union(members, "hs"), _union(members, "classes")
    activities = _union(members, "activities")
    if _conflict(act.activities, activities):
        return None
    if not (act.goods or act.classes) or not (goods or classes):
        return 1.0 if act.activities and act.activities & activities else 0.5
    if act.goods & goods:
        return 1.0
    if act.hs & hs:
        return 0.8
    shared = act.classes & classes
    if shared - settings.generic_classes:
        return 0.6
    if shared:
        return 0.3
    return None


def parties_signal(act: Features, members: Sequence[Features]) -> float:
    parties = _union(members, "parties")
    if act.parties & parties:
        return 1.0
    return 0.0 if act.parties and parties else 0.5


def text_signal(act: Features, members: Sequence[Features], settings: Settings) -> float:
    best = 0.0
    for m in members:
        union = len(act.tokens | m.tokens)
        if union:
            best = max(best, len(act.tokens & m.tokens) / union)
    return min(1.0, best / settings.text_full) if settings.text_full > 0 else best


def date_signal(act: Features, members: Sequence[Features]) -> float | None:
    """None when the act's days agree with none of the members' (members whose days are unknown
    cannot vouch for it); 0.5 when there is nothing to compare."""
    dated = [m for m in members if m.days is not None]
    if act.days is None or not dated:
        return 0.5
    best: float | None = None
    for m in dated:
        assert m.days is not None
        if not act.days.meets(m.days):
            continue
        value = (1.0 if _narrow(act) and _narrow(m) else 0.75) if act.stated and m.stated else 0.5
        best = value if best is None else max(best, value)
    return best


def _narrow(f: Features) -> bool:
    days = f.days
    if days is None or days.start is None or days.end is None:
        return days is not None  # a yearless day is precise
    return (days.end - days.start).days <= 31


def compare(act: Features, members: Sequence[Features], settings: Settings) -> Match | None:
    """How strongly the act belongs with these members (of one incident); None if it cannot."""
    if not members or not act.categories & _union(members, "categories"):
        return None
    parties = parties_signal(act, members)
    if (_conflict(act.suppliers, _union(members, "suppliers"))
            or _conflict(act.recipients, _union(members, "recipients"))) and parties < 1.0:
        return None
    goods = goods_signal(act, members, settings)
    date = date_signal(act, members)
    if goods is None or date is None:
        return None
    signals = {"text": text_signal(act, members, settings), "goods": goods, "parties": parties,
               "date": date}
    total = sum(settings.weights.get(k, 0.0) for k in signals)
    score = sum(settings.weights.get(k, 0.0) * v for k, v in signals.items()) / total if total else 0.0
    return Match(round(score, 6), signals)


def compare_denial(denial: Features, members: Sequence[Features], settings: Settings) -> Match | None:
    """A denied event has no category: it must agree on direction, goods and days, and pass the
    same threshold."""
    if not members:
        return None
    return compare(replace(denial, categories=_union(members, "categories")), members, settings)


__all__ = ["Match", "Settings", "compare", "compare_denial", "load_settings"]

"""One event per act: the tellings of one transfer across an article's sentences become one event.

"Russia delivered a limousine to Kim", "the car was a gift from Putin", "Peskov confirmed the
delivery" tell one act: events of the same kind and activity, whose known parties agree, whose
goods are the same (by KB entry or class), or not named by either, or named by one only when
both name the same giving and receiving states, and that are told with the same force
(an asserted delivery is not merged with a denied one) become one event, with the evidence, the
attributions and the most precise date of all of them.
"""

from __future__ import annotations

from dataclasses import replace

from ...model import Event, Goods, Party

_ACTS = ("transfer", "activity")
# tellings that say the act happened, in order of strength; the others stay apart
_HAPPENED = ("asserted", "reported", "alleged")


def merge_events(events: list[Event]) -> list[Event]:
    merged: list[Event] = []
    for event in events:
        for i, kept in enumerate(merged):
            if _same_act(kept, event):
                merged[i] = _combined(kept, event)
                break
        else:
            merged.append(event)
    return merged


def _same_act(a: Event, b: Event) -> bool:
    if a.type not in _ACTS or a.type != b.type or a.activity != b.activity:
        return False
    if (a.modality in _HAPPENED) != (b.modality in _HAPPENED) or \
            a.modality not in _HAPPENED and a.modality != b.modality:
        return False
    if not (_agree(a.source, b.source) and _agree(a.target, b.target)):
        return False
    states = {p.country for e in (a, b) for p in (e.source, e.target) if p is not None and p.country}
    if not states:  # two events that name no state at all are not known to be one act
        return False
    if bool(a.goods) != bool(b.goods):  # "the car Putin sent to Kim" and "Russia gave Kim the Aurus"
        return _same_sides(a, b)
    return _same_goods(a.goods, b.goods)


def _same_sides(a: Event, b: Event) -> bool:
    """Both events name the giving and the receiving state, and the same ones: an act that names
    no goods is the one with goods only when nothing else tells them apart."""
    sides = [(e.source.country if e.source else None, e.target.country if e.target else None) for e in (a, b)]
    return sides[0] == sides[1] and None not in sides[0]


def _agree(a: Party | None, b: Party | None) -> bool:
    return a is None or b is None or a.country is None or b.country is None or a.country == b.country


def _same_goods(a: tuple[Goods, ...], b: tuple[Goods, ...]) -> bool:
    if not a or not b:
        return not a and not b
    ids_a, ids_b = {g.kb_id for g in a if g.kb_id}, {g.kb_id for g in b if g.kb_id}
    if ids_a & ids_b:
        return True
    hs_a, hs_b = {(g.hs or "")[:4] for g in a if g.hs}, {(g.hs or "")[:4] for g in b if g.hs}
    if hs_a & hs_b:
        return True
    classes_a, classes_b = {c for g in a for c in g.classes}, {c for g in b for c in g.classes}
    return bool(classes_a & classes_b) and not (ids_a and ids_b)


def _precision(date: str | None) -> int:
    return 0 if not date else 3 if len(date) == 10 else 2 if len(date) == 7 else 1


def _better(a: Party | None, b: Party | None) -> Party | None:
    """The better-known of two agreeing parties: one with a state, a named actor over an origin."""
    if a is None or a.country is None:
        return b or a
    if b is not None and b.country == a.country and a.kind == "origin" and b.kind != "origin":
        return b
    return a


def _combined(kept: Event, other: Event) -> Event:
    strongest = min((kept, other),
                    key=lambda e: _HAPPENED.index(e.modality) if e.modality in _HAPPENED else 9)
    named = {g.kb_id or g.text for g in kept.goods}
    goods = kept.goods + tuple(g for g in other.goods if (g.kb_id or g.text) not in named)
    known = {p.country for p in (kept.source, kept.target, other.source, other.target) if p is not None}
    involved = {p.country: p for p in (*kept.involved, *other.involved) if p.country not in known}
    return replace(
        kept,
        source=_better(kept.source, other.source),
        target=_better(kept.target, other.target),
        goods=goods,
        date=max((kept.date, other.date), key=_precision),
        modality=strongest.modality,
        reported_by=tuple(dict.fromkeys(kept.reported_by + other.reported_by)),
        confirmed_by=tuple(dict.fromkeys(kept.confirmed_by + other.confirmed_by)),
        evidence=tuple(sorted(set(kept.evidence + other.evidence), key=lambda s: s.start)),
        involved=tuple(involved.values()),
        found_by=kept.found_by if kept.found_by != "sentence" else other.found_by,
        score=max((s for s in (kept.score, other.score) if s is not None), default=None),
    )

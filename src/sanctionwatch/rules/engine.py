"""Which provisions an event may breach: direction, goods, activity, parties, dates, confidence.

The engine knows no regime: everything regime-specific is in the rule files. An event is matched
against a regime when one side of it is the regime's target state and the other side is another
state or unknown (an event inside one state never matches); a regime with a ``jurisdiction`` also
needs that other side, when known, to be one of its states. Provisions covering listed parties
match on the screening of either side instead of on direction.

One flag is produced per (category, goods item or activity or listed party): it cites every
provision of the category that matched, in the order they came into force, and names the latest
(then the most specific) as ``rule_id``. Confidence comes from ``engine.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..model import Event, Flag, Goods, Party, ScreeningHit
from .period import Period, event_period
from .provisions import EngineConfig, GoodsFilter, Provision, Regime, RuleSet

Listed = Callable[[Party], Sequence[ScreeningHit]]
Subject = tuple[str, int | str]  # ("goods", index) | ("activity", id) | ("listed", entry id)


@dataclass(frozen=True)
class _Match:
    provision: Provision
    subject: Subject
    specificity: int  # length of the matching HS prefix; 1 for a class, activity or listing
    confidence: float
    reasons: tuple[str, ...]
    hit: ScreeningHit | None = None


def _digits(code: str | None) -> str:
    return "".join(ch for ch in code or "" if ch.isdigit())


def _classes(goods: Goods) -> frozenset[str]:
    return frozenset(goods.classes) | ({"luxury"} if goods.luxury else frozenset())


def _fit(classes: frozenset[str], hs: str, wanted_classes: frozenset[str], wanted_hs: Sequence[str]) -> int:
    """How specifically goods fit a filter: the longest HS prefix that matches, 1 for a class, else 0."""
    prefix = max((len(p) for p in wanted_hs if hs.startswith(p)), default=0)
    return prefix or (1 if classes & wanted_classes else 0)


def _excluded(classes: frozenset[str], hs: str, excludes: GoodsFilter) -> bool:
    return _fit(classes, hs, excludes.classes, excludes.hs) > 0


def _country(party: Party | None) -> str | None:
    return party.country if party else None


def _side(event: Event, regime: Regime) -> str | None:
    """``to`` or ``from`` the regime's target, or None when the event is not a transfer across its border."""
    source, target = _country(event.source), _country(event.target)
    if source == target:  # inside one state, or both sides unknown
        return None
    if target == regime.target:
        side, other = "to", source
    elif source == regime.target:
        side, other = "from", target
    else:
        return None
    if regime.jurisdiction is not None and other is not None and other not in regime.jurisdiction:
        return None
    return side


def _never(event: Event, config: EngineConfig) -> bool:
    if event.type.lower() in config.never_event_types or event.modality in config.no_breach_modalities:
        return True
    return bool(event.code) and any(event.code.startswith(code) for code in config.never_cameo)


def _event_confidence(event: Event, config: EngineConfig, period: Period) -> tuple[float, list[str]]:
    weights = config.adjust
    modality = event.modality if event.modality in config.modality else "alleged"
    value = config.modality[modality]
    reasons = [f"{modality}"]
    if event.confirmed_by:
        value += weights["confirmed"]
        reasons.append("confirmed by " + ", ".join(event.confirmed_by))
    if modality == "alleged" and not event.reported_by:
        value += weights["anonymous"]
        reasons.append("an unattributed claim")
    if not (_country(event.source) and _country(event.target)):
        value += weights["unknown_counterparty"]
        reasons.append("one side unknown")
    if period.undated:
        value += weights["undated"]
        reasons.append("no date to judge by")
    return value, reasons


def _provision_confidence(provision: Provision, period: Period, config: EngineConfig,
                          base: float, reasons: list[str]) -> tuple[float, tuple[str, ...]] | None:
    """The confidence for one matching provision, or None when an exemption suppresses the match."""
    value, why = base, list(reasons)
    span = provision.in_force
    if not period.undated and not period.inside(span.start, span.end):
        value += config.adjust["approximate_date"]
        why.append("the period straddles its start or end")
    lowered = []
    for exemption in provision.exemptions:
        if exemption.effect is None:
            continue
        covers_event = exemption.until is None or period.start is None or period.start <= exemption.until
        if not covers_event:
            continue
        if (exemption.effect == "suppresses" and exemption.until and period.end is not None
                and period.end <= exemption.until):
            return None
        lowered.append(exemption.id)
    if lowered:
        value += config.adjust["possible_exemption"]
        why.append("an exemption may apply (" + ", ".join(lowered) + ")")
    return min(1.0, max(0.0, value)), tuple(why)


def _subjects(provision: Provision, regime: Regime, event: Event, side: str | None,
              listed: Listed | None) -> list[tuple[Subject, int, ScreeningHit | None]]:
    """What of the event the provision covers: goods items, the activity, or a listed party."""
    covers = provision.covers
    found: list[tuple[Subject, int, ScreeningHit | None]] = []
    if side is not None and provision.direction in (side, "both"):
        for index, goods in enumerate(event.goods):
            classes, hs = _classes(goods), _digits(goods.hs)
            specificity = _fit(classes, hs, covers.classes, covers.hs)
            if not specificity or _excluded(classes, hs, provision.excludes) \
                    or _excluded(classes, hs, regime.excludes):
                continue
            requires = provision.requires
            if requires and not _fit(classes, hs, requires.classes, requires.hs):
                continue
            found.append((("goods", index), specificity, None))
        if event.activity and event.activity in covers.activities:
            found.append((("activity", event.activity), 1, None))
    # Something must be made available or dealt in: goods or an activity. A bare 'sent' or
    # 'received' (a message, a greeting, a wreath between party organs) is neither.
    dealing = bool(event.goods or event.activity)
    if covers.listed_party and listed is not None and dealing:
        if _country(event.source) is not None and _country(event.source) == _country(event.target):
            return found
        for party in (event.source, event.target):
            hits = [h for h in listed(party) if h.list in regime.lists] if party else []
            if hits:
                found.append((("listed", hits[0].entry_id), 1, hits[0]))
                break
    return found


def _party(party: Party | None, role: str) -> str:
    if party is None:
        return f"an unknown {role}"
    return f"{party.name} ({party.country})" if party.country else party.name


def _what(event: Event, match: _Match, regime: Regime) -> str:
    kind, key = match.subject
    if kind == "goods":
        goods = event.goods[int(key)]
        return f"{goods.text} (HS {goods.hs})" if goods.hs else goods.text
    if kind == "activity":
        return f"{key}: {regime.activities[str(key)]}"
    hit = match.hit
    return f"{hit.name}, listed on {hit.list} as {hit.matched_name} ({hit.entry_id})" if hit else str(key)


def _flag(event: Event, regime: Regime, matches: list[_Match], period: Period,
          threshold: float) -> Flag | None:
    ordered = sorted(matches, key=lambda m: m.provision.in_force.start)
    best = max(matches, key=lambda m: (m.provision.in_force.start, m.specificity))
    strongest = max(matches, key=lambda m: m.confidence)
    confidence = round(strongest.confidence, 2)
    if confidence < threshold:
        return None
    citations = tuple(dict.fromkeys(c for m in ordered for c in m.provision.citations))
    category = best.provision.category
    kind, key = best.subject
    why = (
        f"{_party(event.source, 'supplier')} → {_party(event.target, 'recipient')}: "
        f"{_what(event, best, regime)}, {period.note}; may breach {'; '.join(citations)} "
        f"({regime.categories[category]}, in force {ordered[0].provision.in_force.label()}); "
        f"confidence {confidence:.2f}: {', '.join(strongest.reasons)}."
    )
    return Flag(
        category=category, regime=regime.id, rule_id=best.provision.id, citations=citations,
        supplier=event.source, recipient=event.target,
        goods=event.goods[int(key)] if kind == "goods" else None,
        event_date=event.date, confidence=confidence, evidence=event.evidence, why=why,
        activity=event.activity if kind == "activity" else None,
    )


def evaluate(event: Event, rules: RuleSet, published: str | None = None,
             listed: Listed | None = None) -> list[Flag]:
    """The flags an event raises under every regime of ``rules``.

    ``published`` (the article's ISO date) stands in for an event without a date. ``listed``
    screens a party and returns its hits; without it, listed-party provisions never match.
    """
    config = rules.config
    if _never(event, config):
        return []
    period = event_period(event.date, published)
    base, reasons = _event_confidence(event, config, period)
    flags: list[Flag] = []
    for regime in rules.regimes:
        side = _side(event, regime)
        groups: dict[tuple[str, Subject], list[_Match]] = {}
        for provision in regime.provisions:
            span = provision.in_force
            if not period.overlaps(span.start, span.end):
                continue
            subjects = _subjects(provision, regime, event, side, listed)
            if not subjects:
                continue
            scored = _provision_confidence(provision, period, config, base, reasons)
            if scored is None:
                continue
            for subject, specificity, hit in subjects:
                match = _Match(provision, subject, specificity, scored[0], scored[1], hit)
                groups.setdefault((provision.category, subject), []).append(match)
        for matches in groups.values():
            if flag := _flag(event, regime, matches, period, config.threshold):
                flags.append(flag)
    return flags


__all__ = ["Listed", "evaluate"]

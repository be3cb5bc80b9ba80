"""Which provisions an event may breach: direction, goods, activity, parties, dates, confidence.

The engine knows no regime: everything regime-specific is in the rule files. An event is matched
against a regime when one side of it is the regime's target state and the other side is another
state or unknown (an event inside one state never matches); a regime with a ``jurisdiction`` also
needs that other side, when known, to be one of its states. Provisions covering listed parties
match on the screening of either side instead of on direction; a regime without a target state
has only such provisions. A provision applies on the days it is in force, less any suspension.

One flag is produced per (category, goods item or activity or listed party): it cites every
provision of the category that matched, in the order they came into force, and names the latest
(then the most specific) as ``rule_id``; a listed party's hit adds the legal act behind its
programme tags. A provision with ``unless`` yields: its flag is dropped when a regime it names
flagged the same event. Confidence comes from ``engine.yaml``.
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
    """``to`` or ``from`` the regime's target, ``either`` when the target state takes part on a
    side the text does not tell (`Event.involved`), or None when the event is not a transfer
    across its border."""
    if regime.target is None:  # no target state: no direction, only listed-party provisions apply
        return None
    source, target = _country(event.source), _country(event.target)
    involved = [p.country for p in event.involved if p.country]
    if source != target and target == regime.target:
        side, other = "to", source
    elif source != target and source == regime.target:
        side, other = "from", target
    elif not (source and target) and regime.target in involved:
        # the state on the open side: if the text names a giver, the target state received
        side = "to" if source else "from" if target else "either"
        other = source or target
    else:
        return None  # inside one state, both sides unknown, or the target state takes no part
    if regime.jurisdiction is not None and not _within(regime.jurisdiction, other, involved, regime.target):
        return None
    return side


def _within(jurisdiction: frozenset[str], other: str | None, involved: list[str], target: str | None) -> bool:
    """Whether the other side falls under a regime that binds only some states: the other side
    when known, else one of the states taking part, else (nothing known) it may."""
    if other is not None:
        return other in jurisdiction
    taking_part = [c for c in involved if c != target]
    return not taking_part or any(c in jurisdiction for c in taking_part)


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
    if event.found_by == "sentence" and event.score is not None and event.score < value:
        value = event.score
        reasons.append(f"the sentence classifier's confidence {event.score:.2f}")
    if period.undated:
        value += weights["undated"]
        reasons.append("no date to judge by")
    return value, reasons


def _provision_confidence(provision: Provision, period: Period, config: EngineConfig,
                          base: float, reasons: list[str]) -> tuple[float, tuple[str, ...]] | None:
    """The confidence for one matching provision, or None when an exemption suppresses the match."""
    value, why = base, list(reasons)
    if not period.undated and not provision.in_force.covers(period):
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
    if side is not None and (side == "either" or provision.direction in (side, "both")):
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
        for party in (event.source, event.target, *event.involved):
            hits = [h for h in listed(party) if h.list in regime.lists] if party else []
            if hits:
                found.append((("listed", hits[0].entry_id), 1, hits[0]))
                break
    return found


def _programme_citations(regime: Regime, hit: ScreeningHit | None) -> tuple[str, ...]:
    """The legal acts behind a listed party's programme tags, where the regime's data names them."""
    if hit is None:
        return ()
    return tuple(p.citation for tag in hit.programs if (p := regime.program(tag)) is not None)


def _without_yielding(flags: list[Flag], rules: RuleSet) -> list[Flag]:
    """Drops the flags of provisions that yield (``unless``) to a regime that flagged the same event."""
    raised = {f.regime for f in flags}
    return [f for f in flags
            if not ((provision := rules.provision(f.rule_id)) is not None and provision.unless & raised)]


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


def _sides_of(event: Event, regime: Regime, direction: str, side: str | None) -> tuple[
        Party | None, Party | None, tuple[Party, ...]]:
    """Supplier, recipient and the parties left without a side. When the text does not tell the
    target state's side, the side the event implies, or else the provision's direction, puts it
    there ("to": the recipient); a provision that runs both ways leaves it open."""
    own = next((p for p in event.involved if p.country == regime.target), None)
    if own is None or regime.target in (_country(event.source), _country(event.target)):
        return event.source, event.target, event.involved
    way = side if side in ("to", "from") else direction
    if way not in ("to", "from"):
        return event.source, event.target, event.involved
    rest = [p for p in event.involved if p is not own]
    if way == "to":
        supplier = event.source or (rest.pop(0) if rest else None)
        return supplier, own, tuple(rest)
    recipient = event.target or (rest.pop(0) if rest else None)
    return own, recipient, tuple(rest)


def _flag(event: Event, regime: Regime, matches: list[_Match], period: Period,
          threshold: float, side: str | None) -> Flag | None:
    ordered = sorted(matches, key=lambda m: m.provision.in_force.start)
    best = max(matches, key=lambda m: (m.provision.in_force.start, m.specificity))
    strongest = max(matches, key=lambda m: m.confidence)
    confidence = round(strongest.confidence, 2)
    if confidence < threshold:
        return None
    citations = tuple(dict.fromkeys([*(c for m in ordered for c in m.provision.citations),
                                     *_programme_citations(regime, best.hit)]))
    category = best.provision.category
    kind, key = best.subject
    supplier, recipient, involved = _sides_of(event, regime, best.provision.direction, side)
    among = f" (with {', '.join(_party(p, '') for p in involved)}, on sides not told)" if involved else ""
    why = (
        f"{_party(supplier, 'supplier')} → {_party(recipient, 'recipient')}{among}: "
        f"{_what(event, best, regime)}, {period.note}; may breach {'; '.join(citations)} "
        f"({regime.categories[category]}, in force {ordered[0].provision.in_force.label()}); "
        f"confidence {confidence:.2f}: {', '.join(strongest.reasons)}."
    )
    return Flag(
        category=category, regime=regime.id, rule_id=best.provision.id, citations=citations,
        supplier=supplier, recipient=recipient, involved=involved,
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
            if not provision.in_force.overlaps(period):
                continue
            subjects = _subjects(provision, regime, event, side, listed)
            if not subjects:
                continue
            untold = config.adjust["untold_side"] if side == "either" else 0.0
            scored = _provision_confidence(provision, period, config, base + untold,
                                           reasons + ["the target state's side untold"] * bool(untold))
            if scored is None:
                continue
            for subject, specificity, hit in subjects:
                match = _Match(provision, subject, specificity, scored[0], scored[1], hit)
                groups.setdefault((provision.category, subject), []).append(match)
        for matches in groups.values():
            if flag := _flag(event, regime, matches, period, config.threshold, side):
                flags.append(flag)
    return _without_yielding(flags, rules)


__all__ = ["Listed", "evaluate"]

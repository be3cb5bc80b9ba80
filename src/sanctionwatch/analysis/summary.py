"""An incident as an analyst reads it, computed from its members: pure.

Title ("RUS → PRK: motor car (Aurus), 2024-02-18"), categories and citations, the parties and
goods, the span of the dates the articles give, first and last seen, the articles and outlets that
report it, corroboration (independent outlets plus officials who confirmed it), denials and a
confidence that rises with corroboration and falls with denials (weights in data/incidents.yaml).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .acts import Features
from .dates import Days, span_of, stated_days

Data = Mapping[str, Any]


@dataclass(frozen=True)
class MemberView:
    kind: str  # flag or denial
    article: Data  # external_id, url, title, published
    item: Data  # the flag, or the denied event
    features: Features
    pinned_by: str | None = None


def _count(values: Sequence[str | None]) -> list[str]:
    """Distinct values, most frequent first, then in order of appearance."""
    counts = Counter(v for v in values if v)
    order = {v: i for i, v in reversed(list(enumerate(values)))}
    return sorted(counts, key=lambda v: (-counts[v], order[v]))


def _party(flags: Sequence[Data], side: str) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str | None], int] = {}
    for flag in flags:
        party = flag.get(side) or {}
        if party.get("name"):
            key = (party["name"], party.get("country"))
            seen[key] = seen.get(key, 0) + 1
    return [{"name": n, "country": c, "reports": k}
            for (n, c), k in sorted(seen.items(), key=lambda x: -x[1])]


def _goods(flags: Sequence[Data]) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str | None, str | None], int] = {}
    for flag in flags:
        goods = flag.get("goods") or {}
        if goods.get("text"):
            key = (goods["text"], goods.get("kb_id"), goods.get("hs"))
            seen[key] = seen.get(key, 0) + 1
    return [{"text": t, "kb_id": k, "hs": h, "reports": n}
            for (t, k, h), n in sorted(seen.items(), key=lambda x: -x[1])]


def goods_label(flags: Sequence[Data], goods_name: Callable[[str], str | None]) -> str:
    """"motor car (Aurus)": the knowledge base's name of the goods most reports give, and the most
    frequent proper name the articles use for them; else the activity."""
    goods = [f["goods"] for f in flags if f.get("goods")]
    kb_ids = _count([g.get("kb_id") for g in goods])
    if kb_ids:
        name = goods_name(kb_ids[0]) or kb_ids[0].split("/")[-1].replace("-", " ")
        texts = _count([_without(g.get("text") or "", name)
                        for g in goods if g.get("kb_id") == kb_ids[0]])
        brand = next((t for t in texts if t[:1].isupper() and t.casefold() != name.casefold()), None)
        return f"{name} ({brand})" if brand else name
    texts = _count([g.get("text") for g in goods])
    if texts:
        return texts[0]
    activities = _count([f.get("activity") for f in flags])
    return activities[0].replace("-", " ") if activities else "unspecified"


def _without(text: str, name: str) -> str:
    """"Aurus limousine" without "limousine": the name that sets these goods apart."""
    words = [w for w in text.split() if w.casefold() not in name.casefold().split()]
    return " ".join(words) if words else text


def date_label(stated: Sequence[str], first_seen: str | None) -> str:
    """The most precise date every stated date agrees with; else the span; else when it was
    first reported."""
    if not stated:
        return f"reported {first_seen}" if first_seen else "undated"
    counts = Counter(stated)
    ordered = sorted(counts, key=lambda v: (-len(v.lstrip("-")), -counts[v], v))
    spans = {v: stated_days(v, None) for v in counts}
    for value in ordered:
        span = spans[value]
        if span is not None and all(s is None or span.meets(s) for s in spans.values()):
            return value
    dated = [s for s in spans.values() if s is not None and s.start is not None]
    if not dated:
        return ordered[0]
    start = min(s.start for s in dated if s.start)
    end = max(s.end for s in dated if s.end)
    return f"{start:%Y-%m} – {end:%Y-%m}"


def date_range(spans: Sequence[Days | None]) -> tuple[str | None, str | None]:
    """The days every stated date allows (2024-02-18 from "2024-02-18" and "2024-02"); when they
    do not all meet, the span from the first to the last."""
    dated = [s for s in spans if s is not None and s.start is not None and s.end is not None]
    if not dated:
        return None, None
    start, end = max(s.start for s in dated), min(s.end for s in dated)  # type: ignore[type-var]
    if start > end:
        start, end = min(s.start for s in dated), max(s.end for s in dated)  # type: ignore[type-var]
    return start.isoformat(), end.isoformat()


def confidence(members: Sequence[MemberView], weights: Mapping[str, float]) -> float:
    best_by_outlet: dict[str, float] = {}
    for m in members:
        if m.kind == "flag":
            outlet = m.features.outlet
            best_by_outlet[outlet] = max(best_by_outlet.get(outlet, 0.0), m.features.confidence)
    if not best_by_outlet:
        return 0.0
    ranked = sorted(best_by_outlet.values(), reverse=True)
    doubt = 1.0 - ranked[0]
    for other in ranked[1:]:
        doubt *= 1.0 - weights["corroboration"] * other
    value = 1.0 - doubt
    if any(m.features.confirmed_by for m in members if m.kind == "flag"):
        value += weights["confirmation"]
    denying = {m.features.outlet for m in members if m.kind == "denial"}
    value *= (1.0 - weights["denial"]) ** len(denying)
    return round(min(value, weights["cap"]), 3)


def summarise(members: Sequence[MemberView], weights: Mapping[str, float],
              goods_name: Callable[[str], str | None]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(columns of the incidents row, its `data`). Members come in the order they joined."""
    flags_m = [m for m in members if m.kind == "flag"]
    flags = [m.item for m in flags_m]
    categories = _count([f["category"] for f in flags])
    regimes = _count([f["regime"] for f in flags])
    citations = list(dict.fromkeys(c for f in flags for c in f.get("citations") or ()))
    suppliers, recipients = _party(flags, "supplier"), _party(flags, "recipient")
    supplier = next(iter(_count([p["country"] for p in suppliers for _ in range(p["reports"])])), None)
    recipient = next(iter(_count([p["country"] for p in recipients for _ in range(p["reports"])])),
                     None)
    published = sorted({m.article.get("published") for m in members if m.article.get("published")})
    first_seen, last_seen = (published[0], published[-1]) if published else (None, None)
    stated = [f["event_date"] for f in flags if f.get("event_date")]
    date_start, date_end = date_range([stated_days(m.item.get("event_date"), m.article.get("published"))
                                       for m in flags_m if m.item.get("event_date")])
    articles = list(dict.fromkeys(m.article["external_id"] for m in flags_m))
    outlets = list(dict.fromkeys(m.features.outlet for m in flags_m))
    confirmations = sorted({c for m in flags_m for c in m.features.confirmed_by})
    sources = sorted({r for m in flags_m for r in m.features.reported_by})
    denials = [{"article": m.article["external_id"], "outlet": m.features.outlet,
                "evidence": _evidence(m.features)} for m in members if m.kind == "denial"]
    title = (f"{supplier or '?'} → {recipient or '?'}: {goods_label(flags, goods_name)}, "
             f"{date_label(stated, first_seen)}")
    conf = confidence(members, weights)
    corroboration = len(outlets) + len(confirmations)
    day = date_start or _day(first_seen)
    columns = {
        "title": title, "regime": regimes[0] if regimes else "",
        "category": categories[0] if categories else "",
        "supplier_country": supplier, "recipient_country": recipient, "date_start": date_start,
        "date_end": date_end, "day": day, "first_seen": first_seen, "last_seen": last_seen,
        "articles": len(articles), "outlets": len(outlets), "corroboration": corroboration,
        "denials": len({d["outlet"] for d in denials}), "confidence": conf,
    }
    data = {
        "title": title, "categories": categories, "regimes": regimes, "citations": citations,
        "suppliers": suppliers, "recipients": recipients,
        "parties": sorted({p for m in flags_m for p in m.features.parties}),
        "goods": _goods(flags), "activities": _count([f.get("activity") for f in flags]),
        "dates": {"start": date_start, "end": date_end, "label": date_label(stated, first_seen),
                  "stated": sorted(set(stated))},
        "first_seen": first_seen, "last_seen": last_seen, "articles": articles, "outlets": outlets,
        "sources": sources, "confirmations": confirmations, "denials": denials,
        "corroboration": corroboration, "confidence": conf, "flags": len(flags),
        "pinned_by": sorted({m.pinned_by for m in members if m.pinned_by}),
    }
    return columns, data


def _evidence(features: Features) -> dict[str, Any] | None:
    if features.evidence is None:
        return None
    start, end, text = features.evidence
    return {"start": start, "end": end, "text": text}


def _day(published: str | None) -> str | None:
    span = span_of(published)
    return span.start.isoformat() if span and span.start else None


__all__ = ["MemberView", "confidence", "date_label", "goods_label", "summarise"]

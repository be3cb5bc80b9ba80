"""What one article tells of an act: its flags (or its denial), and the features incidents compare.

The flags of one article whose evidence overlaps tell of one act (the limousine flagged as a
luxury good and as a vehicle, from the same sentences): they are one `Act` and join one incident.
An event the article reports as denied is an act of its own that can only join an incident.

Features are plain data (stored with each incident member as JSON), built from the report items
the store holds: categories, the states on each side, the goods (knowledge-base id, HS heading,
classes) or activity, the specific parties named in the evidence (vessels, companies, people the
knowledge base does not list as officials), the content words of the evidence, the days the act
may have happened, the outlet, and what the article's events say of it (modality, who reported
and who confirmed it).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from ..kb import KnowledgeBase, load_kb
from ..kb.model import name_key
from .dates import Days, when
from .settings import Settings

Data = Mapping[str, Any]
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_MAX_TOKENS = 80  # content words kept per act: enough to compare, bounded to store
# Organisation kinds of the knowledge base that name a state organ, a monitor or the press: they
# appear in many unrelated acts, so sharing one says nothing about being the same act.
_INSTITUTIONAL = frozenset({"media", "intergovernmental", "ministry", "agency", "legislature",
                           "party", "military", "court", "think"})
_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.", "edition.", "static-global.")


@dataclass(frozen=True)
class Item:
    """A flag, or a denied event, of an article."""

    kind: str  # "flag" or "denial"
    seq: int
    key: str  # what identifies the same item when the article is analysed again
    category: str | None
    supplier: str | None
    recipient: str | None
    data: Data = field(compare=False, hash=False)


@dataclass(frozen=True)
class Features:
    categories: frozenset[str]
    suppliers: frozenset[str]
    recipients: frozenset[str]
    goods: frozenset[str]  # knowledge-base ids, else the goods' words
    hs: frozenset[str]  # HS headings (4 digits) or chapters (2)
    classes: frozenset[str]
    activities: frozenset[str]
    parties: frozenset[str]  # the distinctive words of the specific parties' names
    tokens: frozenset[str]  # content words of the evidence
    days: Days | None
    stated: bool  # the days come from a date in the text (else from the publication date)
    published: str | None
    outlet: str
    confidence: float
    modalities: tuple[str, ...] = ()
    reported_by: tuple[str, ...] = ()
    confirmed_by: tuple[str, ...] = ()
    evidence: tuple[int, int, str] | None = None  # the strongest evidence span

    def to_json(self) -> dict[str, Any]:
        return {
            "categories": sorted(self.categories), "suppliers": sorted(self.suppliers),
            "recipients": sorted(self.recipients), "goods": sorted(self.goods),
            "hs": sorted(self.hs), "classes": sorted(self.classes),
            "activities": sorted(self.activities), "parties": sorted(self.parties),
            "tokens": sorted(self.tokens), "days": self.days.as_json() if self.days else None,
            "stated": self.stated, "published": self.published, "outlet": self.outlet,
            "confidence": self.confidence, "modalities": list(self.modalities),
            "reported_by": list(self.reported_by), "confirmed_by": list(self.confirmed_by),
            "evidence": list(self.evidence) if self.evidence else None,
        }

    @classmethod
    def from_json(cls, data: Data) -> Features:
        evidence = data.get("evidence")
        return cls(
            categories=frozenset(data["categories"]), suppliers=frozenset(data["suppliers"]),
            recipients=frozenset(data["recipients"]), goods=frozenset(data["goods"]),
            hs=frozenset(data["hs"]), classes=frozenset(data["classes"]),
            activities=frozenset(data["activities"]), parties=frozenset(data["parties"]),
            tokens=frozenset(data["tokens"]), days=Days.from_json(data.get("days")),
            stated=bool(data["stated"]), published=data.get("published"), outlet=data["outlet"],
            confidence=float(data["confidence"]), modalities=tuple(data.get("modalities", ())),
            reported_by=tuple(data.get("reported_by", ())),
            confirmed_by=tuple(data.get("confirmed_by", ())),
            evidence=(int(evidence[0]), int(evidence[1]), str(evidence[2])) if evidence else None,
        )


@dataclass(frozen=True)
class Act:
    items: tuple[Item, ...]
    features: Features


@dataclass(frozen=True)
class ArticleView:
    """What of a stored article the acts are built from."""

    external_id: str
    url: str | None
    published: str | None
    flags: Sequence[tuple[int, Data]]  # (seq, item)
    events: Sequence[tuple[int, Data]]
    entities: Sequence[Data]


def outlet(url: str | None, external_id: str) -> str:
    """Who published an article: its URL's host without "www."; an article without a URL counts
    as an outlet of its own."""
    host = (urlsplit(url).hostname or "") if url else ""
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix):]
    return host or f"article:{external_id}"


def item_key(kind: str, category: str | None, supplier: str | None, recipient: str | None,
             what: str | None) -> str:
    """An item's identity across analyses: kind, category, the two states and the goods."""
    raw = json.dumps([kind, category, supplier, recipient, (what or "").casefold()])
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]


def _spans(item: Data) -> list[tuple[int, int]]:
    return [(int(s["start"]), int(s["end"])) for s in item.get("evidence") or ()]


def _overlap(a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]]) -> bool:
    b = list(b)
    return any(s < e2 and s2 < e for s, e in a for s2, e2 in b)


def _country(party: Data | None) -> str | None:
    return (party or {}).get("country") or None


def _goods_words(goods: Data | None) -> str | None:
    return (goods or {}).get("kb_id") or (goods or {}).get("text")


def flag_items(flags: Sequence[tuple[int, Data]]) -> list[Item]:
    items = []
    for seq, flag in flags:
        supplier, recipient = _country(flag.get("supplier")), _country(flag.get("recipient"))
        what = _goods_words(flag.get("goods")) or flag.get("activity")
        items.append(Item("flag", seq, item_key("flag", flag["category"], supplier, recipient, what),
                          flag["category"], supplier, recipient, flag))
    return items


def denial_items(events: Sequence[tuple[int, Data]]) -> list[Item]:
    """Events the article reports as denied: "Pyongyang denied it had shipped any shells"."""
    items = []
    for seq, event in events:
        if event.get("modality") != "denied":
            continue
        source, target = _country(event.get("source")), _country(event.get("target"))
        goods = event.get("goods") or ()
        what = _goods_words(goods[0] if goods else None) or event.get("activity") or event["type"]
        items.append(Item("denial", seq, item_key("denial", None, source, target, what), None,
                          source, target, event))
    return items


def acts(article: ArticleView, settings: Settings, kb: KnowledgeBase | None = None) -> list[Act]:
    """The acts an article's flags tell of (flags with overlapping evidence and no conflict of
    direction are one act), then one act per denied event; in the order of their first item."""
    kb = kb or cached_kb()
    generic = settings.generic_words | _state_words(kb)
    groups: list[list[Item]] = []
    for item in flag_items(article.flags):
        spans = _spans(item.data)
        for group in groups:
            if any(_overlap(spans, _spans(other.data)) and _same_direction(item, other)
                   for other in group):
                group.append(item)
                break
        else:
            groups.append([item])
    groups += [[item] for item in denial_items(article.events)]
    return [Act(tuple(group), _features(group, article, settings.window_days, kb, generic))
            for group in groups]


def _same_direction(a: Item, b: Item) -> bool:
    return not ((a.supplier and b.supplier and a.supplier != b.supplier)
                or (a.recipient and b.recipient and a.recipient != b.recipient))


def _features(group: list[Item], article: ArticleView, window: int, kb: KnowledgeBase,
              generic: frozenset[str]) -> Features:
    datas = [item.data for item in group]
    spans = [span for data in datas for span in _spans(data)]
    goods: list[Data] = []
    for item in group:
        if item.kind == "flag":
            goods += [item.data["goods"]] if item.data.get("goods") else []
        else:
            goods += list(item.data.get("goods") or ())
    dates = [d.get("event_date") if item.kind == "flag" else d.get("date")
             for item, d in zip(group, datas, strict=True)]
    stated_date = max((d for d in dates if d), key=_precision, default=None)
    days, stated = when(stated_date, article.published, window)
    linked = [e for _, e in article.events if _overlap(spans, _spans(e))]
    parties = frozenset(word for name in _specific_parties(datas, article.entities, spans, kb)
                        for word in tokens(name, generic) if not word.isdigit())
    evidence = _strongest(group)
    return Features(
        categories=frozenset(i.category for i in group if i.category),
        suppliers=frozenset(i.supplier for i in group if i.supplier),
        recipients=frozenset(i.recipient for i in group if i.recipient),
        goods=frozenset(g.get("kb_id") or name_key(g["text"]) for g in goods
                        if g.get("kb_id") or g.get("text")),
        hs=frozenset(str(g["hs"])[:4] for g in goods if g.get("hs")),
        classes=frozenset(c for g in goods for c in g.get("classes") or ())
        | ({"luxury"} if any(g.get("luxury") for g in goods) else set()),
        activities=frozenset(d["activity"] for d in datas if d.get("activity")),
        parties=parties,
        tokens=tokens(" ".join(d["text"] for data in datas for d in data.get("evidence") or ()),
                      generic),
        days=days, stated=stated, published=article.published,
        outlet=outlet(article.url, article.external_id),
        confidence=max((float(d.get("confidence") or 0.0) for d in datas), default=0.0),
        modalities=tuple(sorted({e.get("modality") for e in linked if e.get("modality")})),
        reported_by=tuple(sorted({r for e in linked for r in e.get("reported_by") or ()})),
        confirmed_by=tuple(sorted({c for e in linked for c in e.get("confirmed_by") or ()})),
        evidence=evidence,
    )


def _precision(value: str) -> int:
    return len(value.lstrip("-"))


def _strongest(group: list[Item]) -> tuple[int, int, str] | None:
    """The evidence span of the most confident item: the shortest of its spans, the sentence that
    tells the act rather than the headline above it."""
    best = max(group, key=lambda i: float(i.data.get("confidence") or 0.0))
    spans = best.data.get("evidence") or ()
    if not spans:
        return None
    span = min(spans, key=lambda s: (s["end"] - s["start"], s["start"]))
    return int(span["start"]), int(span["end"]), str(span["text"])


def _specific_parties(datas: list[Data], entities: Sequence[Data], spans: list[tuple[int, int]],
                      kb: KnowledgeBase) -> frozenset[str]:
    """Vessels, companies and private persons named in the evidence or as a party: what tells one
    act from another between the same two states. States, officials, ministries, monitors and the
    press are left out: they appear in many acts."""
    found: set[str] = set()
    for data in datas:
        for side in ("supplier", "recipient", "source", "target"):
            party = data.get(side) or {}
            if party.get("name") and _specific(party.get("kind"), party.get("kb_id"), kb):
                found.add(name_key(party["name"]))
    for entity in entities:
        start, end = int(entity["start"]), int(entity["end"])
        if any(s <= start and end <= e for s, e in spans) and _specific(
                entity.get("kind"), entity.get("kb_id"), kb):
            found.add(name_key(entity.get("name") or entity["text"]))
    return frozenset(found)


def _specific(kind: str | None, kb_id: str | None, kb: KnowledgeBase) -> bool:
    if kind == "vessel":
        return True
    if kind == "person":
        return kb_id is None  # the knowledge base lists officials
    if kind == "org":
        org = kb.organisations.get(kb_id) if kb_id else None
        return org is None or (org.kind not in _INSTITUTIONAL and not org.makes)
    return False


@cache
def _stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def tokens(text: str, generic: frozenset[str] = frozenset()) -> frozenset[str]:
    """The content words of a text, folded ("Tonnes" and "tonne" are one), at most _MAX_TOKENS
    (the first ones): not English stop words, not `generic` words."""
    stop = _stopwords() | generic
    seen: dict[str, None] = {}
    for match in _WORD.finditer(text.casefold()):
        word = match.group()
        if word in stop or (len(word) < 3 and not word.isdigit()):
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word in stop:
            continue
        seen.setdefault(word, None)
        if len(seen) >= _MAX_TOKENS:
            break
    return frozenset(seen)


_STATE_WORDS: dict[str, frozenset[str]] = {}


def _state_words(kb: KnowledgeBase) -> frozenset[str]:
    """The words of the names, demonyms and seats of power of every state ("north", "korea",
    "kremlin"): every act in sanctions news names states. Computed once per knowledge base."""
    if kb.version not in _STATE_WORDS:
        _STATE_WORDS[kb.version] = frozenset(
            word for country in kb.countries.values() for name in country.all_names
            for word in _WORD.findall(name.casefold()))
    return _STATE_WORDS[kb.version]


@cache
def cached_kb() -> KnowledgeBase:
    return load_kb()


__all__ = ["Act", "ArticleView", "Features", "Item", "acts", "cached_kb", "denial_items", "flag_items",
           "item_key", "outlet", "tokens"]

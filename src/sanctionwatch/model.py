"""The data types every stage shares, and their JSON form (`sanctionwatch.report/1`).

Offsets (`start`, `end`) are Python ``str`` indices into ``Article.text`` exactly as given.
Dates are ISO 8601 strings; a date whose year is unknown is written ``--MM-DD``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any, Literal

SCHEMA_ID = "sanctionwatch.report/1"

Modality = Literal["asserted", "reported", "alleged", "planned", "denied", "hypothetical"]
MODALITIES: tuple[str, ...] = ("asserted", "reported", "alleged", "planned", "denied", "hypothetical")


def text_hash(text: str) -> str:
    """A stable id for an article that carries none: the first 16 hex digits of sha256(text)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Article:
    text: str
    id: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    origin: str | None = None  # where it was read from: a path, "path:line", a URL

    def with_id(self) -> Article:
        return self if self.id else replace(self, id=text_hash(self.text))

    def meta(self) -> dict[str, Any]:
        return {"id": self.id, "url": self.url, "title": self.title, "published": self.published}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Party:
    """One side of an event: a named actor and the state it stands for."""

    name: str
    country: str | None = None  # ISO 3166 alpha-3
    kb_id: str | None = None
    kind: str | None = None  # person, org, country, vessel


@dataclass(frozen=True)
class Entity:
    text: str
    start: int
    end: int
    kind: str  # person, org, country, place, goods, date, vessel, media, other
    label: str | None = None  # the NER label that found it (PERSON, ORG, GPE, KB…)
    kb_id: str | None = None
    name: str | None = None  # canonical name from the knowledge base
    country: str | None = None
    role: str | None = None
    value: str | None = None  # normalised value: an ISO date for dates, an HS code for goods


@dataclass(frozen=True)
class Goods:
    text: str
    kb_id: str | None = None
    hs: str | None = None
    classes: tuple[str, ...] = ()
    luxury: bool = False
    quantity: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Event:
    type: str  # transfer, employment, ship-to-ship, joint-venture, assistance, theft, …
    code: str | None = None  # CAMEO code
    plover: str | None = None  # PLOVER event type
    source: Party | None = None
    target: Party | None = None
    goods: tuple[Goods, ...] = ()
    activity: str | None = None  # for events that are not transfers of goods
    date: str | None = None
    location: str | None = None
    modality: str = "asserted"
    reported_by: tuple[str, ...] = ()
    confirmed_by: tuple[str, ...] = ()
    trigger: str | None = None
    evidence: tuple[Span, ...] = ()
    # parties the text names as taking part but not as giver or receiver ("a North Korean tanker
    # met two unidentified ships"): the rules may judge the act from either side
    involved: tuple[Party, ...] = ()
    found_by: str | None = None  # the extractor that read it: transfer, activity, relation, sentence
    score: float | None = None  # the learned classifier's confidence in the sentence, when it decided


@dataclass(frozen=True)
class Flag:
    category: str
    regime: str
    rule_id: str
    citations: tuple[str, ...]
    supplier: Party | None
    recipient: Party | None
    goods: Goods | None
    event_date: str | None
    confidence: float
    evidence: tuple[Span, ...]
    why: str
    activity: str | None = None
    involved: tuple[Party, ...] = ()  # parties whose side the text does not tell


@dataclass(frozen=True)
class ScreeningHit:
    name: str  # the name as the article gives it
    list: str  # e.g. un-1718, us-ofac-sdn
    entry_id: str
    matched_name: str
    score: float
    schema: str | None = None  # Person, Organization, Vessel…
    programs: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Focus:
    """What the rules can flag, as plain data for the stages that decide what to read closely
    (the prefilter): the states under a regime, the goods classes and HS prefixes and the
    activities some provision covers."""

    states: frozenset[str]
    classes: frozenset[str]
    hs: tuple[str, ...]
    activities: frozenset[str]


@dataclass(frozen=True)
class Report:
    article: Article
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    flags: tuple[Flag, ...] = ()
    screening: tuple[ScreeningHit, ...] = ()
    versions: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_ID,
            "article": self.article.meta(),
            "entities": [_plain(e) for e in self.entities],
            "events": [_plain(e) for e in self.events],
            "flags": [_plain(f) for f in self.flags],
            "screening": [_plain(s) for s in self.screening],
            "versions": dict(self.versions),
        }


def _plain(obj: Any) -> Any:
    """A dataclass as JSON-ready data: tuples become lists."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return obj


def _build(cls: type, data: dict[str, Any] | None) -> Any:
    if data is None:
        return None
    kwargs = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        kwargs[f.name] = _NESTED.get((cls.__name__, f.name), lambda v: v)(value)
    return cls(**kwargs)


_NESTED: dict[tuple[str, str], Any] = {
    ("Event", "source"): lambda v: _build(Party, v),
    ("Event", "target"): lambda v: _build(Party, v),
    ("Event", "goods"): lambda v: tuple(_build(Goods, g) for g in v),
    ("Event", "evidence"): lambda v: tuple(_build(Span, s) for s in v),
    ("Event", "reported_by"): tuple,
    ("Event", "confirmed_by"): tuple,
    ("Event", "involved"): lambda v: tuple(_build(Party, p) for p in v),
    ("Flag", "involved"): lambda v: tuple(_build(Party, p) for p in v),
    ("Goods", "classes"): tuple,
    ("Flag", "supplier"): lambda v: _build(Party, v),
    ("Flag", "recipient"): lambda v: _build(Party, v),
    ("Flag", "goods"): lambda v: _build(Goods, v),
    ("Flag", "evidence"): lambda v: tuple(_build(Span, s) for s in v),
    ("Flag", "citations"): tuple,
    ("ScreeningHit", "programs"): tuple,
    ("ScreeningHit", "reasons"): tuple,
}


def report_from_dict(data: dict[str, Any], text: str = "") -> Report:
    """Rebuild a Report from its JSON form (the article text is not part of it)."""
    meta = data.get("article") or {}
    return Report(
        article=Article(text=text, **{k: meta.get(k) for k in ("id", "url", "title", "published")}),
        entities=tuple(_build(Entity, e) for e in data.get("entities", [])),
        events=tuple(_build(Event, e) for e in data.get("events", [])),
        flags=tuple(_build(Flag, f) for f in data.get("flags", [])),
        screening=tuple(_build(ScreeningHit, s) for s in data.get("screening", [])),
        versions=dict(data.get("versions") or {}),
    )


__all__ = [
    "MODALITIES",
    "SCHEMA_ID",
    "Article",
    "Entity",
    "Event",
    "Flag",
    "Focus",
    "Goods",
    "Party",
    "Report",
    "ScreeningHit",
    "Span",
    "report_from_dict",
    "text_hash",
]

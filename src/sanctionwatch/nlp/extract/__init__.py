"""Events: who did what to whom and when, read off an annotated Doc (nlp.spans).

Extraction says what happened; whether it matters is the rules' business, so nothing here knows
a regime. Each kind of event has its extractor (base.py: one small interface, a registry):
`transfer` (trigger words and their arguments), `activity` (cue words), `relation` (visits,
meetings, statements: never breaches), `sentence` (acts the learned classifier finds where the
grammar spells out none). Their events are then merged across sentences: one act, one event.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Span

from ...model import Event
from .base import Context, Extractor, extractors
from .goods import goods_in, items, narrowed
from .merge import merge_events
from .roles import Roles


def extract_events(doc: Doc, found_by: list[Extractor], ctx: Context) -> list[Event]:
    """The events of an annotated Doc, in text order, one per act."""
    events: list[Event] = []
    roles = Roles(ctx.lexicon)
    for sent in doc.sents:
        found: list[Event] = []
        for extractor in found_by:
            found += [replace(e, found_by=e.found_by or extractor.name)
                      for e in extractor.extract(sent, list(found), ctx)]
        events += [_around(e, sent, roles) for e in _superseded(found)]
        ctx.seen_goods.extend(items(goods_in(sent), ctx.lexicon, []))
    article_goods = list(doc.spans["goods"])
    events = [replace(e, goods=narrowed(e.goods, article_goods)) if e.goods else e for e in events]
    return merge_events(events)


def _around(event: Event, sent: Span, roles: Roles) -> Event:
    """An act whose text names one side only ("India imported iron and steel") takes part with
    the states named around it ("…from North Korea", a sentence before) as `involved`: which of
    them is the other side the sentence does not say."""
    known = [p for p in (event.source, event.target) if p is not None and p.country]
    if event.type not in ("transfer", "activity") or len(known) != 1 or event.involved:
        return event
    states = {p.country for p in known}
    named = {a._.country for a in sent.doc.spans["actors"] if sent.start <= a.start < sent.end
             and not roles.speaker(a)}
    if named - states - {None}:  # the sentence names another state, on no side: not the context's
        return event
    return replace(event, involved=tuple(p for p in roles.around(sent) if p.country not in states))


def _superseded(found: list[Event]) -> list[Event]:
    """An activity between two states tells the act a goods-less transfer between them does."""
    covered = {(_state(e.source), _state(e.target)) for e in found if e.type == "activity"}
    return [e for e in found if e.type != "transfer" or e.goods or (_state(e.source), _state(e.target))
            not in covered]


def _state(party: object) -> str | None:
    return getattr(party, "country", None)


__all__ = ["Context", "Extractor", "extract_events", "extractors"]

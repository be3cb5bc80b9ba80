"""What the resolver found, carried on the spaCy Doc: knowledge-base ids and states ride on spans.

`annotate` puts the actors, goods and dates of a Doc into span groups (``doc.spans["actors"]``,
``["goods"]``, ``["dates"]``) whose spans carry ``._.kb_id``, ``._.country``, ``._.kind`` and the
rest, and marks each token with the span it belongs to (``token._.actor``, ``._.goods``,
``._.date``), so that the extractors read everything off the parse itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from ..model import Party
from .mentions import Mention

_SPAN_FIELDS = {"kb_id": None, "country": None, "kind": None, "name": None, "role": None, "value": None,
                "hs": None, "classes": (), "luxury": False}
# span group → the token attribute that links a token to its span
_GROUPS = {"actors": "actor", "goods": "goods", "dates": "date"}


def register() -> None:
    """The extension attributes; harmless to call more than once."""
    for name, default in _SPAN_FIELDS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    for name in _GROUPS.values():
        if not Token.has_extension(name):
            Token.set_extension(name, default=None)


register()


def _span(doc: Doc, m: Mention) -> Span:
    span = Span(doc, m.start, m.end, label=m.label)
    for name in _SPAN_FIELDS:
        setattr(span._, name, getattr(m, name))
    return span


def annotate(doc: Doc, mentions: Iterable[Mention], goods: Iterable[Mention]) -> None:
    """Carry the resolved mentions on the Doc: span groups and per-token links."""
    groups: dict[str, list[Span]] = {"actors": [], "goods": [], "dates": []}
    for m in mentions:
        group = "actors" if m.is_actor else "dates" if m.kind == "date" else None
        if group is not None:
            groups[group].append(_span(doc, m))
    groups["goods"] = [_span(doc, g) for g in goods]
    for group, spans in groups.items():
        doc.spans[group] = spans
        for span in spans:
            for token in span:
                setattr(token._, _GROUPS[group], span)


def party(span: Span | None) -> Party | None:
    """The Party an actor span stands for."""
    if span is None:
        return None
    return Party(name=span._.name or span.text, country=span._.country, kb_id=span._.kb_id, kind=span._.kind)


__all__ = ["annotate", "party", "register"]

"""The one small interface every extractor implements, and the registry that finds them.

An extractor reads one sentence of a parsed, annotated Doc (`nlp.spans`) and returns the events
it tells. Extractors run in their `order`, each seeing what the earlier ones found in the
sentence (an activity extractor defers to a transfer of the same parties). A new kind of event
is one module with a registered class plus its word lists in `nlp/data`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from spacy.tokens import Span

from ...kb import KnowledgeBase
from ...model import Event, Goods
from ..acts import Score
from ..lexicon import Lexicon


@dataclass
class Context:
    """What extraction knows beyond the sentence at hand."""

    lexicon: Lexicon
    kb: KnowledgeBase
    published: str | None = None
    seen_goods: list[Goods] = field(default_factory=list)  # goods of earlier sentences, for "the car"
    # the learned classifier's verdict (nlp.acts) on a sentence, by its character range: its
    # Score when the sentence tells an act, else None; no function when no classifier runs
    acts: Callable[[int, int], Score | None] | None = None


class Extractor(Protocol):
    name: ClassVar[str]
    order: ClassVar[int]

    def extract(self, sent: Span, found: list[Event], ctx: Context) -> list[Event]: ...


_REGISTRY: dict[str, Callable[[Lexicon, KnowledgeBase], Extractor]] = {}


def register(cls):  # type: ignore[no-untyped-def]
    """Class decorator: make an extractor available under its `name`."""
    _REGISTRY[cls.name] = cls
    return cls


def extractors(lexicon: Lexicon, kb: KnowledgeBase) -> list[Extractor]:
    """One instance of every registered extractor, in their order."""
    from . import activity, relation, sentence, transfer  # noqa: F401  (they register themselves)

    return sorted((make(lexicon, kb) for make in _REGISTRY.values()), key=lambda e: e.order)

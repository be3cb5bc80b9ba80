"""Events of the relationship between states that are never breaches by themselves: visits,
meetings, agreements, statements of support, weapons tests, sanctions, votes (triggers.yaml,
`other`). They feed the relations over time; the rules pass them by."""

from __future__ import annotations

from spacy.tokens import Span

from ...kb import KnowledgeBase
from ...model import Event
from ..lexicon import Lexicon, OtherCue
from ..spans import party
from . import arguments as arg
from . import telling
from .base import Context, register


@register
class RelationExtractor:
    name = "relation"
    order = 30

    def __init__(self, lexicon: Lexicon, kb: KnowledgeBase) -> None:
        self.lex = lexicon
        self._cues: dict[str, OtherCue] = {}
        for cue in lexicon.others:
            for word in cue.words:
                self._cues.setdefault(word, cue)

    def extract(self, sent: Span, found: list[Event], ctx: Context) -> list[Event]:
        events = []
        for token in sent:
            cue = self._cues.get(token.lemma_.lower())
            if cue is None or token.pos_ not in ("VERB", "NOUN"):
                continue
            source = arg.first_actor([c for c in token.children if c.dep_ in ("nsubj", "poss")], max_depth=2)
            if source is None:
                continue
            objects = [c for c in token.children if c.dep_ in ("dobj", "pobj")] + arg.prep_objects(
                token, ("to", "with", "on", "against", "in"))
            target = arg.first_actor(objects, max_depth=2)
            if arg.same_state(target, source):
                target = None
            events.append(Event(
                type=cue.type, code=cue.code.cameo, plover=cue.code.plover, source=party(source),
                target=party(target), date=telling.date(token, sent, self.lex),
                modality=telling.modality(token, self.lex), trigger=token.text,
                evidence=(arg.sentence_evidence(sent),),
            ))
        return events

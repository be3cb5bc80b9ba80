"""Activities that are not transfers of goods: workers abroad, ship-to-ship transfers, joint
ventures, technical and scientific cooperation, military training, theft and laundering of
funds. Each is told by cue words (triggers.yaml, `activities`); some cues need a companion word
in the sentence ("workers" … "sent") or a state qualifying them ("North Korean workers").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ...kb import KnowledgeBase
from ...model import Event
from ..lexicon import ActivityCue, Lexicon
from ..spans import party
from . import arguments as arg
from . import telling
from .base import Context, register


@register
class ActivityExtractor:
    name = "activity"
    order = 20

    def __init__(self, lexicon: Lexicon, kb: KnowledgeBase) -> None:
        self.lex = lexicon

    def extract(self, sent: Span, found: list[Event], ctx: Context) -> list[Event]:
        lemmas = " " + " ".join(t.lemma_.lower() for t in sent) + " "
        words = " " + " ".join(t.lower_ for t in sent) + " "
        classes = {c for g in sent.doc.spans["goods"] if sent.start <= g.start < sent.end
                   for c in g._.classes}
        events: list[Event] = []
        done: set[str] = set()
        for cue in self.lex.activities:
            hit = next((w for w in cue.words if f" {w} " in lemmas or f" {w} " in words), None)
            if hit is None or cue.activity_id in done or (
                    cue.with_classes and cue.with_classes.isdisjoint(classes)):
                continue
            anchor = self._anchor(sent, hit)
            if telling.under_norm(anchor, self.lex) or arg.in_name(anchor):
                continue
            # the cue's companion word, or a state qualifying it ("North Korean workers")
            if cue.with_words and not any(f" {w} " in lemmas for w in cue.with_words) and \
                    arg.qualifier(anchor) is None:
                continue
            source, target = self._parties(cue, anchor, sent)
            if source is None and target is None or cue.abroad and (
                    source is None or target is None or arg.same_state(source, target)):
                continue
            done.add(cue.activity_id)
            events.append(Event(
                type="activity", activity=cue.activity_id, code=cue.code.cameo, plover=cue.code.plover,
                source=party(source), target=party(target), date=telling.date(anchor, sent, self.lex),
                modality=telling.modality(anchor, self.lex),
                **telling.attribution(anchor, sent, self.lex, {source, target}),
                trigger=anchor.text, evidence=(arg.sentence_evidence(sent),),
            ))
        return events

    def _parties(self, cue: ActivityCue, anchor: Token, sent: Span) -> tuple[Span | None, Span | None]:
        """The two sides of an activity: the structure of a transfer verb when there is one
        ('sent workers to Russia'), else the state that qualifies the cue ('North Korean
        workers'); the side left open is the nearest other state the sentence names."""
        source = target = None
        for token in (anchor, *anchor.ancestors):
            role = self.lex.transfer_role(token.lemma_.lower(), token.pos_)
            if role is None:
                continue
            sides = arg.Sides.of(token)
            to_side = sides.to or arg.first_actor(
                [c for c in token.children if c.dep_ in ("xcomp", "advcl", "prep")])
            if role == "giver" and (sides.subject or sides.source):
                source, target = sides.subject or sides.source, to_side
                break
            if role == "receiver" and (sides.subject or to_side):
                source, target = sides.source, sides.subject or to_side
                break
        else:
            qualifier = arg.qualifier(anchor)
            if qualifier is not None:
                source, target = (None, qualifier) if cue.actor_receives else (qualifier, None)
        if source is None and target is None:
            actors = (self._takers(anchor, sent) if cue.actor_receives
                      else arg.actors_by_distance(anchor, sent))
            if not actors:
                return None, None
            source = actors[0]
            if cue.actor_receives:
                source, target = None, source
        known = source or target
        other = next((a for a in arg.actors_by_distance(anchor, sent)
                      if known is not None and a._.country != known._.country), None)
        if source is None and not cue.actor_receives:
            source = other
        elif target is None and source is not None:
            target = other
        return source, target

    def _takers(self, anchor: Token, sent: Span) -> list[Span]:
        """Who may have taken what a theft or laundering moved: not whom it was taken from
        ("stolen from an exchange in Tokyo") but the others ("attributed to hackers working
        for North Korea")."""
        def robbed(actor: Span) -> bool:
            return any(a.dep_ == "prep" and a.lower_ in arg.FROM for a in list(actor.root.ancestors)[:4])

        return [a for a in arg.actors_by_distance(anchor, sent) if not robbed(a)]

    def _anchor(self, sent: Span, word: str) -> Token:
        """Where a cue word (the first word of a cue phrase) occurs; of several, the one a state
        qualifies ('North Korean workers') or else the first."""
        first = word.split()[0]
        found = [t for t in sent if t.lemma_.lower() == first or t.lower_ == first] or [sent.root]
        return next((t for t in found if any(
            c._.actor is not None for c in t.children if c.dep_ in ("amod", "compound", "poss"))), found[0])

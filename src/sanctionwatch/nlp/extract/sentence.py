"""Acts the grammar does not spell out, read from sentences the learned classifier picks.

Real reports rarely give a full "supplier sent goods to recipient" clause: "debris of North
Korean missiles was found in Kharkiv", "a tanker moved its cargo to a North Korean ship at sea",
"hackers linked to Pyongyang stole $300 million". When the classifier (nlp/acts.py) says a
sentence tells an act of some kind, and the grammar-based extractors found none in it, this one
reads what the sentence does give: the goods it names that fit the kind (or that its transfer
words move, placed by meaning; or, unnamed, goods of the kind), the activity the kind is, and
the states taking part (roles.py). A sentence that names no state takes those named around it,
when the classifier is surer of it.

It holds back where the sentence tells a rule or a relation rather than an act (its main verb or
subject is a policy or norm word; a state or a visitor visits, meets, tests), where goods are
not moved (no transfer word, no goods from one state found with another), where goods would
cross no border (one state, no word of trade across borders), and where the states are a list.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Span, Token

from ...kb import KnowledgeBase
from ...model import Event, Goods, Party
from ..acts import GoodsSense, Kind, Score, load_classifier, load_kinds
from ..lexicon import Lexicon
from . import arguments as arg
from . import goods as goods_
from . import telling
from .base import Context, register
from .roles import Roles

_MAX_KINDS = 2  # the kinds an event takes, most likely first
_GOODS_FLOOR = 0.15  # named goods count unless the classifier gives their kind less than this
_AROUND = 0.8  # how sure the classifier must be of a sentence that names no state of its own
_LIST = 3  # more states than this, none on a side: a list of states, not the parties of one act


@register
class SentenceExtractor:
    name = "sentence"
    order = 40

    def __init__(self, lexicon: Lexicon, kb: KnowledgeBase) -> None:
        self.lex = lexicon
        self.kinds = load_kinds()
        classifier = load_classifier()
        self.kind_threshold = classifier.kind_threshold
        self._sense = GoodsSense(classifier, kb)
        self._roles = Roles(lexicon)
        self._abroad = {cue.activity_id for cue in lexicon.activities if cue.abroad}
        self._relations = {w for cue in lexicon.others for w in cue.words}
        self._stating = lexicon.norms | lexicon.policy
        # verbs that frame what a sentence tells: reporting it, planning it, doubting it
        self._framing = lexicon.report_verbs.union(*lexicon.modality_verbs.values())

    def extract(self, sent: Span, found: list[Event], ctx: Context) -> list[Event]:
        told = [e for e in found if e.type in ("transfer", "activity")]
        if ctx.acts is None or any(e.type == "activity" for e in told):
            return []
        score = ctx.acts(sent.start_char, sent.end_char)
        if score is None or self._not_an_act(sent):
            return []
        kind_ids = score.likely_kinds(self.kind_threshold) or score.likely_kinds(0.0)[:1]
        kinds = [self.kinds[k] for k in kind_ids if k in self.kinds and self.kinds[k].acts][:_MAX_KINDS]
        if not kinds:
            return []
        if told:
            return self._also_activity(sent, told, kinds)
        goods_spans = [g for g in goods_.named_goods(sent, self.lex)
                       if self._likely(g, score) >= _GOODS_FLOOR]
        activities = [k.activity for k in kinds if k.activity and self._told(sent, k)]
        items: list[Goods] = []
        if self._moves(sent, goods_spans):
            # unnamed goods are of the likeliest kind of goods, unless the sentence tells an activity
            unnamed = next((k for k in kinds if k.goods_class), None) if not activities else kinds[0]
            items = goods_.items(goods_spans, self.lex, ctx.seen_goods) or self._unlisted(sent, unnamed)
        if not items and not activities:
            return []
        anchor = goods_spans[0].root if goods_spans else self._predicate(sent)
        if telling.under_norm(anchor, self.lex) or arg.in_name(anchor):
            return []
        source, target, involved = self._roles.sides(sent, goods_spans)
        named = [p for p in (source, target, *involved) if p is not None]
        if not named and score.act < _AROUND:
            return []
        if len({p.country for p in named}) < 2:  # the other side, if any, is named around it
            involved += [p for p in self._roles.around(sent) if p.country not in {q.country for q in named}]
        elif source is None and target is None and len(involved) > _LIST:
            return []
        source, target, involved = _sole(kinds[0], source, target, involved)
        states = {p.country for p in (source, target, *involved) if p is not None and p.country}
        if len(states) < 2 and not self._crossing(sent) and (items or self._abroad.intersection(activities)):
            return []
        code = self.lex.codes["arms" if {"arms", "wmd", "military"} & {k.id for k in kinds} else "default"]
        return [Event(
            type="transfer" if items else "activity", code=code.cameo, plover=code.plover,
            source=source, target=target, goods=tuple(items), activity=activities[0] if activities else None,
            date=telling.date(anchor, sent, self.lex), modality=telling.modality(anchor, self.lex),
            **telling.attribution(anchor, sent, self.lex, set()),
            trigger=anchor.text, evidence=(arg.sentence_evidence(sent),),
            involved=tuple(involved), score=round(score.act, 3),
        )]

    def _also_activity(self, sent: Span, told: list[Event], kinds: list[Kind]) -> list[Event]:
        """A transfer the grammar read that is also an activity the classifier sees the sentence
        tell ("fuel was moved from the tanker to a North Korean ship at sea": refined petroleum,
        and a transfer between ships) and that is about goods of the transfer's kind: the
        activity, between the transfer's sides."""
        for kind in kinds:
            if not kind.activity or not self._told(sent, kind):
                continue
            for event in told:
                if {c for g in event.goods for c in g.classes}.intersection(kind.classes):
                    return [replace(event, type="activity", activity=kind.activity, goods=(), found_by=None)]
        return []

    # -- is it an act at all ------------------------------------------------------------------
    def _not_an_act(self, sent: Span) -> bool:
        """The sentence tells a rule, a measure or a vote (its main verb or subject says so), or
        a visit, meeting or test: one a state or a person makes ("Kim inspected", "North Korea
        fired"), or visitors ("the delegation left"); goods that arrive and troops sent are acts."""
        main = self._predicate(sent)
        subjects = [c for c in main.children if c.dep_ in arg.SUBJECTS]
        if any(t.lemma_.lower() in self._stating for t in (main, *subjects)):
            return True
        if any(self._visitors_come_or_go(t) for t in sent):
            return True
        # "staged drills", "talks were held": the act is a relation its object names
        if any(c.lemma_.lower() in self._relations for c in main.children if c.dep_ in ("dobj", "nsubjpass")):
            return True
        return any(t.lemma_.lower() in self._relations and t.pos_ == "VERB" and any(
            c._.actor is not None for c in t.children if c.dep_ in arg.SUBJECTS) for t in sent)

    def _visitors_come_or_go(self, verb: Token) -> bool:
        """'The delegation left', also parsed as a noun the verb qualifies ('a delegation …
        left here')."""
        if verb.lemma_.lower() not in self._relations or verb.pos_ != "VERB":
            return False
        doers = [c for c in verb.children if c.dep_ in arg.SUBJECTS]
        if verb.dep_ == "acl":
            doers.append(verb.head)
        return any(d.lemma_.lower() in self.lex.visitors for d in doers)

    def _predicate(self, sent: Span) -> Token:
        """What the sentence tells, past the reporting and the framing: 'Seoul said [that
        Pyongyang *fired*…]', 'Moscow plans to [*expand* shipments]'."""
        token = sent.root
        while token.lemma_.lower() in self._framing:
            told = [c for c in token.children if c.dep_ in ("ccomp", "xcomp", "dep", "parataxis")
                    and c.pos_ in ("VERB", "AUX")]
            if not told:
                break
            token = told[0]
        return token

    def _transfer_words(self, sent: Span) -> list[Token]:
        """Words that tell goods moving: a giving or receiving verb or noun (not one that only
        implies it, like "use"), or a word of trade across borders."""
        return [t for t in sent if t.dep_ not in ("acomp", "amod") and (
            self.lex.transfer_role(t.lemma_.lower(), t.pos_) is not None
            and t.lemma_.lower() not in self.lex.needs_origin
            or t.lemma_.lower() in self.lex.cross_border)]

    def _moves(self, sent: Span, goods: list[Span]) -> bool:
        """Whether the sentence tells goods moving: by a transfer word, or by goods of one state
        found with another ("debris of North Korean missiles in Ukraine")."""
        if self._transfer_words(sent):
            return True
        origin = arg.origin(goods)
        return origin is not None and origin._.country is not None and any(
            a._.country not in (None, origin._.country) for a in sent.doc.spans["actors"]
            if sent.start <= a.start < sent.end)

    def _crossing(self, sent: Span) -> bool:
        return any(t.lemma_.lower() in self.lex.crossing for t in sent)

    def _told(self, sent: Span, kind: Kind) -> bool:
        """Whether the sentence uses one of the words an activity of this kind is told with, and
        names one of what the kind needs."""
        # the words as written ("ship-to-ship" is five tokens), and their lemmas
        texts = ["".join(t.lower_ + (" " if t.whitespace_ else "") for t in sent),
                 "".join(t.lemma_.lower() + (" " if t.whitespace_ else "") for t in sent)]

        def uses(terms: tuple[str, ...]) -> bool:
            return any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)
                       for w in terms for text in texts)

        vessel = "vessel" in kind.needs and any(
            (t._.actor is not None and t._.actor._.kind == "vessel")
            or (t._.goods is not None and "vessel" in t._.goods._.classes) for t in sent)
        return (not kind.words or uses(kind.words)) and (not kind.needs or vessel or uses(kind.needs))

    # -- the goods ----------------------------------------------------------------------------
    def _likely(self, goods: Span, score: Score) -> float:
        """How likely the classifier finds an act of the goods' kind in the sentence."""
        classes = set(goods._.classes) | ({"luxury"} if goods._.luxury else set())
        return max((score.kinds.get(k.id, 0.0) for k in self.kinds.values()
                    if classes.intersection(k.classes)),
                   default=0.0)

    def _unlisted(self, sent: Span, kind: Kind | None) -> list[Goods]:
        """The goods of a transfer the lexicon does not name: what the transfer words move, placed
        by meaning (GoodsSense); when they only say "cargo" or "equipment", goods of the kind the
        act most likely is. Goods that are named but cannot be placed, or that the lexicon knows
        as goods of another kind ("hunting dogs"), are not guessed at."""
        if goods_.named_goods(sent, self.lex):  # the goods the sentence names are of no kind the act is about
            return []
        generic = None
        for theme in (t for w in self._transfer_words(sent) for t in goods_.themes(w)):
            phrase = sent.doc[theme.left_edge.i:theme.i + 1]
            if theme.lemma_.lower() in self.lex.generic_goods:
                generic = generic or phrase
                continue
            entry = self._sense.place(phrase.text)
            if entry is None:
                return []
            return [Goods(text=phrase.text, kb_id=entry.id, hs=entry.hs, classes=entry.classes,
                          start=phrase.start_char, end=phrase.end_char)]
        if generic is None or kind is None or kind.goods_class is None:
            return []
        return [Goods(text=generic.text, classes=(kind.goods_class,), start=generic.start_char,
                      end=generic.end_char)]


def _sole(kind: Kind, source: Party | None, target: Party | None,
          involved: list[Party]) -> tuple[Party | None, Party | None, list[Party]]:
    """The only state of a sentence that does not tell its side takes the side its kind of act
    gives it: commodities come from it, fuel and machinery go to it."""
    if source is None and target is None and len(involved) == 1 and kind.sole is not None:
        return (involved[0], None, []) if kind.sole == "giver" else (None, involved[0], [])
    return source, target, involved

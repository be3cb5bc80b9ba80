"""Acts the grammar does not spell out, read from sentences the learned classifier picks.

Real reports rarely give a full "supplier sent goods to recipient" clause: "debris of North
Korean missiles was found in Kharkiv", "a tanker moved its cargo to a North Korean ship at sea",
"hackers linked to Pyongyang stole $300 million". When the classifier (nlp/acts.py) says a
sentence tells an act of some kind, and the grammar-based extractors found none in it, this one
reads what the sentence does give: the goods it names that fit the kind (else the kind's goods,
unnamed), the activity the kind is, and the states taking part, each on the side the grammar
puts it (the origin of goods, the object of "to" or "from", the subject of a giving or receiving
verb) or, when it does not say, as `involved`. A sentence that names no state takes those of
the sentences just before.

It holds back where a sentence tells a rule or a relation rather than an act (its main verb or
subject is a policy or norm word, or a visit, meeting or test), and where goods would cross no
border (one state named, no word of trade or shipping).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ...kb import KnowledgeBase
from ...model import Event, Goods, Party
from ..acts import GoodsSense, Kind, Score, load_classifier, load_kinds
from ..lexicon import Lexicon
from ..spans import party
from . import arguments as arg
from . import goods as goods_
from . import telling
from .base import Context, register

_CONTEXT_SENTENCES = 2  # how far back a sentence without a state looks for one
_MAX_KINDS = 2  # the kinds an event takes, most likely first
_GOODS_FLOOR = 0.15  # named goods count unless the classifier gives their kind less than this


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
        self._abroad = {cue.activity_id for cue in lexicon.activities if cue.abroad}
        self._relations = {w for cue in lexicon.others for w in cue.words}
        self._stating = lexicon.norms | lexicon.policy
        # verbs that frame what a sentence tells: reporting it, planning it, doubting it
        self._framing = lexicon.report_verbs.union(*lexicon.modality_verbs.values())
        self._transfer_words = (lexicon.giver_verbs | lexicon.receiver_verbs | lexicon.giver_nouns
                                | lexicon.receiver_nouns | lexicon.cross_border) - lexicon.needs_origin

    def extract(self, sent: Span, found: list[Event], ctx: Context) -> list[Event]:
        if ctx.acts is None or any(e.type in ("transfer", "activity") for e in found):
            return []
        score = ctx.acts(sent.start_char, sent.end_char)
        if score is None or self._states_rule_or_relation(sent):
            return []
        kind_ids = score.likely_kinds(self.kind_threshold) or score.likely_kinds(0.0)[:1]
        kinds = [self.kinds[k] for k in kind_ids if k in self.kinds and self.kinds[k].acts][:_MAX_KINDS]
        if not kinds:
            return []
        goods_spans = self._goods(sent, score)
        items = goods_.items(goods_spans, self.lex, ctx.seen_goods) or self._unlisted(sent, kinds)
        activities = [k.activity for k in kinds if k.activity and self._told(sent, k)]
        if not items and not activities:
            return []
        anchor = goods_spans[0].root if goods_spans else self._predicate(sent)
        if telling.under_norm(anchor, self.lex) or arg.in_name(anchor):
            return []
        source, target, involved = self._sides(sent, goods_spans)
        known = {p.country for p in (source, target, *involved) if p is not None}
        if len(known) < 2:  # the other side, if any, is named around the sentence
            involved += [p for p in self._context(sent) if p.country not in known]
        source, target, involved = self._sole(kinds, source, target, involved)
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

    def _states_rule_or_relation(self, sent: Span) -> bool:
        """The sentence's main verb, or its subject, says it tells a rule, a measure, a vote, or a
        visit, meeting or test: not an act."""
        main = self._predicate(sent)
        subjects = [c for c in main.children if c.dep_ in arg.SUBJECTS]
        if any(t.lemma_.lower() in self._stating for t in (main, *subjects)):
            return True
        # a visit, meeting or test is told of a state or a person ("Kim inspected", "North Korea
        # fired"), not of goods ("shipments arrived") or of people sent ("troops arrived")
        return any(t.lemma_.lower() in self._relations and t.pos_ == "VERB" and any(
            c._.actor is not None for c in t.children if c.dep_ in arg.SUBJECTS) for t in sent)

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

    def _told(self, sent: Span, kind: Kind) -> bool:
        """Whether the sentence uses one of the words an activity of this kind is told with."""
        lemmas = " " + " ".join(t.lemma_.lower() for t in sent) + " "
        words = " " + " ".join(t.lower_ for t in sent) + " "
        return not kind.words or any(f" {w} " in lemmas or f" {w} " in words for w in kind.words)

    def _unlisted(self, sent: Span, kinds: list[Kind]) -> list[Goods]:
        """The goods of a transfer the lexicon does not name: what the transfer words move, placed
        by meaning (GoodsSense); when they only say "cargo" or "equipment", or nothing, goods of the
        kind the act most likely is. Goods that are named but cannot be placed, or that the
        lexicon knows as goods of another kind ("hunting dogs"), are not guessed at."""
        words = [w for w in sent if w.lemma_.lower() in self._transfer_words]
        named = [g for g in goods_.goods_in(sent) if not self._means(g) and not _modifier(g)]
        if not words or named:  # the goods the sentence names are of no kind the act is about
            return []
        for theme in (t for w in words for t in _themes(w)):
            phrase = sent.doc[theme.left_edge.i:theme.i + 1]
            if any(t._.goods is not None for t in phrase):
                return []  # goods the lexicon knows, of no kind the act is about
            if theme.lemma_.lower() in self.lex.generic_goods:
                continue
            entry = self._sense.place(phrase.text)
            if entry is None:
                return []
            return [Goods(text=phrase.text, kb_id=entry.id, hs=entry.hs, classes=entry.classes,
                          start=phrase.start_char, end=phrase.end_char)]
        kind = kinds[0]
        return [Goods(text=kind.label, classes=(kind.goods_class,))] if kind.goods_class else []

    def _crossing(self, sent: Span) -> bool:
        return any(t.lemma_.lower() in self.lex.crossing for t in sent)

    def _goods(self, sent: Span, score: Score) -> list[Span]:
        """The goods the sentence names that are what the act moves: of a kind the classifier
        does not rule out, and not a vessel that carries or acts ("the freighter sailed from…")."""
        def likely(g: Span) -> float:
            classes = set(g._.classes) | ({"luxury"} if g._.luxury else set())
            return max((score.kinds.get(k.id, 0.0) for k in self.kinds.values()
                        if classes.intersection(k.classes)), default=0.0)

        return [g for g in goods_.goods_in(sent)
                if likely(g) >= _GOODS_FLOOR and not self._means(g) and not _modifier(g)]

    def _means(self, goods: Span) -> bool:
        """A vessel named as what acts or carries, not what is moved: the subject of its clause,
        or one with a name ("the tanker Chon Ma San")."""
        if "vessel" not in goods._.classes:
            return False
        root = goods.root
        named = any(t.ent_type_ or t.pos_ == "PROPN" for t in root.subtree if t.i not in range(goods.start, goods.end))
        flagged = any(c._.actor is not None for c in root.children if c.dep_ in ("amod", "compound", "poss"))
        return root.dep_ in ("nsubj", "nsubjpass", "appos") or named or flagged

    def _sides(self, sent: Span, goods: list[Span]) -> tuple[Party | None, Party | None, list[Party]]:
        """The giver and receiver the grammar names, and the other states taking part. A state
        named as the goods' origin ("North Korean coal") is their giver, of kind "origin"."""
        source = target = None
        involved: dict[str | None, Party] = {}
        origin = arg.origin(goods)
        for actor in arg.actors_by_distance(goods[0].root if goods else sent.root, sent):
            p = party(actor)
            if p is None or self._speaker(actor):
                continue
            role = self._role(actor)
            if role is None and origin is not None and origin.label_ != "BRAND" and \
                    actor._.country == origin._.country:
                role, p = "source", Party(p.name, p.country, p.kb_id, "origin")
            if role == "source" and source is None:
                source = p
            elif role == "target" and target is None:
                target = p
            else:
                involved.setdefault(p.country, p)
        known = {p.country for p in (source, target) if p is not None}
        return source, target, [p for c, p in involved.items() if c not in known]

    def _speaker(self, actor: Span) -> bool:
        """An actor who tells of the act rather than takes part: the subject of a reporting verb,
        the object of 'according to', the media."""
        root = actor.root
        if actor._.kind == "media":
            return True
        if root.dep_ == "nsubj" and root.head.lemma_.lower() in self.lex.report_verbs:
            return True
        return root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.lower_ == "according"

    def _role(self, actor: Span) -> str | None:
        """'source' or 'target' when the grammar puts the actor on a side of the act."""
        root = actor.root
        head = root.head
        if root.dep_ == "pobj" and head.lower_ in arg.TO:
            return "target"
        if root.dep_ == "pobj" and head.lower_ in arg.FROM:
            return "source"
        verb = head.head if root.dep_ == "pobj" and head.dep_ == "agent" else head
        role = self.lex.transfer_role(verb.lemma_.lower(), verb.pos_)
        if role is not None and (root.dep_ in ("nsubj", "poss") or head.dep_ == "agent"):
            return "source" if role == "giver" else "target"
        return None

    def _sole(self, kinds: list[Kind], source: Party | None, target: Party | None,
              involved: list[Party]) -> tuple[Party | None, Party | None, list[Party]]:
        """The only state of a sentence that does not tell its side takes the side its kind of
        act gives it: commodities come from it, fuel and machinery go to it."""
        sole = kinds[0].sole
        if source is None and target is None and len(involved) == 1 and sole is not None:
            return (involved[0], None, []) if sole == "giver" else (None, involved[0], [])
        return source, target, involved

    def _context(self, sent: Span) -> list[Party]:
        """The states of the sentences around one that names none: the two before, the one after."""
        doc = sent.doc
        sents = [s for s in doc.sents if s.text.strip()]
        at = next(i for i, s in enumerate(sents) if s.start >= sent.start)
        near = sents[max(0, at - _CONTEXT_SENTENCES):at] + sents[at + 1:at + 2]
        found: dict[str | None, Party] = {}
        for s in near:
            for actor in doc.spans["actors"]:
                if s.start <= actor.start < s.end and not self._speaker(actor) and (p := party(actor)) is not None:
                    found.setdefault(actor._.country, p)
        return list(found.values())


def _modifier(goods: Span) -> bool:
    """Goods words that qualify something else: 'missile tests', 'the nuclear programme', 'oil
    prices' name no goods."""
    head = arg.np_head(goods)
    return head.i >= goods.end and head._.goods is None and head.pos_ == "NOUN"


def _themes(word: Token) -> list[Token]:
    """What a transfer word moves: its object, a passive verb's subject, a noun's 'of'."""
    if arg.verbal(word):
        return [c for c in word.children if c.dep_ in ("dobj", "nsubjpass")]
    return arg.prep_objects(word, ("of",))

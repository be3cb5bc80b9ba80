"""Events: who supplied what to whom and when, read off the dependency parse.

A transfer is anchored on a trigger word (triggers.yaml): a verb ("Russia *sent* oil to the
DPRK", "a car *was presented* to Kim", "the car *presented* to Kim") or a noun ("the *delivery*
of the car to Kim by the Russian side", "a limousine, a *gift* from Putin"). Its arguments come
from the trigger's dependents: the subject or the "by" agent plays the trigger's own role (giver
or receiver), "to"/"into"/the dative is the receiver, "from" the giver, the object or "of" the
goods. What the sentence leaves open is filled carefully: the origin of foreign-made goods
("North Korean missiles") is their giver; the holder of a gift is its receiver.
Activities that are not transfers of goods (workers abroad, ship-to-ship transfers, joint
ventures, technical assistance, theft and laundering of funds) come from cue words.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from ..kb import KnowledgeBase
from ..model import Event, Goods, Party
from ..model import Span as EvidenceSpan
from .lexicon import ActivityCue, Lexicon
from .mentions import Mention

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_TO = ("to", "into", "for", "toward", "towards")
_FROM = ("from", "out")
_THEME_PREPS = ("of", "with")
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_MADE = frozenset({"make", "manufacture", "build", "produce", "assemble"})
_VESSEL_NOUNS = frozenset({"ship", "vessel", "tanker", "freighter", "barge", "boat", "carrier"})
_SHIP_NAME_LABELS = frozenset({"ORG", "PRODUCT", "FAC", "PERSON", "WORK_OF_ART"})  # how NER tags ship names
_TOPIC_PREPS = frozenset({"about", "regarding", "concerning", "on", "over", "against", "like", "than"})
_MAX_DEPTH = 4
_MODALITY_ORDER = ("denied", "hypothetical", "planned", "alleged", "reported")


@dataclass
class _Index:
    """Which mention each token belongs to."""

    actors: dict[int, Mention]
    goods: dict[int, Mention]
    dates: dict[int, Mention]

    @classmethod
    def build(cls, mentions: Iterable[Mention], goods: Iterable[Mention]) -> _Index:
        actors: dict[int, Mention] = {}
        dates: dict[int, Mention] = {}
        for m in mentions:
            target = actors if m.is_actor else dates if m.kind == "date" else None
            if target is not None:
                for i in range(m.start, m.end):
                    target[i] = m
        goods_by_token = {i: g for g in goods for i in range(g.start, g.end)}
        return cls(actors, goods_by_token, dates)


def _bfs(head: Token, max_depth: int = _MAX_DEPTH,
         stop: Callable[[Token], bool] | None = None) -> Iterator[Token]:
    """The head and its dependents, nearest first; `stop` prunes a dependent and all below it."""
    queue = deque([(head, 0)])
    while queue:
        token, depth = queue.popleft()
        yield token
        if depth < max_depth:
            queue.extend((c, depth + 1) for c in token.children if stop is None or not stop(c))


def _prep_objects(token: Token, preps: tuple[str, ...]) -> list[Token]:
    """The objects of the token's prepositions, also of a compound one ('out of', 'away from')."""
    out = []
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in preps:
            out.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp"))
            out.extend(o for c in child.children if c.dep_ == "prep"
                       for o in c.children if o.dep_ == "pobj")
    return out


def _agent_objects(token: Token) -> list[Token]:
    """The 'by X' of a passive verb or a noun ('delivery … by the Russian side')."""
    return _prep_objects(token, ("by",))


class EventExtractor:
    def __init__(self, lexicon: Lexicon, kb: KnowledgeBase, targets: frozenset[str] = frozenset()) -> None:
        self.lex = lexicon
        self.kb = kb
        self.targets = targets  # the states under a regime

    def extract(self, doc: Doc, mentions: list[Mention], goods: list[Mention],
                published: str | None) -> list[Event]:
        index = _Index.build(mentions, goods)
        events: list[Event] = []
        seen_goods: list[Goods] = []  # earlier goods, for "the car" → the Aurus limousine
        for sent in doc.sents:
            found = self._transfers(sent, index, seen_goods, published)
            activities = self._activities(sent, index, found, published)
            covered = {(_country(a.source), _country(a.target)) for a in activities}
            found = [e for e in found
                     if e.goods or (_country(e.source), _country(e.target)) not in covered]
            events.extend(found + activities + self._others(sent, index))
            in_sentence = [g for g in goods if sent.start <= g.start < sent.end]
            seen_goods.extend(self._goods_items(sent, index, in_sentence, []))
        return [_narrowed(e, goods) for e in events]

    # -- transfers -----------------------------------------------------------------------------
    def _transfers(self, sent: Span, index: _Index, seen_goods: list[Goods],
                   published: str | None) -> list[Event]:
        events = []
        for token in sent:
            role = self.lex.transfer_role(token.lemma_.lower(), token.pos_)
            if role is None or self._under_norm(token):
                continue
            event = self._transfer(token, role, sent, index, seen_goods, published)
            if event is not None:
                events.append((event, token.lemma_.lower() in self.lex.needs_origin))
                if self._between_vessels(token, event):
                    events.append((replace(event, type="activity", activity="ship-to-ship", goods=()),
                                   False))
        return _merge_same(events)

    def _between_vessels(self, trigger: Token, event: Event) -> bool:
        """A transfer to or from a vessel whose other side is a vessel too: a ship-to-ship transfer."""
        sides = [p for p in (event.source, event.target) if p is not None]
        if not any(p.kind == "vessel" for p in sides):
            return False
        if len(sides) == 2 and all(p.kind == "vessel" for p in sides):
            return True
        # the other side is a ship by its name or its noun: "The Lighthouse Winmore transferred…"
        doer = _subject_heads(trigger, any(c.dep_ == "auxpass" for c in trigger.children))
        return any(t.lemma_.lower() in _VESSEL_NOUNS or (t.ent_type_ in _SHIP_NAME_LABELS)
                   for d in doer for t in d.subtree)

    def _transfer(self, trigger: Token, role: str, sent: Span, index: _Index,
                  seen_goods: list[Goods], published: str | None) -> Event | None:
        verbal = trigger.pos_ in ("VERB", "AUX")
        passive = verbal and any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children)
        subject_side = self._subject_side(trigger, passive, index)
        to_side = self._first_actor(_prep_objects(trigger, _TO) + [c for c in trigger.children
                                                                     if c.dep_ in ("dative", "iobj")], index)
        from_side = self._first_actor(_prep_objects(trigger, _FROM), index)
        theme_heads = self._theme_heads(trigger, verbal, passive)
        goods_mentions = self._goods_under(theme_heads, index)
        if not goods_mentions and not verbal:
            goods_mentions = self._goods_under(_prep_objects(trigger, _THEME_PREPS), index)
        goods = self._goods_items(sent, index, goods_mentions, seen_goods)
        origin = self._origin(goods_mentions, index, sent.doc)

        if role == "giver":
            # "supplying munitions to Russia": the parse may hang "to Russia" on the object
            to_side = to_side or self._first_actor(
                [o for h in theme_heads + [c for c in trigger.children if c.dep_ == "prep"]
                 for o in _prep_objects(h, _TO)], index, max_depth=2)
            source, target = subject_side or from_side, to_side
        else:
            source, target = from_side, subject_side or to_side
        # "Russia used North Korean missiles": only foreign-made goods make this a transfer
        if trigger.lemma_.lower() in self.lex.needs_origin and source is None and (
                origin is None or target is None or origin.country == target.country):
            return None
        if target is None and trigger.lemma_.lower() in self.lex.gift_words:
            target = self._holder(trigger, index, exclude=source)
        if source is None and target is None or not goods and not (source and target):
            return None
        if source and target and source.country == target.country and not goods:
            return None
        # Unnamed, the supplier is the state the goods come from ("a yacht built in Italy was
        # delivered"), told apart as kind "origin": the maker's state, not a proven seller.
        supplier = _party(source) or (self._origin_party(origin) if origin and (
            target is None or origin.country != target.country) else None)
        # A side with no state the KB knows may still be named: a company or a ship, which the
        # sanctions lists may know ("transferred oil to the Nam San 8").
        if target is None:
            receiver = _subject_heads(trigger, passive) if role == "receiver" else _prep_objects(
                trigger, _TO) + [c for c in trigger.children if c.dep_ in ("dative", "iobj")]
            target_party = _named(receiver)
            if source and target_party is None and trigger.lemma_.lower() not in self.lex.cross_border:
                return None  # "the Party sent clothes to flood victims": giving at home, not abroad
        else:
            target_party = _party(target)
        if supplier is None and role == "giver":
            supplier = _named(_subject_heads(trigger, passive))
        return Event(
            type="transfer",
            **self._codes(trigger, goods),
            source=supplier,
            target=target_party,
            goods=tuple(goods),
            date=self._date(trigger, sent, index),
            modality=self._modality(trigger, sent),
            **self._attribution(trigger, sent, index, {source, target}),
            trigger=trigger.text,
            evidence=(_sentence_span(sent),),
        )

    def _origin_party(self, origin: Mention) -> Party:
        country = self.kb.countries.get(origin.country or "")
        return Party(name=country.name if country else origin.text, country=origin.country,
                     kind="origin")

    def _subject_side(self, trigger: Token, passive: bool, index: _Index) -> Mention | None:
        """The party in the trigger's own role: the subject, the 'by' agent, the owner of a noun."""
        heads = _subject_heads(trigger, passive)
        if trigger.pos_ in ("VERB", "AUX"):
            return self._first_actor(heads, index)
        # a noun: "the delivery … by the Russian side" first, then "Russia's delivery", "Russian
        # oil supplies" (an owner or modifier itself, not something deep inside it)
        by = _agent_objects(trigger)[:1]
        return self._first_actor(by, index) or self._first_actor(heads[len(by):], index, max_depth=1)

    def _theme_heads(self, trigger: Token, verbal: bool, passive: bool) -> list[Token]:
        if not verbal:
            heads = _prep_objects(trigger, _THEME_PREPS)
            heads += [c for c in trigger.children if c.dep_ in ("compound", "amod", "nmod")]
            if trigger.dep_ == "appos":  # "a limousine, a gift from Putin"
                heads.append(trigger.head)
            if trigger.dep_ in ("attr",):  # "the car was a gift"
                heads += [c for c in trigger.head.children if c.dep_ == "nsubj"]
            return heads
        heads = [c for c in trigger.children if c.dep_ in ("dobj", "obj", "attr", "oprd")]
        if passive:
            heads += [c for c in trigger.children if c.dep_ == "nsubjpass"]
        if trigger.dep_ in ("acl", "relcl") and not _head_is_subject(trigger):
            heads.append(trigger.head)  # "the car presented to Kim", "oil that Russia sold"
        heads += _prep_objects(trigger, _THEME_PREPS)
        if trigger.lemma_.lower() in self.lex.needs_origin:  # "seen in a Rolls-Royce", "stepping out of"
            heads += _prep_objects(trigger, ("in", "of", "out", "aboard", "inside", "into"))
        return heads

    def _under_norm(self, token: Token) -> bool:
        """Whether the word describes a rule or its enforcement ('a ban on exports of coal')."""
        return any(a.lemma_.lower() in self.lex.norms for a in list(token.ancestors)[:3])

    def _stop(self, token: Token) -> bool:
        return (token.dep_ == "prep" and token.lower_ in _TOPIC_PREPS) or (
            token.dep_ in ("relcl", "acl", "advcl", "conj", "ccomp")
            and self.lex.transfer_role(token.lemma_.lower(), token.pos_) is not None)

    def _first_actor(self, heads: list[Token], index: _Index, max_depth: int = _MAX_DEPTH) -> Mention | None:
        for head in heads:
            for token in _bfs(head, max_depth):
                if token.i in index.actors:
                    return index.actors[token.i]
        return None

    def _goods_under(self, heads: list[Token], index: _Index) -> list[Mention]:
        """Goods in the phrases under the heads; not goods merely talked about ('information about
        satellites') nor those of another transfer clause, which is its own event."""
        found: dict[tuple[int, int], Mention] = {}
        for head in heads:
            for token in _bfs(head, _MAX_DEPTH, stop=self._stop):
                g = index.goods.get(token.i)
                if g is not None:
                    found[(g.start, g.end)] = g
        return sorted(found.values(), key=lambda g: g.start)

    def _origin(self, goods: list[Mention], index: _Index, doc: Doc) -> Mention | None:
        """The state goods come from: an Aurus (a Russian maker), 'North Korean missiles',
        'Russian-made limousine', 'cars from Germany'."""
        for g in goods:
            if g.label == "BRAND" and g.country:
                return g
        for g in goods:
            head = _np_head(g, doc)
            modifiers = [c for c in head.children
                         if c.dep_ in ("amod", "compound", "npadvmod", "nmod", "poss") and c.i < head.i]
            actor = self._first_actor(modifiers, index, max_depth=2)
            if actor is None:
                made = [c for c in head.children if c.dep_ == "acl" and c.lemma_.lower() in _MADE]
                actor = self._first_actor(_prep_objects(head, _FROM) + [
                    o for m in made for o in _prep_objects(m, ("in", "by"))], index)
            if actor is not None:
                return actor
        return None

    def _holder(self, trigger: Token, index: _Index, exclude: Mention | None) -> Mention | None:
        """Who has the goods of a gift whose receiver the phrase does not name: the subject of the
        clause the gift sits in ('Kim was seen driving a limousine, a gift from Putin')."""
        head = trigger
        while head.head is not head and head.dep_ not in ("ROOT",):
            head = head.head
            subjects = [c for c in head.children if c.dep_ in _SUBJECTS]
            if subjects:
                actor = self._first_actor(subjects, index, max_depth=2)
                if actor and (exclude is None or actor.country != exclude.country):
                    return actor
                return None
        return None

    # -- goods -------------------------------------------------------------------------------
    def _goods_items(self, sent: Span, index: _Index, goods: list[Mention],
                     seen_goods: list[Goods]) -> list[Goods]:
        """One Goods per noun phrase: 'the Aurus limousine' is one motor car, luxury."""
        doc = sent.doc
        groups: dict[int, list[Mention]] = {}
        for g in goods:
            groups.setdefault(_np_head(g, doc).i, []).append(g)
        for head_i, group in list(groups.items()):
            head = doc[head_i]
            # "the car presented to Kim is indeed an Aurus": the attribute says what the car is
            if head.dep_ == "nsubj" and head.head.lemma_ == "be":
                for attr in (c for c in head.head.children if c.dep_ == "attr"):
                    group.extend(index.goods[t.i] for t in attr.subtree if t.i in index.goods
                                 and index.goods[t.i] not in group)
        items = []
        for head_i, group in sorted(groups.items()):
            head = doc[head_i]
            start = min(g.start for g in group if g.start <= head_i) if any(
                g.start <= head_i for g in group) else min(g.start for g in group)
            end = max(head_i + 1, *(g.end for g in group if g.start <= head_i))
            span = doc[start:end]
            best = max(group, key=lambda g: (g.label != "BRAND", len(g.hs or ""), g.end - g.start))
            classes = tuple(dict.fromkeys(c for g in group for c in g.classes))
            luxury = any(g.luxury for g in group) or any(
                c.lower_ in self.lex.luxury_words for c in head.children if c.dep_ in ("amod", "compound"))
            hs = max((g.hs or "" for g in group), key=len) or None
            item = Goods(text=span.text, kb_id=best.kb_id, hs=hs, classes=classes, luxury=luxury,
                         quantity=_quantity(head), start=span.start_char, end=span.end_char)
            items.append(_with_antecedent(item, head, seen_goods))
        return items

    # -- codes, dates, modality, attribution ---------------------------------------------------
    def _codes(self, trigger: Token, goods: list[Goods]) -> dict[str, str | None]:
        classes = {c for g in goods for c in g.classes}
        if classes & {"arms", "ammunition", "missile", "wmd", "missile-tech"}:
            code = self.lex.codes["arms"]
        elif classes & {"humanitarian", "food", "medicine"}:
            code = self.lex.codes["humanitarian"]
        elif trigger.lemma_.lower() in self.lex.gift_words:
            code = self.lex.codes["gift"]
        else:
            code = self.lex.codes["default"]
        return {"code": code.cameo, "plover": code.plover}

    def _date(self, trigger: Token, sent: Span, index: _Index) -> str | None:
        for token in _bfs(trigger, 3):
            m = index.dates.get(token.i)
            if m is not None and m.value:
                return m.value
        candidates = [m for i, m in index.dates.items() if sent.start <= i < sent.end and m.value
                      and not self._reporting(sent.doc[i])]
        if not candidates:
            return None
        return min(candidates, key=lambda m: abs(m.start - trigger.i)).value

    def _reporting(self, token: Token) -> bool:
        """Whether a token hangs off a reporting verb ('… said on Tuesday')."""
        return any(a.lemma_.lower() in self.lex.report_verbs for a in list(token.ancestors)[:2])

    def _modality(self, trigger: Token, sent: Span) -> str:
        found: set[str] = set()
        chain = [trigger, *trigger.ancestors]
        # auxiliaries and adverbs count on the trigger and up to the verb of its clause
        clause = next((i for i, t in enumerate(chain) if t.pos_ in ("VERB", "AUX")), 0)
        for depth, token in enumerate(chain):
            lemma = token.lemma_.lower()
            close = depth <= max(1, clause)
            if any(c.dep_ == "neg" for c in token.children) and close:
                found.add("denied")
            for modality in _MODALITY_ORDER:
                if depth > 0 and lemma in self.lex.modality_verbs[modality]:
                    found.add(modality)
            near = [c for c in token.children if c.dep_ in ("aux", "advmod", "mark", "acomp", "prep", "amod")]
            if close:
                for c in near:
                    for modality in _MODALITY_ORDER:
                        if c.lemma_.lower() in self.lex.modality_words[modality] or \
                                c.lower_ in self.lex.modality_words[modality]:
                            found.add(modality)
        return next((m for m in _MODALITY_ORDER if m in found), "asserted")

    def _attribution(self, trigger: Token, sent: Span, index: _Index,
                     parties: set[Mention | None]) -> dict[str, tuple[str, ...]]:
        reported: list[str] = []
        confirmed: list[str] = []
        for token in trigger.ancestors:
            lemma = token.lemma_.lower()
            bucket = confirmed if lemma in self.lex.confirm_verbs else \
                reported if lemma in self.lex.report_verbs else None
            if bucket is None:
                continue
            speaker = self._speaker([c for c in token.children if c.dep_ in ("nsubj",)], index)
            if speaker:
                bucket.append(speaker)
        for token in sent:
            if token.lower_ == "according" and token.i + 1 < len(token.doc):
                speaker = self._speaker(_prep_objects(token.doc[token.i + 1].head, ("to",))
                                        or [c for c in token.doc[token.i + 1].children], index)
                if speaker:
                    reported.append(speaker)
        for m in set(index.actors.values()):
            if m.kind == "media" and sent.start <= m.start < sent.end and m not in parties:
                reported.append(m.name or m.text)
        return {"reported_by": tuple(dict.fromkeys(reported)),
                "confirmed_by": tuple(dict.fromkeys(confirmed))}

    def _speaker(self, heads: list[Token], index: _Index) -> str | None:
        for head in heads:
            for token in _bfs(head, 2):
                m = index.actors.get(token.i)
                if m is not None:
                    return m.name if m.kind == "person" and m.name else m.text
            ent = next((e for e in head.doc.ents if e.start <= head.i < e.end
                        and e.label_ in ("PERSON", "ORG", "NORP", "GPE")), None)
            if ent is not None:
                return ent.text
        return None

    # -- activities ----------------------------------------------------------------------------
    def _activities(self, sent: Span, index: _Index, transfers: list[Event],
                    published: str | None) -> list[Event]:
        lemmas = " " + " ".join(t.lemma_.lower() for t in sent) + " "
        words = " " + " ".join(t.lower_ for t in sent) + " "
        events = []
        classes = {c for i in range(sent.start, sent.end) if i in index.goods for c in index.goods[i].classes}
        done: set[str] = set()
        for cue in self.lex.activities:
            hit = next((w for w in cue.words if f" {w} " in lemmas or f" {w} " in words), None)
            if hit is None or cue.activity_id in done or (
                    cue.with_classes and cue.with_classes.isdisjoint(classes)):
                continue
            anchor = self._anchor(sent, hit, index)
            if self._under_norm(anchor) or _in_name(anchor, index):
                continue
            # the cue's companion word, or a state under a regime qualifying it ("North Korean workers")
            qualifier = self._qualifier(anchor, index)
            if cue.with_words and not any(f" {w} " in lemmas for w in cue.with_words) and (
                    qualifier is None or qualifier.country not in self.targets):
                continue
            source, target = self._activity_parties(cue, anchor, sent, index, transfers)
            if source is None and target is None or cue.abroad and (
                    source is None or target is None or source.country == target.country):
                continue
            done.add(cue.activity_id)
            events.append(Event(
                type="activity", activity=cue.activity_id, code=cue.code.cameo, plover=cue.code.plover,
                source=_party(source), target=_party(target),
                date=self._date(anchor, sent, index), modality=self._modality(anchor, sent),
                **self._attribution(anchor, sent, index, {source, target}),
                trigger=anchor.text, evidence=(_sentence_span(sent),),
            ))
        return events

    def _activity_parties(self, cue: ActivityCue, anchor: Token, sent: Span, index: _Index,
                          transfers: list[Event]) -> tuple[Mention | None, Mention | None]:
        """The two sides of an activity: the structure of a transfer verb when there is one
        ('sent workers to Russia'), else the state that qualifies the cue ('North Korean
        workers'); the side left open is the nearest other state the sentence names."""
        source = target = None
        for token in (anchor, *anchor.ancestors):
            role = self.lex.transfer_role(token.lemma_.lower(), token.pos_)
            if role is None:
                continue
            verbal = token.pos_ in ("VERB", "AUX")
            passive = verbal and any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
            subject = self._subject_side(token, passive, index)
            to_side = self._first_actor(_prep_objects(token, _TO), index) or self._first_actor(
                [c for c in token.children if c.dep_ in ("xcomp", "advcl", "prep")], index)
            from_side = self._first_actor(_prep_objects(token, _FROM), index)
            if role == "giver" and (subject or from_side):
                source, target = subject or from_side, to_side
                break
            if role == "receiver" and (subject or to_side):
                source, target = from_side, subject or to_side
                break
        else:
            qualifier = self._qualifier(anchor, index)
            if qualifier is not None:
                source, target = (None, qualifier) if cue.actor_receives else (qualifier, None)
        if source is None and target is None:
            actors = self._states_by_distance(anchor, sent, index)
            if not actors:
                return None, None
            source = actors[0]
            if cue.actor_receives:
                source, target = None, source
        known = source or target
        other = next((a for a in self._states_by_distance(anchor, sent, index)
                      if known is not None and a.country != known.country), None)
        if source is None and not cue.actor_receives:
            source = other
        elif target is None and source is not None:
            target = other
        return source, target

    def _anchor(self, sent: Span, word: str, index: _Index) -> Token:
        """Where a cue word (the first word of a cue phrase) occurs; of several, the one a state
        qualifies ('North Korean workers') or else the first."""
        first = word.split()[0]
        found = [t for t in sent if t.lemma_.lower() == first or t.lower_ == first] or [sent.root]
        return next((t for t in found if any(
            c.i in index.actors for c in t.children if c.dep_ in ("amod", "compound", "poss"))), found[0])

    def _qualifier(self, anchor: Token, index: _Index) -> Mention | None:
        """The state a cue word is qualified by: 'North Korean workers', 'Russia's help'."""
        modifiers = [c for c in anchor.children if c.dep_ in ("amod", "compound", "poss", "nmod")]
        return self._first_actor(modifiers, index, max_depth=1)

    def _states_by_distance(self, anchor: Token, sent: Span, index: _Index) -> list[Mention]:
        """The actors of the sentence, one per state, nearest to the anchor first."""
        found: dict[str | None, Mention] = {}
        for i in sorted(range(sent.start, sent.end), key=lambda i: abs(i - anchor.i)):
            m = index.actors.get(i)
            if m is not None:
                found.setdefault(m.country, m)
        return list(found.values())

    # -- events that are not transfers -------------------------------------------------------
    def _others(self, sent: Span, index: _Index) -> list[Event]:
        """Visits, meetings, agreements, statements of support, tests, sanctions, votes: events
        of the relationship between states, never breaches by themselves."""
        events = []
        for token in sent:
            lemma = token.lemma_.lower()
            cue = next((c for c in self.lex.others if lemma in c.words), None)
            if cue is None or token.pos_ not in ("VERB", "NOUN"):
                continue
            subjects = [c for c in token.children if c.dep_ in ("nsubj", "poss")]
            source = self._first_actor(subjects, index, max_depth=2)
            if source is None:
                continue
            objects = [c for c in token.children if c.dep_ in ("dobj", "pobj")] + _prep_objects(
                token, ("to", "with", "on", "against", "in"))
            target = self._first_actor(objects, index, max_depth=2)
            if target is not None and target.country == source.country:
                target = None
            events.append(Event(
                type=cue.type, code=cue.code.cameo, plover=cue.code.plover, source=_party(source),
                target=_party(target), date=self._date(token, sent, index),
                modality=self._modality(token, sent), trigger=token.text,
                evidence=(_sentence_span(sent),),
            ))
        return events


def _narrowed(event: Event, article_goods: list[Mention]) -> Event:
    """Generic goods told more precisely elsewhere in the article take the precise classes:
    'oil' in a story about 'refined petroleum products' is refined petroleum, not crude."""
    if not event.goods:
        return event
    items = []
    for item in event.goods:
        if item.hs:  # the KB placed it under one heading: it is not generic
            items.append(item)
            continue
        wide = set(item.classes)
        narrower = {c for g in article_goods if len(wide) > 1 and set(g.classes) < wide
                    for c in g.classes}
        items.append(replace(item, classes=tuple(c for c in item.classes if c in narrower))
                     if narrower else item)
    return replace(event, goods=tuple(items))


def _subject_heads(trigger: Token, passive: bool) -> list[Token]:
    """Where the doer of a trigger is: its subject (or the subject of the verb it depends on:
    'agreed to send', 'is believed to have transferred'), a passive's 'by' agent; for a noun,
    its 'by' agent first, then its owner or modifiers."""
    if trigger.pos_ not in ("VERB", "AUX"):
        by = _agent_objects(trigger)
        return by[:1] + [c for c in trigger.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
    if passive:
        return _agent_objects(trigger)
    if trigger.dep_ in ("acl", "relcl") and _head_is_subject(trigger):
        return [trigger.head]  # "ships carrying coal", "the ship, which transferred oil"
    subjects = [c for c in trigger.children if c.dep_ in ("nsubj", "csubj")]
    head = trigger
    while not subjects and head.dep_ in ("xcomp", "conj", "advcl", "ccomp") and head.head is not head:
        head = head.head
        subjects = [c for c in head.children if c.dep_ in ("nsubj", "csubj", "nsubjpass")]
        if head.dep_ == "ccomp":
            break
    return subjects


def _head_is_subject(clause: Token) -> bool:
    """In 'ships carrying coal' and 'the ship, which transferred oil', the noun the clause hangs
    on is the clause's subject; in 'the car presented to Kim' and 'oil that Russia sold' its object."""
    if clause.dep_ == "acl":
        return clause.tag_ == "VBG"
    return any(c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") for c in clause.children)


def _country(party: Party | None) -> str | None:
    return party.country if party else None


def _in_name(token: Token, index: _Index) -> bool:
    """A cue word inside a name ('the Committee for Anti-Money Laundering', 'Workers' Party')."""
    inside = token.ent_type_ in ("ORG", "FAC", "WORK_OF_ART", "LAW", "EVENT") or token.i in index.actors
    before = token.doc[max(0, token.i - 2):token.i].text.lower().replace(" ", "")
    return inside or before.endswith(("anti-", "anti", "counter-"))





def _np_head(g: Mention, doc: Doc) -> Token:
    """The head noun of the phrase a goods mention sits in ('Aurus' → 'limousine')."""
    token = doc[g.end - 1]
    while token.dep_ in ("compound", "amod", "nmod", "npadvmod") and token.head.pos_ in ("NOUN", "PROPN") \
            and token.head.i > token.i:
        token = token.head
    return token


def _quantity(head: Token) -> str | None:
    """'13,000 containers', '600 tons of refined petroleum', 'millions of shells'."""
    measure = head.head.head if head.dep_ == "pobj" and head.head.lower_ == "of" else None
    for noun in (head, measure):
        if noun is None:
            continue
        nums = [c for c in noun.children if c.dep_ in ("nummod", "quantmod")]
        if nums:
            left = min(t.i for n in nums for t in n.subtree)
            return noun.doc[left:noun.i + 1].text
        if noun is measure and noun.tag_ == "NNS" and noun.like_num is False and \
                noun.lower_ in ("millions", "thousands", "hundreds", "dozens", "tens"):
            return noun.text
    return None


def _with_antecedent(item: Goods, head: Token, seen: list[Goods]) -> Goods:
    """'The car' refers to the limousine named before it: it is a luxury car too."""
    det = next((c.lower_ for c in head.children if c.dep_ == "det"), None)
    if det not in _DEFINITE or item.luxury:
        return item
    for earlier in reversed(seen):
        if earlier.hs and item.hs and earlier.hs[:4] == item.hs[:4] and earlier.luxury:
            return Goods(text=item.text, kb_id=earlier.kb_id or item.kb_id, hs=earlier.hs, classes=tuple(
                dict.fromkeys(item.classes + earlier.classes)), luxury=True, quantity=item.quantity,
                start=item.start, end=item.end)
    return item


_NAME_LABELS = frozenset({"ORG", "FAC", "PRODUCT", "PERSON", "LOC"})  # NER tags ship names as any of them


def _named(heads: list[Token]) -> Party | None:
    """A party the text names without a state the knowledge base knows: the named entity nearest
    the heads ('the Nam San 8', 'Korea Ryonbong General Corporation'); a ship when a ship noun
    goes with it."""
    for head in heads:
        for token in _bfs(head, 2):
            if token.ent_type_ in _NAME_LABELS:
                ent = next(e for e in token.doc.ents if e.start <= token.i < e.end)
                near = {t.lemma_.lower() for t in (*ent, *ent.root.head.children, ent.root.head)}
                # ships go by names with numbers ("Puksong 7") in sentences about ships
                numbered_ship = any(t.like_num for t in ent) and any(
                    t.lemma_.lower() in _VESSEL_NOUNS for t in ent.sent)
                shiplike = near & _VESSEL_NOUNS or numbered_ship or ent.label_ in ("LOC", "FAC", "PRODUCT")
                kind = "vessel" if shiplike else "person" if ent.label_ == "PERSON" else "org"
                return Party(name=ent.text.removeprefix("the ").strip(), kind=kind)
    return None


def _party(m: Mention | None) -> Party | None:
    if m is None:
        return None
    return Party(name=m.name or m.text, country=m.country, kb_id=m.kb_id, kind=m.kind)


def _sentence_span(sent: Span) -> EvidenceSpan:
    """The sentence as evidence, without the white space around it."""
    text = sent.text
    stripped = text.lstrip()
    start = sent.start_char + len(text) - len(stripped)
    stripped = stripped.rstrip()
    return EvidenceSpan(start, start + len(stripped), stripped)


def _merge_same(events: list[tuple[Event, bool]]) -> list[Event]:
    """Two triggers of one sentence that tell the same transfer ('gave … as a gift') are one
    event; a weak trigger that only implies a transfer ('driving a gift') gives way to one that
    says it."""
    out: dict[tuple[object, ...], tuple[Event, bool]] = {}
    for event, weak in events:
        key = _event_key(event)
        if key not in out or out[key][1] and not weak:
            out[key] = (event, weak)
    return [e for e, _ in out.values()]


def _event_key(e: Event) -> tuple[object, ...]:
    return (e.source and e.source.country, e.target and e.target.country,
            tuple(sorted(g.kb_id or g.text for g in e.goods)))


__all__ = ["ActivityCue", "EventExtractor"]

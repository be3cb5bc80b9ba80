"""Reading an event's arguments off the dependency parse: who acts, to whom, from whom, on what.

Everything here is grammar, not knowledge: the subject or the "by" agent of a trigger, the
objects of its "to" and "from", its theme (the object, the passive subject, the "of" of a noun),
the state goods come from ("North Korean missiles", "cars made in Germany"), the actors of a
sentence by distance. Actors are the spans `nlp.spans.annotate` links tokens to (``token._.actor``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from ...model import Party
from ...model import Span as Evidence

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
TO = ("to", "into", "for", "toward", "towards")
FROM = ("from", "out")
THEME_PREPS = ("of", "with")
MADE = frozenset({"make", "manufacture", "build", "produce", "assemble"})
VESSEL_NOUNS = frozenset({"ship", "vessel", "tanker", "freighter", "barge", "boat", "carrier"})
_NAME_LABELS = frozenset({"ORG", "FAC", "PRODUCT", "PERSON", "LOC"})
MAX_DEPTH = 4


def verbal(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX")


def passive(token: Token) -> bool:
    return verbal(token) and any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)


def bfs(head: Token, max_depth: int = MAX_DEPTH,
        stop: Callable[[Token], bool] | None = None) -> Iterator[Token]:
    """The head and its dependents, nearest first; `stop` prunes a dependent and all below it."""
    queue = deque([(head, 0)])
    while queue:
        token, depth = queue.popleft()
        yield token
        if depth < max_depth:
            queue.extend((c, depth + 1) for c in token.children if stop is None or not stop(c))


def prep_objects(token: Token, preps: tuple[str, ...]) -> list[Token]:
    """The objects of the token's prepositions, also of a compound one ('out of', 'away from')."""
    out = []
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in preps:
            out.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp"))
            out.extend(o for c in child.children if c.dep_ == "prep"
                       for o in c.children if o.dep_ == "pobj")
    return out


def agent_objects(token: Token) -> list[Token]:
    """The 'by X' of a passive verb or a noun ('delivery … by the Russian side')."""
    return prep_objects(token, ("by",))


def receivers(token: Token) -> list[Token]:
    """Where a receiver hangs: 'to'/'into'/'for' objects, the dative, the indirect object, and
    the object of a verb that gives 'with' ('supplied Russia with shells')."""
    giving_with = verbal(token) and any(c.dep_ == "prep" and c.lower_ == "with" for c in token.children)
    return prep_objects(token, TO) + [c for c in token.children if c.dep_ in ("dative", "iobj")
                                      or giving_with and c.dep_ == "dobj"]


def head_is_subject(clause: Token) -> bool:
    """In 'ships carrying coal' and 'the ship, which transferred oil', the noun the clause hangs
    on is the clause's subject; in 'the car presented to Kim' and 'oil that Russia sold' its object."""
    if clause.dep_ == "acl":
        return clause.tag_ == "VBG"
    return any(c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") for c in clause.children)


def subject_heads(trigger: Token) -> list[Token]:
    """Where the doer of a trigger is: its subject (or the subject of the verb it depends on:
    'agreed to send', 'is believed to have transferred'), a passive's 'by' agent; for a noun,
    its 'by' agent first, then its owner or modifiers."""
    if not verbal(trigger):
        by = agent_objects(trigger)
        return by[:1] + [c for c in trigger.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
    if passive(trigger):
        return agent_objects(trigger)
    if trigger.dep_ in ("acl", "relcl") and head_is_subject(trigger):
        return [trigger.head]  # "ships carrying coal", "the ship, which transferred oil"
    subjects = [c for c in trigger.children if c.dep_ in ("nsubj", "csubj")]
    head = trigger
    while not subjects and head.dep_ in ("xcomp", "conj", "advcl", "ccomp") and head.head is not head:
        head = head.head
        subjects = [c for c in head.children if c.dep_ in ("nsubj", "csubj", "nsubjpass")]
        if head.dep_ == "ccomp":
            break
    return subjects


def first_actor(heads: list[Token], max_depth: int = MAX_DEPTH) -> Span | None:
    """The first actor span found under the heads, nearest first."""
    for head in heads:
        for token in bfs(head, max_depth):
            if token._.actor is not None:
                return token._.actor
    return None


def np_head(span: Span) -> Token:
    """The head noun of the phrase a mention sits in ('Aurus' → 'limousine')."""
    token = span.doc[span.end - 1]
    while token.dep_ in ("compound", "amod", "nmod", "npadvmod") and token.head.pos_ in ("NOUN", "PROPN") \
            and token.head.i > token.i:
        token = token.head
    return token


def origin(goods: list[Span]) -> Span | None:
    """The state goods come from: an Aurus (a Russian maker), 'North Korean missiles',
    'Russian-made limousine', 'cars from Germany', 'missiles made in Iran'."""
    for g in goods:
        if g.label_ == "BRAND" and g._.country:
            return g
    for g in goods:
        head = np_head(g)
        modifiers = [c for c in head.children
                     if c.dep_ in ("amod", "compound", "npadvmod", "nmod", "poss") and c.i < head.i]
        actor = first_actor(modifiers, max_depth=2)
        if actor is None:
            made = [c for c in head.children if c.dep_ == "acl" and c.lemma_.lower() in MADE]
            actor = first_actor(prep_objects(head, FROM) + [
                o for m in made for o in prep_objects(m, ("in", "by"))])
        if actor is not None:
            return actor
    return None


def holder(trigger: Token, exclude: Span | None) -> Span | None:
    """Who has the goods of a gift whose receiver the phrase does not name: the subject of the
    clause the gift sits in ('Kim was seen driving a limousine, a gift from Putin')."""
    head = trigger
    while head.head is not head and head.dep_ != "ROOT":
        head = head.head
        subjects = [c for c in head.children if c.dep_ in SUBJECTS]
        if subjects:
            actor = first_actor(subjects, max_depth=2)
            if actor is not None and (exclude is None or actor._.country != exclude._.country):
                return actor
            return None
    return None


def named(heads: list[Token]) -> Party | None:
    """A party the text names without a state the knowledge base knows: the named entity nearest
    the heads ('the Nam San 8', 'Korea Ryonbong General Corporation'); a ship when a ship noun
    goes with it."""
    for head in heads:
        for token in bfs(head, 2):
            if token.ent_type_ in _NAME_LABELS:
                ent = next(e for e in token.doc.ents if e.start <= token.i < e.end)
                near = {t.lemma_.lower() for t in (*ent, *ent.root.head.children, ent.root.head)}
                # ships go by names with numbers ("Puksong 7") in sentences about ships
                numbered_ship = any(t.like_num for t in ent) and any(
                    t.lemma_.lower() in VESSEL_NOUNS for t in ent.sent)
                shiplike = near & VESSEL_NOUNS or numbered_ship
                kind = "vessel" if shiplike else "person" if ent.label_ == "PERSON" else "org"
                return Party(name=ent.text.removeprefix("the ").strip(), kind=kind)
    return None


def qualifier(anchor: Token) -> Span | None:
    """The state a word is qualified by: 'North Korean workers', 'Russia's help'."""
    modifiers = [c for c in anchor.children if c.dep_ in ("amod", "compound", "poss", "nmod")]
    return first_actor(modifiers, max_depth=1)


def same_state(a: Span | None, b: Span | None) -> bool:
    """Two actors of one known state (two ships with no known flag are not)."""
    return a is not None and b is not None and a._.country is not None and a._.country == b._.country


def actors_by_distance(anchor: Token, sent: Span) -> list[Span]:
    """The actors of a sentence, one per state (each actor of no known state on its own), nearest
    to the anchor first."""
    found: dict[str, Span] = {}
    for i in sorted(range(sent.start, sent.end), key=lambda i: abs(i - anchor.i)):
        actor = sent.doc[i]._.actor
        if actor is not None:
            found.setdefault(actor._.country or actor.text, actor)
    return list(found.values())


def in_name(token: Token) -> bool:
    """A cue word inside a name ('the Committee for Anti-Money Laundering', 'Workers' Party')."""
    inside = token.ent_type_ in ("ORG", "FAC", "WORK_OF_ART", "LAW", "EVENT") or token._.actor is not None
    before = token.doc[max(0, token.i - 2):token.i].text.lower().replace(" ", "")
    return inside or before.endswith(("anti-", "anti", "counter-"))


def sentence_evidence(sent: Span) -> Evidence:
    """The sentence as evidence, without the white space around it."""
    text = sent.text
    stripped = text.lstrip()
    start = sent.start_char + len(text) - len(stripped)
    stripped = stripped.rstrip()
    return Evidence(start, start + len(stripped), stripped)


_DEFINITE = frozenset({"the", "this", "that"})
_LOOK_BACK = 3  # sentences an antecedent may lie back


def antecedent(heads: list[Token]) -> Span | None:
    """The state of "the company" (a definite noun of no state) from where it was introduced:
    the nearest earlier noun of the same word that a state qualifies ("a Chinese trading
    company in Dalian"), a few sentences back at most."""
    for head in heads:
        if head.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in head.children):
            continue
        doc = head.doc
        first = head.sent.start
        for _ in range(_LOOK_BACK):
            if first == 0:
                break
            first = doc[first - 1].sent.start
        for token in reversed(doc[first:head.i]):
            if token.lemma_ == head.lemma_ and token.pos_ == "NOUN":
                actor = first_actor([c for c in token.children if c.dep_ in ("amod", "compound", "poss")],
                                    max_depth=1)
                if actor is not None:
                    return actor
    return None


@dataclass(frozen=True)
class Sides:
    """The parties a trigger's grammar gives: its own role's side, its receiver, its giver."""

    subject: Span | None
    to: Span | None
    source: Span | None

    @classmethod
    def of(cls, trigger: Token) -> Sides:
        heads = subject_heads(trigger)
        if verbal(trigger):
            subject = first_actor(heads) or antecedent(heads)
        else:
            # a noun: "the delivery … by the Russian side" first, then "Russia's delivery",
            # "Russian oil supplies" (an owner or modifier itself, not something deep inside it)
            by = agent_objects(trigger)[:1]
            subject = first_actor(by) or first_actor(heads[len(by):], max_depth=1)
        return cls(subject, first_actor(receivers(trigger)), first_actor(prep_objects(trigger, FROM)))

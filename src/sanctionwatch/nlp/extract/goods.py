"""Goods as an event carries them: one item per noun phrase, with its quantity, and what an
earlier mention says of it ("the car" after "an Aurus limousine" is a luxury car)."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from ...model import Goods
from ..lexicon import Lexicon
from .arguments import VESSEL_NOUNS, np_head, prep_objects, verbal

_DEFINITE = frozenset({"the", "this", "that", "these", "those"})


_TOPIC_PREPS = frozenset({"about", "regarding", "concerning", "on", "over", "into"})
_WHERE_TO = frozenset({"to", "into", "onto", "toward", "towards"})


def goods_in(sent: Span) -> list[Span]:
    return [g for g in sent.doc.spans["goods"] if sent.start <= g.start < sent.end]


def named_goods(sent: Span, lex: Lexicon) -> list[Span]:
    """The goods a sentence names as goods: not words that qualify something else ("missile
    tests"), not a vessel that acts or carries, not the topic of a noun ("an investigation into
    the drones"), not where other goods go ("flowers sent to the statues"), not a verb that
    shares a goods word ("to cement their rule")."""
    return [g for g in goods_in(sent)
            if not (modifier(g, lex) or means(g) or topic(g) or destination(g) or g.root.pos_ == "VERB")]


def modifier(goods: Span, lex: Lexicon) -> bool:
    """Goods words that qualify something else: 'missile tests', 'the nuclear programme', 'oil
    prices' name no goods; 'oil sales' and 'arms shipments' do."""
    head = np_head(goods)
    return head.i >= goods.end and head._.goods is None and head.pos_ == "NOUN" and \
        lex.transfer_role(head.lemma_.lower(), head.pos_) is None and \
        head.lemma_.lower() not in lex.cross_border


def means(goods: Span) -> bool:
    """A vessel named as what acts or carries, not what is moved: the subject of its clause, one
    with a name ("the tanker Chon Ma San") or a flag ("a North Korean tanker")."""
    if "vessel" not in goods._.classes and goods.root.lemma_.lower() not in VESSEL_NOUNS:
        return False
    root = goods.root
    named = any(t.ent_type_ or t.pos_ == "PROPN" for t in root.subtree
                if t.i not in range(goods.start, goods.end))
    flagged = any(c._.actor is not None for c in root.children if c.dep_ in ("amod", "compound", "poss"))
    return root.dep_ in ("nsubj", "nsubjpass", "appos") or named or flagged


def topic(goods: Span) -> bool:
    """Goods a noun is about rather than goods that move: 'an investigation into the drones',
    'concerns over missiles'."""
    for token in list(goods.root.ancestors)[:4]:
        if token.dep_ == "prep" and token.lower_ in _TOPIC_PREPS and token.head.pos_ == "NOUN":
            return True
    return False


def destination(goods: Span) -> bool:
    """Goods named as where a verb sends what it moves: 'sent flowers to the statues', 'oil was
    pumped into the tanker'; the verb's object (or passive subject) is what moves."""
    prep = goods.root.head
    if goods.root.dep_ != "pobj" or prep.lower_ not in _WHERE_TO or not verbal(prep.head):
        return False
    return any(c.dep_ in ("dobj", "nsubjpass") and c.i not in range(goods.start, goods.end)
               for c in prep.head.children)


def themes(word: Token) -> list[Token]:
    """What a transfer word moves: its object, a passive verb's subject, a noun's 'of'."""
    if verbal(word):
        return [c for c in word.children if c.dep_ in ("dobj", "nsubjpass")]
    return prep_objects(word, ("of",))


def items(goods: list[Span], lex: Lexicon, seen: list[Goods]) -> list[Goods]:
    """One Goods per noun phrase: 'the Aurus limousine' is one motor car, luxury."""
    if not goods:
        return []
    doc = goods[0].doc
    groups: dict[int, list[Span]] = {}
    for g in goods:
        groups.setdefault(np_head(g).i, []).append(g)
    for head_i, group in list(groups.items()):
        head = doc[head_i]
        # "the car presented to Kim is indeed an Aurus": the attribute says what the car is
        if head.dep_ == "nsubj" and head.head.lemma_ == "be":
            for attr in (c for c in head.head.children if c.dep_ == "attr"):
                group.extend(t._.goods for t in attr.subtree
                             if t._.goods is not None and t._.goods not in group)
    out = []
    for head_i, group in sorted(groups.items()):
        head = doc[head_i]
        before = [g for g in group if g.start <= head_i]
        start = min(g.start for g in before) if before else min(g.start for g in group)
        end = max(head_i + 1, *(g.end for g in before))
        span = doc[start:end]
        best = max(group, key=lambda g: (g.label_ != "BRAND", len(g._.hs or ""), g.end - g.start))
        classes = tuple(dict.fromkeys(c for g in group for c in g._.classes))
        luxury = any(g._.luxury for g in group) or any(
            c.lower_ in lex.luxury_words for c in head.children if c.dep_ in ("amod", "compound"))
        hs = max((g._.hs or "" for g in group), key=len) or None
        item = Goods(text=span.text, kb_id=best._.kb_id, hs=hs, classes=classes, luxury=luxury,
                     quantity=quantity(head), start=span.start_char, end=span.end_char)
        out.append(_with_antecedent(item, head, seen))
    return out


def quantity(head: Token) -> str | None:
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
            return replace(item, kb_id=earlier.kb_id or item.kb_id, hs=earlier.hs, luxury=True,
                           classes=tuple(dict.fromkeys(item.classes + earlier.classes)))
    return item


def narrowed(items_: tuple[Goods, ...], article_goods: list[Span]) -> tuple[Goods, ...]:
    """Generic goods told more precisely elsewhere in the article take the precise classes:
    'oil' in a story about 'refined petroleum products' is refined petroleum, not crude."""
    out = []
    for item in items_:
        if item.hs:  # the KB placed it under one heading: it is not generic
            out.append(item)
            continue
        wide = set(item.classes)
        narrower = {c for g in article_goods if len(wide) > 1 and set(g._.classes) < wide
                    for c in g._.classes}
        out.append(replace(item, classes=tuple(c for c in item.classes if c in narrower))
                   if narrower else item)
    return tuple(out)

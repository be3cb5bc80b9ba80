"""Transfers of goods, anchored on a trigger word (triggers.yaml).

A verb ("Russia *sent* oil to the DPRK", "a car *was presented* to Kim", "the car *presented* to
Kim") or a noun ("the *delivery* of the car to Kim by the Russian side", "a limousine, a *gift*
from Putin"). The subject or the "by" agent plays the trigger's own role (giver or receiver),
"to"/"into"/the dative is the receiver, "from" the giver, the object or "of" the goods. What the
sentence leaves open is filled carefully: the origin of foreign-made goods ("North Korean
missiles") is their giver, told apart as kind "origin"; the holder of a gift is its receiver.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from ...kb import KnowledgeBase
from ...model import Event, Goods, Party
from ..lexicon import Lexicon
from ..spans import party
from . import arguments as arg
from . import goods as goods_
from . import telling
from .base import Context, register

_TOPIC_PREPS = frozenset({"about", "regarding", "concerning", "on", "over", "against", "like", "than"})
_BACK = frozenset({"it", "they", "them", "this", "these"})  # pronouns that refer back to goods


@register
class TransferExtractor:
    name = "transfer"
    order = 10

    def __init__(self, lexicon: Lexicon, kb: KnowledgeBase) -> None:
        self.lex = lexicon
        self.kb = kb

    def extract(self, sent: Span, found: list[Event], ctx: Context) -> list[Event]:
        events: list[tuple[Event, bool]] = []
        for token in sent:
            role = self.lex.transfer_role(token.lemma_.lower(), token.pos_)
            if role is None or telling.under_norm(token, self.lex):
                continue
            event = self._transfer(token, role, sent, ctx)
            if event is None:
                continue
            events.append((event, token.lemma_.lower() in self.lex.needs_origin))
            if self._between_vessels(token, event):
                events.append((replace(event, type="activity", activity="ship-to-ship", goods=()), False))
        return _merge_same(events)

    def _transfer(self, trigger: Token, role: str, sent: Span, ctx: Context) -> Event | None:
        lemma = trigger.lemma_.lower()
        sides = arg.Sides.of(trigger)
        to_side = sides.to
        theme = self._theme_heads(trigger)
        mentions = self._goods_under(theme)
        if not mentions and not arg.verbal(trigger):
            mentions = self._goods_under(arg.prep_objects(trigger, arg.THEME_PREPS))
        items = goods_.items(mentions, self.lex, ctx.seen_goods) or self._referred(theme, ctx)
        origin = arg.origin(mentions)
        if role == "giver":
            # "supplying munitions to Russia": the parse may hang "to Russia" on the object
            to_side = to_side or arg.first_actor(
                [o for h in theme + [c for c in trigger.children if c.dep_ == "prep"]
                 for o in arg.prep_objects(h, arg.TO)], max_depth=2)
            if sides.source is not None and sides.subject is not None and to_side is None and \
                    not arg.same_state(sides.source, sides.subject):
                # "the Sea Star transferred coal from the Kum Bong": from the other side to the subject
                source, target = sides.source, sides.subject
            else:
                source, target = sides.subject or sides.source, to_side
        else:
            source, target = sides.source, sides.subject or to_side
        source = source or arg.first_actor(_goods_givers(trigger), max_depth=2)
        # "Russia used North Korean missiles": only foreign-made goods make this a transfer
        if lemma in self.lex.needs_origin and source is None and (
                origin is None or target is None or arg.same_state(origin, target)):
            return None
        if target is None and lemma in self.lex.gift_words:
            target = arg.holder(trigger, exclude=source)
        if source is None and target is None and not self._told_again(items, ctx):
            return None
        if not items and not (source and target) or arg.same_state(source, target) and not items:
            return None
        if source is None and origin is None and target is not None and (
                self._at_home(trigger, role, target) or self._within(sent, target)):
            return None
        # Unnamed, the supplier is the state the goods come from ("a yacht built in Italy was
        # delivered"), told apart as kind "origin": the maker's state, not a proven seller.
        supplier = party(source) or (self._origin_party(origin) if origin is not None and (
            target is None or origin._.country != target._.country) else None)
        # A side with no state the KB knows may still be named: a company or a ship, which the
        # sanctions lists may know ("transferred oil to the Nam San 8").
        if target is None:
            # a giving verb with only a "from" side: its subject took the goods ("the Sea Star
            # transferred coal from a North Korean ship")
            takes = role == "receiver" or (source is not None and source is sides.source and sides.to is None)
            receiver = arg.subject_heads(trigger) if takes else arg.receivers(trigger)
            target_party = arg.named(receiver)
            if source is not None and target_party is None and lemma not in self.lex.cross_border:
                return None  # "the Party sent clothes to flood victims": giving at home, not abroad
        else:
            target_party = party(target)
        if supplier is None and role == "giver":
            supplier = arg.named(arg.subject_heads(trigger))
        return Event(
            type="transfer", **self._codes(trigger, items), source=supplier, target=target_party,
            goods=tuple(items), date=telling.date(trigger, sent, self.lex),
            modality=telling.modality(trigger, self.lex),
            **telling.attribution(trigger, sent, self.lex, {source, target}),
            trigger=trigger.text, evidence=(arg.sentence_evidence(sent),),
        )

    def _referred(self, theme: list[Token], ctx: Context) -> list[Goods]:
        """Goods a pronoun refers back to: 'It was a gift from Putin' after 'the limousine'."""
        if ctx.seen_goods and any(t.pos_ == "PRON" and t.lower_ in _BACK for t in theme):
            return [ctx.seen_goods[-1]]
        return []

    def _told_again(self, items: list[Goods], ctx: Context) -> bool:
        """Goods an earlier sentence named, told again without their parties ("Peskov confirmed
        the delivery of the limousine"): the same act, which merging joins to the first telling."""
        seen = {g.kb_id for g in ctx.seen_goods if g.kb_id}
        return any(g.kb_id in seen for g in items)

    def _at_home(self, trigger: Token, role: str, target: Span) -> bool:
        """Giving inside one state: the giver is named by a common noun of no state ("tractors
        provided by a farmers' union"), the receiver is a place in the state ("a farm in North
        Korea's South Hwanghae Province"), and nothing says the goods crossed a border."""
        givers = arg.subject_heads(trigger) if role == "giver" else arg.prep_objects(trigger, arg.FROM)
        givers += _goods_givers(trigger)
        common = [g for g in givers if g.pos_ == "NOUN" and not any(
            t.ent_type_ or t.pos_ == "PROPN" or t.lemma_.lower() in arg.VESSEL_NOUNS for t in g.subtree)]
        located = False
        for above in target.root.ancestors:
            if above.lower_ in arg.TO or above is trigger:
                break
            located = located or (above.dep_ == "prep" and above.lower_ in ("in", "at", "near"))
        crossing = any(t.lemma_.lower() in self.lex.crossing | self.lex.cross_border for t in trigger.sent)
        return bool(common) and located and not crossing

    def _within(self, sent: Span, target: Span) -> bool:
        """Goods handed to a state's own organ ("launchers transferred to the army's units"), with
        no other state, no foreign origin and no word of a border in the sentence."""
        if target._.kind == "country" or target._.country is None:
            return False
        others = {a._.country for a in sent.doc.spans["actors"] if sent.start <= a.start < sent.end}
        crossing = any(t.lemma_.lower() in self.lex.crossing | self.lex.cross_border for t in sent)
        return others <= {target._.country, None} and not crossing

    def _between_vessels(self, trigger: Token, event: Event) -> bool:
        """A transfer to or from a vessel whose other side is a vessel too: a ship-to-ship transfer."""
        sides = [p for p in (event.source, event.target) if p is not None]
        if not any(p.kind == "vessel" for p in sides):
            return False
        if len(sides) == 2 and all(p.kind == "vessel" for p in sides):
            return True
        # the other side is a ship by its noun: "The tanker Lighthouse Winmore transferred…"
        return any(t.lemma_.lower() in arg.VESSEL_NOUNS
                   for d in arg.subject_heads(trigger) for t in d.subtree)

    def _origin_party(self, origin: Span) -> Party:
        country = self.kb.countries.get(origin._.country or "")
        return Party(name=country.name if country else origin.text, country=origin._.country, kind="origin")

    def _theme_heads(self, trigger: Token) -> list[Token]:
        if not arg.verbal(trigger):
            heads = arg.prep_objects(trigger, arg.THEME_PREPS)
            heads += [c for c in trigger.children if c.dep_ in ("compound", "amod", "nmod")]
            if trigger.dep_ == "appos":  # "a limousine, a gift from Putin"
                heads.append(trigger.head)
            if trigger.dep_ == "attr":  # "the car was a gift"
                heads += [c for c in trigger.head.children if c.dep_ == "nsubj"]
            return heads
        heads = [c for c in trigger.children if c.dep_ in ("dobj", "obj", "attr", "oprd")]
        if arg.passive(trigger):
            heads += [c for c in trigger.children if c.dep_ == "nsubjpass"]
        if trigger.dep_ in ("acl", "relcl") and not arg.head_is_subject(trigger):
            heads.append(trigger.head)  # "the car presented to Kim", "oil that Russia sold"
        heads += arg.prep_objects(trigger, arg.THEME_PREPS)
        if trigger.lemma_.lower() in self.lex.needs_origin:  # "seen in a Rolls-Royce", "stepping out of"
            heads += arg.prep_objects(trigger, ("in", "of", "out", "aboard", "inside", "into"))
        return heads

    def _stop(self, token: Token) -> bool:
        return (token.dep_ == "prep" and token.lower_ in _TOPIC_PREPS) or (
            token.dep_ in ("relcl", "acl", "advcl", "conj", "ccomp")
            and self.lex.transfer_role(token.lemma_.lower(), token.pos_) is not None)

    def _goods_under(self, heads: list[Token]) -> list[Span]:
        """Goods in the phrases under the heads; not goods merely talked about ('information about
        satellites') nor those of another transfer clause, which is its own event."""
        found: dict[tuple[int, int], Span] = {}
        for head in heads:
            for token in arg.bfs(head, arg.MAX_DEPTH, stop=self._stop):
                g = token._.goods
                if g is not None:
                    found[(g.start, g.end)] = g
        return sorted(found.values(), key=lambda g: g.start)

    def _codes(self, trigger: Token, items: list[Goods]) -> dict[str, str | None]:
        classes = {c for g in items for c in g.classes}
        if classes & {"arms", "ammunition", "missile", "wmd", "missile-tech"}:
            code = self.lex.codes["arms"]
        elif classes & {"humanitarian", "food", "medicine"}:
            code = self.lex.codes["humanitarian"]
        elif trigger.lemma_.lower() in self.lex.gift_words:
            code = self.lex.codes["gift"]
        else:
            code = self.lex.codes["default"]
        return {"code": code.cameo, "plover": code.plover}


def _goods_givers(trigger: Token) -> list[Token]:
    """Who gave the goods themselves: 'tractors provided by a union were handed over', 'handed
    over tractors provided by a union' (also where the parse hangs the goods on a dateline)."""
    heads = [c for c in trigger.children if c.dep_ in ("nsubjpass", "dobj")]
    heads += [a for h in heads for a in h.children if a.dep_ == "appos"]
    return [o for goods in heads for clause in goods.children if clause.dep_ == "acl"
            for o in arg.agent_objects(clause)]


def _merge_same(events: list[tuple[Event, bool]]) -> list[Event]:
    """Two triggers of one sentence that tell the same transfer ('gave … as a gift') are one
    event; a weak trigger that only implies a transfer ('driving a gift') gives way to one that
    says it."""
    out: dict[tuple[object, ...], tuple[Event, bool]] = {}
    for event, weak in events:
        key = (event.source and event.source.country, event.target and event.target.country,
               tuple(sorted(g.kb_id or g.text for g in event.goods)))
        if key not in out or out[key][1] and not weak:
            out[key] = (event, weak)
    return [e for e, _ in out.values()]

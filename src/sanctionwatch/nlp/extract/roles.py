"""The sides states take in an act a sentence tells without a full transfer clause.

Grammar gives a side where it can: the origin of the goods ("North Korean coal") and the object
of "from" give, the object of "to" receives, the subject of a giving or receiving word takes that
role. A state the sentence names on no side is `involved`. Who tells of the act (the subject of a
reporting verb, the object of "according to", the media) takes no part in it.
"""

from __future__ import annotations

from spacy.tokens import Span

from ...model import Party
from ..lexicon import Lexicon
from ..spans import party
from . import arguments as arg


class Roles:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon

    def sides(self, sent: Span, goods: list[Span]) -> tuple[Party | None, Party | None, list[Party]]:
        """The giver and receiver the grammar names, and the other states taking part. A state
        named as the goods' origin is their giver, of kind "origin"."""
        source = target = None
        involved: dict[str | None, Party] = {}
        origin = arg.origin(goods)
        for actor in arg.actors_by_distance(goods[0].root if goods else sent.root, sent):
            p = party(actor)
            if p is None or self.speaker(actor) or self.opponent(actor):
                continue
            role = self.role(actor)
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

    def speaker(self, actor: Span) -> bool:
        """An actor who tells of the act rather than takes part in it."""
        root = actor.root
        if actor._.kind == "media":
            return True
        if root.dep_ == "nsubj" and root.head.lemma_.lower() in self.lex.report_verbs:
            return True
        return root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.lower_ == "according"

    def opponent(self, actor: Span) -> bool:
        """A state an act is aimed against ("espionage against the DPRK") is no party to it."""
        return actor.root.dep_ == "pobj" and actor.root.head.lower_ in ("against", "targeting")

    def role(self, actor: Span) -> str | None:
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

    def around(self, sent: Span, before: int = 2, after: int = 1) -> list[Party]:
        """The states the sentences around one name (`before` of them, `after` it), for a
        sentence that names none."""
        doc = sent.doc
        sents = [s for s in doc.sents if s.text.strip()]
        at = next((i for i, s in enumerate(sents) if s.start >= sent.start), len(sents))
        near = sents[max(0, at - before):at] + sents[at + 1:at + 1 + after]
        found: dict[str | None, Party] = {}
        for s in near:
            for actor in doc.spans["actors"]:
                if s.start <= actor.start < s.end and not self.speaker(actor) and \
                        (p := party(actor)) is not None:
                    found.setdefault(actor._.country, p)
        return list(found.values())

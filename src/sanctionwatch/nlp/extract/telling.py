"""How a sentence tells an event: as fact, report, allegation, plan, hypothesis or denial; who
says so or confirms it; when it happened; and whether the words describe a rule rather than an
event ("a ban on coal exports").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..lexicon import Lexicon
from .arguments import bfs, prep_objects

_MODALITY_ORDER = ("denied", "hypothetical", "planned", "alleged", "reported")


def under_norm(token: Token, lex: Lexicon) -> bool:
    """Whether the word describes a rule or its enforcement ('a ban on exports of coal')."""
    return any(a.lemma_.lower() in lex.norms for a in list(token.ancestors)[:3])


def modality(trigger: Token, lex: Lexicon) -> str:
    """The modality of what the trigger tells: cues on the trigger and the verbs above it."""
    found: set[str] = set()
    chain = [trigger, *trigger.ancestors]
    # auxiliaries and adverbs count on the trigger and up to the verb of its clause
    clause = next((i for i, t in enumerate(chain) if t.pos_ in ("VERB", "AUX")), 0)
    for depth, token in enumerate(chain):
        lemma = token.lemma_.lower()
        close = depth <= max(1, clause)
        if close and any(c.dep_ == "neg" or c.lower_ in lex.modality_words["denied"] or any(
                d.dep_ == "det" and d.lower_ in lex.modality_words["denied"] for d in c.children)
                for c in token.children if c.dep_ in ("neg", "advmod", "dobj", "nsubjpass", "det")):
            found.add("denied")
        for kind in _MODALITY_ORDER:
            if lemma in lex.modality_verbs[kind]:
                found.add(kind)
        if close:
            near = [c for c in token.children if c.dep_ in ("aux", "advmod", "mark", "acomp", "prep", "amod")]
            for c in near:
                for kind in _MODALITY_ORDER:
                    if c.lemma_.lower() in lex.modality_words[kind] or c.lower_ in lex.modality_words[kind]:
                        found.add(kind)
    return next((m for m in _MODALITY_ORDER if m in found), "asserted")


def reporting(token: Token, lex: Lexicon) -> bool:
    """Whether a token hangs off a reporting or confirming verb ('… said on Tuesday', 'the Kremlin
    on Wednesday confirmed that …'): the date of the telling, not of the act."""
    return any(a.lemma_.lower() in lex.report_verbs or a.lemma_.lower() in lex.confirm_verbs
               for a in list(token.ancestors)[:2])


def date(trigger: Token, sent: Span, lex: Lexicon) -> str | None:
    """The date nearest the trigger in the parse, else in the sentence (not a reporting date)."""
    for token in bfs(trigger, 3):
        if token._.date is not None and token._.date._.value and not reporting(token, lex):
            return token._.date._.value
    candidates = [d for d in sent.doc.spans["dates"] if sent.start <= d.start < sent.end and d._.value
                  and not reporting(d.root, lex)]
    if not candidates:
        return None
    return min(candidates, key=lambda d: abs(d.start - trigger.i))._.value


def _speaker(heads: list[Token]) -> str | None:
    for head in heads:
        for token in bfs(head, 2):
            actor = token._.actor
            if actor is not None:
                return actor._.name if actor._.kind == "person" and actor._.name else actor.text
        ent = next((e for e in head.doc.ents if e.start <= head.i < e.end
                    and e.label_ in ("PERSON", "ORG", "NORP", "GPE")), None)
        if ent is not None:
            return ent.text
    return None


def attribution(trigger: Token, sent: Span, lex: Lexicon,
                parties: set[Span | None]) -> dict[str, tuple[str, ...]]:
    """`reported_by` and `confirmed_by`: the subjects of reporting and confirming verbs above the
    trigger, the object of 'according to', and the media the sentence names."""
    reported: list[str] = []
    confirmed: list[str] = []
    for token in trigger.ancestors:
        lemma = token.lemma_.lower()
        bucket = confirmed if lemma in lex.confirm_verbs else reported if lemma in lex.report_verbs else None
        if bucket is None:
            continue
        speaker = _speaker([c for c in token.children if c.dep_ == "nsubj"])
        if speaker:
            bucket.append(speaker)
    for token in sent:
        if token.lower_ == "according" and token.i + 1 < len(token.doc):
            nxt = token.doc[token.i + 1]
            speaker = _speaker(prep_objects(nxt.head, ("to",)) or list(nxt.children))
            if speaker:
                reported.append(speaker)
    for actor in sent.doc.spans["actors"]:
        if actor._.kind == "media" and sent.start <= actor.start < sent.end and actor not in parties:
            reported.append(actor._.name or actor.text)
    return {"reported_by": tuple(dict.fromkeys(reported)), "confirmed_by": tuple(dict.fromkeys(confirmed))}

"""Patterns built from the knowledge base: who and what the text names, matched on the tokenizer.

Names of several words match case-insensitively ("KIM Jong Un", "Workers’ Party"); short names,
abbreviations and names that are also common words ("US", "Chad", "China") match only as
written, so "us" the pronoun or "china" the porcelain never become states. Goods terms match in
singular and plural. Ship names also match with a hyphen before their number ("Sam Jong-2") and
in capitals ("KOTI"); one that is also a place, a person's name or a word ("Mi Rim", "Koti") is
labelled VESSEL_CONTEXT, and the resolver keeps it only in capitals or next to a ship word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..kb import KnowledgeBase

# Ruler labels: what kind of entity a KB match is.
PERSON, ORG, COUNTRY, DEMONYM, CONTEXT = "KB_PERSON", "KB_ORG", "KB_COUNTRY", "KB_DEMONYM", "KB_CONTEXT"
VESSEL, VESSEL_CONTEXT = "KB_VESSEL", "KB_VESSEL_CONTEXT"
GOODS, AMBIGUOUS = "GOODS", "GOODS_AMBIGUOUS"


@dataclass(frozen=True)
class Match:
    start: int  # token indices
    end: int
    label: str
    kb_id: str


def name_variants(name: str) -> set[str]:
    """Spellings news uses for one name: Kim Jong Un, Kim Jong-un, Kim Jongun."""
    out = {name}
    parts = name.split()
    if len(parts) >= 3 and all(p[:1].isupper() for p in parts):
        out.add(" ".join(parts[:-2]) + f" {parts[-2]}-{parts[-1].lower()}")
        out.add(" ".join(parts[:-2]) + f" {parts[-2]}{parts[-1].lower()}")
    if "-" in name:
        out.add(name.replace("-", " "))
    return out


def vessel_variants(name: str) -> set[str]:
    """Spellings of a ship's name: as listed, in capitals, with a hyphen before its number (Sam Jong-2)."""
    out = {name, name.upper()}
    head, _, number = name.rpartition(" ")
    if head[-1:].isalpha() and number.isdigit():
        out |= {f"{head}-{number}", f"{head}-{number}".upper()}
    return out


def plural(word: str) -> str:
    if re.search(r"(s|sh|ch|x|z)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def term_forms(term: str) -> set[str]:
    """A goods term and its plural (the plural inflects the last word: artillery shells)."""
    head, _, last = term.rpartition(" ")
    return {term, (head + " " if head else "") + plural(last)}


def _exact(alias: str, ambiguous: Iterable[str]) -> bool:
    """Match only as written: single words, abbreviations, names that are common words."""
    return " " not in alias.strip() or alias.isupper() or alias in set(ambiguous)


class Gazetteer:
    """Every name of the KB, compiled into spaCy matchers for one vocabulary."""

    def __init__(self, nlp: Language, kb: KnowledgeBase) -> None:
        self.kb = kb
        # NORM is the lower-cased form with typographic variants folded (’ → ')
        self._lower = PhraseMatcher(nlp.vocab, attr="NORM")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._goods = PhraseMatcher(nlp.vocab, attr="NORM")
        for label, kb_id, alias, ambiguous in self._names():
            key = f"{label}|{kb_id}"
            matcher = self._exact if _exact(alias, ambiguous) else self._lower
            matcher.add(key, [nlp.make_doc(alias)])
        for goods in kb.goods.values():
            for term in goods.names:
                key = f"{AMBIGUOUS if term in goods.ambiguous else GOODS}|{goods.id}"
                self._goods.add(key, [nlp.make_doc(f) for f in sorted(term_forms(term.lower()))])

    def _names(self) -> Iterator[tuple[str, str, str, tuple[str, ...]]]:
        for c in self.kb.countries.values():
            for alias in c.names:
                yield COUNTRY, c.id, alias, c.ambiguous
            for alias in c.demonyms:
                yield DEMONYM, c.id, alias, c.ambiguous
            for alias in c.context_names:
                yield CONTEXT, c.id, alias, c.ambiguous
        for p in self.kb.people.values():
            for alias in p.names:
                for variant in name_variants(alias):
                    yield PERSON, p.id, variant, p.ambiguous
        for o in self.kb.organisations.values():
            for alias in o.names:
                yield ORG, o.id, alias, o.ambiguous
        for v in self.kb.vessels.values():
            for alias in v.names:
                label = VESSEL_CONTEXT if alias in v.ambiguous else VESSEL
                for variant in vessel_variants(alias):
                    yield label, v.id, variant, ()

    def matches(self, doc: Doc) -> list[Match]:
        """Non-overlapping KB name matches, longest first, in text order."""
        found: list[Match] = []
        for matcher in (self._lower, self._exact):
            for key, start, end in matcher(doc):
                label, kb_id = doc.vocab.strings[key].split("|", 1)
                found.append(Match(start, end, label, kb_id))
        return _longest(found)

    def goods(self, doc: Doc) -> list[Match]:
        """Goods terms; a term that names goods only in context ("shells") is labelled AMBIGUOUS."""
        found = [Match(s, e, *doc.vocab.strings[k].split("|", 1)) for k, s, e in self._goods(doc)]
        return _longest(found)


def _longest(found: list[Match]) -> list[Match]:
    taken: set[int] = set()
    kept: list[Match] = []
    # longest first; on a tie, a name that stands on its own before one that needs context
    for m in sorted(found, key=lambda m: (m.start - m.end, m.label in (CONTEXT, VESSEL_CONTEXT), m.start)):
        if taken.isdisjoint(range(m.start, m.end)):
            kept.append(m)
            taken.update(range(m.start, m.end))
    return sorted(kept, key=lambda m: m.start)

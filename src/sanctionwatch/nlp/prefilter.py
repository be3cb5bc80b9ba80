"""The cheap first pass: can this article yield a flag at all?

A flag needs a party of a state under a regime and a covered good or activity; both are named
in words the knowledge base and the trigger lexicon know. One Aho-Corasick pass over the
lower-cased text finds them, as whole words ("Ri" is a name, not the "ri" of "price"); cue words
of activities match as word starts, so "launder" finds "laundered". The pass may let through
articles that yield nothing, but it never turns away one that could: every name and term the
resolver or the event extractor can use is in the automaton.
"""

from __future__ import annotations

import ahocorasick

from ..kb import KnowledgeBase
from ..rules import RuleSet
from .gazetteer import name_variants, term_forms
from .lexicon import Lexicon

_PARTY, _SUBJECT = 1, 2
_WHOLE = 4  # the match must end at a word end too
# Irregular forms of cue words the extractor matches by lemma.
_IRREGULAR = {"steal": ("stole", "stolen")}


class Prefilter:
    def __init__(self, kb: KnowledgeBase, rules: RuleSet, lexicon: Lexicon) -> None:
        targets = rules.targets
        automaton = ahocorasick.Automaton()

        def add(word: str, kind: int, whole: bool = True) -> None:
            key = word.lower().strip()
            if key:
                automaton.add_word(key, (len(key), automaton.get(key, (0, 0))[1] | kind | (_WHOLE * whole)))

        for country in (kb.countries[t] for t in targets if t in kb.countries):
            for name in (country.name, country.official, *country.aliases, *country.demonyms,
                         *country.metonyms):
                if name:
                    add(name, _PARTY)
        for entry in (*kb.people.values(), *kb.organisations.values()):
            if entry.country in targets:
                for name in (entry.name, *entry.aliases, *getattr(entry, "short", ())):
                    for variant in name_variants(name):
                        add(variant, _PARTY)
        for goods in kb.goods.values():
            for term in (goods.name, *goods.terms):
                for form in term_forms(term):
                    add(form, _SUBJECT)
        for org in kb.organisations.values():
            if org.makes:
                for name in (org.name, *org.aliases):
                    add(name, _SUBJECT)
        for cue in lexicon.activities:
            for word in cue.words:
                add(word, _SUBJECT, whole=False)
                for form in _IRREGULAR.get(word, ()):
                    add(form, _SUBJECT, whole=False)
        automaton.make_automaton()
        self._automaton = automaton

    def may_flag(self, text: str) -> bool:
        seen = 0
        lowered = text.lower()
        size = len(lowered)
        for end, (length, kinds) in self._automaton.iter(lowered):
            start = end - length + 1
            if start > 0 and lowered[start - 1].isalnum():
                continue
            if kinds & _WHOLE and end + 1 < size and lowered[end + 1].isalnum():
                continue
            seen |= kinds
            if seen & (_PARTY | _SUBJECT) == _PARTY | _SUBJECT:
                return True
        return False

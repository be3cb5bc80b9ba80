"""The cheap first pass: which stretches of an article can yield a flag at all?

A flag needs a party of a state under a regime and, in one sentence, a transfer of goods a
provision covers (a trigger word and the goods) or an activity it names. All are told in words
the knowledge base, the rules and the trigger lexicon know. One Aho-Corasick pass over the
lower-cased text finds them, as whole words ("Ri" is a name, not the "ri" of "price"); cue words
of activities match as word starts, so "launder" finds "laundered", and a cue that needs a
companion word ("workers" … "sent") counts only in a sentence that has one. The pass lets
through text that yields nothing, but it never turns away text that could: every name and term
the resolver or the event extractor can use for a flag is in the automaton.

Without a list screener, that is exact. With one, a designated-party flag between parties of
states outside every regime can be missed: such a flag needs no regime state in the text, and
the pass looks for regime states only.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import ahocorasick

from ..kb import GoodsEntry, KnowledgeBase
from ..model import Focus
from .gazetteer import name_variants, term_forms
from .lexicon import Lexicon
from .sentences import sentence_starts

_PARTY, _COVERED, _WHOLE = 1, 2, 4  # _WHOLE: the match must end at a word end too
_CUE, _WITH = 8, 8 << 16  # bits of activity cues (8 << i) and of their companion words
_TRIGGER, _GOODS, _LUXURY, _ACTIVITY = 1 << 36, 1 << 37, 1 << 38, 1 << 39
_QUALIFIED = 1 << 40  # a cue right after a regime state's name: "North Korean workers"
_QUALIFIER_REACH = 60  # characters: a qualifier and its noun sit closer than that
# The typographic variants the resolver's NORM matching folds.
_FOLD = str.maketrans({"’": "'", "‘": "'"})
# Irregular forms of words the extractor matches by lemma.
_IRREGULAR = {"steal": ("stole", "stolen"), "send": ("sent",), "run": ("ran",), "set": ("set",),
              "take": ("took", "taken"), "get": ("got", "gotten"), "hold": ("held",),
              "give": ("gave", "given"), "sell": ("sold",), "bring": ("brought",), "buy": ("bought",),
              "lend": ("lent",), "drive": ("drove", "driven"), "ride": ("rode", "ridden"),
              "see": ("saw", "seen"), "fly": ("flew", "flown")}


def inflections(word: str) -> set[str]:
    """The forms of an English word in running text: send, sends, sending, sent; hire, hired."""
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing", *_IRREGULAR.get(word, ())}
    if word.endswith("e"):
        forms.add(word[:-1] + "ing")
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if len(word) > 2 and word[-1] not in "aeiouwy" and word[-2] in "aeiou":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}  # ship, shipped
    return forms


class Prefilter:
    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon, focus: Focus) -> None:
        targets = focus.states
        self._classes = focus.classes
        self._hs = focus.hs
        activities = focus.activities
        assert len(lexicon.activities) <= 16, "the cue bits hold 16 activities"
        automaton = ahocorasick.Automaton()

        def add(word: str, kind: int, whole: bool = True) -> None:
            key = word.lower().strip()
            if key:
                kinds = automaton.get(key, (0, 0))[1] | kind | (_WHOLE * whole)
                automaton.add_word(key, (len(key), kinds))

        for country in (kb.countries[t] for t in targets if t in kb.countries):
            for name in (*country.names, *country.demonyms):
                add(name, _PARTY)
        for entry in (*kb.people.values(), *kb.organisations.values(), *kb.vessels.values()):
            if entry.country in targets:  # a ship's is its flag
                for name in (*entry.names, *getattr(entry, "short", ())):
                    for variant in name_variants(name):
                        add(variant, _PARTY)
        for goods in kb.goods.values():
            for term in goods.names:
                for form in term_forms(term):
                    add(form, _GOODS | (_COVERED if self._covered(goods) else 0))
        for org in kb.organisations.values():
            if org.makes:
                covered = org.luxury or any(self._covered(kb.goods[g]) for g in org.makes)
                for name in org.names:
                    add(name, _GOODS | (_COVERED if covered else 0))
        for word in lexicon.luxury_words:  # "luxurious" makes any goods luxury goods
            add(word, _LUXURY)
        for word in (*lexicon.giver_verbs, *lexicon.receiver_verbs, *lexicon.giver_nouns,
                     *lexicon.receiver_nouns):
            for form in inflections(word):
                add(form, _TRIGGER)
        for i, cue in enumerate(lexicon.activities):
            if cue.activity_id not in activities:
                continue  # no provision names it
            if cue.with_classes:  # its sentence also holds covered goods and names the cue
                for word in cue.words:
                    add(word, _TRIGGER, whole=False)
                continue
            for word in cue.words:
                for form in (word, *_IRREGULAR.get(word, ())):
                    add(form, _ACTIVITY if not cue.with_words else _CUE << i, whole=False)
            for word in cue.with_words:
                for form in inflections(word):
                    add(form, _WITH << i)
        automaton.make_automaton()
        self._automaton = automaton

    def _covered(self, goods: GoodsEntry) -> bool:
        """Whether some provision covers these goods (by class or HS heading)."""
        return not self._classes.isdisjoint(goods.classes) or any(
            (goods.hs or "").startswith(h) for h in self._hs)

    def _hits(self, text: str) -> Iterator[tuple[int, int, int]]:
        """(start, end, kinds) of every whole-word match; offsets index the text as given."""
        lowered = text.lower().translate(_FOLD)
        size = len(lowered)
        for end, (length, kinds) in self._automaton.iter(lowered):
            start = end - length + 1
            if start > 0 and lowered[start - 1].isalnum():
                continue
            if kinds & _WHOLE and end + 1 < size and lowered[end + 1].isalnum():
                continue
            yield start, end + 1, kinds

    def scan(self, text: str) -> Scan:
        """Where the text's sentences start, whether it names a party of a state under a regime,
        and which sentences name covered goods with a transfer word, or an activity."""
        starts = sentence_starts(text)
        party = False
        party_end = -_QUALIFIER_REACH - 1
        per_sentence: dict[int, int] = {}
        for start, end, kinds in self._hits(text):
            # a cue just after a regime state's name, not inside one ("Workers' Party of Korea")
            if kinds >> 3 & 0xFFFF and 0 <= start - party_end <= _QUALIFIER_REACH:
                kinds |= _QUALIFIED
            if kinds & _PARTY:
                party, party_end = True, max(party_end, end)
            n = bisect.bisect_right(starts, start) - 1
            per_sentence[n] = per_sentence.get(n, 0) | kinds
        return Scan(starts, party, [n for n, kinds in sorted(per_sentence.items()) if _subject(kinds)])

    def windows(self, text: str, scan: Scan | None = None,
                also: Iterable[int] = ()) -> list[tuple[int, int]] | None:
        """The stretches of an article worth parsing, or None when it cannot yield a flag.

        Every event a rule can flag is told in a sentence that names its goods or activity (or
        that the learned classifier picks: `also`, sentence numbers); its parties, dates and the
        goods it refers back to are in that sentence or the one before it, or were named in full
        earlier (the analyzer carries those over). So: each such sentence, with the sentence
        before and after it, merged where they touch.
        """
        scan = scan or self.scan(text)
        starts = scan.starts
        subjects = sorted(set(scan.subjects) | set(also))
        if not scan.party or not subjects:
            return None
        if len(text.lower()) != len(text):  # lower-casing moved offsets (rare scripts): parse all
            return [(0, len(text))]
        return _merge((starts[max(0, n - 1)], starts[n + 2] if n + 2 < len(starts) else len(text))
                      for n in subjects)


@dataclass(frozen=True)
class Scan:
    starts: list[int]  # where each sentence starts (nlp.sentences)
    party: bool  # the text names a party of a state under a regime
    subjects: list[int]  # the sentences that name covered goods with a transfer word, or an activity


def _subject(kinds: int) -> bool:
    """A sentence tells a transfer of covered goods (luxurious goods are covered), or names an
    activity: with its companion word where it needs one, or qualified by a regime state."""
    goods = kinds & _COVERED or (kinds & _GOODS and kinds & _LUXURY)
    return bool(kinds & _TRIGGER and goods) or bool(kinds & (_ACTIVITY | _QUALIFIED)) or bool(
        (kinds >> 3) & (kinds >> 19) & 0xFFFF)


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for left, right in spans:
        if merged and left <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], right))
        else:
            merged.append((left, right))
    return merged

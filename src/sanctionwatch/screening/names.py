"""Names brought to a comparable form: tokens, the cross-script name symbols they carry, blocking keys.

The analysis is the OpenSanctions one (rigour): transliteration to Latin, honorific and
legal-form handling, and the person-name symbols (Wikidata name ids) that tie "Чен Ын",
"정은" and "Jong Un" together. Listed names are tagged with rigour's tagger when the index is
compiled; a query is analysed without it and finds its symbols in the index (`with_symbols`),
so no process that screens ever loads the tagger. Around the analysis, three steps rigour
leaves to the caller: invisible characters are dropped, letters of another script posing as
Latin ones inside a Latin name (homoglyphs) are folded back with ICU's confusable skeletons,
and a Korean or Chinese name written as one block is split after the family name.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources

import icu
import yaml
from rigour.names import NamePartTag, NameTypeTag, SymbolCategory, analyze_names, tokenize_name
from rigour.text.phonetics import metaphone
from rigour.text.scripts import text_scripts
from rigour.text.stopwords import is_stopword

# The kind of thing a name names -> rigour's name type (drives prefix, legal-form and name tagging).
NAME_TYPES = {"person": NameTypeTag.PER, "org": NameTypeTag.ORG, "vessel": NameTypeTag.OBJ,
              "other": NameTypeTag.ENT}
# FtM schema -> kind.
SCHEMA_KINDS = {"Person": "person", "Organization": "org", "Company": "org", "LegalEntity": "org",
                "PublicBody": "org", "Vessel": "vessel", "Airplane": "vessel"}

_VOWELS = frozenset("aeiou")
_HANGUL_SYLLABLES = range(0xAC00, 0xD7A4)
_HAN = range(0x4E00, 0xA000)  # CJK unified ideographs
_SPOOF = icu.SpoofChecker()
# Symbols of words that are not names: titles, generational numbers, legal forms.
_MARKERS = (SymbolCategory.SYMBOL, SymbolCategory.NUMERIC, SymbolCategory.ORG_CLASS)
_LEGAL_FORM = f"{SymbolCategory.ORG_CLASS.value}:"


@cache
def word_list(key: str) -> frozenset[str]:
    """A word list of data/generic_names.yaml: `words` (generic organ names), `vessel_words`."""
    text = resources.files(__package__).joinpath("data/generic_names.yaml").read_text(encoding="utf-8")
    return frozenset(yaml.safe_load(text)[key])


@dataclass(frozen=True)
class NameForm:
    """One name, analysed: its tokens in order, and what rigour recognised in them."""

    text: str
    tokens: tuple[str, ...]
    # symbol -> the tokens it spans: a person-name id (Q…), or a word class ('SYMBOL:CO') in other names
    symbols: tuple[tuple[str, tuple[int, ...]], ...] = ()
    ignorable: frozenset[int] = frozenset()  # titles, generational suffixes, legal forms
    weak: bool = False  # a weak (low-quality) alias on the list
    required: frozenset[int] = frozenset()  # tokens a shortened form of a person's name keeps
    transliterated: bool = False  # written in another script: its Latin spelling is a guess
    kind: str = "other"  # person, org, vessel, other
    # The tokens as written (case folded, in their own script): how the name corpus spells them.
    forms: tuple[str, ...] = ()
    # Tokens that are words of the listed names (found in the index): a name of its own, so a
    # token one letter off it is another name, not a slip ('Kil' / 'Kim').
    listed: frozenset[int] = frozenset()

    def to_json(self) -> list:
        return [self.text, list(self.tokens), [[s, list(i)] for s, i in self.symbols],
                sorted(self.ignorable), self.weak, sorted(self.required), self.kind]

    @classmethod
    def from_json(cls, data: list) -> NameForm:
        text, tokens, symbols, ignorable, weak, required, kind = data
        return cls(text, tuple(tokens), tuple((s, tuple(i)) for s, i in symbols), frozenset(ignorable), weak,
                   frozenset(required), other_script(text), kind,
                   listed=frozenset(_key_indices(tokens, ignorable)))  # what the index keys it by


def clean_text(text: str) -> str:
    """Unicode-normalised text without invisible characters, homoglyphs folded, Hangul names split."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    scripts = text_scripts(text)
    if "Latin" in scripts and len(scripts) > 1:
        text = "".join(_latin_lookalike(ch) for ch in text)
    capitals = [ch for ch in text if ch.isalpha() and ch != "l"]
    shouted = len(capitals) >= 3 and all(ch.isupper() for ch in capitals)  # 'Rl JE-SON', not 'Kim Jong Il'
    words = [_ocr_repaired(word, shouted) for word in text.split()]
    text = " ".join(words)
    if len(words) == 1 and 2 <= len(words[0]) <= 4 and (all(ord(ch) in _HANGUL_SYLLABLES for ch in words[0])
                                                       or all(ord(ch) in _HAN for ch in words[0])):
        text = f"{words[0][0]} {words[0][1:]}"  # 김정은, 金正恩 -> 김 정은, 金 正恩: family, then given name
    return text


def _ocr_repaired(word: str, shouted: bool) -> str:
    """A digit inside a word of letters read as the letter it looks like ('H0' -> 'HO'), and, in
    a name written in capitals, a lower-case l as the capital I it stands for ('Rl' -> 'RI')."""
    letters = [ch for ch in word if ch.isalpha()]
    if not letters:
        return word
    if any(ch.isdigit() for ch in word):
        word = "".join(_SPOOF.getSkeleton(0, ch) if ch.isdigit() else ch for ch in word)
    others = [ch for ch in letters if ch != "l"]
    if shouted and len(letters) >= 2 and others and all(ch.isupper() for ch in others):
        word = word.replace("l", "I")
    return word


def _latin_lookalike(ch: str) -> str:
    if not ch.isalpha() or ch.isascii():
        return ch
    skeleton = _SPOOF.getSkeleton(0, ch)
    return skeleton if len(skeleton) == 1 and skeleton.isascii() and skeleton.isalpha() else ch


def other_script(text: str) -> bool:
    """Whether a name is (partly) written in a script other than Latin: its Latin spelling is
    a transliteration, so spellings are compared more loosely."""
    return bool(text_scripts(text) - {"Latin"})


@lru_cache(maxsize=8192)
def analyse(text: str, kind: str = "other", weak: bool = False, symbols: bool = False) -> NameForm | None:
    """The comparable form of a name, or None when nothing of it is left to compare.

    With `symbols`, rigour's tagger marks the names and words it knows (in any script); the
    tagger takes seconds to load, so only the index compiler asks for it.
    """
    names = analyze_names(NAME_TYPES.get(kind, NameTypeTag.ENT), [clean_text(text)], consolidate=False,
                          phonetics=False, symbols=symbols)
    if not names:
        return None
    name = max(names, key=lambda n: len(n.parts))
    tokens = tuple(part.comparable for part in name.parts)
    if not any(tokens):
        return None
    found: list[tuple[str, tuple[int, ...]]] = []
    marked: set[int] = set()
    legal: set[int] = set()
    for span in name.spans:
        indices = tuple(part.index for part in span.parts)
        if span.symbol.category == SymbolCategory.NAME:
            found.append((span.symbol.id, indices))
        elif span.symbol.category in _MARKERS:
            marked.update(indices)
            if kind != "person":  # 'Co' and 'Company', 'Mgmt' and 'Management' name the same word
                found.append((f"{span.symbol.category.value}:{span.symbol.id}", indices))
            if span.symbol.category == SymbolCategory.ORG_CLASS:
                legal.update(indices)
    ignorable = {p.index for p in name.parts if p.tag == NamePartTag.LEGAL} | legal
    if kind == "person":  # "Sheikh", "Jr", "II": words which add nothing to a name
        ignorable |= marked | _affixes(tokens)
    else:  # 'of', 'the'; and 'the tanker' before a ship's name
        ignorable |= {i for i, t in enumerate(tokens) if is_stopword(t)
                      or (kind == "vessel" and t in word_list("vessel_words"))}
    ignorable = {i for i in ignorable if i < len(tokens)}
    required = _required(text, tokens, ignorable) if kind == "person" else frozenset()
    return NameForm(text=text, tokens=tokens, symbols=tuple(sorted(set(found))),
                    ignorable=frozenset(ignorable), weak=weak, required=required,
                    transliterated=other_script(text), kind=kind,
                    forms=tuple(part.form for part in name.parts))


def _affixes(tokens: tuple[str, ...]) -> set[int]:
    """Titles and generational suffixes at either end of a person's name ('gen', 'jr', 'ii'),
    as long as two tokens are left."""
    words = word_list("person_affixes")
    found: set[int] = set()
    start, end = 0, len(tokens) - 1
    while end - start >= 2 and tokens[start] in words:
        found.add(start)
        start += 1
    while end - start >= 2 and tokens[end] in words:
        found.add(end)
        end -= 1
    return found


def _required(text: str, tokens: tuple[str, ...], ignorable: set[int]) -> frozenset[int]:
    """The tokens of a person's name that a shortened form keeps: the first and the last (a
    middle name may go), or for 'FAMILY, Given Middle' the family name and the first given name."""
    kept = [i for i in range(len(tokens)) if i not in ignorable]
    if not kept:
        return frozenset()
    family, comma, _ = text.partition(",")
    if comma:
        n_family = len(tokenize_name(family.lower()))
        if 0 < n_family < len(kept):
            return frozenset(kept[: n_family + 1])
    return frozenset({kept[0], kept[-1]})


def consonants(token: str) -> str:
    """The token without its inner vowels ('jong' -> 'jng'): vowel-dropping keeps this."""
    if len(token) < 3:
        return token
    return token[0] + "".join(ch for ch in token[1:-1] if ch not in _VOWELS) + token[-1]


def _key_indices(tokens: tuple[str, ...] | list[str], ignorable: frozenset[int] | list[int]) -> list[int]:
    """The tokens a name is indexed by: all but the ignorable ones, unless nothing else is left."""
    return [i for i in range(len(tokens)) if i not in ignorable] or list(range(len(tokens)))


def _key_tokens(form: NameForm) -> list[str]:
    return [form.tokens[i] for i in _key_indices(form.tokens, form.ignorable)]


def blocking_keys(form: NameForm) -> set[str]:
    """The index keys of a name: tokens, their sounds, parts of them, adjacent tokens run together.

    A query and a listed name that could match share at least one key even when one token is
    misspelt, split or run together; `symbol_keys` adds the keys of other spellings.
    """
    keys: set[str] = set()
    tokens = _key_tokens(form)
    for token in tokens:
        keys.add(f"t:{token}")
        if len(token) >= 3 and token.isalpha():
            keys.add(f"m:{metaphone(token)}")
            keys.add(f"c:{consonants(token)}")
        if len(token) >= 4:
            keys.add(f"p:{token[:3]}")
            keys.add(f"s:{token[-3:]}")
    for first, second in zip(tokens, tokens[1:], strict=False):
        keys.add(f"t:{first}{second}")
    return keys


def symbol_keys(form: NameForm) -> set[tuple[str, str]]:
    """(name symbol, token key) pairs: how the index finds 'gim' or 'chen yn' from 'kim' or 'jong un'."""
    return {(symbol, "t:" + "".join(form.tokens[i] for i in indices)) for symbol, indices in form.symbols}


def span_keys(form: NameForm, longest: int = 3) -> dict[str, tuple[int, ...]]:
    """Key -> the tokens it spans, for every run of up to `longest` adjacent tokens: their
    comparable form run together ('t:jongun', as listed names are keyed) and their written
    form ('f:чен ын', as the name corpus spells names). A name in another script is looked up
    as written only: its transliteration ('킴' -> 'kim') would bring in every name the Latin
    spelling stands for ('kim' is also a reading of 金, 'jin')."""
    spans = {}
    for size in range(1, longest + 1):
        for start in range(len(form.tokens) - size + 1):
            indices = tuple(range(start, start + size))
            if not form.transliterated or not form.forms:
                spans.setdefault("t:" + "".join(form.tokens[i] for i in indices), indices)
            if len(form.forms) == len(form.tokens):
                spans.setdefault("f:" + " ".join(form.forms[i] for i in indices), indices)
    return spans


def corpus_key(spelling: str) -> str:
    """The key of a spelling from the name corpus, as `span_keys` writes the tokens it spans."""
    return "f:" + " ".join(tokenize_name(spelling.casefold()))


def with_symbols(form: NameForm, found: dict[str, set[str]]) -> NameForm:
    """The form with the symbols an index found for its token runs (see `span_keys`); in an
    organisation's name, the tokens of a legal form ('Ltd') become ignorable."""
    symbols = {(symbol, indices) for key, indices in span_keys(form).items() for symbol in found.get(key, ())}
    ignorable = set(form.ignorable)
    if form.kind != "person":
        ignorable.update(i for symbol, indices in symbols if symbol.startswith(_LEGAL_FORM) for i in indices)
    return replace(form, symbols=tuple(sorted(symbols)), ignorable=frozenset(ignorable))

"""How alike two analysed names are: token similarity, alignment of the tokens, and a score.

The score is symmetric: `compare_names(a, b)` and `compare_names(b, a)` agree, whichever is the
query and whichever the listed name, so a pair of names has one score. Word order does not
matter (tokens are aligned, not compared in sequence). A short token one letter off another is
a slip only when they are not both words of the listed names (`NameForm.listed`, found in the
index): 'Kil' is not 'Kim' misspelt when both are names on the lists. A token of one name may stand for two
run-together tokens of the other ('jongun' / 'jong un'), and a name symbol aligns spellings in
different scripts ('chen yn' / 'jong un'). What decides is what is left over:

- nothing: the same name, as well as its tokens agree;
- tokens on both sides ('Kim Yo Jong' / 'Kim Jong Un'): different people;
- tokens of one name only: for a person, a dropped middle name, patronymic or generational
  syllable ('Ri Chol' / 'Ri Pyong Chol', 'Pyotr Orlov' / 'ORLOV, Pyotr Sergeyevich') when the
  rest is spelt the same (a name in another script than the other is at best the same name, never
  the same spelling: 'Ри Чол' is not 'Ri Pyong Chol') and what is missing is not the family name
  or the first given name;
  the score then says what was dropped. For an organisation or a vessel, the part named must
  be most of the name: 'Workers' Party of Korea' is not its Central Military Commission.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz.distance import OSA
from rigour.text.phonetics import metaphone

from .names import NameForm, consonants

# Token similarities. Many names are made of short syllables (Korean 'Jong', 'Jang', 'Jung' are
# three names), so an edit in a short token is weak evidence, and a name that is also missing a
# token must match the rest exactly.
SAME_SYMBOL = 0.9  # a name in another script that rigour knows as this one (Ким, 김 / Kim)
SYMBOL_VARIANT = 0.6  # two Latin spellings of one name (Ri / Li / Lee): names of many people
SAME_WORD = 0.95  # one word, abbreviated or not: 'Co' / 'Company'
INITIAL = 0.75  # 'J' for 'Jong'
TRUNCATED = 0.85  # the last token cut short by a field limit: 'Chol' for 'Cholsu'
VOWELS_DROPPED = 0.85
SOUNDS_ALIKE = 0.8
SHORT_EDIT = 0.75  # one edit in a token of four letters or fewer…
SHORT_WORD = 4  # … unless both tokens are words of the listed names: then they are two names
EDIT_COST = 0.5  # similarity lost per edit in a longer token, relative to its length
MIN_TOKEN = 0.6
TRUNCATION_LENGTH = 18  # only a name this long may have been cut off by a field limit
PARTIAL_INEXACT = 0.85  # a shortened name whose remaining tokens are not all spelt the same
SEVERAL_EDITED = 0.9  # more than one token of two Latin names misspelt
SAME_LETTERS = 0.95  # the same letters, split into tokens elsewhere: 'Jes-on' / 'Je-son'
# A person's name less a middle part scores DROPPED_BASE, plus up to 1 - DROPPED_BASE by the
# share of the longer name it keeps: 'Ri Chol' / 'Ri Pyong Chol' 0.92, 'Pyotr Orlov' /
# 'Orlov Pyotr Sergeyevich' 0.90.
DROPPED_BASE = 0.8
OTHER_PERSON = 0.75  # each name has a token the other lacks, or a family or first name is gone
ONE_TOKEN = 0.6  # one token in common ('Kim') names no one in particular
OTHER_NUMBER = 0.5  # each name has a number the other lacks: 'Puksong 8' is another ship than 'Puksong 7'


def allowed_edits(length: int, loose: bool = False) -> int:
    """Typos a token of this length may carry and still be the same token; `loose` when a name
    is transliterated from another script, whose Latin spelling is itself a guess (one edit more,
    where the two spellings differ only at one end: see `_at_one_end`)."""
    if length <= 2:
        edits = 0
    elif length <= 5:
        edits = 1
    else:
        edits = 2 if length <= 9 else 3
    return edits + (loose and length >= 4)


def token_similarity(a: str, b: str, a_cut: bool = False, b_cut: bool = False,
                     loose: bool = False) -> tuple[float, str]:
    """How alike two tokens are (0 to 1), and how: same, initial, truncated, vowels, fuzzy, sound.
    Symmetric. `a_cut`, `b_cut`: that token may have been cut off by a field limit."""
    if (b, b_cut) < (a, a_cut):
        a, b, a_cut, b_cut = b, a, b_cut, a_cut
    return _similarity(a, b, a_cut, b_cut, loose)


@lru_cache(maxsize=1 << 17)
def _similarity(a: str, b: str, a_cut: bool, b_cut: bool, loose: bool) -> tuple[float, str]:
    if a == b:
        return 1.0, "same"
    if a.isdigit() or b.isdigit():
        return 0.0, "number"  # 'Nam San 8' is not 'Nam San 6'
    if len(a) == 1 or len(b) == 1:
        return (INITIAL if a[0] == b[0] else 0.0), "initial"
    if (a_cut and len(a) >= 3 and b.startswith(a)) or (b_cut and len(b) >= 3 and a.startswith(b)):
        return TRUNCATED, "truncated"
    skeleton_a, skeleton_b = consonants(a), consonants(b)
    if skeleton_a == skeleton_b and (a == skeleton_a or b == skeleton_b):
        return VOWELS_DROPPED, "vowels"  # 'Jng' for 'Jong'
    longest = max(len(a), len(b))
    allowed = allowed_edits(longest, loose and _at_one_end(a, b))
    edits = OSA.distance(a, b, score_cutoff=allowed + 1)
    if edits <= allowed or (longest == 2 and sorted(a) == sorted(b)):
        return (SHORT_EDIT if longest <= 4 else max(SHORT_EDIT, 1.0 - EDIT_COST * edits / longest)), "fuzzy"
    if edits <= allowed + 1 and a[0] != b[0] and metaphone(a) == metaphone(b) != "":
        return SOUNDS_ALIKE, "sound"  # 'Zu' for 'Su', 'Kasim' for 'Qasim'
    return 0.0, "different"


def _at_one_end(a: str, b: str) -> bool:
    """Whether two spellings of a syllable differ at one end only, as transliterations do: the
    onset written another way ('tshol' / 'chol', 'iang' / 'jang') or a vowel added at the end
    ('yoneu' / 'yon'); not in the middle ('molg' / 'myong')."""
    if a.startswith(b) or b.startswith(a):
        return True
    shorter = min(len(a), len(b))
    return a[1 - shorter:] == b[1 - shorter:]  # all but the first letter of the shorter one


@dataclass(frozen=True)
class Alignment:
    a: tuple[int, ...]  # token indices in the first name
    b: tuple[int, ...]  # … and in the second
    score: float
    how: str  # symbol, joined, or how `token_similarity` found two tokens alike

    def swapped(self) -> Alignment:
        return Alignment(self.b, self.a, self.score, self.how)


def _spellings_agree(a: NameForm, a_indices: tuple[int, ...], b: NameForm,
                     b_indices: tuple[int, ...]) -> bool:
    """Whether a word in another script, read in Latin letters, is a spelling of the listed word
    its name symbol ties it to: a syllable such as '장' is a reading of several names, so the
    symbol alone does not say which; 'li' / 'ri' and 'iong' / 'jong' agree, 'jang' / 'chong' not."""
    if len(a_indices) != 1 or len(b_indices) != 1:
        return True
    x, y = a.tokens[a_indices[0]], b.tokens[b_indices[0]]
    allowed = allowed_edits(max(len(x), len(y)), _at_one_end(x, y))
    return OSA.distance(x, y, score_cutoff=max(1, allowed) + 1) <= max(1, allowed)


def _both_short_words(a: NameForm, a_indices: tuple[int, ...], b: NameForm,
                      b_indices: tuple[int, ...]) -> bool:
    """Whether a symbol ties two short words that are both words of the listed names: then it
    takes their spellings to agree as well ('Ri' / 'Li'), or they are two names ('Kim' / 'Jin',
    readings of one Chinese character)."""
    if len(a_indices) != 1 or len(b_indices) != 1:
        return False
    i, j = a_indices[0], b_indices[0]
    return i in a.listed and j in b.listed and max(len(a.tokens[i]), len(b.tokens[j])) <= SHORT_WORD


def _cut(form: NameForm) -> int:
    """The index of the token a field limit may have cut short (the last of a long name), or -1."""
    return len(form.tokens) - 1 if len(form.text) >= TRUNCATION_LENGTH else -1


def _candidates(a: NameForm, b: NameForm) -> list[Alignment]:
    found: list[Alignment] = []
    by_symbol: dict[str, list[tuple[int, ...]]] = {}
    for symbol, indices in b.symbols:
        by_symbol.setdefault(symbol, []).append(indices)
    loose = a.transliterated or b.transliterated
    symbol_score = SAME_SYMBOL if loose else SYMBOL_VARIANT
    for symbol, a_indices in a.symbols:
        for b_indices in by_symbol.get(symbol, ()):
            score = SAME_WORD if ":" in symbol else symbol_score
            if (":" not in symbol and (loose or _both_short_words(a, a_indices, b, b_indices))
                    and not _spellings_agree(a, a_indices, b, b_indices)):
                continue
            found.append(Alignment(a_indices, b_indices, score, "symbol"))
    cut_a, cut_b = _cut(a), _cut(b)
    for i, x in enumerate(a.tokens):
        for j, y in enumerate(b.tokens):
            score, how = token_similarity(x, y, i == cut_a, j == cut_b, loose)
            if how == "fuzzy" and max(len(x), len(y)) <= SHORT_WORD and i in a.listed and j in b.listed:
                continue  # two short names of the lists one letter apart: 'Kil' is not a slip for 'Kim'
            if score >= MIN_TOKEN:
                found.append(Alignment((i,), (j,), score, how))
    found += _joined(a, b, loose)
    found += [j.swapped() for j in _joined(b, a, loose)]
    return found


def _joined(a: NameForm, b: NameForm, loose: bool) -> list[Alignment]:
    """One token of `a` for two adjacent tokens of `b`: 'jongun' / 'jong un'."""
    found = []
    for i, x in enumerate(a.tokens):
        for j in range(len(b.tokens) - 1):
            pair = b.tokens[j] + b.tokens[j + 1]
            # The same letters, less one slip at most: 'jongun' / 'jong un', not 'choe' / 'chol su';
            # two short syllables run together are spelt exactly ('yuro' / 'yu ro', not 'yulo'),
            # unless transliterated (a Hangul 'ㄹ' is 'l' or 'r').
            slips = 1 if loose or len(pair) > SHORT_WORD else 0
            if len(x) > 2 and abs(len(x) - len(pair)) <= 1 and OSA.distance(x, pair, score_cutoff=2) <= slips:
                score, _ = token_similarity(x, pair, loose=loose)
                found.append(Alignment((i,), (j, j + 1), score, "joined"))
    return found


def align(a: NameForm, b: NameForm) -> list[Alignment]:
    """The best non-overlapping alignments of the tokens of two names (greedy, best first)."""
    chosen: list[Alignment] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    ranked = sorted(_candidates(a, b), key=lambda x: (-x.score, -(len(x.a) + len(x.b)), x.a, x.b))
    for x in ranked:
        if used_a.isdisjoint(x.a) and used_b.isdisjoint(x.b):
            chosen.append(x)
            used_a.update(x.a)
            used_b.update(x.b)
    return chosen


@dataclass(frozen=True)
class NameScore:
    score: float
    alignments: tuple[Alignment, ...]
    only_b: tuple[str, ...]  # tokens of the second name the first lacks ('missing' from a query)
    only_a: tuple[str, ...]  # tokens of the first name the second lacks
    dropped: bool = False  # the shorter name is the longer less a middle part (see the module)

    def swapped(self) -> NameScore:
        return replace(self, alignments=tuple(x.swapped() for x in self.alignments),
                       only_a=self.only_b, only_b=self.only_a)


def _order(form: NameForm) -> tuple:
    return (form.tokens, form.symbols, sorted(form.ignorable), sorted(form.required), form.transliterated,
            form.kind, form.text, sorted(form.listed))


def compare_names(a: NameForm, b: NameForm) -> NameScore:
    """The score of two names, the same whichever comes first (ties in the alignment are broken
    on the pair in a fixed order, so they too do not depend on the order given)."""
    if _order(b) < _order(a):
        return _compare(b, a).swapped()
    return _compare(a, b)


def _compare(a: NameForm, b: NameForm) -> NameScore:
    alignments = align(a, b)
    aligned_a = {i for x in alignments for i in x.a}
    aligned_b = {j for x in alignments for j in x.b}
    only_a = [i for i in range(len(a.tokens)) if i not in aligned_a and i not in a.ignorable]
    only_b = [j for j in range(len(b.tokens)) if j not in aligned_b and j not in b.ignorable]

    def weight(tokens: tuple[str, ...], indices: set[int] | list[int]) -> float:
        return float(sum(len(tokens[i]) for i in indices))

    total_a = weight(a.tokens, aligned_a) + weight(a.tokens, only_a)
    total_b = weight(b.tokens, aligned_b) + weight(b.tokens, only_b)
    if not alignments or not total_a or not total_b:
        return NameScore(0.0, (), tuple(b.tokens), tuple(a.tokens))
    ratio_a = sum(x.score * weight(a.tokens, x.a) for x in alignments) / total_a
    ratio_b = sum(x.score * weight(b.tokens, x.b) for x in alignments) / total_b
    dropped = False
    if not only_a and not only_b:
        score = (ratio_a + ratio_b) / 2
    elif only_a and only_b:
        score = OTHER_PERSON * min(ratio_a, ratio_b)
        if any(a.tokens[i].isdigit() for i in only_a) and any(b.tokens[j].isdigit() for j in only_b):
            score *= OTHER_NUMBER
    elif len(alignments) < 2:
        score = ONE_TOKEN * min(ratio_a, ratio_b)
    else:
        # One name is the other less some tokens.
        longer, left, kept, whole = (b, only_b, ratio_a, ratio_b) if only_b else (a, only_a, ratio_b, ratio_a)
        if "person" not in (a.kind, b.kind):
            score = min(ratio_a, ratio_b)  # an organisation or vessel: the part named must be most of it
        elif (not longer.required.isdisjoint(left) or any(x.score < SAME_SYMBOL for x in alignments)
              or a.transliterated != b.transliterated):
            # a family or first given name is gone, or what is left is not spelt the same: a name
            # in another script than the other is only compatible with it, never spelt the same
            score = OTHER_PERSON * min(ratio_a, ratio_b)
        else:
            score = kept * (DROPPED_BASE + (1 - DROPPED_BASE) * whole)
            dropped = True
    if _acronyms(a, b) and any(x.how in _SPELLING for x in alignments):
        score = 0.0  # 'BMW' is not 'BMI', 'Ford' not 'FRD': short names are spelt exactly
    if (only_a or only_b) and any(x.score < 1.0 for x in alignments):
        score *= PARTIAL_INEXACT
    if not (a.transliterated or b.transliterated) and sum(x.how == "fuzzy" for x in alignments) > 1:
        score *= SEVERAL_EDITED
    if "".join(a.tokens) == "".join(b.tokens):
        score = max(score, SAME_LETTERS)  # 'Je-son' / 'Jes-on': the same letters, split elsewhere
    return NameScore(round(score, 4), tuple(alignments), tuple(b.tokens[j] for j in only_b),
                     tuple(a.tokens[i] for i in only_a), dropped)


_SPELLING = frozenset({"fuzzy", "vowels", "sound", "initial", "truncated"})
SHORT_NAME = 4  # letters: a name this short (an acronym) allows no spelling slip


def short_name(form: NameForm) -> bool:
    kept = [t for i, t in enumerate(form.tokens) if i not in form.ignorable]
    return len(kept) == 1 and len(kept[0]) <= SHORT_NAME


def _acronyms(a: NameForm, b: NameForm) -> bool:
    return short_name(a) or short_name(b)


def explain(query: NameForm, listed: NameForm, result: NameScore) -> list[str]:
    """Why two names were held alike (`result` of `compare_names(query, listed)`), in words."""
    notes = []
    for x in result.alignments:
        if x.how == "same":
            continue
        q = " ".join(query.tokens[i] for i in x.a)
        t = " ".join(listed.tokens[j] for j in x.b)
        notes.append({"symbol": f"'{q}' is another spelling of '{t}'",
                      "initial": f"'{q}' is the initial of '{t}'",
                      "joined": f"'{q}' is '{t}' written together or apart",
                      "truncated": f"'{q}' is the start of '{t}'",
                      "vowels": f"'{q}' is '{t}' without vowels",
                      "sound": f"'{q}' sounds like '{t}'"}.get(x.how, f"'{q}' is close to '{t}'"))
    if result.dropped:
        which = result.only_b or result.only_a
        whose = "the query" if result.only_b else "the listed name"
        notes.append(f"{whose} lacks the middle name '{' '.join(which)}' (dropped)")
    else:
        if result.only_b:
            notes.append(f"the listed name also has: {' '.join(result.only_b)}")
        if result.only_a:
            notes.append(f"the query also has: {' '.join(result.only_a)}")
    return notes

"""How alike two analysed names are: token similarity, alignment of the tokens, and a score.

Word order does not matter (tokens are aligned, not compared in sequence). A token of one name
may stand for two run-together tokens of the other ('jongun' / 'jong un'), and a name symbol
aligns spellings in different scripts ('chen yn' / 'jong un'). What decides is what is left over:
a name with a missing token (a dropped middle name) is still a candidate; two names that each
have a token the other lacks ('Kim Yo Jong' / 'Kim Jong Un') name different people.
"""

from __future__ import annotations

from dataclasses import dataclass
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
SHORT_EDIT = 0.75  # one edit in a token of four letters or fewer
EDIT_COST = 0.5  # similarity lost per edit in a longer token, relative to its length
MIN_TOKEN = 0.6
TRUNCATION_LENGTH = 18  # only a query this long may have been cut off by a field limit
PARTIAL_INEXACT = 0.85  # a shortened name whose remaining tokens are not all spelt the same
PARTIAL_MIN_LETTERS = 9  # a shortened name must keep this many letters to stand for the full one
SEVERAL_EDITED = 0.9  # more than one token of a Latin query misspelt
SAME_LETTERS = 0.95  # the same letters, split into tokens elsewhere: 'Jes-on' / 'Je-son'


def allowed_edits(length: int, loose: bool = False) -> int:
    """Typos a token of this length may carry and still be the same token; `loose` for a query
    transliterated from another script, whose Latin spelling is itself a guess."""
    if length <= 2:
        edits = 0
    elif length <= 5:
        edits = 1
    else:
        edits = 2 if length <= 9 else 3
    return edits + (loose and length >= 4)


@lru_cache(maxsize=1 << 17)
def token_similarity(query: str, listed: str, truncated: bool = False,
                     loose: bool = False) -> tuple[float, str]:
    """How alike two tokens are (0 to 1), and how: same, initial, truncated, vowels, fuzzy, sound.

    `truncated`: the query may have been cut off after this token; `loose`: the query is a
    transliteration (see `allowed_edits`)."""
    if query == listed:
        return 1.0, "same"
    if query.isdigit() or listed.isdigit():
        return 0.0, "number"  # 'Nam San 8' is not 'Nam San 6'
    if len(query) == 1 or len(listed) == 1:
        return (INITIAL if query[0] == listed[0] else 0.0), "initial"
    if truncated and len(query) >= 3 and listed.startswith(query):
        return TRUNCATED, "truncated"
    skeleton = consonants(listed)
    if min(len(query), len(listed)) >= 2 and skeleton != listed and consonants(query) == skeleton == query:
        return VOWELS_DROPPED, "vowels"  # 'Jng' for 'Jong'
    longest = max(len(query), len(listed))
    allowed = allowed_edits(longest, loose)
    edits = OSA.distance(query, listed, score_cutoff=allowed + 1)
    if edits <= allowed or (longest == 2 and sorted(query) == sorted(listed)):
        return (SHORT_EDIT if longest <= 4 else max(SHORT_EDIT, 1.0 - EDIT_COST * edits / longest)), "fuzzy"
    if edits <= allowed + 1 and query[0] != listed[0] and metaphone(query) == metaphone(listed) != "":
        return SOUNDS_ALIKE, "sound"  # 'Zu' for 'Su', 'Kasim' for 'Qasim'
    return 0.0, "different"


@dataclass(frozen=True)
class Alignment:
    query: tuple[int, ...]
    listed: tuple[int, ...]
    score: float
    how: str  # symbol, joined, or how `token_similarity` found two tokens alike


def _candidates(query: NameForm, listed: NameForm) -> list[Alignment]:
    found: list[Alignment] = []
    by_symbol: dict[str, list[tuple[int, ...]]] = {}
    for symbol, indices in listed.symbols:
        by_symbol.setdefault(symbol, []).append(indices)
    loose = query.transliterated
    symbol_score = SAME_SYMBOL if loose else SYMBOL_VARIANT
    for symbol, q_indices in query.symbols:
        for l_indices in by_symbol.get(symbol, ()):
            score = SAME_WORD if ":" in symbol else symbol_score
            found.append(Alignment(q_indices, l_indices, score, "symbol"))
    last = len(query.tokens) - 1 if len(query.text) >= TRUNCATION_LENGTH else -1
    for i, q in enumerate(query.tokens):
        for j, t in enumerate(listed.tokens):
            score, how = token_similarity(q, t, i == last, loose)
            if score >= MIN_TOKEN:
                found.append(Alignment((i,), (j,), score, how))
    for i, q in enumerate(query.tokens):  # one token for two: 'jongun' / 'jong un'
        for j in range(len(listed.tokens) - 1):
            pair = listed.tokens[j] + listed.tokens[j + 1]
            if len(q) > 2 and abs(len(q) - len(pair)) <= 2:
                score, _ = token_similarity(q, pair, False, loose)
                if score >= MIN_TOKEN:
                    found.append(Alignment((i,), (j, j + 1), score, "joined"))
    for j, t in enumerate(listed.tokens):
        for i in range(len(query.tokens) - 1):
            pair = query.tokens[i] + query.tokens[i + 1]
            if len(t) > 2 and abs(len(t) - len(pair)) <= 2:
                score, _ = token_similarity(pair, t, False, loose)
                if score >= MIN_TOKEN:
                    found.append(Alignment((i, i + 1), (j,), score, "joined"))
    return found


def align(query: NameForm, listed: NameForm) -> list[Alignment]:
    """The best non-overlapping alignments of the tokens of two names (greedy, best first)."""
    chosen: list[Alignment] = []
    used_q: set[int] = set()
    used_l: set[int] = set()
    ranked = sorted(_candidates(query, listed),
                    key=lambda a: (a.score, len(a.query) + len(a.listed)), reverse=True)
    for a in ranked:
        if used_q.isdisjoint(a.query) and used_l.isdisjoint(a.listed):
            chosen.append(a)
            used_q.update(a.query)
            used_l.update(a.listed)
    return chosen


@dataclass(frozen=True)
class NameScore:
    score: float
    alignments: tuple[Alignment, ...]
    missing: tuple[str, ...]  # listed tokens the query lacks
    extra: tuple[str, ...]  # query tokens the listed name lacks


def compare_names(query: NameForm, listed: NameForm) -> NameScore:
    alignments = align(query, listed)
    aligned_q = {i for a in alignments for i in a.query}
    aligned_l = {j for a in alignments for j in a.listed}
    extra = [i for i in range(len(query.tokens)) if i not in aligned_q and i not in query.ignorable]
    missing = [j for j in range(len(listed.tokens)) if j not in aligned_l and j not in listed.ignorable]

    def weight(tokens: tuple[str, ...], indices: set[int] | list[int]) -> float:
        return float(sum(len(tokens[i]) for i in indices))

    total_q = weight(query.tokens, aligned_q) + weight(query.tokens, extra)
    total_l = weight(listed.tokens, aligned_l) + weight(listed.tokens, missing)
    if not alignments or not total_q or not total_l:
        return NameScore(0.0, (), tuple(listed.tokens), tuple(query.tokens))
    ratio_q = sum(a.score * weight(query.tokens, a.query) for a in alignments) / total_q
    ratio_l = sum(a.score * weight(listed.tokens, a.listed) for a in alignments) / total_l
    if not extra and not missing:
        score = (ratio_q + ratio_l) / 2
    elif (extra and missing) or not listed.required.isdisjoint(missing):
        # each has a token the other lacks, or the query lacks a family or first name: another person
        score = 0.75 * min(ratio_q, ratio_l)
    elif len(alignments) < 2:  # one token alone ('Kim') names no one in particular
        score = 0.6 * min(ratio_q, ratio_l)
    elif missing:  # the query is the listed name less a token: a dropped middle name
        score = ratio_q * (0.75 + 0.25 * ratio_l)
    else:
        score = ratio_l * (0.75 + 0.25 * ratio_q)
    if (extra or missing) and any(a.score < 1.0 for a in alignments):
        score *= PARTIAL_INEXACT
    if missing and weight(listed.tokens, aligned_l) < PARTIAL_MIN_LETTERS:
        score *= PARTIAL_INEXACT  # 'Kim Sik' is too little of 'Kim Jong Sik' to tell
    if not query.transliterated and sum(a.how == "fuzzy" for a in alignments) > 1:
        score *= SEVERAL_EDITED
    if "".join(query.tokens) == "".join(listed.tokens):
        score = max(score, SAME_LETTERS)  # 'Je-son' / 'Jes-on': the same letters, split elsewhere
    return NameScore(round(score, 4), tuple(alignments),
                     tuple(listed.tokens[j] for j in missing), tuple(query.tokens[i] for i in extra))


def explain(query: NameForm, listed: NameForm, result: NameScore) -> list[str]:
    """Why two names were held alike, in words, for the analyst."""
    notes = []
    for a in result.alignments:
        if a.how == "same":
            continue
        q = " ".join(query.tokens[i] for i in a.query)
        t = " ".join(listed.tokens[j] for j in a.listed)
        notes.append({"symbol": f"'{q}' is another spelling of '{t}'",
                      "initial": f"'{q}' is the initial of '{t}'",
                      "joined": f"'{q}' is '{t}' written together or apart",
                      "truncated": f"'{q}' is the start of '{t}'",
                      "vowels": f"'{q}' is '{t}' without vowels",
                      "sound": f"'{q}' sounds like '{t}'"}.get(a.how, f"'{q}' is close to '{t}'"))
    if result.missing:
        notes.append(f"the listed name also has: {' '.join(result.missing)}")
    if result.extra:
        notes.append(f"the query also has: {' '.join(result.extra)}")
    return notes

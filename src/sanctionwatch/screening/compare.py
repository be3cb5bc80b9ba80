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

SAME_SYMBOL = 0.9  # tokens rigour knows as spellings of one name (Kim / Gim / Ким)
INITIAL = 0.75  # 'J' for 'Jong'
TRUNCATED = 0.85  # the last token cut short by a field limit: 'Chol' for 'Cholsu'
VOWELS_DROPPED = 0.85
SOUNDS_ALIKE = 0.85
EDIT_COST = 0.5  # similarity lost per edit, relative to the token's length
MIN_TOKEN = 0.6


def allowed_edits(length: int) -> int:
    """Typos a token of this length may carry and still be the same token."""
    if length <= 2:
        return 0
    if length <= 5:
        return 1
    return 2 if length <= 9 else 3


@lru_cache(maxsize=1 << 17)
def token_similarity(query: str, listed: str, query_last: bool = False) -> float:
    if query == listed:
        return 1.0
    if query.isdigit() or listed.isdigit():
        return 0.0  # 'Nam San 8' is not 'Nam San 6'
    if len(query) == 1 or len(listed) == 1:
        return INITIAL if query[0] == listed[0] else 0.0
    if query_last and len(query) >= 3 and listed.startswith(query):
        return TRUNCATED
    longest = max(len(query), len(listed))
    edits = OSA.distance(query, listed, score_cutoff=allowed_edits(longest) + 1)
    if edits <= allowed_edits(longest):
        return 1.0 - EDIT_COST * edits / longest
    if len(query) >= 3 and len(listed) >= 3:
        skeleton = consonants(query)
        if skeleton == consonants(listed) and skeleton in (query, listed):
            return VOWELS_DROPPED
        if edits <= allowed_edits(longest) + 1 and metaphone(query) == metaphone(listed):
            return SOUNDS_ALIKE
    return 0.0


@dataclass(frozen=True)
class Alignment:
    query: tuple[int, ...]
    listed: tuple[int, ...]
    score: float
    how: str  # same, symbol, fuzzy, initial, joined


def _candidates(query: NameForm, listed: NameForm) -> list[Alignment]:
    found: list[Alignment] = []
    by_symbol: dict[str, list[tuple[int, ...]]] = {}
    for symbol, indices in listed.symbols:
        by_symbol.setdefault(symbol, []).append(indices)
    for symbol, q_indices in query.symbols:
        for l_indices in by_symbol.get(symbol, ()):
            found.append(Alignment(q_indices, l_indices, SAME_SYMBOL, "symbol"))
    last = len(query.tokens) - 1
    for i, q in enumerate(query.tokens):
        for j, t in enumerate(listed.tokens):
            score = token_similarity(q, t, i == last)
            if score >= MIN_TOKEN:
                how = "same" if score == 1.0 else "initial" if min(len(q), len(t)) == 1 else "fuzzy"
                found.append(Alignment((i,), (j,), score, how))
    for i, q in enumerate(query.tokens):  # one token for two: 'jongun' / 'jong un'
        for j in range(len(listed.tokens) - 1):
            score = token_similarity(q, listed.tokens[j] + listed.tokens[j + 1])
            if score >= MIN_TOKEN and len(q) > 2:
                found.append(Alignment((i,), (j, j + 1), score, "joined"))
    for j, t in enumerate(listed.tokens):
        for i in range(len(query.tokens) - 1):
            score = token_similarity(query.tokens[i] + query.tokens[i + 1], t)
            if score >= MIN_TOKEN and len(t) > 2:
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
    elif extra and missing:  # each has a token the other lacks: another person
        score = 0.75 * min(ratio_q, ratio_l)
    elif len(alignments) < 2:  # one token alone ('Kim') names no one in particular
        score = 0.6 * min(ratio_q, ratio_l)
    elif missing:  # the query is the listed name less a token: a dropped middle name
        score = ratio_q * (0.75 + 0.25 * ratio_l)
    else:
        score = ratio_l * (0.75 + 0.25 * ratio_q)
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
                      "fuzzy": f"'{q}' is close to '{t}'"}[a.how])
    if result.missing:
        notes.append(f"the listed name also has: {' '.join(result.missing)}")
    if result.extra:
        notes.append(f"the query also has: {' '.join(result.extra)}")
    return notes

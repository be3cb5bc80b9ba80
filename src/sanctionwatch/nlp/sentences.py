"""A cheap sentence splitter on raw text (no parse): for quoting evidence and for choosing what
to parse. It splits only where the parser would too, and rather less often: after ., ! or ?
(and closing quotes or brackets) followed by white space and a capital, a digit or a quote, but
not after a single capital ("U.S.", "Kim J. Un") or a short abbreviation ("Oct.", "Mr."); and at
line breaks, where the pipeline splits too (nlp.pipeline.line_breaks): a headline or a list item
is a sentence of its own."""

from __future__ import annotations

import bisect
import re

_END = re.compile(
    r"(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z][a-z])[.!?][\"'”’)\]]*\s+(?=[A-Z0-9\"'“‘(])"
    r"|\n\s*"
)


def sentence_starts(text: str) -> list[int]:
    """The offsets where sentences start, the first being 0."""
    return [0, *(m.end() for m in _END.finditer(text) if m.end() < len(text))]


def sentence_around(text: str, start: int, end: int, starts: list[int] | None = None) -> tuple[int, int]:
    """The bounds of the sentence(s) that hold text[start:end], without trailing white space."""
    starts = starts if starts is not None else sentence_starts(text)
    left = starts[max(0, bisect.bisect_right(starts, start) - 1)]
    after = bisect.bisect_left(starts, max(end, start + 1))
    right = starts[after] if after < len(starts) else len(text)
    right = max(len(text[:right].rstrip()), end)
    return left, right

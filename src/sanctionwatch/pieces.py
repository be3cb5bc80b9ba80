"""Any article the size limit lets in is analysed: long ones in pieces, hostile runs broken.

spaCy parses at most `nlp.max_length` characters (1 M) at once, and needs about 3.5 KB of memory
per character it parses (measured: 100,000 characters of news take 360 MB with
en_core_web_sm), while `--max-size` lets in 5 M. So an article longer than `PIECE_CHARS` is cut
at paragraph, else sentence, else word boundaries into pieces, each is analysed on its own, and
the reports are merged into one whose offsets are those of the whole text (`text[start:end]`
holds for every entity, event, flag and screening hit). A batch handed to the parser holds at
most `BATCH_CHARS` characters, so a batch of long articles does not take the memory of all.

spaCy's tokenizer is quadratic on a long run of characters without a space that it strips
affixes from one by one: 8,000 "(" take 11 s, 20,000 take over a minute. In the text the parser
sees (of the same length, so the offsets are those of the article), such a run is broken with a
space every `MAX_RUN` characters (no word, name or address is that long), and a run with no
letter or digit at all, which holds no word (rules of "=", 40,000 brackets), is blanked: each
of its characters would be a token to tag and parse. Reports quote the article's own text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from .model import Article, Entity, Event, Flag, Goods, Report, ScreeningHit, Span

PIECE_CHARS = 100_000
BATCH_CHARS = 200_000
MAX_RUN = 100

_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")
_WORDLY = re.compile(r"[^\W_]")  # a letter or a digit, in any script
# Where a piece may end, best first: after a blank line, a line, a sentence, a word.
_BOUNDARIES = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"'’”)\]]*\s"),
               re.compile(r"\s"))

Analyze = Callable[[Iterable[Article], int], Iterator[Report]]


def analyze_in_pieces(analyze: Analyze, articles: Iterable[Article], batch_size: int) -> Iterator[Report]:
    """The reports of `analyze` (an Analyzer's own analyze_many) for any article, in order."""
    batch: list[Article] = []
    for article in articles:
        article = article.with_id()
        if len(article.text) > PIECE_CHARS:
            yield from _reports(analyze, batch, batch_size)
            batch = []
            yield _long_report(analyze, article)
            continue
        if batch and sum(len(a.text) for a in batch) + len(article.text) > BATCH_CHARS:
            yield from _reports(analyze, batch, batch_size)
            batch = []
        batch.append(article)
        if len(batch) >= batch_size:
            yield from _reports(analyze, batch, batch_size)
            batch = []
    yield from _reports(analyze, batch, batch_size)


def _reports(analyze: Analyze, batch: list[Article], batch_size: int) -> Iterator[Report]:
    parsed = [_parseable(article.text) for article in batch]
    seen = [replace(a, text=p) if p is not a.text else a for a, p in zip(batch, parsed, strict=True)]
    for article, text, report in zip(batch, parsed, analyze(seen, batch_size), strict=True):
        yield report if text is article.text else merge_pieces(article, [(0, text)], [report])


def break_long_runs(text: str) -> str:
    """The text with a space every MAX_RUN characters of a run without one, and runs without a
    letter or digit blanked (same length)."""
    def broken(match: re.Match[str]) -> str:
        run = match.group()
        if not _WORDLY.search(run):
            return " " * len(run)
        chars = list(run)
        for i in range(MAX_RUN, len(chars), MAX_RUN + 1):
            chars[i] = " "
        return "".join(chars)

    return _LONG_RUN.sub(broken, text)


def cut(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """(start, end) of pieces of at most `limit` characters covering the text, each ending at the
    best boundary in the second half of its room."""
    pieces = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        for boundary in _BOUNDARIES:
            found = [m.end() for m in boundary.finditer(text, start + limit // 2, end)]
            if found:
                end = found[-1]
                break
        pieces.append((start, end))
        start = end
    pieces.append((start, len(text)))
    return pieces


def _parseable(text: str) -> str:
    """The text the parser is given: `text` itself (the same object) unless it has long runs."""
    broken = break_long_runs(text)
    return text if broken == text else broken


def _long_report(analyze: Analyze, article: Article) -> Report:
    pieces = [(start, _parseable(article.text[start:end])) for start, end in cut(article.text)]
    # One piece at a time: a piece's parse takes hundreds of megabytes.
    reports = [next(analyze([replace(article, text=text)], 1)) for _, text in pieces]
    return merge_pieces(article, pieces, reports)


def merge_pieces(article: Article, pieces: list[tuple[int, str]], reports: list[Report]) -> Report:
    """One report for the whole article from the reports of its pieces: (start, the text the
    parser saw) and the report of each."""
    from .analyze import merge_flags  # here: analyze imports this module

    entities: list[Entity] = []
    events: list[Event] = []
    flags: list[Flag] = []
    screening: dict[tuple[str, str, str], ScreeningHit] = {}
    for (start, seen), report in zip(pieces, reports, strict=True):
        moved = _Shift(article.text, start, seen)
        entities += [moved.entity(e) for e in report.entities]
        events += [moved.event(e) for e in report.events]
        flags += [moved.flag(f) for f in report.flags]
        for hit in report.screening:
            screening.setdefault((hit.name, hit.list, hit.entry_id), moved.hit(hit))
    merged = merge_flags(flags) if len(reports) > 1 else flags
    return Report(article=article, entities=tuple(entities), events=tuple(events), flags=tuple(merged),
                  screening=tuple(screening.values()), versions=dict(reports[0].versions) if reports else {})


class _Shift:
    """Moves what the report of a piece found to the offsets of the whole text; where the parser
    saw a run broken, the article's own text is quoted."""

    def __init__(self, text: str, offset: int, seen: str) -> None:
        self.text = text
        self.offset = offset
        self.seen = seen
        self.altered = seen != text[offset:offset + len(seen)]

    def _quoted(self, start: int, end: int, quoted: str) -> str:
        if self.altered and quoted == self.seen[start:end]:
            return self.text[start + self.offset:end + self.offset]
        return quoted

    def _at(self, start: int | None, end: int | None) -> tuple[int | None, int | None]:
        if start is None or end is None:
            return start, end
        return start + self.offset, end + self.offset

    def span(self, s: Span) -> Span:
        return Span(s.start + self.offset, s.end + self.offset, self._quoted(s.start, s.end, s.text))

    def entity(self, e: Entity) -> Entity:
        return replace(e, start=e.start + self.offset, end=e.end + self.offset,
                       text=self._quoted(e.start, e.end, e.text))

    def goods(self, g: Goods | None) -> Any:
        if g is None:
            return None
        start, end = self._at(g.start, g.end)
        text = self._quoted(g.start, g.end, g.text) if g.start is not None and g.end is not None else g.text
        return replace(g, start=start, end=end, text=text)

    def event(self, e: Event) -> Event:
        return replace(e, goods=tuple(self.goods(g) for g in e.goods),
                       evidence=tuple(self.span(s) for s in e.evidence))

    def flag(self, f: Flag) -> Flag:
        return replace(f, goods=self.goods(f.goods), evidence=tuple(self.span(s) for s in f.evidence))

    def hit(self, h: ScreeningHit) -> ScreeningHit:
        start, end = self._at(h.start, h.end)
        if h.start is not None and h.end is not None:
            return replace(h, start=start, end=end, name=self._quoted(h.start, h.end, h.name))
        return replace(h, start=start, end=end)


__all__ = ["BATCH_CHARS", "MAX_RUN", "PIECE_CHARS", "analyze_in_pieces", "break_long_runs", "cut",
           "merge_pieces"]

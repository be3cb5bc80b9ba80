"""`analyze(article) -> Report`: the pure core every edge (CLI, store, service, engines) maps.

No I/O happens here: the pipeline, knowledge base, rules and lists are loaded once per process and
passed in, so the same function runs unchanged over a corpus, a process pool or a cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from . import __version__
from .kb import KnowledgeBase, load_kb
from .model import Article, Entity, Event, Flag, Party, Report, ScreeningHit
from .nlp.events import EventExtractor
from .nlp.gazetteer import Gazetteer
from .nlp.lexicon import load_lexicon
from .nlp.mentions import Mention, Resolver
from .nlp.pipeline import load_model, model_version
from .nlp.prefilter import Prefilter
from .rules import Listed, RuleSet, evaluate, load_rules

if TYPE_CHECKING:
    from .screening import Screener


class Analyzer:
    """Holds what analysis needs (pipeline, knowledge, rules, lists) and applies it to articles.

    With `prefilter` on (for corpora), only what can yield a flag is parsed: an article that
    names no state under a regime, or no covered goods or activity, is not parsed at all (its
    report has the knowledge-base entities only), and of the others only the sentences naming
    goods or activities, with their neighbours, are parsed. The flags are the same.
    """

    def __init__(self, nlp: Language | None = None, kb: KnowledgeBase | None = None,
                 rules: RuleSet | None = None, screener: Screener | None = None,
                 prefilter: bool = False) -> None:
        self.nlp = nlp or load_model()
        self.kb = kb or load_kb()
        self.rules = rules or load_rules()
        self.screener = screener
        lexicon = load_lexicon()
        self.resolver = Resolver(Gazetteer(self.nlp, self.kb), self.kb, lexicon)
        self.extractor = EventExtractor(lexicon, self.kb, self.rules.targets)
        self.prefilter = Prefilter(self.kb, self.rules, lexicon) if prefilter else None
        self.versions = {
            "sanctionwatch": __version__,
            "model": model_version(self.nlp),
            "kb": self.kb.version,
            "rules": self.rules.version,
            "lexicon": lexicon.version,
        }
        if screener is not None:  # hits and designated-party flags hold for these lists only
            self.versions["lists"] = screener.version

    def analyze(self, article: Article) -> Report:
        return next(self.analyze_many([article]))

    def analyze_many(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Report]:
        """Reports in input order; the texts that need it are parsed in batches (nlp.pipe)."""
        pending: list[tuple[Article, list[tuple[int, int]] | None]] = []
        for article in articles:
            article = article.with_id()
            pending.append((article, self._windows(article.text)))
            if len(pending) >= batch_size:
                yield from self._run(pending, batch_size)
                pending = []
        if pending:
            yield from self._run(pending, batch_size)

    def _windows(self, text: str) -> list[tuple[int, int]] | None:
        """What of a text to parse: all of it without the prefilter; with it, only the stretches
        that can yield a flag (None: nothing)."""
        if self.prefilter is None:
            return [(0, len(text))]
        windows = self.prefilter.windows(text)
        if windows and sum(e - s for s, e in windows) > _WHOLE_TEXT * len(text):
            return [(0, len(text))]
        return windows

    def _run(self, batch: list[tuple[Article, list[tuple[int, int]] | None]],
             batch_size: int) -> Iterator[Report]:
        texts = (_masked(a.text, w) for a, w in batch if w)
        parsed = iter(self.nlp.pipe(texts, batch_size=batch_size))
        for article, windows in batch:
            if not windows:
                yield self._light_report(article)
            elif windows == [(0, len(article.text))]:
                yield self._report(article, next(parsed))
            else:
                yield self._report(article, next(parsed), self._light_mentions(article))

    def _report(self, article: Article, doc: Doc, elsewhere: list[Mention] | None = None) -> Report:
        """The full report of a parsed Doc; `elsewhere` are the knowledge-base mentions of the
        text outside the parsed windows (None when all of it was parsed)."""
        published = article.published
        mentions = self.resolver.resolve(doc, published, elsewhere or ())
        goods = self.resolver.goods(doc, mentions)
        events = self.extractor.extract(doc, mentions, goods, published)
        listed = self.screener.listed if self.screener else None
        flags = flags_of(events, self.rules, published, listed)
        found = [*mentions, *goods]
        if elsewhere:
            parsed = {i for m in found for i in range(m.start_char, m.end_char)}
            found += [m for m in elsewhere if parsed.isdisjoint(range(m.start_char, m.end_char))]
        entities = tuple(m.entity() for m in sorted(found, key=lambda m: m.start_char))
        return Report(article=article, entities=entities, events=tuple(events), flags=tuple(flags),
                      screening=self._screen(entities), versions=self.versions)

    def _light_mentions(self, article: Article) -> list[Mention]:
        """Knowledge-base mentions from the tokenizer alone: no parse, no statistical NER."""
        return self.resolver.resolve(self.nlp.make_doc(article.text), article.published)

    def _light_report(self, article: Article) -> Report:
        entities = tuple(m.entity() for m in self._light_mentions(article))
        return Report(article=article, entities=entities, screening=self._screen(entities),
                      versions=self.versions)

    def _screen(self, entities: tuple[Entity, ...]) -> tuple[ScreeningHit, ...]:
        return tuple(self.screener.screen_entities(entities)) if self.screener else ()


# Parse the whole text when the windows would cover most of it anyway.
_WHOLE_TEXT = 0.7


def _masked(text: str, windows: list[tuple[int, int]]) -> str:
    """The text with everything outside the windows blanked: offsets stay those of the text,
    and each blanked stretch is a single whitespace token the pipeline passes over cheaply."""
    pieces = []
    at = 0
    for start, end in windows:
        pieces += [" " * (start - at), text[start:end]]
        at = end
    pieces.append(" " * (len(text) - at))
    return "".join(pieces)


def flags_of(events: Iterable[Event], rules: RuleSet, published: str | None,
             listed: Listed | None) -> list[Flag]:
    """The flags a report's events raise, merged: from parsed events, or from stored ones when
    only the lists changed (ingest.rescreen)."""
    return merge_flags(f for e in events for f in evaluate(e, rules, published=published, listed=listed))


def merge_flags(flags: Iterable[Flag]) -> list[Flag]:
    """One flag per category and transfer: flags whose parties agree (an unknown side, or a
    supplier known only as the goods' origin, agrees with any) are the same breach told several
    times. The merged flag keeps the best-informed statement, the surest confidence, the first
    known date and the evidence of all."""
    merged: list[Flag] = []
    for f in sorted(flags, key=lambda f: (-_known(f), -f.confidence)):
        for i, kept in enumerate(merged):
            if kept.category == f.category and _agree(kept.supplier, f.supplier) and \
                    _agree(kept.recipient, f.recipient):
                merged[i] = _combined(kept, f)
                break
        else:
            merged.append(f)
    return sorted(merged, key=lambda f: (-f.confidence, f.category))


def _combined(kept: Flag, f: Flag) -> Flag:
    """A flag with what another telling of the same breach adds: its evidence, its citations,
    a date it knows, a higher confidence (each noted in `why`)."""
    why = kept.why
    if kept.event_date is None and f.event_date is not None:
        why += f" Another sentence dates it {f.event_date}."
    if f.confidence > kept.confidence:
        why += f" Another sentence tells it with confidence {f.confidence:.2f}."
    return replace(
        kept,
        confidence=max(kept.confidence, f.confidence),
        event_date=kept.event_date or f.event_date,
        goods=kept.goods or f.goods,
        citations=tuple(dict.fromkeys(kept.citations + f.citations)),
        evidence=tuple(sorted(set(kept.evidence + f.evidence), key=lambda s: s.start)),
        why=why,
    )


def _known(f: Flag) -> int:
    """How well a flag knows its parties: 2 for each side named, 1 for a supplier by origin."""
    return sum(0 if p is None or p.country is None else 1 if p.kind == "origin" else 2
               for p in (f.supplier, f.recipient))


def _agree(a: Party | None, b: Party | None) -> bool:
    return (a is None or b is None or a.country is None or b.country is None
            or a.country == b.country or "origin" in (a.kind, b.kind))


@lru_cache(maxsize=2)
def default_analyzer(prefilter: bool = False) -> Analyzer:
    """The process-wide analyzer: the shipped model, KB and rules, and the installed lists.
    `prefilter` skips the parse of articles that cannot yield a flag (corpus ingest)."""
    from .screening import load_screener

    return Analyzer(screener=load_screener(), prefilter=prefilter)


def analyze(article: Article) -> Report:
    """Analyse one article with the process-wide default analyzer."""
    return default_analyzer().analyze(article)

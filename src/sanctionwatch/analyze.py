"""`analyze(article) -> Report`: the pure core every edge (CLI, store, service, engines) maps.

No I/O happens here: the pipeline, knowledge base, rules and lists are loaded once per process and
passed in, so the same function runs unchanged over a corpus, a process pool or a cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from . import __version__
from .kb import KnowledgeBase, load_kb
from .kb.listings import kb_listed
from .model import Article, Entity, Event, Flag, Goods, Party, Report, ScreeningHit
from .nlp.acts import ActClassifier, Score, load_classifier
from .nlp.extract import Context, extract_events, extractors
from .nlp.gazetteer import Gazetteer
from .nlp.lexicon import load_lexicon
from .nlp.mentions import Mention, Resolver
from .nlp.pipeline import load_model, model_version
from .nlp.prefilter import Prefilter
from .nlp.spans import annotate
from .pieces import analyze_in_pieces
from .rules import Listed, RuleSet, evaluate, load_rules

if TYPE_CHECKING:
    from .screening import Screener


class Analyzer:
    """Holds what analysis needs (pipeline, knowledge, rules, lists) and applies it to articles.

    Before any parse, the learned classifier (nlp.acts) scores each sentence of an article
    that names a party of a state under a regime: how likely it is to tell a covered act.
    With `prefilter` on (for corpora), only what can yield a flag is parsed: an article that
    names no state under a regime, or no covered goods or activity and no sentence the
    classifier picks, is not parsed at all (its report has the knowledge-base entities only),
    and of the others only those sentences, with their neighbours, are parsed. The flags are
    the same.
    """

    def __init__(self, nlp: Language | None = None, kb: KnowledgeBase | None = None,
                 rules: RuleSet | None = None, screener: Screener | None = None,
                 prefilter: bool = False, classifier: ActClassifier | None = None) -> None:
        self.nlp = nlp or load_model()
        self.kb = kb or load_kb()
        self.rules = rules or load_rules()
        self.screener = screener
        self.lexicon = load_lexicon()
        self.classifier = classifier or load_classifier()
        self.resolver = Resolver(Gazetteer(self.nlp, self.kb), self.kb, self.lexicon)
        self.extractors = extractors(self.lexicon, self.kb)
        self.prefilter = Prefilter(self.kb, self.lexicon, self.rules.focus)
        self._filtering = prefilter
        self.versions = {
            "sanctionwatch": __version__,
            "model": model_version(self.nlp),
            "kb": self.kb.version,
            "rules": self.rules.version,
            "lexicon": self.lexicon.version,
            "acts": self.classifier.version,
        }
        if screener is not None:  # hits and designated-party flags hold for these lists only
            self.versions["lists"] = screener.version

    def analyze(self, article: Article) -> Report:
        return next(self.analyze_many([article]))

    def analyze_many(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Report]:
        """Reports in input order, for articles of any length (pieces.py)."""
        return analyze_in_pieces(self._analyze_many, articles, batch_size)

    def _analyze_many(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Report]:
        """Reports in input order; the texts that need it are parsed in batches (nlp.pipe)."""
        pending: list[tuple[Article, _Plan]] = []
        for article in articles:
            article = article.with_id()
            pending.append((article, self._plan(article.text)))
            if len(pending) >= batch_size:
                yield from self._run(pending, batch_size)
                pending = []
        if pending:
            yield from self._run(pending, batch_size)

    def _plan(self, text: str) -> _Plan:
        """The learned scores of a text's sentences, and what of it to parse: all of it without
        the prefilter; with it, only the stretches that can yield a flag (None: nothing)."""
        scan = self.prefilter.scan(text)
        acts = self._acts(text, scan.starts) if scan.party else []
        if not self._filtering:
            return _Plan([(0, len(text))], acts)
        # a sentence the parser may split further is picked on a lower score (window_margin)
        floor = self.classifier.threshold - _WINDOW_MARGIN
        picked = [n for n, (_, _, score) in enumerate(acts) if score.act >= floor]
        windows = self.prefilter.windows(text, scan, also=picked)
        if windows and sum(e - s for s, e in windows) > _WHOLE_TEXT * len(text):
            windows = [(0, len(text))]
        return _Plan(windows, acts)

    def _acts(self, text: str, starts: list[int]) -> list[tuple[int, int, Score]]:
        """Each sentence (nlp.sentences) with the classifier's score."""
        bounds = list(zip(starts, [*starts[1:], len(text)], strict=True))
        scores = self.classifier.score([text[a:b].strip() or "." for a, b in bounds])
        return [(a, b, score) for (a, b), score in zip(bounds, scores, strict=True)]

    def _run(self, batch: list[tuple[Article, _Plan]], batch_size: int) -> Iterator[Report]:
        texts = (_masked(a.text, plan.windows) for a, plan in batch if plan.windows)
        parsed = iter(self.nlp.pipe(texts, batch_size=batch_size))
        for article, plan in batch:
            if not plan.windows:
                yield self._light_report(article)
            elif plan.windows == [(0, len(article.text))]:
                yield self._report(article, next(parsed), plan)
            else:
                yield self._report(article, next(parsed), plan, self._light_mentions(article))

    def _report(self, article: Article, doc: Doc, plan: _Plan,
                elsewhere: list[Mention] | None = None) -> Report:
        """The full report of a parsed Doc; `elsewhere` are the knowledge-base mentions of the
        text outside the parsed windows (None when all of it was parsed)."""
        published = article.published
        mentions = self.resolver.resolve(doc, published, elsewhere or ())
        goods = self.resolver.goods(doc, mentions)
        annotate(doc, mentions, goods)
        context = Context(self.lexicon, self.kb, published,
                          acts=self._lookup(doc, article.text, plan.acts) if plan.acts else None)
        events = extract_events(doc, self.extractors, context)
        flags = flags_of(events, self.rules, published, self.listed(published))
        found = [*mentions, *goods]
        if elsewhere:
            parsed = {i for m in found for i in range(m.start_char, m.end_char)}
            found += [m for m in elsewhere if parsed.isdisjoint(range(m.start_char, m.end_char))]
        entities = tuple(m.entity() for m in sorted(found, key=lambda m: m.start_char))
        return Report(article=article, entities=entities, events=tuple(events), flags=tuple(flags),
                      screening=self._screen(entities), versions=self.versions)

    def listed(self, published: str | None) -> Listed:
        """Who is on a sanctions list: the installed lists first (the rules cite the first hit
        on a regime's list), then the listings the knowledge base records, so a designated party
        is known where no list is installed."""
        known = kb_listed(self.kb, published)
        if self.screener is None:
            return known
        screener = self.screener
        return lambda party: [*screener.listed(party), *known(party)]

    def _lookup(self, doc: Doc, text: str, planned: list[tuple[int, int, Score]]):  # type: ignore[no-untyped-def]
        """The classifier's verdict on each parsed sentence, by its characters: its Score when it
        tells an act (at or above the threshold), else None. A sentence the parser cut where the
        plan did was scored then (a score depends on the text alone)."""
        known = {text[a:b].strip(): score for a, b, score in planned}
        sents = [s for s in doc.sents if s.text.strip()]
        new = [s.text.strip() for s in sents if s.text.strip() not in known]
        known.update(zip(new, self.classifier.score(new), strict=True))
        scores = {(s.start_char, s.end_char): known[s.text.strip()] for s in sents}
        threshold = self.classifier.threshold

        def lookup(start: int, end: int) -> Score | None:
            score = scores.get((start, end))
            return score if score is not None and score.act >= threshold else None

        return lookup

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
# How much lower the classifier's score of a sentence (nlp.sentences) may be for it to be parsed:
# the parser may split it, and the parts are judged on their own.
_WINDOW_MARGIN = 0.15


@dataclass(frozen=True)
class _Plan:
    windows: list[tuple[int, int]] | None  # what to parse (None: nothing)
    acts: list[tuple[int, int, Score]]  # the classifier's score of each sentence


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
    supplier known only as the goods' origin, agrees with any) and whose goods do (unnamed goods
    agree with any; a yacht and two limousines are two transfers) are the same breach told
    several times. The merged flag keeps the best-informed statement, the surest confidence, the
    first known date and the evidence of all."""
    merged: list[Flag] = []
    for f in sorted(flags, key=lambda f: (-_known(f), -f.confidence)):
        for i, kept in enumerate(merged):
            if kept.category == f.category and _agree(kept.supplier, f.supplier) and \
                    _agree(kept.recipient, f.recipient) and _same_goods(kept.goods, f.goods):
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


def _same_goods(a: Goods | None, b: Goods | None) -> bool:
    if a is None or b is None or a.kb_id is None or b.kb_id is None or a.kb_id == b.kb_id:
        return True
    return bool(a.hs and b.hs and a.hs[:4] == b.hs[:4])


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

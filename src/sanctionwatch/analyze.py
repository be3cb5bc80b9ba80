"""`analyze(article) -> Report`: the pure core every edge (CLI, store, service, engines) maps.

No I/O happens here: the pipeline, knowledge base and rules are loaded once per process and
passed in, so the same function runs unchanged over a corpus, a process pool or a cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from . import __version__
from .model import Article, Entity, Report
from .nlp.pipeline import load_model, model_version

# spaCy labels and the kind of thing they name.
_KINDS = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "PRODUCT": "product",
    "DATE": "date",
    "MONEY": "money",
    "QUANTITY": "quantity",
}


class Analyzer:
    """Holds what analysis needs (pipeline, knowledge, rules) and applies it to articles."""

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp or load_model()
        self.versions = {"sanctionwatch": __version__, "model": model_version(self.nlp)}

    def analyze(self, article: Article) -> Report:
        return self._report(article.with_id(), self.nlp(article.text))

    def analyze_many(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Report]:
        """Reports in input order; the pipeline batches the texts (nlp.pipe)."""
        pairs = ((a.text, a.with_id()) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield self._report(article, doc)

    def _report(self, article: Article, doc: Doc) -> Report:
        entities = tuple(
            Entity(text=ent.text, start=ent.start_char, end=ent.end_char,
                   kind=_KINDS.get(ent.label_, "other"), label=ent.label_)
            for ent in doc.ents
        )
        return Report(article=article, entities=entities, versions=self.versions)


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    return Analyzer()


def analyze(article: Article) -> Report:
    """Analyse one article with the process-wide default analyzer."""
    return default_analyzer().analyze(article)

"""The learned layer: how likely a sentence is to tell a covered act, and of which kind.

A sentence is embedded with static word embeddings distilled from all-MiniLM-L6-v2 (model2vec:
one vector per word piece, averaged; no neural network runs) and scored by two logistic heads
trained on labelled sentences (training/): `act` (the sentence reports that an act of one of the
kinds took place, as fact, report or allegation) and one head per kind (arms, fuel, workers…,
data/acts/kinds.yaml). Words the heads were never shown still land near words of the same
meaning, which is what carries the layer over to news it has not seen.

The weights ship in the package (data/acts/); nothing is downloaded. Scores are deterministic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from ..kb import GoodsEntry, KnowledgeBase

_DATA = "data/acts"


@dataclass(frozen=True)
class Kind:
    id: str
    label: str  # what goods of this kind are called when the text names none
    classes: tuple[str, ...]  # the goods classes an act of this kind is about (KB classes)
    goods_class: str | None  # the class of goods the text does not name
    activity: str | None  # the activity id an act of this kind is
    sole: str | None = None  # giver or receiver: the side of the only state a sentence names
    words: tuple[str, ...] = ()  # one of which a sentence telling an activity of this kind uses
    needs: tuple[str, ...] = ()  # one of which it also names ("vessel": also a vessel the KB knows)

    @property
    def acts(self) -> bool:
        """Whether the kind names an act (goods or an activity), not only a trait of one (a breach)."""
        return bool(self.classes or self.goods_class or self.activity)


@dataclass(frozen=True)
class Score:
    act: float
    kinds: dict[str, float]

    def likely_kinds(self, threshold: float) -> tuple[str, ...]:
        return tuple(k for k, p in sorted(self.kinds.items(), key=lambda x: -x[1]) if p >= threshold)


class ActClassifier:
    """Sentence texts → Scores. Built once per process (`load_classifier`)."""

    def __init__(self, embeddings: Any, heads: dict[str, Any], kinds: dict[str, Kind]) -> None:
        self._embeddings = embeddings
        self.version = heads["version"]
        self.threshold = float(heads["threshold"])  # act probability from which a sentence counts
        self.kind_threshold = float(heads["kind_threshold"])
        self.kind_ids = tuple(heads["kinds"])
        self._act_w = np.asarray(heads["act"]["w"], dtype=np.float32)
        self._act_b = float(heads["act"]["b"])
        self._kind_w = np.asarray(heads["kind"]["w"], dtype=np.float32)
        self._kind_b = np.asarray(heads["kind"]["b"], dtype=np.float32)
        self.kinds = kinds

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self._embeddings.encode(texts, show_progress_bar=False), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)

    def score(self, texts: list[str]) -> list[Score]:
        if not texts:
            return []
        x = self.embed(texts)
        act = _sigmoid(x @ self._act_w + self._act_b)
        kinds = _sigmoid(x @ self._kind_w.T + self._kind_b)
        return [Score(float(a), {k: float(p) for k, p in zip(self.kind_ids, row, strict=True)})
                for a, row in zip(act, kinds, strict=True)]


class GoodsSense:
    """Goods the lexicon does not list, placed by meaning: the knowledge base's goods term whose
    embedding is nearest ("120 Koksan howitzers" → artillery, "hunting dogs" → dog), when it is
    near enough (`SIMILAR`); farther than that, the words name goods we cannot place."""

    SIMILAR = 0.78

    def __init__(self, classifier: ActClassifier, kb: KnowledgeBase) -> None:
        self._classifier = classifier
        self._entries = [(term, g) for g in kb.goods.values() for term in g.names if term not in g.ambiguous]
        self._vectors = classifier.embed([term for term, _ in self._entries])

    def place(self, text: str) -> GoodsEntry | None:
        similarity = self._vectors @ self._classifier.embed([text])[0]
        best = int(np.argmax(similarity))
        return self._entries[best][1] if similarity[best] >= self.SIMILAR else None


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def load_kinds() -> dict[str, Kind]:
    path = resources.files("sanctionwatch.nlp").joinpath(f"{_DATA}/kinds.yaml")
    data = yaml.safe_load(path.read_text("utf-8"))
    return {k: Kind(k, v["label"], tuple(v.get("classes") or ()), v.get("goods_class"), v.get("activity"),
                    v.get("sole"), tuple(v.get("words") or ()), tuple(v.get("needs") or ()))
            for k, v in data["kinds"].items()}


@lru_cache(maxsize=1)
def load_classifier() -> ActClassifier | None:
    """The shipped classifier, or None when its weights are not in the package (a checkout that
    has not run `python training/train_acts.py`)."""
    root = resources.files("sanctionwatch.nlp").joinpath(_DATA)
    heads_file = root.joinpath("heads.json")
    if not heads_file.is_file():
        return None
    from model2vec import StaticModel

    with resources.as_file(root) as path:
        embeddings = StaticModel.from_pretrained(str(path / "embeddings"))
    return ActClassifier(embeddings, json.loads(heads_file.read_text("utf-8")), load_kinds())


__all__ = ["ActClassifier", "GoodsSense", "Kind", "Score", "load_classifier", "load_kinds"]

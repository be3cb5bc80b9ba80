"""The settings of incident matching, from data/incidents.yaml (values chosen by measurement)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Settings:
    window_days: int
    weights: dict[str, float]
    text_full: float
    threshold: float
    generic_classes: frozenset[str]
    candidates: int
    members: int
    confidence: dict[str, float]
    generic_words: frozenset[str]
    version: str


@cache
def load_settings() -> Settings:
    text = resources.files("sanctionwatch.analysis").joinpath("data/incidents.yaml").read_text()
    data = yaml.safe_load(text)
    return Settings(
        window_days=int(data["window_days"]), weights={k: float(v) for k, v in data["weights"].items()},
        text_full=float(data["text_full"]), threshold=float(data["threshold"]),
        generic_classes=frozenset(data["generic_classes"]), candidates=int(data["candidates"]),
        members=int(data["members"]), confidence={k: float(v) for k, v in data["confidence"].items()},
        generic_words=frozenset(data["generic_words"]), version=str(data["version"]),
    )


__all__ = ["Settings", "load_settings"]

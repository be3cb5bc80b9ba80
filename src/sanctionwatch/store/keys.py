"""The identity of an article in the store: a hash of its normalised text and its URL."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The text as compared for identity: NFKC, whitespace runs collapsed, ends stripped."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def article_key(text: str, url: str | None = None) -> str:
    """sha256 hex of the normalised text, plus the URL when given (the same text at two URLs
    is two articles; the same text re-read with other whitespace is one)."""
    digest = hashlib.sha256(normalise_text(text).encode("utf-8"))
    if url and url.strip():
        digest.update(b"\x00" + url.strip().encode("utf-8"))
    return digest.hexdigest()


def versions_key(versions: dict[str, str]) -> str:
    """Report.versions as canonical JSON, compared to decide whether to re-analyse."""
    return json.dumps(versions, sort_keys=True, separators=(",", ":"))

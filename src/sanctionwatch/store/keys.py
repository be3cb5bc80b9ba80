"""The identity of an article in the store: a hash of its normalised text and its URL."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any

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


def flag_keys(article: str, flags: list[dict[str, Any]]) -> list[str]:
    """A key for each flag of an article that stays the same when the article is analysed again
    by a newer version, so an analyst's review stays attached: the article key and what makes a
    breach this breach (category, each side's state and KB id, the goods' KB id or HS code or
    text, the activity), not wording, offsets or confidence, which a new version may change.
    Flags alike in all of these are told apart by their order."""
    seen: dict[str, int] = {}
    keys = []
    for flag in flags:
        identity = _flag_identity(flag)
        n = seen[identity] = seen.get(identity, -1) + 1
        digest = hashlib.sha256(f"{article}\x00{identity}\x00{n}".encode())
        keys.append(digest.hexdigest()[:32])
    return keys


def _flag_identity(flag: dict[str, Any]) -> str:
    def side(name: str) -> str:
        party = flag.get(name) or {}
        return f"{party.get('country') or ''}/{party.get('kb_id') or ''}"

    goods = flag.get("goods") or {}
    what = goods.get("kb_id") or goods.get("hs") or normalise_text(goods.get("text") or "").lower()
    return "|".join((flag["category"], side("supplier"), side("recipient"), what,
                     flag.get("activity") or ""))

"""Which dev-set articles we look at and which we only score.

An article's outlet decides: the articles of an outlet whose registered domain hashes to 0 mod 3
are *sealed* (about a third): nobody reads them, labels sentences in them or analyses their
errors; they are only scored, to tell how detection does on news it was not shaped on. Fixed
before any work on detection began (2026-11-30); never change it to move an article.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlparse

# second-level labels under which registrations sit (news.bbc.co.uk → bbc.co.uk)
_SLD = frozenset({"co", "com", "or", "ac", "gov", "net", "org"})


def outlet(url: str | None) -> str:
    """The registered domain of an article's address: 'm.koreaherald.com' → 'koreaherald.com'."""
    host = urlparse(url or "").netloc.lower().split(":")[0]
    parts = host.split(".")
    keep = 3 if len(parts) >= 3 and parts[-2] in _SLD else 2
    return ".".join(parts[-keep:])


def sealed(url: str | None) -> bool:
    return int(hashlib.sha256(outlet(url).encode()).hexdigest(), 16) % 3 == 0

"""Fetching list files over HTTP(S): timeouts, a few retries with back-off, streamed to disk."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from .. import __version__
from ..errors import SanctionwatchError

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
RETRIES = 3
_RETRY_STATUS = {429, 500, 502, 503, 504}


def download(url: str, dest: Path, retries: int = RETRIES, backoff: float = 1.0) -> None:
    """Save `url` to `dest`; transient failures are retried, the last one is reported in one line."""
    headers = {"User-Agent": f"sanctionwatch/{__version__} (sanctions list update)"}
    problem = ""
    for attempt in range(retries):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            with httpx.stream("GET", url, headers=headers, timeout=TIMEOUT,
                              follow_redirects=True) as response:
                if response.status_code in _RETRY_STATUS:
                    problem = f"HTTP {response.status_code}"
                    continue
                if response.status_code != 200:
                    raise SanctionwatchError(f"{url}: HTTP {response.status_code}")
                with dest.open("wb") as out:
                    for chunk in response.iter_bytes(1 << 16):
                        out.write(chunk)
                return
        except httpx.HTTPError as exc:
            problem = str(exc) or type(exc).__name__
    raise SanctionwatchError(f"{url}: download failed after {retries} tries ({problem})")

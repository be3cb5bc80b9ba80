"""Fetching list files over HTTP(S): bounded in size and time (fetch.py), a few retries with
back-off for transient failures, saved whole or not at all."""

from __future__ import annotations

import time
from pathlib import Path

from ..errors import SanctionwatchError
from ..fetch import Bounds, TransferError, fetch_file

RETRIES = 3


def download(url: str, dest: Path, bounds: Bounds, retries: int = RETRIES, backoff: float = 1.0) -> str:
    """Save `url` to `dest` and return its SHA-256; transient failures are retried, the last one
    is reported in one line. Nothing is left at `dest` unless the whole file came."""
    problem = ""
    for attempt in range(retries):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            return fetch_file(url, dest, bounds, "sanctions list update")
        except TransferError as exc:
            if not exc.transient:
                raise SanctionwatchError(f"{url}: {exc}") from None
            problem = str(exc)
    raise SanctionwatchError(f"{url}: download failed after {retries} tries ({problem})")

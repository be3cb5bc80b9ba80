"""Knowledge-base data that passed every check, cached as JSON under the hash of the exact files and
schemas it came from: later loads skip YAML parsing and schema validation (the slow part), and any
change to a data file or schema is a new key. The directory is `$SANCTIONWATCH_CACHE`, else the
platform's user cache directory; a cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs

CACHE_ENV = "SANCTIONWATCH_CACHE"
FORMAT = "kb-cache/2"  # bump when the cached shape or the checks change


def cache_dir() -> Path:
    base = os.environ.get(CACHE_ENV) or platformdirs.user_cache_path("sanctionwatch", appauthor=False)
    return Path(base) / "kb"


def content_key(files: Iterable[Path]) -> str | None:
    """The hash of the data files and of every schema; None when a file cannot be read."""
    digest = hashlib.sha256(FORMAT.encode())
    schemas = resources.files("sanctionwatch.kb").joinpath("schemas")
    try:
        for schema in sorted(schemas.iterdir(), key=lambda s: s.name):
            if schema.name.endswith(".schema.json"):
                digest.update(schema.read_bytes())
        for path in files:
            digest.update(path.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def read_cached(key: str) -> dict[str, Any] | None:
    try:
        data = json.loads((cache_dir() / f"{key}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_cached(key: str, data: dict[str, Any]) -> None:
    directory = cache_dir()
    tmp = directory / f"{key}.{os.getpid()}.tmp"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        tmp.replace(directory / f"{key}.json")  # atomic: parallel workers never read half a file
    except OSError:
        tmp.unlink(missing_ok=True)

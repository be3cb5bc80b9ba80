"""Where the installed lists and the screening index live: a module that imports nothing heavy,
so that finding no lists installed costs nothing (see `load_screener`)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DATA_ENV = "SANCTIONWATCH_DATA"
INDEX_FILE = "index.sqlite"


def data_dir(override: str | Path | None = None) -> Path:
    if override:
        return Path(override)
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    return platformdirs.user_data_path("sanctionwatch", appauthor=False)

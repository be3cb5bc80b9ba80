"""How many articles the sources hold, when that is cheap to know: for the progress ETA."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..sources import is_url, reader_for, walk
from ..sources.readers import read_html, read_json, read_jsonl, read_text

_ONE_ARTICLE = (read_text, read_html, read_json)
_CHUNK = 1 << 20


def count_articles(sources: Sequence[str]) -> int | None:
    """Articles in plain files (one each) and JSON Lines (one a line); None when any source is
    a stream, a URL, a feed, a WARC or compressed, whose count is known only by reading it."""
    total = 0
    for name in sources:
        if name == "-" or is_url(name):
            return None
        path = Path(name)
        for file in walk(path) if path.is_dir() else [path]:
            if not isinstance(file, Path):
                continue  # a problem: reading reports it
            count = _count(file)
            if count is None:
                return None
            total += count
    return total


def _count(path: Path) -> int | None:
    reader = reader_for(path)
    if reader in _ONE_ARTICLE:
        return 1
    if reader is not read_jsonl:
        return None
    lines, last = 0, b"\n"
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return 0  # reading it will report the problem
    return lines + (last != b"\n")

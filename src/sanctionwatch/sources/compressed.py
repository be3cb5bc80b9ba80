"""gzip-compressed inputs: `name.ext.gz` is read by the reader for `.ext`, decompressed as it
streams; without a known inner suffix the format is sniffed from the decompressed bytes."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import PurePath
from typing import IO

from ..errors import InputProblem
from ..model import Article
from .readers import READERS, ReadOptions
from .sniff import sniff_format


def read_gzip(stream: IO[bytes], origin: str, options: ReadOptions) -> Iterator[Article | InputProblem]:
    inner = PurePath(origin[:-3] if origin.lower().endswith(".gz") else origin).suffix.lower()
    data = gzip.GzipFile(fileobj=stream, mode="rb")
    try:
        reader = READERS.get(inner) if inner != ".gz" else None
        yield from (reader or sniff_format(data.peek(4096)[:4096]))(data, origin, options)
    except (OSError, EOFError, zlib.error) as exc:
        yield InputProblem(origin, f"corrupt gzip data: {exc}")

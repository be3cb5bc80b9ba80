"""Sources: turn paths, directories and standard input into a stream of Articles."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputProblem
from ..model import Article
from .compressed import read_gzip
from .feeds import is_url, read_feed, read_feed_url
from .readers import READERS, Reader, ReadOptions
from .sniff import sniff_format
from .warc import read_warc

READERS.update({".xml": read_feed, ".rss": read_feed, ".atom": read_feed, ".warc": read_warc,
                ".gz": read_gzip})

__all__ = ["READERS", "InputProblem", "ReadOptions", "is_url", "local_files", "read_inputs",
           "reader_for", "walk"]


def walk(directory: Path) -> list[Path]:
    """Readable files under a directory, recursively, sorted; hidden files and folders skipped."""
    found = [
        p
        for p in directory.rglob("*")
        if p.is_file()
        and p.suffix.lower() in READERS
        and not any(part.startswith(".") for part in p.relative_to(directory).parts)
    ]
    return sorted(found)


def read_inputs(
    paths: Iterable[str], options: ReadOptions | None = None
) -> Iterator[Article | InputProblem]:
    """Every article in the given paths, in order ('-' is standard input)."""
    options = options or ReadOptions()
    for name in paths:
        if name == "-":
            yield from _read_stdin(options)
            continue
        if is_url(name):
            yield from read_feed_url(name, options)
            continue
        files = local_files(name)
        if isinstance(files, InputProblem):
            yield files
            continue
        for file in files:
            yield from read_file(file, options)


def local_files(name: str) -> list[Path] | InputProblem:
    """The files a path names: the file itself, or the readable files under a directory."""
    path = Path(name)
    if path.is_dir():
        return walk(path) or InputProblem(
            name, f"directory has no readable files ({', '.join(sorted(READERS))})")
    if path.exists():
        return [path]
    return InputProblem(name, "no such file or directory")


def reader_for(path: Path) -> Reader:
    return READERS.get(path.suffix.lower(), READERS[".txt"])


def read_file(path: Path, options: ReadOptions) -> Iterator[Article | InputProblem]:
    try:
        with path.open("rb") as stream:
            yield from reader_for(path)(stream, str(path), options)
    except OSError as exc:
        yield InputProblem(str(path), exc.strerror or str(exc))


def _read_stdin(options: ReadOptions) -> Iterator[Article | InputProblem]:
    stream = sys.stdin.buffer
    head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
    if not head:
        data = stream.read()
        head, stream = data[:4096], io.BytesIO(data)
    yield from sniff_format(head)(stream, "<stdin>", options)

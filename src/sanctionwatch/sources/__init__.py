"""Sources: turn paths, directories and standard input into a stream of Articles."""

from __future__ import annotations

import errno
import io
import os
import stat
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


def walk(directory: Path) -> Iterator[Path | InputProblem]:
    """Readable files under a directory, recursively, sorted; hidden files and folders skipped.
    A folder that cannot be listed and a file that cannot be reached (a symbolic link loop, a
    link to nothing) are reported, never passed over in silence."""
    problems: list[InputProblem] = []

    def unlisted(exc: OSError) -> None:
        where = Path(exc.filename or directory)
        problems.append(InputProblem(str(where), f"cannot list this folder: {_path_problem(where, exc)}"))

    found: list[Path] = []
    for folder, subfolders, names in os.walk(directory, onerror=unlisted):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        for name in names:
            path = Path(folder, name)
            if name.startswith(".") or path.suffix.lower() not in READERS:
                continue
            try:
                regular = stat.S_ISREG(path.stat().st_mode)
            except OSError as exc:
                problems.append(InputProblem(str(path), _path_problem(path, exc)))
                continue
            if regular:
                found.append(path)
            else:
                problems.append(InputProblem(str(path), "not a regular file"))
    yield from sorted(problems, key=lambda p: p.origin)
    yield from sorted(found)


def local_files(name: str) -> list[Path] | InputProblem:
    """The files a path names: the file itself, or the readable files under a directory (for an
    engine that hands files out itself; a problem inside the folder shows when it is read)."""
    path = Path(name)
    if path.is_dir():
        files = [p for p in walk(path) if isinstance(p, Path)]
        return files or InputProblem(name, f"directory has no readable files ({', '.join(sorted(READERS))})")
    if path.exists():
        return [path]
    return InputProblem(name, "no such file or directory")


def _path_problem(path: Path, exc: OSError) -> str:
    """Why a path cannot be read, in the user's words: a symbolic link loop is not 'no such file'."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop (the link leads back to itself)"
    if exc.errno == errno.ENOENT and path.is_symlink():
        return f"symbolic link to {os.readlink(path)!r}, which does not exist"
    return os.strerror(exc.errno).lower() if exc.errno else str(exc)


def read_inputs(
    paths: Iterable[str], options: ReadOptions | None = None
) -> Iterator[Article | InputProblem]:
    """Every article in the given paths, in order ('-' is standard input)."""
    options = options or ReadOptions()
    for name in paths:
        if name == "-":
            yield from _guarded(_read_stdin(options), "<stdin>")
            continue
        if is_url(name):
            yield from _guarded(read_feed_url(name, options), name)
            continue
        yield from _read_path(Path(name), options)


def _read_path(path: Path, options: ReadOptions) -> Iterator[Article | InputProblem]:
    try:
        is_dir = stat.S_ISDIR(path.stat().st_mode)
    except OSError as exc:
        yield InputProblem(str(path), _path_problem(path, exc))
        return
    if not is_dir:
        yield from read_file(path, options)
        return
    files = 0
    for item in walk(path):
        if isinstance(item, InputProblem):
            yield item
        else:
            files += 1
            yield from read_file(item, options)
    if not files:
        yield InputProblem(str(path), f"directory has no readable files ({', '.join(sorted(READERS))})")


def reader_for(path: Path) -> Reader:
    return READERS.get(path.suffix.lower(), READERS[".txt"])


def read_file(path: Path, options: ReadOptions) -> Iterator[Article | InputProblem]:
    try:
        with path.open("rb") as stream:
            yield from _guarded(reader_for(path)(stream, str(path), options), str(path))
    except OSError as exc:
        yield InputProblem(str(path), _path_problem(path, exc))


def _guarded(items: Iterator[Article | InputProblem], origin: str) -> Iterator[Article | InputProblem]:
    """The items of one input; should its reader fail in a way it does not foresee, the failure
    is one problem of this input and the next input is read (the articles before it are kept)."""
    try:
        yield from items
    except Exception as exc:
        yield InputProblem(origin, f"cannot read further: {type(exc).__name__}: {exc}")


def _read_stdin(options: ReadOptions) -> Iterator[Article | InputProblem]:
    stream = sys.stdin.buffer
    head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
    if not head:
        data = stream.read()
        head, stream = data[:4096], io.BytesIO(data)
    yield from sniff_format(head)(stream, "<stdin>", options)

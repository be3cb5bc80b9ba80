"""Readers: one function per input format, each turning a byte stream into Articles.

A reader yields an Article for each article it reads and an InputProblem for each it cannot,
so one bad article never stops a batch.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

import trafilatura

from ..errors import InputProblem
from ..model import Article
from .dates import parse_published
from .decode import DecodeError, decode_text, looks_binary

DEFAULT_MAX_CHARS = 5_000_000
# Markup can be many times the size of the article it carries.
HTML_MARKUP_FACTOR = 8


@dataclass(frozen=True)
class ReadOptions:
    published: str | None = None  # used for articles that carry no publication date
    max_chars: int = DEFAULT_MAX_CHARS


Item = Article | InputProblem
Reader = Callable[[IO[bytes], str, ReadOptions], Iterator[Item]]


def _too_big(size: int, limit: int, what: str = "text") -> str:
    return f"{what} is {size:,} characters, over the limit of {limit:,} (see --max-size)"


def _read_bounded(stream: IO[bytes], limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise DecodeError(_too_big(len(data), limit, "input") + "+")
    return data


def _article(text: str, origin: str, options: ReadOptions, **meta: object) -> Item:
    if not text.strip():
        return InputProblem(origin, "no article text")
    if len(text) > options.max_chars:
        return InputProblem(origin, _too_big(len(text), options.max_chars))
    published = meta.pop("published", None)
    iso = parse_published(published)
    if published and not iso:
        return InputProblem(origin, f"published: not a date: {str(published)[:40]!r}")
    return Article(
        text=text,
        id=_str(meta.get("id")),
        url=_str(meta.get("url")),
        title=_str(meta.get("title")),
        published=iso or options.published,
        origin=origin,
    )


def _str(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def read_text(stream: IO[bytes], origin: str, options: ReadOptions) -> Iterator[Item]:
    try:
        text = decode_text(_read_bounded(stream, options.max_chars * 4))
    except DecodeError as exc:
        yield InputProblem(origin, str(exc))
        return
    yield _article(text, origin, options)


def read_html(stream: IO[bytes], origin: str, options: ReadOptions) -> Iterator[Item]:
    try:
        data = _read_bounded(stream, options.max_chars * HTML_MARKUP_FACTOR)
        html = decode_text(data)
    except DecodeError as exc:
        yield InputProblem(origin, str(exc))
        return
    yield html_article(html, origin, options)


def html_article(html: str, origin: str, options: ReadOptions, url: str | None = None) -> Item:
    """The main text and metadata of one HTML page (trafilatura)."""
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    except Exception as exc:  # trafilatura raises assorted errors on broken markup
        return InputProblem(origin, f"cannot parse HTML: {type(exc).__name__}")
    if doc is None or not (doc.text or "").strip():
        return InputProblem(origin, "no article text found in the HTML")
    return _article(doc.text, origin, options, url=doc.url or url, title=doc.title,
                    published=doc.date)


def _from_object(obj: object, origin: str, options: ReadOptions) -> Item:
    if not isinstance(obj, dict):
        return InputProblem(origin, "not a JSON object")
    text = obj.get("text")
    if not isinstance(text, str):
        return InputProblem(origin, 'no "text" string in the article object')
    return _article(text, origin, options, **{k: obj.get(k) for k in ("id", "url", "title", "published")})


def read_json(stream: IO[bytes], origin: str, options: ReadOptions) -> Iterator[Item]:
    try:
        raw = decode_text(_read_bounded(stream, options.max_chars * 2))
        obj = json.loads(raw)
    except DecodeError as exc:
        yield InputProblem(origin, str(exc))
        return
    except json.JSONDecodeError as exc:
        yield InputProblem(origin, f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        return
    yield _from_object(obj, origin, options)


def read_jsonl(stream: IO[bytes], origin: str, options: ReadOptions) -> Iterator[Item]:
    """One article object a line, streamed; a bad line is reported with its number."""
    seen_any = False
    for number, raw in enumerate(_lines(stream, options.max_chars * 2), start=1):
        if raw is not None and not raw.strip():
            continue
        seen_any = True
        yield jsonl_item(raw, origin, options, number)
    if not seen_any:
        yield InputProblem(origin, "empty input")


def jsonl_item(raw: bytes | None, origin: str, options: ReadOptions,
               number: int | None = None) -> Item:
    """The article of one line of JSON Lines (a line over the limit may come as None)."""
    limit = options.max_chars * 2
    if raw is None or len(raw) > limit:
        return InputProblem(origin, _too_big(limit, limit, "line") + "+", number)
    if looks_binary(raw):
        return InputProblem(origin, "binary data, not text", number)
    try:
        obj = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return InputProblem(origin, "not UTF-8 (JSON Lines must be UTF-8)", number)
    except json.JSONDecodeError as exc:
        return InputProblem(origin, f"invalid JSON: {exc.msg} at column {exc.colno}", number)
    item = _from_object(obj, origin, options)
    return InputProblem(origin, item.message, number) if isinstance(item, InputProblem) else item


def _lines(stream: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """Lines of a stream, with None for a line over the limit (skipped without holding it)."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(limit + 1)
            yield None
            continue
        yield line


READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_text,
    ".markdown": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
}


def sniff_reader(head: bytes) -> Reader:
    """The reader for data of unknown name (standard input), from its first bytes."""
    start = head.lstrip()[:200].lower()
    if start.startswith(b"{"):
        first_line = head.lstrip().split(b"\n", 1)[0]
        try:
            json.loads(first_line)
            return read_jsonl
        except (json.JSONDecodeError, UnicodeDecodeError):
            return read_json
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return read_html
    return read_text

"""Readers: one function per input format, each turning a byte stream into Articles.

A reader yields an Article for each article it reads and an InputProblem for each it cannot,
so one bad article never stops a batch.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from ..defaults import DEFAULT_MAX_CHARS
from ..errors import InputProblem
from ..model import Article
from ..printable import one_line
from .dates import is_relative_date, parse_published
from .decode import DecodeError, decode_text, looks_binary

# Markup can be many times the size of the article it carries.
HTML_MARKUP_FACTOR = 8


@dataclass(frozen=True)
class ReadOptions:
    published: str | None = None  # used for articles that carry no publication date
    max_chars: int = DEFAULT_MAX_CHARS

    def bytes_for(self, factor: int) -> int:
        """The most bytes to read for an article of at most max_chars characters, at `factor`
        bytes a character (no more than a read can ask for: --max-size may be any number)."""
        return min(self.max_chars * factor, _MOST_BYTES)


_MOST_BYTES = 2**60
_PIECE_BYTES = 1 << 24


Item = Article | InputProblem
Reader = Callable[[IO[bytes], str, ReadOptions], Iterator[Item]]


def _too_big(size: int, limit: int, what: str = "text") -> str:
    return f"{what} is {size:,} characters, over the limit of {limit:,} characters (see --max-size)"


def _read_bounded(stream: IO[bytes], options: ReadOptions, factor: int, what: str = "input") -> bytes:
    """At most `factor` bytes per character of the size limit (encodings and markup take more
    bytes than the text they carry); over that, a DecodeError that says so in bytes."""
    limit = options.bytes_for(factor)
    chunks: list[bytes] = []
    size = 0
    while size <= limit:  # in pieces: a read allocates all it asks for at once
        chunk = stream.read(min(_PIECE_BYTES, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise DecodeError(_over_bytes(limit, options, what))
    return b"".join(chunks)


def _over_bytes(limit: int, options: ReadOptions, what: str) -> str:
    return (f"{what} is over {limit:,} bytes, more than an article of at most "
            f"{options.max_chars:,} characters takes (see --max-size)")


# Lone surrogates ("\ud800" in JSON) are not text: no encoder takes them.
_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(value: str) -> str:
    """The string with each lone surrogate replaced by U+FFFD, so it can be encoded and stored."""
    return _SURROGATE.sub("\ufffd", value)


def _article(text: str, origin: str, options: ReadOptions, **meta: object) -> Item:
    if not text.strip():
        return InputProblem(origin, "no article text")
    if len(text) > options.max_chars:
        return InputProblem(origin, _too_big(len(text), options.max_chars))
    published = meta.pop("published", None)
    iso = parse_published(published)
    if published and not iso:
        given = str(published)
        why = " (a relative date; give the day it was written)" if is_relative_date(given) else ""
        return InputProblem(origin, f"published: not a date: {given[:40]!r}{why}")
    return Article(
        text=valid_text(text),
        id=_str(meta.get("id")),
        url=_str(meta.get("url")),
        title=_str(meta.get("title")),
        published=iso or options.published,
        origin=one_line(origin),
    )


def _str(value: object) -> str | None:
    return None if value is None or value == "" else valid_text(str(value))


def read_text(stream: IO[bytes], origin: str, options: ReadOptions) -> Iterator[Item]:
    try:
        text = decode_text(_read_bounded(stream, options, 4))
    except DecodeError as exc:
        yield InputProblem(origin, str(exc))
        return
    yield _article(text, origin, options)


def read_html(stream: IO[bytes], origin: str, options: ReadOptions) -> Iterator[Item]:
    try:
        html = decode_text(_read_bounded(stream, options, HTML_MARKUP_FACTOR))
    except DecodeError as exc:
        yield InputProblem(origin, str(exc))
        return
    yield html_article(html, origin, options)


# Control characters XML does not allow, raw or as a character reference (`&#27;`): lxml, under
# trafilatura, gives up on the whole page for one reference, and refuses the raw characters
# in any text it is given. Browsers show nothing for them.
# So are references to surrogates and to numbers beyond Unicode.
_REFERENCE = re.compile(r"&#(?:([0-9]{1,10})|[xX]([0-9a-fA-F]{1,8}));?")
_XML_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _forbidden(code: int) -> bool:
    return (code < 0x20 and code not in (0x9, 0xA, 0xD)) or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF


def _drop_forbidden(match: re.Match[str]) -> str:
    decimal, hexadecimal = match.groups()
    return "" if _forbidden(int(decimal) if decimal else int(hexadecimal, 16)) else match.group()


def without_xml_controls(html: str) -> str:
    """The markup without the characters XML forbids, raw or referenced."""
    html = _XML_FORBIDDEN_CHARS.sub("", html)
    return _REFERENCE.sub(_drop_forbidden, html) if "&#" in html else html


_REFERENCE_BYTES = re.compile(rb"&#(?:([0-9]{1,10})|[xX]([0-9a-fA-F]{1,8}));?")


def without_xml_control_references(data: bytes) -> bytes:
    """XML bytes (in an ASCII-compatible encoding) without references to forbidden characters."""
    def drop(match: re.Match[bytes]) -> bytes:
        decimal, hexadecimal = match.groups()
        return b"" if _forbidden(int(decimal) if decimal else int(hexadecimal, 16)) else match.group()

    return _REFERENCE_BYTES.sub(drop, data) if b"&#" in data else data


def html_article(html: str, origin: str, options: ReadOptions, url: str | None = None) -> Item:
    """The main text and metadata of one HTML page (trafilatura)."""
    import trafilatura  # slow to import (lxml, courlan, htmldate…): only when there is HTML

    try:
        doc = trafilatura.bare_extraction(without_xml_controls(html), url=url, with_metadata=True,
                                          include_comments=False)
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


def _json(raw: str, line: bool = False) -> object:
    """The value of a JSON text (a JSON Lines `line`); a DecodeError that says what is wrong
    with it otherwise."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        where = "" if line else f"line {exc.lineno} "
        raise DecodeError(f"invalid JSON: {exc.msg} at {where}column {exc.colno}") from None
    except RecursionError:
        raise DecodeError("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise DecodeError(f"invalid JSON: {exc}") from None


def read_json(stream: IO[bytes], origin: str, options: ReadOptions) -> Iterator[Item]:
    try:
        obj = _json(decode_text(_read_bounded(stream, options, 2)))
    except DecodeError as exc:
        yield InputProblem(origin, str(exc))
        return
    yield _from_object(obj, origin, options)


def read_jsonl(stream: IO[bytes], origin: str, options: ReadOptions) -> Iterator[Item]:
    """One article object a line, streamed; a bad line is reported with its number."""
    seen_any = False
    limit = options.bytes_for(2)
    for number, raw in enumerate(_lines(stream, limit), start=1):
        if raw is not None and not raw.strip():
            continue
        seen_any = True
        yield jsonl_item(raw, origin, options, number)
    if not seen_any:
        yield InputProblem(origin, "empty input")


def jsonl_item(raw: bytes | None, origin: str, options: ReadOptions,
               number: int | None = None) -> Item:
    """The article of one line of JSON Lines (a line over the limit may come as None); a line
    that cannot be read is reported with its number, never stopping the rest."""
    limit = options.bytes_for(2)
    if raw is None or len(raw) > limit:
        return InputProblem(origin, _over_bytes(limit, options, "line"), number)
    try:
        item = _line_article(raw, origin, options)
    except Exception as exc:  # one line never stops the file: it is reported, and skipped
        item = InputProblem(origin, f"cannot read this line: {type(exc).__name__}: {exc}")
    return InputProblem(origin, item.message, number) if isinstance(item, InputProblem) else item


def _line_article(raw: bytes, origin: str, options: ReadOptions) -> Item:
    if looks_binary(raw):
        return InputProblem(origin, "binary data, not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return InputProblem(origin, "not UTF-8 (JSON Lines must be UTF-8)")
    try:
        obj = _json(text, line=True)
    except DecodeError as exc:
        return InputProblem(origin, str(exc))
    return _from_object(obj, origin, options)


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
        except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            return read_json
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return read_html
    return read_text

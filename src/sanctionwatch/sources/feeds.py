"""RSS and Atom feeds (feedparser): one Article per entry, from a file or a feed URL (httpx).

A feed URL is the only network source: entries are read from the feed itself (their content or
summary); the pages they link to are not fetched.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from datetime import date
from typing import IO, Any

import feedparser
import lxml.html
from lxml.etree import ParserError

from ..errors import InputProblem
from ..fetch import Bounds
from ..model import Article
from .readers import ReadOptions, _article, read_html, without_xml_control_references, without_xml_controls

Item = Article | InputProblem

MAX_FEED_BYTES = 64 * 1024 * 1024
# feedparser parses with the expat Python bundles, which before 2.6 reads a long token again at
# every 64 KB it is fed (CVE-2023-52425): a 16 MB attribute name takes 15 s, 64 MB minutes.
# No name, value or word in a feed is anywhere near this long.
MAX_TOKEN_BYTES = 4 * 1024 * 1024
_TOKEN_BREAKS = bytes.maketrans(b" \t\r\n>&\"'=", b"<" * 9)
FEED_BOUNDS = Bounds(max_bytes=MAX_FEED_BYTES, deadline=120.0)
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.I)
# What feedparser notes about a feed it read in full: a wrong declared encoding or media type.
_HARMLESS = feedparser.exceptions.ThingsNobodyCaresAboutButMe
_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr",
           "table", "section", "article", "figure", "figcaption", "dt", "dd", "hr")


def is_url(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


def looks_like_feed(head: bytes) -> bool:
    """Whether a document's first bytes open an RSS, Atom or RSS 1.0 (RDF) feed."""
    return bool(_FEED_ROOT.search(head[:2048]))


def read_feed(stream: IO[bytes], origin: str, options: ReadOptions) -> Iterator[Item]:
    """A feed file; XML that is not a feed is read as a page (.xml may hold either)."""
    data = stream.read(MAX_FEED_BYTES + 1)
    if len(data) > MAX_FEED_BYTES:
        yield InputProblem(origin, f"feed is over {MAX_FEED_BYTES:,} bytes")
    elif looks_like_feed(data):
        yield from feed_articles(data, origin, options)
    else:
        yield from read_html(io.BytesIO(data), origin, options)


def read_feed_url(url: str, options: ReadOptions) -> Iterator[Item]:
    """The entries of the feed at a URL."""
    from ..fetch import TransferError, fetch_bytes  # here: only a feed URL needs httpx

    try:
        data = fetch_bytes(url, FEED_BOUNDS, "feed reader")
    except TransferError as exc:
        yield InputProblem(url, f"cannot fetch the feed: {exc}")
        return
    if not looks_like_feed(data):
        yield InputProblem(url, "not an RSS or Atom feed (a feed is the only kind of URL read)")
        return
    yield from feed_articles(data, url, options)


def feed_articles(data: bytes, origin: str, options: ReadOptions) -> Iterator[Item]:
    """One Article per entry; an entry that gives no text is reported and skipped."""
    longest = max(map(len, data.translate(_TOKEN_BREAKS).split(b"<")), default=0)
    if longest > MAX_TOKEN_BYTES:
        yield InputProblem(origin, f"not a readable feed: it holds a run of {longest:,} bytes without a "
                                   f"space or markup (at most {MAX_TOKEN_BYTES:,})")
        return
    # A stream, never bytes or str: feedparser would take a string for a URL or file name.
    try:
        parsed = feedparser.parse(io.BytesIO(without_xml_control_references(data)), sanitize_html=True)
    except Exception as exc:  # feedparser fails in assorted ways on broken feeds
        yield InputProblem(origin, f"not a readable feed: {type(exc).__name__}: {exc}")
        return
    if parsed.bozo and not parsed.entries:
        yield InputProblem(origin, f"not a readable feed: {_bozo_reason(parsed.bozo_exception)}")
        return
    if parsed.bozo and not isinstance(parsed.bozo_exception, _HARMLESS):
        yield InputProblem(origin, "malformed feed, read leniently: "
                                   f"{_bozo_reason(parsed.bozo_exception)}")
    for number, entry in enumerate(parsed.entries, start=1):
        yield entry_article(entry, f"{origin} entry {number}", options)


def entry_article(entry: Any, origin: str, options: ReadOptions) -> Item:
    text = _entry_text(entry)
    if not text:
        return InputProblem(origin, "feed entry has no content or summary")
    title = entry.get("title")
    if title and entry.get("title_detail", {}).get("type") == "text/html":
        title = fragment_text(title)
    return _article(text, origin, options, id=entry.get("id") or entry.get("link"),
                    url=entry.get("link"), title=title,
                    published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")))


def _entry_text(entry: Any) -> str:
    """The fullest text an entry carries: its longest content, else its summary."""
    bodies = [(c.get("value") or "", c.get("type")) for c in entry.get("content") or ()]
    if not any(value.strip() for value, _ in bodies) and entry.get("summary"):
        bodies = [(entry["summary"], entry.get("summary_detail", {}).get("type"))]
    if not bodies:
        return ""
    value, kind = max(bodies, key=lambda body: len(body[0]))
    return value.strip() if kind == "text/plain" else fragment_text(value)


def fragment_text(html: str) -> str:
    """Readable text of an HTML fragment: block elements become paragraphs."""
    try:
        root = lxml.html.fragment_fromstring(without_xml_controls(html), create_parent="div")
    except (ParserError, ValueError):
        return ""
    for element in list(root.iter("script", "style")):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.text = "\n\n" + (element.text or "")
        element.tail = "\n\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _iso(parsed: time.struct_time | None) -> str | None:
    return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat() if parsed else None


def _bozo_reason(exc: object) -> str:
    if exc is None:
        return "unknown error"
    line = getattr(exc, "getLineNumber", None)
    where = f" at line {line()}" if callable(line) else ""
    message = getattr(exc, "getMessage", None)
    return f"{message() if callable(message) else exc}{where}"

"""Fuzzing the readers (hypothesis): whatever bytes come in, a reader yields Articles and
InputProblems (the one-line error type) and raises nothing else; an Article it yields can be
stored and printed (valid text, within the size limit, an ISO date or none).

Inputs are random bytes and mutations of well-formed files of each format (a flipped,
dropped or repeated byte, a cut, control characters and character references slipped in).
Bounded in CI by the `ci` profile (conftest.py); `HYPOTHESIS_PROFILE=long` searches longer.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Callable, Iterator

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sanctionwatch.errors import InputProblem
from sanctionwatch.model import Article
from sanctionwatch.sources import READERS, ReadOptions
from sanctionwatch.sources.compressed import read_gzip
from sanctionwatch.sources.dates import parse_published
from sanctionwatch.sources.decode import DecodeError, decode_text
from sanctionwatch.sources.feeds import read_feed
from sanctionwatch.sources.sniff import sniff_format
from sanctionwatch.sources.warc import read_warc
from tests.test_warc import make_warc

from .corpus import FLAGGED

OPTIONS = ReadOptions(max_chars=20_000)
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")  # a partial date (2024, 2024-03) is kept as given

HTML = (f"<html><head><title>Yachts</title><meta name='date' content='2024-03-05'></head><body><article>"
        f"<p>{FLAGGED}</p><p>{FLAGGED}</p></article></body></html>").encode()
RSS = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>News</title><item><title>Yachts</title>"
       f"<link>https://news.example/y</link><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>"
       f"<description>&lt;p&gt;{FLAGGED}&lt;/p&gt;</description></item></channel></rss>").encode()
JSONL = "".join(json.dumps({"id": f"a{n}", "text": FLAGGED, "published": "2024-03-05"}) + "\n"
                for n in range(3)).encode()
SEEDS = {".txt": FLAGGED.encode(), ".html": HTML, ".json": JSONL.splitlines()[0], ".jsonl": JSONL,
         ".xml": RSS, ".warc": make_warc()}
SNIPPETS = [b"\x00", b"\x1b[2J", b"&#27;", b"&#0;", b"&#xD800;", b"\\ud800", b"\xff\xfe", b"\xef\xbb\xbf",
            b"\r\n\r\nWARC/1.1\r\n", b"Content-Length: 99999999\r\n", b"[" * 300, b"(" * 300, b"\n",
            b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>", b"&a;", b"<![CDATA[", b"\x1f\x8b"]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed with a few edits: bytes flipped, stretches dropped or repeated, snippets slipped in,
    the end cut off."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["flip", "drop", "repeat", "insert", "cut"]))
        if edit == "flip" and at < len(data):
            data[at] ^= draw(st.integers(1, 255))
        elif edit == "drop":
            del data[at:at + draw(st.integers(1, 64))]
        elif edit == "repeat":
            data[at:at] = data[at:at + draw(st.integers(1, 64))] * draw(st.integers(2, 20))
        elif edit == "insert":
            data[at:at] = draw(st.sampled_from(SNIPPETS) | st.binary(max_size=32))
        else:
            del data[at:]
    return bytes(data)


def any_input(seed: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(mutated(seed), st.binary(max_size=2048))


def check(items: Iterator[Article | InputProblem]) -> None:
    """Everything a reader yields is an Article fit to store and print, or an InputProblem."""
    for item in items:
        if isinstance(item, InputProblem):
            assert isinstance(item.message, str) and item.message
            continue
        assert isinstance(item, Article), item
        assert item.text.strip() and len(item.text) <= OPTIONS.max_chars
        for value in (item.text, item.id, item.url, item.title, item.origin):
            if value is not None:
                value.encode("utf-8")  # no lone surrogate: the store and the terminal take it
        assert item.published is None or ISO_DATE.fullmatch(item.published)


def read(reader: Callable, data: bytes, origin: str = "fuzz") -> None:
    check(reader(io.BytesIO(data), origin, OPTIONS))


@pytest.fixture(scope="module", autouse=True)
def warm_readers() -> None:
    """Each reader once, so the data they load on first use does not count against a deadline."""
    for suffix, seed in SEEDS.items():
        read(READERS[suffix], seed, f"warm{suffix}")
    read(READERS[".html"], b"<html><body><p>" + FLAGGED.encode() * 3 + b"</p></body></html>")


@pytest.mark.parametrize("suffix", sorted(READERS))
@given(data=st.data())
def test_every_reader_yields_articles_or_problems(suffix, data):
    seed = SEEDS.get(suffix, SEEDS.get({".htm": ".html", ".xhtml": ".html", ".ndjson": ".jsonl",
                                        ".rss": ".xml", ".atom": ".xml"}.get(suffix, ".txt"), b""))
    payload = data.draw(any_input(seed))
    if suffix == ".gz":
        payload = gzip.compress(payload) if data.draw(st.booleans()) else payload
        read(READERS[suffix], payload, "fuzz.warc.gz")
    else:
        read(READERS[suffix], payload, f"fuzz{suffix}")


@given(any_input(make_warc()))
@example(make_warc()[:-300])
def test_warc(payload):
    read(read_warc, payload)


@given(any_input(RSS))
def test_feed(payload):
    read(read_feed, payload)


@given(st.sampled_from(sorted(SEEDS.values())).flatmap(any_input), st.booleans())
def test_standard_input_sniffing(payload, compressed):
    payload = gzip.compress(payload) if compressed else payload
    read(sniff_format(payload[:4096]), payload, "<stdin>")


@given(st.sampled_from(sorted(SEEDS.values())).flatmap(any_input))
def test_gzip_members(payload):
    read(read_gzip, gzip.compress(payload)[: len(payload) // 2 + 20], "fuzz.gz")


@given(st.one_of(st.binary(max_size=4096), st.sampled_from(sorted(SEEDS.values())).flatmap(mutated),
                 st.text(max_size=200).map(lambda t: t.encode("utf-16-le"))))
def test_decode_returns_text_or_says_why_not(payload):
    try:
        text = decode_text(payload)
    except DecodeError as exc:
        assert str(exc)
    else:
        assert isinstance(text, str)


@given(st.one_of(st.text(max_size=120), st.integers(), st.floats(), st.none(),
                 st.dates().map(str), st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S"))))
def test_publication_dates_parse_or_are_none(value):
    parsed = parse_published(value)
    assert parsed is None or ISO_DATE.fullmatch(parsed)

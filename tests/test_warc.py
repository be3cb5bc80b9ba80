"""WARC files: HTML pages captured become articles; other records are passed over; a corrupt
record is reported and reading goes on with the next one."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sanctionwatch.errors import InputProblem
from sanctionwatch.model import Article
from sanctionwatch.sources import read_inputs

# Pages written for these tests: long enough that trafilatura takes them for articles.
PAGES = {
    "https://news.example/ships": (
        "Ships at the quay",
        "Two bulk carriers waited outside the harbour for three days before a berth came free. "
        "The port authority blamed a shortage of pilots and said two more would start in June.",
    ),
    "https://news.example/rail": (
        "New rail link opens",
        "The first freight train crossed the new bridge on Monday morning, carrying timber and "
        "fertiliser. Engineers said the line would take twelve trains a day by the autumn.",
    ),
    "https://news.example/archive/fisheries": (
        "Fisheries talks resume",
        "Negotiators from the coastal states met again to divide the mackerel quota. Neither "
        "side would say how far apart they were, but both called the first day constructive.",
    ),
}


def _html(url: str) -> bytes:
    title, body = PAGES[url]
    paragraphs = "".join(f"<p>{body} ({n})</p>" for n in range(1, 4))
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{paragraphs}</article></body></html>").encode()


def _response(writer: WARCWriter, url: str, payload: bytes, status: str = "200 OK",
              content_type: str = "text/html; charset=utf-8", encoding: str | None = None):
    headers = [("Content-Type", content_type), ("Content-Length", str(len(payload)))]
    if encoding:
        headers.append(("Content-Encoding", encoding))
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    return writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                     http_headers=http)


def make_warc(compress: bool = False) -> bytes:
    """A small crawl: three pages (one gzip-encoded, one a resource record) among records
    that are not articles."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    ships, rail, fisheries = PAGES
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "tests"}))
    request = StatusAndHeaders("GET /ships HTTP/1.1", [("Host", "news.example")], is_http_request=True)
    writer.write_record(writer.create_warc_record(ships, "request", http_headers=request))
    writer.write_record(_response(writer, ships, _html(ships)))
    writer.write_record(_response(writer, rail, gzip.compress(_html(rail)), encoding="gzip"))
    writer.write_record(_response(writer, "https://news.example/old", b"", status="301 Moved"))
    writer.write_record(_response(writer, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n",
                                  content_type="image/png"))
    writer.write_record(writer.create_warc_record(
        fisheries, "resource", payload=io.BytesIO(_html(fisheries)), warc_content_type="text/html"))
    return out.getvalue()


def _read(path: Path) -> tuple[list[Article], list[str]]:
    items = list(read_inputs([str(path)]))
    return ([i for i in items if isinstance(i, Article)],
            [str(i) for i in items if isinstance(i, InputProblem)])


def _record_offsets(data: bytes) -> list[int]:
    offsets, at = [], data.find(b"WARC/1.")
    while at != -1:
        offsets.append(at)
        at = data.find(b"\r\nWARC/1.", at + 1)
        at = at + 2 if at != -1 else -1
    return offsets


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_html_pages_in_a_warc_become_articles(tmp_path: Path, name: str):
    path = tmp_path / name
    path.write_bytes(make_warc(compress=name.endswith(".gz")))
    articles, problems = _read(path)
    assert problems == []
    assert [a.url for a in articles] == list(PAGES)
    assert [a.title for a in articles] == [title for title, _ in PAGES.values()]
    for article, (_, body) in zip(articles, PAGES.values(), strict=True):
        assert body[:40] in article.text
    assert articles[0].origin == f"{path} record 3"


def test_a_corrupt_record_header_is_reported_and_the_next_records_are_read(tmp_path: Path):
    data = make_warc()
    fourth = _record_offsets(data)[3]  # the gzip-encoded rail page
    damaged = data[:fourth] + b"GARBAGE LINE\r\n" + data[fourth + len(b"WARC/1.1\r\n"):]
    path = tmp_path / "damaged.warc"
    path.write_bytes(damaged)
    articles, problems = _read(path)
    assert [a.url for a in articles] == [
        "https://news.example/ships", "https://news.example/archive/fisheries"]
    assert problems == [f"{path} record 3: corrupt WARC data after this record (a wrong "
                        "Content-Length?): skipped to the next record"]


def _with_length(data: bytes, record: int, value: bytes) -> tuple[bytes, int]:
    """The WARC with the Content-Length of one record's header replaced; and that length."""
    start = _record_offsets(data)[record]
    head_end = data.index(b"\r\n\r\n", start)
    at = data.index(b"Content-Length: ", start, head_end) + len(b"Content-Length: ")
    end = data.find(b"\r\n", at, head_end)
    end = head_end if end == -1 else end
    return data[:at] + value + data[end:], int(data[at:end])


def test_an_unreadable_content_length_is_reported(tmp_path: Path):
    path = tmp_path / "bad-length.warc"
    path.write_bytes(_with_length(make_warc(), 2, b"many")[0])  # the ships page
    articles, problems = _read(path)
    assert [a.url for a in articles] == [
        "https://news.example/rail", "https://news.example/archive/fisheries"]
    assert problems == [f"{path} record 3: corrupt WARC record header: Content-Length 'many'"]


def test_a_wrong_content_length_is_reported_and_reading_goes_on(tmp_path: Path):
    data = make_warc()
    _, length = _with_length(data, 2, b"")
    path = tmp_path / "short-length.warc"
    path.write_bytes(_with_length(data, 2, str(length - 200).encode())[0])
    articles, problems = _read(path)
    # The ships page is read short, and reading goes on at the next record.
    assert [a.url for a in articles] == list(PAGES)
    assert problems == [f"{path} record 3: corrupt WARC data after this record (a wrong "
                        "Content-Length?): skipped to the next record"]


def test_a_warc_cut_short_keeps_the_records_before_the_cut(tmp_path: Path):
    data = make_warc()
    last = _record_offsets(data)[-1]
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: last + (len(data) - last) // 2])
    articles, problems = _read(path)
    assert [a.url for a in articles] == ["https://news.example/ships", "https://news.example/rail"]
    assert problems == [f"{path} record 7: WARC record cut short: the file ends inside it"]


def test_a_file_that_is_not_a_warc_is_one_problem(tmp_path: Path):
    path = tmp_path / "notes.warc"
    path.write_text("just some notes\n", encoding="utf-8")
    assert _read(path) == ([], [f"{path}: not a WARC file (no WARC/1.x record header)"])


def test_a_corrupt_gzip_is_reported(tmp_path: Path):
    data = make_warc(compress=True)
    path = tmp_path / "broken.warc.gz"
    path.write_bytes(data[: len(data) // 2] + b"\x00" * 64 + data[len(data) // 2 + 64:])
    articles, problems = _read(path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: corrupt gzip data")

"""WARC files of news pages (warcio): one Article per HTML page captured.

Records are framed here and each is parsed by warcio, so a corrupt record is reported and
reading goes on at the next record rather than stopping. Only successful (200) HTML responses
and HTML resource records are articles; requests, metadata, redirects and media are passed over.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import IO

from warcio.bufferedreaders import BufferedReader, ChunkedDataException
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord, ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeadersParserException

from ..errors import InputProblem
from ..model import Article
from .decode import DecodeError, decode_text
from .readers import HTML_MARKUP_FACTOR, ReadOptions, html_article

Item = Article | InputProblem

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_MAX_LINE = 1 << 16
_CHUNK = 1 << 16


def read_warc(stream: IO[bytes], origin: str, options: ReadOptions) -> Iterator[Item]:
    reader = BufferedReader(stream)
    loader = ArcWarcRecordLoader(verify_http=False, arc2warc=False)
    line = _next_line(reader)
    if line is None:
        yield InputProblem(origin, "empty input")
        return
    if not _is_version(line):
        yield InputProblem(origin, "not a WARC file (no WARC/1.x record header)")
        return
    number = 0
    while line is not None:
        number += 1
        where = f"{origin} record {number}"
        try:
            record = loader.parse_record_stream(reader, line, known_format="warc")
        except (ArchiveLoadFailed, StatusAndHeadersParserException, ValueError, EOFError) as exc:
            yield InputProblem(where, f"corrupt WARC record header: {exc}")
            line = _resync(reader)
            continue
        length = record.rec_headers.get_header("Content-Length")
        if not (length and length.strip().isdigit()):
            yield InputProblem(where, f"corrupt WARC record header: Content-Length {length!r}")
            line = _resync(reader)
            continue
        item = _page(record, where, options)
        _drain(record)
        if record.raw_stream.limit > 0:
            item = InputProblem(where, "WARC record cut short: the file ends inside it")
        if item is not None:
            yield item
        line = _next_line(reader)
        if line is not None and not _is_version(line):
            # This record's length was wrong, or the next record's header is damaged.
            yield InputProblem(where, "corrupt WARC data after this record (a wrong "
                                      "Content-Length?): skipped to the next record")
            line = _resync(reader)


def _page(record: ArcWarcRecord, where: str, options: ReadOptions) -> Item | None:
    """The article of a record that captures an HTML page; None for any other record."""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or http.get_statuscode() != "200":
            return None
        content_type = http.get_header("Content-Type")
    elif record.rec_type == "resource":
        content_type = record.content_type
    else:
        return None
    if not content_type or content_type.split(";")[0].strip().lower() not in _HTML_TYPES:
        return None
    limit = options.max_chars * HTML_MARKUP_FACTOR
    try:
        data = record.content_stream().read(limit + 1)
        if len(data) > limit:
            return InputProblem(where, f"page is over {limit:,} bytes (see --max-size)")
        html = decode_text(data)
    except (ChunkedDataException, zlib.error, OSError, EOFError) as exc:
        return InputProblem(where, f"corrupt page content: {exc}")
    except DecodeError as exc:
        return InputProblem(where, str(exc))
    return html_article(html, where, options, url=record.rec_headers.get_header("WARC-Target-URI"))


def _drain(record: ArcWarcRecord) -> None:
    while record.raw_stream.read(_CHUNK):
        pass


def _is_version(line: bytes) -> bool:
    return line.startswith(b"WARC/")


def _next_line(reader: BufferedReader) -> bytes | None:
    """The next line that is not blank (records are separated by blank lines); None at the end."""
    while line := reader.readline(_MAX_LINE):
        if line.strip():
            return line
    return None


def _resync(reader: BufferedReader) -> bytes | None:
    """Skip to the header line of the next record, if any."""
    while line := reader.readline(_MAX_LINE):
        if _is_version(line):
            return line
    return None

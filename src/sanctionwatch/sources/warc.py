"""WARC files of news pages (warcio): one Article per HTML page captured.

Records are framed here and each is parsed by warcio, so a corrupt record is reported and
reading goes on at the next record rather than stopping; a Content-Length that runs over the
records after its own is found (the next record's header inside the block) and reading goes on
from there, so the records it covers are not lost. Only successful (200) HTML responses
and HTML resource records are articles; requests, metadata, redirects and media are passed over.
"""

from __future__ import annotations

import io
import re
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
_MAX_LINE = 1 << 16  # bytes: a header line longer than that is damage, not a header
_CHUNK = 1 << 16
# A record's block ends with a blank line and the next record's header starts "WARC/1.x".
# Found inside a block, it shows the block's Content-Length runs over the records after it.
_NEXT_RECORD = re.compile(rb"\r\n\r\nWARC/1\.[01]\r\nWARC-[A-Za-z-]+: ")
_LOOK_BACK = 64  # bytes kept from the end of one chunk, so a boundary across two is found


class _LineTooLong(ValueError):
    pass


class _Reader(BufferedReader):
    """warcio's reader, whose readline joins the pieces of a long line again and again (a 50 MB
    header line took over a minute): here a line is read in pieces, and one warcio reads is
    refused past _MAX_LINE bytes."""

    def readline(self, length: int | None = None) -> bytes:
        wanted = _MAX_LINE + 1 if length is None or length > _MAX_LINE else length
        pieces: list[bytes] = []
        size = 0
        while size < wanted:
            piece = super().readline(wanted - size)
            if not piece:
                break
            pieces.append(piece)
            size += len(piece)
            if piece.endswith(b"\n"):
                break
        line = b"".join(pieces)
        if size > _MAX_LINE and wanted > _MAX_LINE and not line.endswith(b"\n"):
            raise _LineTooLong(f"a header line is over {_MAX_LINE:,} bytes")
        return line


class _Prepended(io.RawIOBase):
    """Bytes already read, then the rest of a stream."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head = head
        self.rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.head:
            taken = self.head if size < 0 else self.head[:size]
            self.head = self.head[len(taken):]
            return taken
        return self.rest.read(size)


class _Loader(ArcWarcRecordLoader):
    def load_http_headers(self, rec_type, uri, stream, length):  # type: ignore[no-untyped-def]
        # A response without WARC-Target-URI still holds an HTTP response: warcio would fail on
        # the missing URI (AttributeError); the page is read, without a URL.
        return super().load_http_headers(rec_type, uri if uri is not None else "http:", stream, length)


def read_warc(stream: IO[bytes], origin: str, options: ReadOptions) -> Iterator[Item]:
    reader = _Reader(stream)
    loader = _Loader(verify_http=False, arc2warc=False)
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
        except Exception as exc:  # warcio raises assorted errors on damaged headers
            yield InputProblem(where, f"corrupt WARC record header: {_reason(exc)}")
            line = _resync(reader)
            continue
        length = record.rec_headers.get_header("Content-Length")
        if not (length and length.strip().isdigit()):
            yield InputProblem(where, f"corrupt WARC record header: Content-Length {length!r}")
            line = _resync(reader)
            continue
        limit = options.bytes_for(HTML_MARKUP_FACTOR)
        block, following = _block(record, limit + 1 if _is_page(record) else 0)
        if following is not None:
            yield InputProblem(where, f"its Content-Length ({int(length):,}) runs over the next record: "
                                      "read up to it, and on from there")
            reader = _Reader(_Prepended(following, reader))
        elif record.raw_stream.limit > 0:
            yield InputProblem(where, "WARC record cut short: the file ends inside it")
            return
        if block is not None:
            item = _page(record, block, limit, where, options)
            if item is not None:
                yield item
        line = _next_line(reader)
        if line is not None and not _is_version(line):
            # This record's length was short, or the next record's header is damaged.
            yield InputProblem(where, "corrupt WARC data after this record (a wrong "
                                      "Content-Length?): skipped to the next record")
            line = _resync(reader)


def _reason(exc: Exception) -> str:
    known = (ArchiveLoadFailed, StatusAndHeadersParserException, ValueError, EOFError)
    return str(exc) if isinstance(exc, known) else f"{type(exc).__name__}: {exc}"


def _is_page(record: ArcWarcRecord) -> bool:
    """Whether a record captures an HTML page: a successful response, or a resource."""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or http.get_statuscode() != "200":
            return False
        content_type = http.get_header("Content-Type")
    elif record.rec_type == "resource":
        content_type = record.content_type
    else:
        return False
    return bool(content_type) and content_type.split(";")[0].strip().lower() in _HTML_TYPES


def _block(record: ArcWarcRecord, keep: int) -> tuple[bytes | None, bytes | None]:
    """Read the rest of a record's block: its first `keep` bytes (None when keep is 0), and
    should the next record's header show up inside it, the bytes read from there on (the
    block is then taken to end there)."""
    kept: list[bytes] = []
    size = 0
    tail = b""
    while chunk := record.raw_stream.read(_CHUNK):
        window = tail + chunk
        found = _NEXT_RECORD.search(window)
        if found:
            end = found.start() - len(tail)  # where the block ends, in this chunk
            if keep and size < keep:
                kept.append(chunk[:max(end, 0)][: keep - size])
            if end < 0:  # the boundary began in the kept tail of the last chunk
                kept_bytes = b"".join(kept)
                kept = [kept_bytes[: len(kept_bytes) + end]]
            return (b"".join(kept) if keep else None), window[found.start() + 4:]
        if keep and size < keep:
            kept.append(chunk[: keep - size])
        size += len(chunk)
        tail = window[-_LOOK_BACK:]
    return (b"".join(kept) if keep else None), None


def _page(record: ArcWarcRecord, block: bytes, limit: int, where: str, options: ReadOptions) -> Item | None:
    """The article of a page record, from the bytes of its block."""
    if len(block) > limit:
        return InputProblem(where, f"page is over {limit:,} bytes, more than an article of at most "
                                   f"{options.max_chars:,} characters takes (see --max-size)")
    record.raw_stream = io.BytesIO(block)  # content_stream() decodes the transfer and content encodings
    try:
        html = decode_text(record.content_stream().read(limit + 1))
    except (ChunkedDataException, zlib.error, OSError, EOFError) as exc:
        return InputProblem(where, f"corrupt page content: {exc}")
    except DecodeError as exc:
        return InputProblem(where, str(exc))
    return html_article(html, where, options, url=record.rec_headers.get_header("WARC-Target-URI"))


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

"""The reader for data of unknown name (standard input, `.gz` without an inner suffix)."""

from __future__ import annotations

from .feeds import looks_like_feed, read_feed
from .readers import Reader, sniff_reader
from .warc import read_warc


def sniff_format(head: bytes) -> Reader:
    """Compressed data, WARC and feeds by their first bytes; other formats as readers.py sniffs."""
    from .compressed import read_gzip  # imported here: read_gzip sniffs what it decompresses

    if head.startswith(b"\x1f\x8b"):
        return read_gzip
    if head.lstrip().startswith(b"WARC/"):
        return read_warc
    if looks_like_feed(head):
        return read_feed
    return sniff_reader(head)

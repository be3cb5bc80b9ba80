"""Bytes to text: refuse empty and binary input, honour a declared encoding, detect the rest."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.I)
# Control bytes other than tab, newline, form feed and carriage return never occur in text.
_CONTROL = frozenset(range(0, 32)) - {9, 10, 12, 13}


class DecodeError(ValueError):
    pass


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if any(sample.startswith(bom) for bom, _ in _BOMS[1:]):
        return False  # UTF-16/32 text carries NUL bytes
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b in _CONTROL)
    return controls > max(8, len(sample) // 100)


def declared_encoding(data: bytes) -> str | None:
    """The charset an HTML or XML document declares in its first 4 KB, if Python knows it."""
    m = _DECLARED.search(data[:4096]) or re.search(rb"""<\?xml[^>]+encoding=["']([^"']+)""", data[:256])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def decode_text(data: bytes) -> str:
    """Decode bytes read from a file; raise DecodeError with a message for the user."""
    if not data.strip():
        raise DecodeError("empty input")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {encoding} text: {exc.reason}") from None
    if looks_binary(data):
        raise DecodeError("binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_encoding(data)
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError("not UTF-8 and its encoding cannot be determined")
    return str(best)

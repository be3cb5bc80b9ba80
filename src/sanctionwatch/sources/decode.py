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


def bomless_utf16_or_32(data: bytes) -> str | None:
    """The encoding of UTF-16 or UTF-32 text written without a byte-order mark; None when the
    data is not such. Latin text shows it by where its zero bytes fall (the high bytes); other
    scripts by decoding cleanly into printable text, spaces at the right place."""
    sample = data[:8192]
    sample = sample[: len(sample) // 4 * 4]
    if len(sample) < 8 or b"\x00" not in sample:
        return None

    def zeros(offset: int, step: int) -> float:
        part = sample[offset::step]
        return part.count(0) / len(part)

    if min(zeros(1, 4), zeros(2, 4), zeros(3, 4)) > 0.9 and zeros(0, 4) < 0.1:
        return "utf-32-le"
    if min(zeros(0, 4), zeros(1, 4), zeros(2, 4)) > 0.9 and zeros(3, 4) < 0.1:
        return "utf-32-be"
    if zeros(1, 2) > 0.3 and zeros(0, 2) < 0.02:
        return "utf-16-le"
    if zeros(0, 2) > 0.3 and zeros(1, 2) < 0.02:
        return "utf-16-be"
    readable = [(text.count(" "), encoding) for encoding in ("utf-16-le", "utf-16-be")
                if (text := _strict(sample, encoding)) and _mostly_printable(text)]
    return max(readable)[1] if readable else None


def _strict(data: bytes, encoding: str) -> str | None:
    """The text of a sample (which may end inside a character), None where it is not valid."""
    try:
        return codecs.getincrementaldecoder(encoding)().decode(data, final=False)
    except UnicodeDecodeError:
        return None


def _mostly_printable(text: str) -> bool:
    printable = sum(1 for c in text if c.isprintable() or c in "\t\n\r\f")
    return printable >= 0.97 * len(text)


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
    bomless = bomless_utf16_or_32(data)
    if bomless:
        try:
            text = data.decode(bomless)
        except UnicodeDecodeError as exc:
            raise DecodeError(f"looks like {bomless.upper()} text without a byte-order mark, "
                              f"but is not valid {bomless.upper()}: {exc.reason}") from None
        if not looks_binary(text.encode("utf-8", "surrogatepass")):
            return text
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

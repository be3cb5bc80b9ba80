"""Untrusted text made safe to print on a terminal: control characters shown as escapes.

Article text, titles, ids, file names and list entries come from outside. Printed raw, an ESC
sequence in them can clear the screen, set the window title or hide text, and a newline in a
file name can fake a line of our own output. Every terminal output goes through `printable`
(text that may span lines) or `one_line` (a name, a title, an error line).

Control characters become Python-style escapes (`\\x1b`, `\\u202e`); a byte that was not UTF-8
(a file name or argument decoded with surrogateescape) is shown as the byte (`\\xff`).
"""

from __future__ import annotations

import re

# C0 controls but tab and line feed, DEL, C1 controls, bidirectional overrides and isolates
# (they reorder what follows on the line), and lone surrogates (not text: never encodable).
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_IN_TEXT = re.compile(f"\r\n|[{_UNSAFE}]")
# On one line, line breaks of every kind are escaped too.
_ON_ONE_LINE = re.compile(f"[\n\u2028\u2029{_UNSAFE}]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\r\n":
        return "\n"
    code = ord(char)
    if char in "\n\r\t":
        return repr(char)[1:-1]
    if 0xDC80 <= code <= 0xDCFF:  # a byte surrogateescape could not decode
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Text safe on a terminal, its lines kept (CRLF becomes LF; a lone CR is escaped)."""
    return _IN_TEXT.sub(_escape, text)


def one_line(text: str) -> str:
    """Text safe on a terminal and on one line: line breaks are escaped as well."""
    return _ON_ONE_LINE.sub(_escape, text)


# What JSON's own escaping leaves raw with ensure_ascii=False: DEL and C1 controls, bidi
# overrides, line and paragraph separators, lone surrogates. Escaped as \uXXXX they read back
# unchanged.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_printable(encoded: str) -> str:
    """JSON text (from json.dumps) with the characters a terminal would act on escaped."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


__all__ = ["json_printable", "one_line", "printable"]

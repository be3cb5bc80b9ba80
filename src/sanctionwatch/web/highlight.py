"""An article text as HTML with its evidence spans and entities marked at their offsets.

Everything from the text is escaped; characters that would not show or would reorder what
follows (control characters, bidirectional overrides) are shown as visible symbols, so the
page shows the text as written and an evidence span shows exactly its characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

# Entities marked in the text: the parties, places and goods (dates and numbers are not).
MARKED_KINDS = frozenset({"person", "org", "country", "place", "goods", "vessel", "media"})
_BIDI = {0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}


def visible(text: str) -> str:
    """Control characters as their Unicode control pictures (ESC → ␛), bidi controls as
    [U+202E]; tabs and line breaks stay."""
    out = []
    for char in text:
        code = ord(char)
        if char in "\t\n\r":
            out.append(char)
        elif code < 0x20:
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("\u2421")
        elif 0x80 <= code <= 0x9F:
            out.append("\ufffd")
        elif code in _BIDI:
            out.append(f"[U+{code:04X}]")
        else:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # "evidence" or "entity"
    current: bool = False  # evidence of the flag the page is about
    anchor: str | None = None  # an id for the first piece, to jump to
    href: str | None = None  # entities: their KB page
    title: str | None = None


def marks_for(text: str, flags: Sequence[dict[str, Any]], entities: Sequence[dict[str, Any]],
              focus: str | None = None) -> list[Mark]:
    """Marks for each flag's evidence (anchored `ev-<flag key>-<n>`) and each entity; spans
    outside the text are left out."""
    marks = []
    for flag in flags:
        for n, span in enumerate(flag.get("evidence") or ()):
            marks.append(Mark(span["start"], span["end"], "evidence",
                              current=flag["key"] == focus, anchor=f"ev-{flag['key']}-{n}",
                              title=flag["category"]))
    for entity in entities:
        if entity.get("kind") not in MARKED_KINDS:
            continue
        kb_id = entity.get("kb_id")
        href = f"/kb/{quote(kb_id, safe='/')}" if kb_id else None
        label = entity.get("name") or entity.get("text") or ""
        title = f"{entity.get('kind')}: {label}" + (f" ({entity['country']})"
                                                    if entity.get("country") else "")
        marks.append(Mark(entity["start"], entity["end"], "entity", href=href, title=title))
    return [m for m in marks
            if isinstance(m.start, int) and isinstance(m.end, int) and 0 <= m.start < m.end <= len(text)]


def highlighted(text: str, marks: Sequence[Mark]) -> Markup:
    """The text as HTML: evidence in <mark>, entities as links to their KB page (or spans)."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    anchored: set[str] = set()
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [m for m in marks if m.start <= start and end <= m.end]
        html = escape(visible(text[start:end]))
        evidence = [m for m in covering if m.kind == "evidence"]
        if evidence:
            classes = "evidence current" if any(m.current for m in evidence) else "evidence"
            ids = "".join(f'<span class="anchor" id="{escape(m.anchor)}"></span>'
                          for m in evidence if m.anchor and m.anchor not in anchored)
            anchored.update(m.anchor for m in evidence if m.anchor)
            titles = escape(", ".join(dict.fromkeys(m.title or "" for m in evidence)))
            html = Markup(f'{ids}<mark class="{classes}" title="{titles}">{html}</mark>')
        entity = next((m for m in covering if m.kind == "entity"), None)
        if entity is not None:
            title = escape(entity.title or "")
            if entity.href:
                html = Markup(f'<a class="entity" href="{escape(entity.href)}" title="{title}">'
                              f'{html}</a>')
            else:
                html = Markup(f'<span class="entity" title="{title}">{html}</span>')
        pieces.append(html)
    return Markup("").join(pieces)

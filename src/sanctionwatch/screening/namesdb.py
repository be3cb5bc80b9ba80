"""The person-name corpus rigour tags names with, read once when an index is compiled.

rigour ties the spellings of a given or family name in every script to one Wikidata item
('чен ын', '정은', '正恩', 'jong-un' -> Q6312539). Its tagger compiles the whole corpus into an
automaton on first use, which takes 15-20 s and 400 MB in every process that tags a person
name. The index instead stores, for the name items its listed names carry, every spelling of
them (`index.build_index`), so a query in any script finds its name items with one look-up.

The corpus ships inside rigour's compiled core as a zstd frame of lines
``form, form, … => <item id>``; it is located by that shape. Should a rigour release store it
otherwise, `name_groups` yields nothing and names in other scripts are matched by their
transliteration alone (the index records how many spellings it holds: `lists status`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import util
from pathlib import Path

import zstandard

_FRAME = b"\x28\xb5\x2f\xfd"  # the zstd frame magic number
_LINE = re.compile(r"^(?P<forms>.+) => (?P<id>[QX]\d+)$")


def _core_library() -> Path | None:
    spec = util.find_spec("rigour._core")
    return Path(spec.origin) if spec and spec.origin else None


def _corpus_text(data: bytes) -> str | None:
    """The first zstd frame in `data` that decompresses to lines of the corpus's shape."""
    view = memoryview(data)
    start = data.find(_FRAME)
    while start >= 0:
        try:
            text = zstandard.ZstdDecompressor().decompressobj().decompress(view[start:]).decode("utf-8")
        except (zstandard.ZstdError, UnicodeDecodeError):
            text = ""
        head = text[:2000].splitlines()[:5]
        if len(head) >= 3 and all(_LINE.match(line) for line in head):
            return text
        start = data.find(_FRAME, start + 1)
    return None


def name_groups() -> Iterator[tuple[str, list[str]]]:
    """(item id, its spellings) for every name item of rigour's person-name corpus."""
    path = _core_library()
    if path is None:
        return
    text = _corpus_text(path.read_bytes())
    if text is None:
        return
    for line in text.splitlines():
        found = _LINE.match(line)
        if found:
            yield found.group("id"), found.group("forms").split(", ")

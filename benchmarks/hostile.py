"""How long the hostile inputs of issue 10 take now: each case of tests/hostile/corpus.py that was
slow (minutes, or unbounded) is read or analysed once, in this process, and timed.

    python benchmarks/hostile.py

The model and the readers are loaded (warmed up) before the clock starts.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.hostile.corpus import CASES, FLAGGED  # noqa: E402

from sanctionwatch.analyze import default_analyzer  # noqa: E402
from sanctionwatch.model import Article  # noqa: E402
from sanctionwatch.screening.un_xml import read_un_xml  # noqa: E402
from sanctionwatch.sources import read_inputs  # noqa: E402

# case -> what the issue measured before
BEFORE = {
    "parenthesis_run": "37 s, 570 MB (spaCy's tokenizer)",
    "bracket_run": "over 120 s",
    "warc_header_line_50mb": "70 s",
    "warc_gz_long_header": "over 120 s",
    "un_list_with_a_huge_token": "11 s (20 MB text token; 45 s for a 20 MB name, measured here)",
    "feed_with_a_huge_attribute_name": "15 s for 16 MB (measured here), minutes for 64 MB",
    "article_of_1_2_million_characters": "crash (E088: over spaCy's 1,000,000 characters)",
    "single_line_of_3_mb": "crash (E088)",
}


def _read(path: Path) -> int:
    return sum(1 for _ in read_inputs([str(path)]))


def _analyse(path: Path) -> int:
    analyzer = default_analyzer()
    return len(analyzer.analyze(Article(text=path.read_text(encoding="utf-8"))).flags)


def _list(path: Path) -> int:
    try:
        return sum(1 for _ in read_un_xml(path))
    except Exception as exc:  # the refusal is the result
        return -len(str(exc))


HOW: dict[str, Callable[[Path], int]] = {
    "parenthesis_run": _analyse,
    "bracket_run": _analyse,
    "warc_header_line_50mb": _read,
    "warc_gz_long_header": _read,
    "un_list_with_a_huge_token": _list,
    "feed_with_a_huge_attribute_name": _read,
    "article_of_1_2_million_characters": _analyse,
    "single_line_of_3_mb": _analyse,
}


def main() -> None:
    default_analyzer().analyze(Article(text=FLAGGED))
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'case':<36} {'now':>8}  before (issue 10)")
        for name, how in HOW.items():
            path = CASES[name](Path(tmp))
            started = time.perf_counter()
            how(path)
            print(f"{name:<36} {time.perf_counter() - started:>7.1f}s  {BEFORE[name]}")


if __name__ == "__main__":
    main()

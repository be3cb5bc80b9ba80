"""gzip-compressed inputs are read as the format inside them, streamed."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from sanctionwatch.errors import InputProblem
from sanctionwatch.model import Article
from sanctionwatch.sources import read_inputs

LINES = [{"id": f"n{n}", "title": f"Note {n}", "text": f"Customs note number {n} about a cargo."}
         for n in range(3)]


def _jsonl() -> bytes:
    return "".join(json.dumps(line) + "\n" for line in LINES).encode()


def _read(names: list[str]) -> tuple[list[Article], list[str]]:
    items = list(read_inputs(names))
    return ([i for i in items if isinstance(i, Article)],
            [str(i) for i in items if isinstance(i, InputProblem)])


def test_jsonl_gz_is_read_line_by_line(tmp_path: Path):
    path = tmp_path / "notes.jsonl.gz"
    path.write_bytes(gzip.compress(_jsonl()))
    articles, problems = _read([str(path)])
    assert problems == []
    assert [a.id for a in articles] == ["n0", "n1", "n2"]
    assert articles[2].text == "Customs note number 2 about a cargo."


def test_text_gz_and_a_gz_of_unknown_inner_format(tmp_path: Path):
    (tmp_path / "one.txt.gz").write_bytes(gzip.compress(b"A single plain text article."))
    (tmp_path / "bundle.gz").write_bytes(gzip.compress(_jsonl()))  # sniffed: JSON Lines
    articles, problems = _read([str(tmp_path)])
    assert problems == []
    assert sorted(a.text for a in articles) == sorted(
        [line["text"] for line in LINES] + ["A single plain text article."])


def test_gzip_on_standard_input_is_sniffed(monkeypatch: pytest.MonkeyPatch):
    class Stdin:
        buffer = io.BufferedReader(io.BytesIO(gzip.compress(_jsonl())))

    monkeypatch.setattr("sys.stdin", Stdin)
    articles, problems = _read(["-"])
    assert problems == [] and len(articles) == 3


def test_a_truncated_gz_keeps_what_came_before_and_reports_the_rest(tmp_path: Path):
    data = gzip.compress(_jsonl() * 200)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    articles, problems = _read([str(path)])
    assert len(articles) > 0
    assert problems == [f"{path}: corrupt gzip data: Compressed file ended before the "
                        "end-of-stream marker was reached"]


def test_a_file_named_gz_that_is_not_gzip(tmp_path: Path):
    path = tmp_path / "fake.txt.gz"
    path.write_bytes(b"plain text pretending")
    articles, problems = _read([str(path)])
    assert articles == []
    assert problems == [f"{path}: corrupt gzip data: Not a gzipped file (b'pl')"]

"""The learned layer's training data stays clean: well-formed rows, known kinds, no near-repeats,
and the dev-set labels point at the part of the dev sets we look at, never the sealed part."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "training" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_written_sentences_are_well_formed_and_do_not_repeat() -> None:
    assert _load("check_sentences").problems() == []


def test_the_checker_finds_a_near_repeat_and_a_bad_row(tmp_path: Path) -> None:
    rows = [{"text": "North Korea shipped two thousand tonnes of coal to a Chinese port in May.",
             "act": True, "kinds": ["commodities"]},
            {"text": "North Korea shipped two thousand tonnes of coal to a Chinese port in June.",
             "act": True, "kinds": ["commodities"]},
            {"text": "A sentence with an act and no kind.", "act": True, "kinds": []}]
    (tmp_path / "written-99.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    found = _load("check_sentences").problems(tmp_path)
    assert any("repeats" in p for p in found) and any("no kind" in p for p in found)


def test_dev_labels_are_on_the_looked_at_part_and_still_match(shared: Path) -> None:
    sealed = _load("split").sealed
    articles = {}
    for name in ("articles.jsonl", "articles-2.jsonl"):
        for line in (shared / "devset" / name).read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                articles[(name, row["id"])] = row
    path = ROOT / "training" / "labels" / "dev-sentences.jsonl"
    labels = [json.loads(x) for x in path.read_text().splitlines()]
    assert labels
    for label in labels:
        article = articles[(label["file"], label["id"])]
        assert not sealed(article["url"]), label["id"]
        text = article["text"][label["start"]:label["end"]]
        assert hashlib.sha1(text.encode()).hexdigest()[:10] == label["sha1"], label["id"]

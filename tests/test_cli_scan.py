"""`sanctionwatch scan` as a user runs it: formats, ids, offsets, schema, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from sanctionwatch import __version__
from sanctionwatch.report.jsonout import report_schema

from .cli_helpers import run_cli

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "yacht-delivery.txt"
STORY = ("Kim Jong Un received a convoy of trucks from a Chinese company in Dalian on May 3, "
         "officials in Seoul said.")


def test_version(capsys, monkeypatch) -> None:
    r = run_cli(capsys, monkeypatch, "--version")
    assert r.code == 0 and r.out.strip() == f"sanctionwatch {__version__}"


@pytest.mark.parametrize("args", [["--help"], ["scan", "--help"]])
def test_help(capsys, monkeypatch, args) -> None:
    r = run_cli(capsys, monkeypatch, *args)
    assert r.code == 0 and "Usage" in r.out


def test_json_report_validates_and_offsets_index_the_text(capsys, monkeypatch) -> None:
    r = run_cli(capsys, monkeypatch, "scan", str(EXAMPLE), "--format", "json")
    assert r.code == 0, r.err
    report = json.loads(r.out)
    jsonschema.validate(report, report_schema())
    text = EXAMPLE.read_text(encoding="utf-8")
    assert report["entities"], "the example names people and places"
    for e in report["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
    names = {e["text"] for e in report["entities"]}
    assert {"Kim Jong Un", "Nampo"} <= names


def test_seed_article_entities(capsys, monkeypatch, shared) -> None:
    path = shared / "examples" / "000_dbe120eccc59485b.txt"
    r = run_cli(capsys, monkeypatch, "scan", str(path), "--format", "json")
    report = json.loads(r.out)
    jsonschema.validate(report, report_schema())
    text = path.read_text(encoding="utf-8")
    for e in report["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
    found = {e["text"] for e in report["entities"]}
    assert {"Kim Jong Un", "Vladimir Putin", "Dmitry Peskov", "Russia"} <= found
    assert found & {"DPRK", "North Korea"}


def test_jsonl_keeps_order_and_ids_and_hashes_missing_ids(capsys, monkeypatch, tmp_path) -> None:
    path = tmp_path / "batch.jsonl"
    rows = [{"id": "first", "text": STORY}, {"text": "A second story about Pyongyang and Moscow."},
            {"id": "third", "text": STORY, "published": "2024-05-06"}]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    r = run_cli(capsys, monkeypatch, "scan", str(path), "--format", "jsonl")
    assert r.code == 0
    reports = [json.loads(line) for line in r.out.splitlines()]
    assert [x["article"]["id"] for x in reports][::2] == ["first", "third"]
    assert len(reports[1]["article"]["id"]) == 16
    assert reports[2]["article"]["published"] == "2024-05-06"


def test_devset_prints_29_reports_with_ids(capsys, monkeypatch, shared) -> None:
    path = shared / "devset" / "articles.jsonl"
    ids = [json.loads(line)["id"] for line in path.read_text().splitlines() if line.strip()]
    r = run_cli(capsys, monkeypatch, "scan", str(path), "--format", "jsonl")
    assert r.code == 0
    assert [json.loads(line)["article"]["id"] for line in r.out.splitlines()] == ids == ids[:29]


def test_stdin_text(capsys, monkeypatch) -> None:
    r = run_cli(capsys, monkeypatch, "scan", "-", "--format", "json", "--published", "2024-05-06",
                stdin=STORY.encode())
    assert r.code == 0
    report = json.loads(r.out)
    assert report["article"]["published"] == "2024-05-06"


def test_text_format_is_readable_and_escapes_markup(capsys, monkeypatch, tmp_path) -> None:
    path = tmp_path / "markup.json"
    path.write_text(json.dumps({"id": "m", "title": "[red]Ships[/red] at Nampo", "text": STORY}))
    r = run_cli(capsys, monkeypatch, "scan", str(path))
    assert r.code == 0
    assert "[red]Ships[/red] at Nampo" in r.out  # shown as written, not interpreted
    assert "Kim Jong Un" in r.out


def test_one_bad_article_does_not_stop_the_batch(capsys, monkeypatch, tmp_path) -> None:
    (tmp_path / "good.txt").write_text(STORY)
    (tmp_path / "empty.txt").write_text("")
    r = run_cli(capsys, monkeypatch, "scan", str(tmp_path / "empty.txt"), str(tmp_path / "good.txt"),
                "--format", "jsonl")
    assert r.code == 1
    assert len(r.out.splitlines()) == 1
    assert r.err.strip().count("\n") == 0 and "empty.txt: empty input" in r.err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["scan", "NOPE.txt"], "NOPE.txt: no such file"),
        (["scan", "{example}", "--format", "xml"], "--format"),
        (["scan", "{example}", "--published", "18/02/2024"], "--published"),
        (["scan", "{example}", "--published", "2024-02-31"], "--published"),
        (["scan", "{example}", "--no-such-option"], "no-such-option"),
        (["frobnicate"], "frobnicate"),
    ],
)
def test_errors_are_one_line_and_non_zero(capsys, monkeypatch, args, needle) -> None:
    args = [a.replace("{example}", str(EXAMPLE)) for a in args]
    r = run_cli(capsys, monkeypatch, *args)
    assert r.code != 0
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in r.err


@pytest.fixture
def no_lists(tmp_path, monkeypatch):
    """No sanctions lists installed, and analyzers made afresh for it."""
    from sanctionwatch.analyze import default_analyzer

    monkeypatch.setenv("SANCTIONWATCH_DATA", str(tmp_path / "no-lists"))
    default_analyzer.cache_clear()
    yield
    default_analyzer.cache_clear()


def test_without_lists_scan_says_names_are_not_screened(no_lists, capsys, monkeypatch) -> None:
    text = run_cli(capsys, monkeypatch, "scan", str(EXAMPLE))
    assert text.code == 0
    assert text.err == ("sanctionwatch: no sanctions lists installed: names are not screened "
                        "(install them with `sanctionwatch lists update`)\n")
    as_json = run_cli(capsys, monkeypatch, "scan", str(EXAMPLE), "--format", "json")
    assert as_json.code == 0 and as_json.err == "" and json.loads(as_json.out)["screening"] == []


def test_several_articles_take_the_prefiltered_batch_path_with_the_same_flags(
        tmp_path, capsys, monkeypatch) -> None:
    import sanctionwatch.analyze as analyze

    asked: list[bool] = []
    made = analyze.default_analyzer

    def spy(prefilter: bool = False):
        asked.append(prefilter)
        return made(prefilter=prefilter)

    monkeypatch.setattr(analyze, "default_analyzer", spy)
    (tmp_path / "a.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "c.txt").write_text("The city council met on Tuesday to discuss new bicycle lanes.")

    def flags(*args: str) -> list[list[dict]]:
        result = run_cli(capsys, monkeypatch, "scan", *args, "--format", "jsonl")
        assert result.code == 0, result.err
        return [report["flags"] for report in map(json.loads, result.out.splitlines())]

    several = flags(str(tmp_path))
    assert asked == [True] and len(several) == 3 and several[0]
    assert flags(str(tmp_path), "--full") == several and asked[-1] is False
    alone = [flags(str(tmp_path / name))[0] for name in ("a.txt", "b.txt", "c.txt")]
    assert alone == several and asked[-3:] == [False, False, False]

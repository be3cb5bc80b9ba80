"""Issue 10's hostile and faulty inputs, through the commands a user runs (scan, ingest, query,
lists update, screen): every case ends in one line on standard error, a non-zero exit where
input was refused, and every good record stored."""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

import pytest

from sanctionwatch.store import Store
from tests.cli_helpers import Result, run_cli
from tests.screening_data import ofac_dir, un_xml

from .corpus import CASES, FLAGGED, GOOD_RECORDS

ESC = "\x1b"


@pytest.fixture
def hostile(tmp_path: Path):
    """Writes a case of the corpus into the test's folder and returns its path."""
    root = tmp_path / "hostile"
    root.mkdir()
    return lambda name: CASES[name](root)


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "data"
    monkeypatch.setenv("SANCTIONWATCH_DATA", str(path))
    return path


def error_lines(result: Result) -> list[str]:
    """The error lines on standard error, every line there checked to be one of ours: no
    traceback, no raw control character, each a `sanctionwatch:` line (errors, and the progress
    lines ingest writes every few seconds when not at a terminal)."""
    assert "Traceback" not in result.err
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.err.replace("\n", "")), result.err
    lines = result.err.splitlines()
    assert all(line.startswith("sanctionwatch: ") for line in lines), result.err
    return [line for line in lines if line.startswith("sanctionwatch: error: ")]


def ingest(capsys, monkeypatch, tmp_path: Path, *sources: Path | str, workers: str = "0") -> Result:
    return run_cli(capsys, monkeypatch, "ingest", *map(str, sources), "--db", str(tmp_path / "store.db"),
                   "--workers", workers)


def stored_ids(tmp_path: Path) -> list[str]:
    with Store.open(str(tmp_path / "store.db")) as store, store.engine.connect() as conn:
        return [row[0] for row in conn.exec_driver_sql("SELECT external_id FROM articles")]


# --- 1. one record never stops an ingest ---

@pytest.mark.parametrize(("case", "problem"), [
    ("deep_nesting", ":51: invalid JSON: nested too deeply"),
    ("huge_number", ":51: invalid JSON: Exceeds the limit"),
])
def test_a_bad_record_is_reported_and_every_other_stored(hostile, tmp_path, capsys, monkeypatch, case,
                                                         problem):
    result = ingest(capsys, monkeypatch, tmp_path, hostile(case))
    (line,) = error_lines(result)
    assert problem in line and result.code == 1
    assert sorted(stored_ids(tmp_path)) == sorted(f"note-{n}" for n in range(GOOD_RECORDS))


def test_a_lone_surrogate_is_replaced_and_the_article_kept(hostile, tmp_path, capsys, monkeypatch):
    result = ingest(capsys, monkeypatch, tmp_path, hostile("lone_surrogate"))
    assert result.code == 0 and error_lines(result) == []
    assert len(stored_ids(tmp_path)) == GOOD_RECORDS + 1
    with Store.open(str(tmp_path / "store.db")) as store, store.engine.connect() as conn:
        (text,) = conn.exec_driver_sql("SELECT text FROM articles WHERE external_id = 'surrogate'").one()
    assert text == "broken \ufffd emoji"


def test_a_warc_record_without_target_uri_is_still_read(hostile, tmp_path, capsys, monkeypatch):
    result = ingest(capsys, monkeypatch, tmp_path, hostile("warc_without_target_uri"))
    assert result.code == 0 and error_lines(result) == []
    assert len(stored_ids(tmp_path)) == 3


@pytest.mark.parametrize("workers", ["0", "1"])
def test_an_ingest_goes_past_every_bad_record_and_a_rerun_too(hostile, tmp_path, capsys, monkeypatch,
                                                             workers):
    source = hostile("records_with_every_bad_line")
    first = ingest(capsys, monkeypatch, tmp_path, source, workers=workers)
    lines = error_lines(first)
    # Nested too deeply, a huge number, a relative date, binary, not JSON: 5 lines, in file order.
    assert [int(re.search(r"records\.jsonl:(\d+): ", line)[1]) for line in lines] == [26, 41, 56, 71, 86]
    assert first.code == 1 and "101 new" in first.out
    assert len(stored_ids(tmp_path)) == GOOD_RECORDS + 1  # the lone surrogate is kept
    again = ingest(capsys, monkeypatch, tmp_path, source, workers=workers)
    assert len(error_lines(again)) == 5 and "101 already stored, nothing to analyse" in again.out


# --- 2. bounded time ---

def test_a_run_of_parentheses_is_analysed(hostile, capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "scan", str(hostile("parenthesis_run")), "-f", "json")
    assert result.code == 0 and error_lines(result) == []
    report = json.loads(result.out)
    assert {f["category"] for f in report["flags"]} >= {"un-dprk/luxury-goods"}


def test_a_run_of_brackets_is_ingested(hostile, tmp_path, capsys, monkeypatch):
    result = ingest(capsys, monkeypatch, tmp_path, hostile("bracket_run"))
    assert result.code == 0 and error_lines(result) == [] and "1 new" in result.out


@pytest.mark.parametrize("case", ["warc_header_line_50mb", "warc_gz_long_header"])
def test_a_huge_warc_header_line_is_one_problem(hostile, capsys, monkeypatch, case):
    path = hostile(case)
    result = run_cli(capsys, monkeypatch, "scan", str(path), "-f", "jsonl")
    (line,) = error_lines(result)
    assert line == f"sanctionwatch: error: {path} record 3: corrupt WARC record header: a header line is " \
                   "over 65,536 bytes"
    assert result.code == 1 and len(result.out.splitlines()) == 2  # the two other pages


def test_a_feed_with_a_huge_token_is_refused_at_once(hostile, capsys, monkeypatch):
    path = hostile("feed_with_a_huge_attribute_name")
    result = run_cli(capsys, monkeypatch, "scan", str(path))
    assert error_lines(result) == [f"sanctionwatch: error: {path}: not a readable feed: it holds a run of "
                                   "16,000,000 bytes without a space or markup (at most 4,194,304)"]
    assert result.code == 1


def test_an_article_over_its_time_limit_is_skipped_and_the_rest_stored(tmp_path):
    from sanctionwatch.ingest import TimeLimit
    from sanctionwatch.ingest import ingest as run_ingest

    notes = [json.dumps({"id": f"n{n}", "text": f"Ship {n} left port with timber."}) for n in range(6)]
    slow = FLAGGED * 1000  # 170,000 characters the prefilter lets through: many seconds to parse
    notes.insert(3, json.dumps({"id": "slow", "text": slow}))
    source = tmp_path / "slow.jsonl"
    source.write_text("\n".join(notes) + "\n", encoding="utf-8")
    problems = []
    with Store.open(str(tmp_path / "store.db")) as store:
        stats = run_ingest([str(source)], store, workers=1, batch_size=4, on_problem=problems.append,
                           time_limit=TimeLimit(seconds=2, chars_per_second=1e12))
        assert (stats.new, stats.failed) == (6, 1) and store.counts()["articles"] == 6
    (problem,) = problems
    assert str(problem) == (f"{source}: article slow ({len(slow):,} characters): analysis took longer than "
                            "its limit of 2.0 s (see --time-limit); skipped")


# --- 3. terminal injection ---

def test_control_characters_never_reach_the_terminal(hostile, tmp_path, capsys, monkeypatch):
    records = hostile("escapes_in_text_title_and_id")
    scanned = run_cli(capsys, monkeypatch, "scan", str(records))
    assert scanned.code == 0 and ESC not in scanned.out and "\x07" not in scanned.out
    assert "Title\\x1b[2J\\x1b]0;owned\\x07\\x1b[8mhidden\\nsanctionwatch" in scanned.out
    as_json = run_cli(capsys, monkeypatch, "scan", str(records), "-f", "json")
    assert ESC not in as_json.out and json.loads(as_json.out)["article"]["id"].startswith("id\x1b[2J")

    badly_named = hostile("escapes_in_file_name")
    failed = run_cli(capsys, monkeypatch, "scan", str(badly_named))
    (line,) = error_lines(failed)  # the newline in the name fakes no second error line
    assert line.endswith("\\x1b[8mhidden\\nsanctionwatch: error: everything is fine.txt: empty input")

    assert ingest(capsys, monkeypatch, tmp_path, records).code == 0
    for fmt in ("table", "csv", "jsonl"):
        listed = run_cli(capsys, monkeypatch, "query", "flags", "--db", str(tmp_path / "store.db"), "-f", fmt)
        assert listed.code == 0 and listed.out and ESC not in listed.out and "\x07" not in listed.out


# --- 4. articles of 1-5 M characters ---

def test_an_article_over_a_million_characters_is_analysed_whole(hostile, capsys, monkeypatch):
    path = hostile("article_of_1_2_million_characters")
    text = path.read_text(encoding="utf-8")
    result = run_cli(capsys, monkeypatch, "scan", str(path), "-f", "json")
    assert result.code == 0 and error_lines(result) == []
    report = json.loads(result.out)
    spans = [s for f in report["flags"] for s in f["evidence"]] + report["entities"]
    assert spans and all(text[s["start"]:s["end"]] == s["text"] for s in spans)
    assert max(s["start"] for s in spans) > 1_000_000  # found in the second copy too


def test_a_single_line_of_3_mb_is_analysed(hostile, capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "scan", str(hostile("single_line_of_3_mb")), "-f", "json")
    assert result.code == 0 and error_lines(result) == []
    assert json.loads(result.out)["flags"]


# --- 5 and 7. lists ---

def test_a_binary_ofac_file_is_one_line(hostile, data, capsys, monkeypatch):
    path = hostile("binary_ofac_csv")
    result = run_cli(capsys, monkeypatch, "lists", "update", "--source", "ofac", "--file", str(path))
    (line,) = error_lines(result)
    assert result.code == 1 and line.startswith("sanctionwatch: error: ofac: ")
    assert line.endswith("sdn-binary.csv: binary data, not an OFAC CSV file; the installed copy is unchanged")


@pytest.mark.parametrize("case", ["truncated_sdn_csv", "two_row_ofac_file"])
def test_a_list_that_shrinks_is_refused_unless_forced(hostile, tmp_path, data, capsys, monkeypatch, case):
    full = run_cli(capsys, monkeypatch, "lists", "update", "--file", str(ofac_dir(tmp_path / "ofac")))
    assert full.code == 0
    path = hostile(case)
    refused = run_cli(capsys, monkeypatch, "lists", "update", "--source", "ofac", "--file", str(path))
    (line,) = error_lines(refused)
    assert refused.code == 1
    assert re.fullmatch(r"sanctionwatch: error: ofac: refused: the new file holds \d entries where the "
                        r"installed list holds 4 \(-\d+%; an update may drop at most 10%: a file cut "
                        r"short\?\); the installed copy is unchanged \(--force installs it anyway\)",
                        line), line
    assert "KIM, Jong Un" in run_cli(capsys, monkeypatch, "screen", "Kim Jong Un").out
    forced = run_cli(capsys, monkeypatch, "lists", "update", "--source", "ofac", "--file", str(path),
                     "--force")
    assert forced.code == 0
    status = json.loads(run_cli(capsys, monkeypatch, "lists", "status", "-f", "json").out)
    assert status["lists"][0]["counts"]["sdn.csv entries"] < 4


def test_an_older_list_is_refused_unless_forced(hostile, tmp_path, data, capsys, monkeypatch):
    current = un_xml(tmp_path / "un.xml")
    assert run_cli(capsys, monkeypatch, "lists", "update", "--file", str(current)).code == 0
    older = hostile("older_un_list")
    refused = run_cli(capsys, monkeypatch, "lists", "update", "--file", str(older))
    assert error_lines(refused) == [
        "sanctionwatch: error: un: refused: the new file is dated 2024-06-30, older than the installed list "
        "of 2025-01-31 (a stale copy?); the installed copy is unchanged (--force installs it anyway)"]
    status = json.loads(run_cli(capsys, monkeypatch, "lists", "status", "-f", "json").out)
    assert [item["generated"] for item in status["lists"]] == ["2025-01-31"]
    assert run_cli(capsys, monkeypatch, "lists", "update", "--file", str(older), "--force").code == 0


def test_a_huge_xml_token_is_refused_at_once(hostile, data, capsys, monkeypatch):
    path = hostile("un_list_with_a_huge_token")
    result = run_cli(capsys, monkeypatch, "lists", "update", "--file", str(path))
    (line,) = error_lines(result)
    assert result.code == 1 and "un-huge-token.xml: not well-formed XML (Name too long: NCName" in line


def test_real_lists_refuse_the_older_un_list(shared, data, capsys, monkeypatch):
    lists = shared / "lists"
    newer, older = (str(lists / f"un-consolidated-{day}.xml") for day in ("2026-02-27", "2025-11-20"))
    assert run_cli(capsys, monkeypatch, "lists", "update", "--file", newer).code == 0
    older = run_cli(capsys, monkeypatch, "lists", "update", "--file", older)
    assert older.code == 1 and "older than the installed list of 2026-02-27" in older.err


# --- 7. tracebacks that are now one line ---

def test_query_with_a_huge_text_or_limit(tmp_path, hostile, capsys, monkeypatch):
    assert ingest(capsys, monkeypatch, tmp_path, hostile("escapes_in_text_title_and_id")).code == 0
    db = str(tmp_path / "store.db")
    long_text = run_cli(capsys, monkeypatch, "query", "flags", "--db", db, "--text", "a" * 50_000)
    assert long_text.code == 0 and error_lines(long_text) == []
    assert long_text.err == "sanctionwatch: no stored flags match\n"
    huge_limit = run_cli(capsys, monkeypatch, "query", "flags", "--db", db, "--limit", "9" * 20,
                         "-f", "jsonl")
    assert huge_limit.code == 0 and len(huge_limit.out.splitlines()) >= 1
    # 9. The text is looked for in names, goods and evidence, not in the JSON's keys.
    underscore = run_cli(capsys, monkeypatch, "query", "flags", "--db", db, "--text", "_", "-f", "jsonl")
    assert underscore.out == ""
    yachts = run_cli(capsys, monkeypatch, "query", "flags", "--db", db, "--text", "YACHTS", "-f", "jsonl")
    assert yachts.out.count("\n") == huge_limit.out.count("\n")


def test_a_name_that_is_not_utf8_is_one_line(data, capsys, monkeypatch):
    name = os.fsdecode(b"Kim \xff Jong Un")  # what Python makes of the bytes a shell passes
    result = run_cli(capsys, monkeypatch, "screen", name)
    assert result.code == 2
    assert error_lines(result) == ["sanctionwatch: error: not valid text (control characters, or bytes "
                                   "that are not UTF-8: check the terminal's encoding): Kim \\xff Jong Un"]


# --- 8. silent losses ---

def test_an_unreadable_folder_is_reported(hostile, capsys, monkeypatch):
    folder = hostile("unreadable_subdirectory")
    locked = folder / "locked"
    if os.geteuid() == 0:  # root reads it anyway: make it unreadable the way the system would
        real = os.scandir

        def scandir(path="."):
            if Path(path) == locked:
                raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
            return real(path)

        monkeypatch.setattr(os, "scandir", scandir)
    try:
        result = run_cli(capsys, monkeypatch, "scan", str(folder), "-f", "jsonl")
    finally:
        locked.chmod(0o755)
    assert error_lines(result) == [
        f"sanctionwatch: error: {locked}: cannot list this folder: permission denied"]
    assert result.code == 1 and len(result.out.splitlines()) == 1  # the readable note


def test_a_content_length_that_runs_over_the_next_record(hostile, capsys, monkeypatch):
    path = hostile("warc_length_too_long")
    result = run_cli(capsys, monkeypatch, "scan", str(path), "-f", "jsonl")
    assert error_lines(result) == [f"sanctionwatch: error: {path} record 3: its Content-Length (1,435) runs "
                                   "over the next record: read up to it, and on from there"]
    assert result.code == 1 and len(result.out.splitlines()) == 3  # no page lost


def test_a_control_character_reference_does_not_lose_the_page(hostile, capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "scan", str(hostile("control_reference_in_html")), "-f", "json")
    assert result.code == 0 and error_lines(result) == []
    report = json.loads(result.out)
    assert report["article"]["title"] == "Yachts route" and report["flags"]


def test_a_relative_publication_date_is_refused_not_made_today(hostile, tmp_path, capsys, monkeypatch):
    path = hostile("published_yesterday")
    result = ingest(capsys, monkeypatch, tmp_path, path)
    assert error_lines(result) == [f"sanctionwatch: error: {path}: published: not a date: 'yesterday' "
                                   "(a relative date; give the day it was written)"]
    assert result.code == 1 and stored_ids(tmp_path) == []


# --- 9. messages that say what happened ---

def test_utf16_without_a_byte_order_mark_is_read(hostile, capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "scan", str(hostile("utf16_without_bom")), "-f", "json")
    assert result.code == 0 and json.loads(result.out)["flags"]


def test_a_symbolic_link_loop_is_called_one(hostile, capsys, monkeypatch):
    path = hostile("symlink_loop")
    result = run_cli(capsys, monkeypatch, "scan", str(path))
    assert error_lines(result) == [f"sanctionwatch: error: {path}: symbolic link loop (the link leads back "
                                   "to itself)"]
    assert result.code == 1


def test_size_limits_count_characters_as_characters_and_bytes_as_bytes(tmp_path, hostile, capsys,
                                                                       monkeypatch):
    text = tmp_path / "long.txt"
    text.write_text("é" * 1001, encoding="utf-8")  # 1,001 characters, 2,002 bytes
    over = run_cli(capsys, monkeypatch, "scan", str(text), "--max-size", "1000")
    assert error_lines(over) == [f"sanctionwatch: error: {text}: text is 1,001 characters, over the limit of "
                                 "1,000 characters (see --max-size)"]
    assert run_cli(capsys, monkeypatch, "scan", str(text), "--max-size", "9" * 20, "-f", "jsonl").code == 0
    bomb = hostile("gzip_bomb")
    refused = run_cli(capsys, monkeypatch, "scan", str(bomb))
    assert error_lines(refused) == [f"sanctionwatch: error: {bomb}: input is over 20,000,000 bytes, more "
                                    "than an article of at most 5,000,000 characters takes (see --max-size)"]
    assert refused.code == 1

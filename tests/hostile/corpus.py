"""The hostile and faulty inputs of issue 10, written on demand (no committed blobs).

Each case is a function that writes its input under a folder and returns the path to give
the command. `python -m tests.hostile.corpus DIR` writes them all, to try by hand:

    python -m tests.hostile.corpus /tmp/hostile
    sanctionwatch ingest /tmp/hostile/records --db /tmp/hostile.db

The texts are made up for these tests.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from tests.screening_data import SDN_ROWS, ofac_dir, un_xml
from tests.test_warc import _record_offsets, _with_length, make_warc

# A short story that yields a flag, and plain notes that yield none.
FLAGGED = ("A dealer in Dalian sold two luxury yachts to North Korea in March 2024, customs "
           "records show. The yachts were delivered to Nampo by a Chinese freighter.")
NOTE = "The harbour office said ship {n} left port on Monday with {n} tonnes of timber."
GOOD_RECORDS = 100  # good records around the bad one in the JSON Lines cases
ESC = "\x1b"
# Clear the screen, set the window title, hide what follows (SGR 8), and a fake error line.
TERMINAL_ATTACK = f"{ESC}[2J{ESC}]0;owned{chr(7)}{ESC}[8mhidden"
FAKE_ERROR = "\nsanctionwatch: error: everything is fine"


def good_record(n: int) -> str:
    return json.dumps({"id": f"note-{n}", "text": NOTE.format(n=n)})


def _jsonl_with(path: Path, bad: str, at: int = GOOD_RECORDS // 2) -> Path:
    """GOOD_RECORDS good lines with one bad line at line `at` + 1."""
    lines = [good_record(n) for n in range(GOOD_RECORDS)]
    lines.insert(at, bad)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


Case = Callable[[Path], Path]
CASES: dict[str, Case] = {}


def case(function: Case) -> Case:
    CASES[function.__name__] = function
    return function


# --- records that stopped an ingest for good (item 1) ---

@case
def lone_surrogate(root: Path) -> Path:
    return _jsonl_with(root / "lone-surrogate.jsonl", '{"id": "surrogate", "text": "broken \\ud800 emoji"}')


@case
def deep_nesting(root: Path) -> Path:
    depth = 100_000
    return _jsonl_with(root / "deep.jsonl", '{"id": "deep", "text": "x", "a": ' + "[" * depth + "]" * depth
                       + "}")


@case
def huge_number(root: Path) -> Path:
    return _jsonl_with(root / "huge-number.jsonl", '{"id": "number", "text": "x", "n": ' + "9" * 5000 + "}")


@case
def warc_without_target_uri(root: Path) -> Path:
    data = make_warc()
    start = _record_offsets(data)[2]  # the first page's response record
    at = data.index(b"WARC-Target-URI: ", start)
    path = root / "no-target-uri.warc"
    path.write_bytes(data[:at] + data[data.index(b"\r\n", at) + 2:])
    return path


# --- quadratic time (item 2) ---

@case
def parenthesis_run(root: Path) -> Path:
    path = root / "parentheses.txt"
    path.write_text(f"{FLAGGED}\n\n{'(' * 20_000}\n\nThe end.\n", encoding="utf-8")
    return path


@case
def bracket_run(root: Path) -> Path:
    path = root / "brackets.txt"
    path.write_text(f"{FLAGGED}\n\n{'[[' * 10_000}{']]' * 10_000}\n", encoding="utf-8")
    return path


def _warc_with_header_line(size: int) -> bytes:
    data = make_warc()
    start = _record_offsets(data)[2]
    head = b"WARC/1.1\r\n"
    return data[:start] + head + b"X-Padding: " + b"a" * size + b"\r\n" + data[start + len(head):]


@case
def warc_header_line_50mb(root: Path) -> Path:
    path = root / "long-header.warc"
    path.write_bytes(_warc_with_header_line(50_000_000))
    return path


@case
def warc_gz_long_header(root: Path) -> Path:
    path = root / "long-header.warc.gz"
    path.write_bytes(gzip.compress(_warc_with_header_line(100_000_000), compresslevel=9))
    return path


@case
def feed_with_a_huge_attribute_name(root: Path) -> Path:
    path = root / "huge-name.rss"
    path.write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title>News</title><item><title "
                    f"{'a' * 16_000_000}='1'>Yachts</title><description>{FLAGGED}</description></item>"
                    "</channel></rss>", encoding="utf-8")
    return path


# --- terminal injection (item 3) ---

@case
def escapes_in_text_title_and_id(root: Path) -> Path:
    path = root / "escapes.jsonl"
    path.write_text(json.dumps({"id": f"id{TERMINAL_ATTACK}", "title": f"Title{TERMINAL_ATTACK}{FAKE_ERROR}",
                                "text": f"{FLAGGED} {TERMINAL_ATTACK} More text."}) + "\n", encoding="utf-8")
    return path


@case
def escapes_in_file_name(root: Path) -> Path:
    path = root / f"name{TERMINAL_ATTACK}{FAKE_ERROR}.txt"
    path.write_text("", encoding="utf-8")  # empty: its name shows in an error line
    return path


# --- long articles (item 4) ---

@case
def article_of_1_2_million_characters(root: Path) -> Path:
    """The flagged story at both ends of 1.2 M characters (blank lines between: cheap to parse)."""
    path = root / "long-article.txt"
    path.write_text(FLAGGED + "\n\n" + (" " * 99 + "\n") * 12_000 + "\n" + FLAGGED + "\n", encoding="utf-8")
    return path


@case
def single_line_of_3_mb(root: Path) -> Path:
    path = root / "one-line.txt"
    path.write_text((FLAGGED + " " * 10_000) * 300, encoding="utf-8")
    return path


# --- lists (items 5 and 7) ---

@case
def binary_ofac_csv(root: Path) -> Path:
    path = root / "sdn-binary.csv"
    path.write_bytes(b"20157," + bytes(range(256)) * 40)
    return path


@case
def truncated_sdn_csv(root: Path) -> Path:
    full = ofac_dir(root / "ofac-full") / "sdn.csv"
    data = full.read_bytes()
    path = root / "truncated" / "sdn.csv"
    path.parent.mkdir()
    path.write_bytes(data[: len(data) // 2])
    return path


@case
def two_row_ofac_file(root: Path) -> Path:
    path = root / "two-rows" / "sdn.csv"
    path.parent.mkdir()
    path.write_text("\r\n".join(SDN_ROWS[2:]) + "\r\n", encoding="utf-8")  # not Kim Jong Un
    return path


@case
def older_un_list(root: Path) -> Path:
    return un_xml(root / "un-older.xml", date="2024-06-30")


@case
def un_list_with_a_huge_token(root: Path) -> Path:
    path = un_xml(root / "un-huge-token.xml")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("<DATAID>", "<DATAID " + "a" * 20_000_000 + '="1">', 1), encoding="utf-8")
    return path


# --- silent losses and misleading messages (items 8 and 9) ---

@case
def unreadable_subdirectory(root: Path) -> Path:
    folder = root / "with-locked"
    (folder / "open").mkdir(parents=True)
    (folder / "open" / "note.txt").write_text(NOTE.format(n=1), encoding="utf-8")
    (folder / "locked").mkdir()
    (folder / "locked" / "secret.txt").write_text(NOTE.format(n=2), encoding="utf-8")
    (folder / "locked").chmod(0)
    return folder


@case
def symlink_loop(root: Path) -> Path:
    path = root / "loop.txt"
    path.symlink_to(path.name)
    return path


@case
def warc_length_too_long(root: Path) -> Path:
    """The first page's Content-Length covers the next record too (the second page)."""
    data = make_warc()
    offsets = _record_offsets(data)
    _, length = _with_length(data, 2, b"")
    path = root / "length-too-long.warc"
    path.write_bytes(_with_length(data, 2, str(length + offsets[4] - offsets[3]).encode())[0])
    return path


@case
def control_reference_in_html(root: Path) -> Path:
    path = root / "escape-reference.html"
    body = " ".join([FLAGGED] * 3)
    path.write_text(f"<html><head><title>Yachts&#27; route</title></head><body><article><p>{body}</p>"
                    f"<p>Odd byte: &#27;[2J here.</p><p>{body}</p></article></body></html>", encoding="utf-8")
    return path


@case
def published_yesterday(root: Path) -> Path:
    path = root / "yesterday.json"
    path.write_text(json.dumps({"id": "y", "text": FLAGGED, "published": "yesterday"}), encoding="utf-8")
    return path


@case
def utf16_without_bom(root: Path) -> Path:
    path = root / "utf16.txt"
    path.write_bytes(FLAGGED.encode("utf-16-le"))
    return path


@case
def gzip_bomb(root: Path) -> Path:
    """256 MB of zeros in 250 KB."""
    path = root / "bomb.txt.gz"
    with gzip.open(path, "wb", compresslevel=9) as out:
        block = b"\0" * (1 << 20)
        for _ in range(256):
            out.write(block)
    return path


@case
def records_with_every_bad_line(root: Path) -> Path:
    """One file holding each bad record among good ones: what an ingest must get through."""
    depth = 100_000
    bad = ['{"id": "surrogate", "text": "broken \\ud800 emoji"}',
           '{"text": "x", "a": ' + "[" * depth + "]" * depth + "}",
           '{"text": "x", "n": ' + "9" * 5000 + "}",
           '{"id": "relative", "text": "Some news.", "published": "yesterday"}',
           "\x00\x01\x02 binary \x03\x04" * 5,
           "{not json"]
    lines = [good_record(n) for n in range(GOOD_RECORDS)]
    for i, line in enumerate(bad):
        lines.insert(10 + i * 15, line)
    path = root / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_all(root: Path) -> dict[str, Path]:
    root.mkdir(parents=True, exist_ok=True)
    return {name: write(root) for name, write in CASES.items()}


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.hostile.corpus DIR")
    for name, path in write_all(Path(sys.argv[1])).items():
        print(f"{name:<40} {os.fsdecode(path)!r}")


if __name__ == "__main__":
    main()

__all__ = ["CASES", "FLAGGED", "GOOD_RECORDS", "TERMINAL_ATTACK", "good_record", "write_all"]

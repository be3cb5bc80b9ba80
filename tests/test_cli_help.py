"""The command line's help and usage errors read as plain text, with no Python in them."""

from __future__ import annotations

import re

import pytest

from sanctionwatch.cli import app
from tests.cli_helpers import run_cli


def _commands() -> list[tuple[str, ...]]:
    """Every command and subcommand of the app, as the words that call it."""
    import typer

    found: list[tuple[str, ...]] = [()]
    todo = [((), typer.main.get_command(app))]
    while todo:
        words, group = todo.pop()
        for name, command in getattr(group, "commands", {}).items():
            found.append((*words, name))
            todo.append(((*words, name), command))
    return found


COMMANDS = _commands()


def test_every_command_is_listed():
    assert {"scan", "ingest", "screen", "lists", "kb", "rules", "query"} <= {c[0] for c in COMMANDS if c}
    assert ("lists", "status") in COMMANDS and ("query", "flags") in COMMANDS


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "sanctionwatch")
def test_help_shows_no_python_types(words, capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, *words, "--help")
    assert result.code == 0 and result.out.startswith("Usage: sanctionwatch")
    for shown in (r"<[^>\n]*>", r"\b(?:list|str|int|float|bool|path|dir)\]", r"\[(?:str|int)\b"):
        assert not re.search(shown, result.out), (shown, result.out)


@pytest.mark.parametrize(("args", "message"), [
    (("scan", "--format", "xml", "x.txt"), "--format: 'xml' is not one of 'text', 'json', 'jsonl'."),
    (("query", "flags", "--format", "xml"), "--format: 'xml' is not one of 'table', 'jsonl', 'csv'."),
    (("lists", "status", "--format", "yaml"), "--format: 'yaml' is not one of 'text', 'json'."),
    (("scan", "--max-size", "0", "x.txt"), "--max-size: Input should be greater than or equal to 1"),
    (("scan", "--published", "2024-13-01", "x.txt"), "--published: not a YYYY-MM-DD date: '2024-13-01'"),
])
def test_a_bad_value_is_one_plain_line(args, message, capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, *args)
    assert result.code == 2
    assert result.err == f"sanctionwatch: error: {message}\n"
    assert "Value error" not in result.err and "Invalid value for" not in result.err


IMPORTED = """
import sys
from sanctionwatch.cli import main
sys.argv = ["sanctionwatch", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
heavy = ("spacy", "followthemoney", "sqlalchemy", "trafilatura", "jsonschema", "httpx", "alembic")
print(" ".join(m for m in heavy if m in sys.modules), file=sys.stderr)
"""


def _imported(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """The heavy libraries a command imports, run in a process of its own."""
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", IMPORTED, *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)
    return set(done.stderr.strip().splitlines()[-1].split()) if done.stderr.strip() else set()


def test_help_imports_none_of_the_libraries_behind_the_commands():
    assert _imported("--help") == set()
    assert _imported("scan", "--help") == set()


def test_a_scan_without_lists_loads_no_screening_nor_html_nor_store_code(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Kim Jong Un received a convoy of trucks from a Chinese company.", encoding="utf-8")
    loaded = _imported("scan", str(article), env={"SANCTIONWATCH_DATA": str(tmp_path / "none")})
    assert "spacy" in loaded  # (which imports httpx itself, through weasel)
    assert not loaded & {"followthemoney", "sqlalchemy", "trafilatura", "alembic"}

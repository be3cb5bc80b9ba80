"""The screening threshold from the command line and from the data directory's config.toml, and
the name corpus the index is compiled with."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.screening import load_screener
from sanctionwatch.screening.namesdb import name_groups
from tests.cli_helpers import run_cli
from tests.screening_data import un_xml


@pytest.fixture
def data(tmp_path: Path, monkeypatch, capsys) -> Path:
    monkeypatch.setenv("SANCTIONWATCH_DATA", str(tmp_path / "data"))
    listed = un_xml(tmp_path / "un.xml")
    assert run_cli(capsys, monkeypatch, "lists", "update", "-s", "un", "--file", str(listed)).code == 0
    return tmp_path / "data"


def test_threshold_from_the_command_line_and_the_config(data, capsys, monkeypatch):
    # 'Paek Song Rym': one letter off, below 1.0
    assert run_cli(capsys, monkeypatch, "screen", "Paek Song Rym").out.startswith("0.")
    assert "no match" in run_cli(capsys, monkeypatch, "screen", "Paek Song Rym", "--threshold", "0.99").out
    (data / "config.toml").write_text("[screening]\nthreshold = 0.99\n", encoding="utf-8")
    assert load_screener(data).threshold == 0.99
    assert "no match" in run_cli(capsys, monkeypatch, "screen", "Paek Song Rym").out
    assert run_cli(capsys, monkeypatch, "screen", "Paek Song Rym", "--threshold", "0.5").out.startswith("0.")
    (data / "config.toml").write_text("[screening]\nthreshold = 'high'\n", encoding="utf-8")
    bad = run_cli(capsys, monkeypatch, "screen", "Paek Song Rym")
    assert bad.code == 1 and "threshold must be a number" in bad.err and "Traceback" not in bad.err


def test_the_threshold_is_part_of_the_lists_version(data):
    assert load_screener(data, threshold=0.7).version != load_screener(data, threshold=0.8).version


def test_rigours_name_corpus_is_readable():
    """The index needs the spellings of name items in every script (namesdb); should a rigour
    release store its corpus otherwise, this fails rather than screening quietly losing them."""
    groups = dict(name_groups())
    assert len(groups) > 100_000
    assert {"정은", "正恩", "чен ын", "jong-un"} <= set(groups["Q6312539"])

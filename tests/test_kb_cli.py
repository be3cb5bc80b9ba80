"""`sanctionwatch kb check | show | find`, run as a user would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sanctionwatch.kb import DATA_DIR

from .cli_helpers import run_cli

pytestmark = pytest.mark.usefixtures("private_kb_cache")


def test_check_passes_on_the_shipped_data(capsys, monkeypatch) -> None:
    result = run_cli(capsys, monkeypatch, "kb", "check")
    assert result.code == 0, result.err
    assert result.out.startswith("ok: 199 countries, ")
    assert "version: countries " in result.out


def test_check_reports_one_line_per_problem(capsys, monkeypatch, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("__pycache__"))
    people = data / "people.yaml"
    people.write_text(people.read_text("utf-8").replace("country: PRK", "country: XYZ", 1), "utf-8")
    result = run_cli(capsys, monkeypatch, "kb", "check", "--data", str(data))
    assert result.code == 1
    lines = result.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("sanctionwatch: error: people.yaml: person/kim-jong-un: country 'XYZ'")
    assert result.out == ""


def test_check_of_a_missing_directory_is_a_usage_error(capsys, monkeypatch, tmp_path: Path) -> None:
    result = run_cli(capsys, monkeypatch, "kb", "check", "--data", str(tmp_path / "nowhere"))
    assert result.code == 2
    assert len(result.err.splitlines()) == 1 and "does not exist" in result.err


def test_show(capsys, monkeypatch) -> None:
    result = run_cli(capsys, monkeypatch, "kb", "show", "person/sergei-shoigu")
    assert result.code == 0
    assert "title: Minister of Defence of Russia" in result.out
    assert "end: '2024-05-12'" in result.out
    country = run_cli(capsys, monkeypatch, "kb", "show", "prk")  # an alpha-3 code is enough
    assert country.code == 0 and "name: North Korea" in country.out and "- DPRK" in country.out


def test_show_unknown_suggests(capsys, monkeypatch) -> None:
    result = run_cli(capsys, monkeypatch, "kb", "show", "person/shoigu")
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert "no entry 'person/shoigu'" in result.err and "person/sergei-shoigu" in result.err


def test_find_is_case_insensitive(capsys, monkeypatch) -> None:
    result = run_cli(capsys, monkeypatch, "kb", "find", "KREMLIN")
    assert result.code == 0
    first = result.out.splitlines()[0].split("\t")
    assert first[:2] == ["country/RUS", "Kremlin"]
    aurus = run_cli(capsys, monkeypatch, "kb", "find", "aurus")
    assert aurus.out.startswith("org/aurus\tAurus\tcompany, RUS")


def test_find_nothing(capsys, monkeypatch) -> None:
    result = run_cli(capsys, monkeypatch, "kb", "find", "qqqzzz")
    assert result.code == 1 and "no entries match 'qqqzzz'" in result.err


def test_show_a_vessel(capsys, monkeypatch) -> None:
    result = run_cli(capsys, monkeypatch, "kb", "show", "vessel/chon-ma-san")
    assert result.code == 0, result.err
    assert "imo: '8660313'" in result.out and "flag: PRK" in result.out
    assert "list: un-1718" in result.out and "since: '2018-03-30'" in result.out
    assert "- port entry ban" in result.out and "- KPe.061" in result.out


def test_find_a_vessel_and_a_listed_organisation(capsys, monkeypatch) -> None:
    ships = run_cli(capsys, monkeypatch, "kb", "find", "SAM JONG")
    assert ships.code == 0
    rows = [line.split("\t") for line in ships.out.splitlines()]
    assert [r[0] for r in rows] == ["vessel/sam-jong-1", "vessel/sam-jong-2"]
    assert rows[1][2] == "vessel, IMO 7408873, flag PRK, listed: eu-2017-1509 un-1718"
    former = run_cli(capsys, monkeypatch, "kb", "find", "chong chon gang")  # a former name
    assert any(line.startswith("vessel/tong-hung-san\tChong Chon Gang\t") for line in former.out.splitlines())
    komid = run_cli(capsys, monkeypatch, "kb", "find", "komid")
    assert komid.out.startswith("org/komid\tKOMID\tcompany, PRK, listed: un-1718")


def test_check_counts_vessels(capsys, monkeypatch) -> None:
    result = run_cli(capsys, monkeypatch, "kb", "check")
    assert result.code == 0 and " 61 vessels, " in result.out and "vessels 2026." in result.out

"""`sanctionwatch rules list` and `sanctionwatch rules check`, run as a user would."""

from __future__ import annotations

import shutil

from sanctionwatch.rules.provisions import DATA_DIR

from .cli_helpers import run_cli


def test_rules_list_shows_every_provision_with_its_citations(capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "rules", "list")
    assert result.code == 0, result.err
    assert "un-dprk/luxury-goods" in result.out and "1718-8a-iii" in result.out
    assert "UNSCR 2397 (2017) para 7" in result.out and "since 2017-12-22" in result.out
    assert "eu-russia/luxury-goods" in result.out


def test_rules_list_for_one_regime(capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "rules", "list", "--regime", "eu-russia")
    assert result.code == 0
    assert "833-2014-art-3h" in result.out and "un-dprk" not in result.out


def test_rules_list_for_an_unknown_regime_is_one_line_error(capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "rules", "list", "--regime", "un-libya")
    assert result.code == 1 and result.out == ""
    assert result.err.strip().splitlines() == [
        "sanctionwatch: error: unknown regime 'un-libya' (known: eu-russia, un-dprk, un-iran, us-ofac)"]


def test_rules_check_passes_on_the_shipped_data(capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "rules", "check")
    assert result.code == 0, result.err
    assert result.out.startswith("ok: 4 regimes, ")


def test_rules_check_lists_each_problem_on_its_own_line(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    regime = data / "eu_russia.yaml"
    text = regime.read_text("utf-8").replace('in_force: {from: "2022-03-15", to: null}',
                                             'in_force: {from: "2022-03-15", to: "2021-01-01"}', 1)
    text = text.replace("covers: {classes: [luxury]}", "covers: {classes: [luxuries]}", 1)
    regime.write_text(text, "utf-8")
    result = run_cli(capsys, monkeypatch, "rules", "check", str(data))
    assert result.code == 1 and result.out == ""
    lines = result.err.strip().splitlines()
    assert lines == [
        "sanctionwatch: error: eu_russia.yaml: eu-russia/luxury-goods/833-2014-art-3h: unknown goods class "
        "'luxuries'",
        "sanctionwatch: error: eu_russia.yaml: eu-russia/luxury-goods/833-2014-art-3h: in_force ends "
        "(2021-01-01) before it starts (2022-03-15)",
    ]


def test_rules_check_on_a_missing_directory(tmp_path, capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "rules", "check", str(tmp_path / "nowhere"))
    assert result.code == 1
    assert result.err.strip() == f"sanctionwatch: error: {tmp_path / 'nowhere'}: not a directory"


def test_broken_yaml_is_one_line_not_a_traceback(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "un_dprk.yaml").write_text("regime: [unclosed\n", "utf-8")
    result = run_cli(capsys, monkeypatch, "rules", "check", str(data))
    assert result.code == 1 and "Traceback" not in result.err
    assert [line for line in result.err.splitlines() if "un_dprk.yaml" in line][0].startswith(
        "sanctionwatch: error: un_dprk.yaml: cannot read: ")

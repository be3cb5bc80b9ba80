"""`sanctionwatch lists update|status|diff` and `screen`, with files served from 127.0.0.1 only."""

from __future__ import annotations

import http.server
import io
import json
import os
import re
import sqlite3
import threading
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

import pytest
from rich.console import Console

from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.screening import load_screener
from sanctionwatch.screening.download import download
from sanctionwatch.screening.sources import source
from tests.cli_helpers import run_cli
from tests.screening_data import ofac_dir, un_xml


class _Handler(http.server.SimpleHTTPRequestHandler):
    failures: dict[str, int] = {}  # path -> how many 503s to answer before serving it

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        left = self.failures.get(self.path, 0)
        if left:
            self.failures[self.path] = left - 1
            self.send_error(503)
            return
        super().do_GET()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def served(tmp_path):
    """A directory served over HTTP on 127.0.0.1; yields (directory, base URL)."""
    root = tmp_path / "served"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    _Handler.failures.clear()


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "data"
    monkeypatch.setenv("SANCTIONWATCH_DATA", str(path))
    return path


def test_update_from_local_files_then_status_and_screen(tmp_path, data, capsys, monkeypatch):
    result = run_cli(capsys, monkeypatch, "lists", "update", "--source", "un", "--file",
                     str(un_xml(tmp_path / "un.xml")))
    assert result.code == 0, result.err
    assert "un: installed UN Security Council Consolidated List of 2025-01-31: 3 individuals" in result.out
    result = run_cli(capsys, monkeypatch, "lists", "update", "--file", str(ofac_dir(tmp_path / "ofac")))
    assert result.code == 0, result.err
    assert "4 sdn.csv entries" in result.out and "us-ofac-sdn" in result.out
    status = run_cli(capsys, monkeypatch, "lists", "status", "--format", "json")
    data_json = json.loads(status.out)
    assert {item["source"] for item in data_json["lists"]} == {"un", "ofac"}
    assert data_json["entries"] == {"un-1718": 5, "un-1267": 1, "us-ofac-sdn": 4}
    assert "list dated 2025-01-31" in run_cli(capsys, monkeypatch, "lists", "status").out
    screen = run_cli(capsys, monkeypatch, "screen", "Ким Чен Ын")
    assert screen.code == 0 and "us-ofac-sdn    20157" in screen.out and "KIM, Jong Un" in screen.out
    as_json = run_cli(capsys, monkeypatch, "screen", "Puksong 7", "--type", "vessel", "-f", "json")
    hits = json.loads(as_json.out)
    assert {(h["list"], h["entry_id"]) for h in hits} == {("un-1718", "KPe.901"), ("us-ofac-sdn", "90002")}
    none = run_cli(capsys, monkeypatch, "screen", "Somebody Else Entirely")
    assert none.code == 0 and "no match" in none.out


def test_a_bad_update_keeps_the_installed_copy(tmp_path, data, capsys, monkeypatch):
    good = un_xml(tmp_path / "un.xml")
    assert run_cli(capsys, monkeypatch, "lists", "update", "--source", "un", "--file", str(good)).code == 0
    broken = tmp_path / "broken.xml"
    broken.write_text("<CONSOLIDATED_LIST><INDIVIDUALS>", encoding="utf-8")
    result = run_cli(capsys, monkeypatch, "lists", "update", "--source", "un", "--file", str(broken))
    assert result.code == 1
    assert result.err.count("\n") == 1 and "not well-formed XML" in result.err and "unchanged" in result.err
    assert "Traceback" not in result.err
    assert run_cli(capsys, monkeypatch, "screen", "Paek Song Rim").out.startswith("1.00  un-1718")
    assert not list((data / "lists" / "un").glob(".*partial"))


def test_update_keeps_the_previous_version_and_diff_shows_changes(tmp_path, data, capsys, monkeypatch):
    old, new = un_xml(tmp_path / "old.xml"), un_xml(tmp_path / "new.xml", date="2025-03-01", with_new=True)
    for path in (old, new):
        installed = run_cli(capsys, monkeypatch, "lists", "update", "--source", "un", "--file", str(path))
        assert installed.code == 0
    state = json.loads((data / "lists" / "un" / "state.json").read_text())
    versions = sorted(p.name for p in (data / "lists" / "un").iterdir() if p.is_dir())
    assert sorted([state["current"], state["previous"]]) == versions
    assert (data / "lists" / "un" / state["previous"] / "consolidated.xml").read_bytes() == old.read_bytes()
    result = run_cli(capsys, monkeypatch, "lists", "diff", str(old), str(new))
    assert result.code == 0
    assert result.out.splitlines()[0] == "1 added, 1 removed, 0 with changed names, 5 unchanged"
    # Entries are named by the list's own reference, as `screen` names them.
    assert "+ un-1718        KPe.902        Organization SAMHAE TRADING CORPORATION" in result.out
    assert "- un-1718        KPi.903        Person       TAK CHOL HWAN" in result.out
    as_json = json.loads(run_cli(capsys, monkeypatch, "lists", "diff", str(old), str(new), "-f", "json").out)
    assert [e["id"] for e in as_json["removed"]] == ["KPi.903"]
    mixed = run_cli(capsys, monkeypatch, "lists", "diff", str(old), str(ofac_dir(tmp_path / "ofac")))
    assert mixed.code == 1 and "nothing to compare" in mixed.err


def test_download_from_a_local_server(served, data, capsys, monkeypatch):
    root, base = served
    un_xml(root / "consolidated.xml")
    result = run_cli(capsys, monkeypatch, "lists", "update", "--source", "un", "--base-url", base)
    assert result.code == 0, result.err
    state = json.loads((data / "lists" / "un" / "state.json").read_text())
    assert state["origin"] == base and state["counts"]["individuals"] == 3
    ofac = ofac_dir(root / "ofac")
    for name in ("sdn.csv", "alt.csv"):  # OFAC's service names its files in capitals; no ADD.CSV here
        (ofac / name).rename(ofac / name.upper())
    result = run_cli(capsys, monkeypatch, "lists", "update", "--source", "ofac", "--base-url", base + "ofac/")
    assert result.code == 0, result.err
    assert "skipping add.csv" in result.err and "3 alt.csv aliases" in result.out


def test_download_failures_are_one_line(served, data, capsys, monkeypatch):
    _, base = served
    result = run_cli(capsys, monkeypatch, "lists", "update", "--source", "un", "--base-url", base)
    assert result.code == 1 and "HTTP 404" in result.err and result.err.count("\n") == 1
    refused = run_cli(capsys, monkeypatch, "lists", "update", "--source", "un", "--base-url", "http://127.0.0.1:9/")
    assert refused.code == 1 and "download failed after 3 tries" in refused.err


def test_download_retries_transient_errors(served, tmp_path):
    root, base = served
    (root / "list.xml").write_text("<x/>", encoding="utf-8")
    _Handler.failures["/list.xml"] = 2
    bounds = source("un").bounds
    download(base + "list.xml", tmp_path / "got.xml", bounds, backoff=0)
    assert (tmp_path / "got.xml").read_text() == "<x/>"
    _Handler.failures["/list.xml"] = 3
    with pytest.raises(SanctionwatchError, match="after 3 tries .HTTP 503"):
        download(base + "list.xml", tmp_path / "again.xml", bounds, backoff=0)


@pytest.mark.parametrize("args, message", [
    (("lists", "update", "--source", "eu"), "unknown list source 'eu'"),
    (("lists", "update", "--source", "opensanctions:../x"), "not an OpenSanctions dataset name"),
    (("lists", "update", "--source", "un", "--file", "/nonexistent/file.xml"), "no such file"),
    (("screen", "Kim Jong Un"), "no sanctions lists installed"),
    (("screen", "Kim Jong Un", "--type", "planet"), "not one of person, org, vessel"),
])
def test_user_errors_are_one_line(data, capsys, monkeypatch, args, message):
    result = run_cli(capsys, monkeypatch, *args)
    assert result.code != 0 and message in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err


def test_real_lists_install_diff_and_screen(shared, data, capsys, monkeypatch):
    lists = shared / "lists"
    old, new = lists / "un-consolidated-2025-11-20.xml", lists / "un-consolidated-2026-02-27.xml"
    result = run_cli(capsys, monkeypatch, "lists", "update", "--file", str(new))
    assert result.code == 0 and "730 individuals" in result.out and "273 entities" in result.out
    # 80 individuals, 75 entities and the 19 vessels their listings name
    assert re.search(r"un-1718\s+174\n", result.out)
    diff = run_cli(capsys, monkeypatch, "lists", "diff", str(old), str(new), "-f", "json")
    changes = json.loads(diff.out)
    refs_old = set(_references(old.read_text(encoding="utf-8")))
    refs_new = set(_references(new.read_text(encoding="utf-8")))
    added = {e["id"] for e in changes["added"] if e["schema"] != "Vessel"}
    removed = {e["id"] for e in changes["removed"] if e["schema"] != "Vessel"}
    assert added == refs_new - refs_old
    assert removed == refs_old - refs_new
    assert run_cli(capsys, monkeypatch, "lists", "update", "--file", str(lists / "ofac-2021-07")).code == 0
    screen = run_cli(capsys, monkeypatch, "screen", "Kim Jong-un")
    assert "us-ofac-sdn    20157" in screen.out
    # OFAC as a folder (with its aliases) against OFAC as one sdn.csv (without): no entry reads as
    # renamed to the same name, and the changes name what changed.
    formats = run_cli(capsys, monkeypatch, "lists", "diff", str(lists / "ofac-2021-07"),
                      str(lists / "ofac-sdn-2023-01.csv"))
    assert formats.code == 0
    assert "(the old copy is add.csv, alt.csv, sdn.csv and the new sdn.csv: only primary names are " \
           "compared)" in formats.out
    renamed = [line for line in formats.out.splitlines() if line.startswith("~ ")]
    assert len(renamed) < 200
    for line in renamed:  # each says what changed: the main name, or names added or removed
        assert " -> " in line or re.search(r": [+-]'", line), line


def _references(text: str) -> list[str]:
    return re.findall(r"<REFERENCE_NUMBER>([^<]+)</REFERENCE_NUMBER>", text)


def test_an_old_index_is_rebuilt_and_a_broken_one_reported(tmp_path, data, capsys, monkeypatch):
    installed = run_cli(capsys, monkeypatch, "lists", "update", "--file", str(un_xml(tmp_path / "un.xml")))
    assert installed.code == 0
    with sqlite3.connect(data / "index.sqlite") as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'version'")
    db.close()
    assert load_screener().screen("Paek Song Rim")[0].entry_id == "KPi.901"
    (data / "index.sqlite").write_bytes(b"not a database at all")
    result = run_cli(capsys, monkeypatch, "screen", "Paek Song Rim")
    assert result.code == 1 and "not a screening index" in result.err and result.err.count("\n") == 1
    assert run_cli(capsys, monkeypatch, "lists", "rebuild").code == 0
    assert run_cli(capsys, monkeypatch, "screen", "Paek Song Rim").out.startswith("1.00  un-1718")


def _days_ago(day: str) -> int:
    return (datetime.now(UTC).date() - date.fromisoformat(day)).days


def test_status_dates_a_list_by_the_list_not_by_its_install(tmp_path, data, capsys, monkeypatch):
    un = un_xml(tmp_path / "un.xml", date="2025-01-31")
    ofac = ofac_dir(tmp_path / "ofac")
    old = datetime(2023, 1, 15, 12, tzinfo=UTC).timestamp()
    os.utime(ofac / "sdn.csv", (old, old))  # OFAC's CSV gives no date: its file's date stands in
    for path in (un, ofac):
        assert run_cli(capsys, monkeypatch, "lists", "update", "--file", str(path)).code == 0
    status = run_cli(capsys, monkeypatch, "lists", "status")
    assert status.code == 0
    assert f"un: list dated 2025-01-31 ({_days_ago('2025-01-31'):,} days ago), installed " in status.out
    assert f"ofac: list undated, its file dated 2023-01-15 ({_days_ago('2023-01-15'):,} days ago), " \
           "installed " in status.out
    assert status.err.splitlines() == [
        f"sanctionwatch: warning: ofac: the list is {_days_ago('2023-01-15'):,} days old (more than 30); "
        "run `sanctionwatch lists update`",
        f"sanctionwatch: warning: un: the list is {_days_ago('2025-01-31'):,} days old (more than 30); "
        "run `sanctionwatch lists update`"]
    quiet = run_cli(capsys, monkeypatch, "lists", "status", "--max-age", str(_days_ago("2023-01-15")))
    assert quiet.err == ""
    as_json = {item["source"]: item for item in
               json.loads(run_cli(capsys, monkeypatch, "lists", "status", "-f", "json").out)["lists"]}
    assert (as_json["ofac"]["dated"], as_json["ofac"]["dated_by"]) == ("2023-01-15", "file")
    assert (as_json["un"]["dated"], as_json["un"]["dated_by"], as_json["un"]["outdated"]) == \
        ("2025-01-31", "list", True)
    assert as_json["un"]["age_days"] == _days_ago("2025-01-31")


def test_a_fresh_list_raises_no_warning(tmp_path, data, capsys, monkeypatch):
    today = datetime.now(UTC).date().isoformat()
    assert run_cli(capsys, monkeypatch, "lists", "update", "--file",
                   str(un_xml(tmp_path / "un.xml", date=today))).code == 0
    status = run_cli(capsys, monkeypatch, "lists", "status")
    assert f"un: list dated {today} (0 days ago)" in status.out and status.err == ""


def test_errors_name_the_file_given_not_a_working_copy(tmp_path, data, capsys, monkeypatch):
    broken = tmp_path / "broken.xml"
    broken.write_text("<CONSOLIDATED_LIST><INDIVIDUALS>", encoding="utf-8")
    result = run_cli(capsys, monkeypatch, "lists", "update", "--file", str(broken))
    assert result.code == 1
    assert result.err.startswith(f"sanctionwatch: error: un: {broken}: not well-formed XML")
    assert ".partial" not in result.err and "sanctionwatch-" not in result.err
    diff = run_cli(capsys, monkeypatch, "lists", "diff", str(un_xml(tmp_path / "good.xml")), str(broken))
    assert diff.code == 1 and diff.err.startswith(f"sanctionwatch: error: {broken}: not well-formed XML")
    assert diff.err.count("\n") == 1


def test_diff_of_ofac_as_a_folder_and_as_one_file(tmp_path, capsys, monkeypatch):
    folder = ofac_dir(tmp_path / "ofac")
    single = tmp_path / "single"
    single.mkdir()
    (single / "sdn.csv").write_bytes((folder / "sdn.csv").read_bytes())
    result = run_cli(capsys, monkeypatch, "lists", "diff", str(folder), str(single / "sdn.csv"))
    assert result.code == 0
    assert result.out.splitlines() == [
        "0 added, 0 removed, 0 with changed names, 4 unchanged",
        "(the old copy is add.csv, alt.csv, sdn.csv and the new sdn.csv: only primary names are compared)"]
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    text = (folder / "sdn.csv").read_text(encoding="utf-8").replace('"PUKSONG 7"', '"PUK SONG 7"')
    (renamed / "sdn.csv").write_text(text, encoding="utf-8")
    for name in ("alt.csv", "add.csv"):
        (renamed / name).write_bytes((folder / name).read_bytes())
    result = run_cli(capsys, monkeypatch, "lists", "diff", str(folder), str(renamed))
    assert result.out.splitlines()[1:] == [
        "~ us-ofac-sdn    90002          Vessel       PUKSONG 7 -> PUK SONG 7"]


def test_update_shows_its_progress_on_a_terminal(tmp_path, data, capsys, monkeypatch):
    screen = io.StringIO()
    monkeypatch.setattr("sanctionwatch.cli.lists.err", Console(file=screen, force_terminal=True, width=100))
    result = run_cli(capsys, monkeypatch, "lists", "update", "--file", str(un_xml(tmp_path / "un.xml")))
    assert result.code == 0
    shown = screen.getvalue()
    assert "un: reading and checking every entry" in shown and "building the screening index" in shown
    assert "\x1b[" in shown  # drawn in place, then cleared
    quiet = run_cli(capsys, monkeypatch, "lists", "update", "--file", str(un_xml(tmp_path / "un2.xml")))
    assert quiet.err == ""  # not a terminal: nothing but the result

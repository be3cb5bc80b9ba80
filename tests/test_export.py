"""Exports: JSONL, CSV and Parquet hold the documented columns and round-trip; the
FollowTheMoney export loads with followthemoney and passes `ftm validate`."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from followthemoney import model

from sanctionwatch.analysis.incidents import update_incidents
from sanctionwatch.export.tables import LIST, TABLES, records
from sanctionwatch.export.writers import LIST_SEPARATOR, csv_value
from sanctionwatch.model import ScreeningHit
from sanctionwatch.store import Store
from sanctionwatch.store.queries import Filters

from .cli_helpers import run_cli
from .incident_data import AURUS, AURUS_JUNE, COAL_SALE, Story, save

TANKER = Story("tanker", "The tanker Sea Star, captained by Pak Chol, delivered fuel to a North "
               "Korean ship, Russia said.", names=(("Sea Star", "vessel"), ("Pak Chol", "person")),
               published="2024-03-05", date="2024-03",
               hits=(ScreeningHit(name="Sea Star", list="un-1718", entry_id="KPe.999",
                                  matched_name="SEA STAR", score=0.97, schema="Vessel",
                                  programs=("DPRK",)),))


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "export.db")
    with Store.open(path) as store:
        update_incidents(store, save(store, *AURUS, AURUS_JUNE, COAL_SALE, TANKER))
    return path


@pytest.mark.parametrize("table", list(TABLES))
def test_csv_and_jsonl_hold_the_records(db, table, capsys, monkeypatch):
    with Store.open(db) as store:
        expected = list(records(store, table, Filters()))
    assert expected, table
    lines = run_cli(capsys, monkeypatch, "export", "--format", "jsonl", "--table", table, "--db", db)
    assert [json.loads(line) for line in lines.out.splitlines()] == expected
    out = run_cli(capsys, monkeypatch, "export", "--format", "csv", "--table", table, "--db", db)
    rows = list(csv.DictReader(io.StringIO(out.out)))
    columns = TABLES[table].columns
    assert list(rows[0]) == list(columns)
    assert rows == [{c: csv_value(r.get(c), kind) for c, kind in columns.items()} for r in expected]


@pytest.mark.parametrize("table", list(TABLES))
def test_parquet_round_trips(db, table, tmp_path, capsys, monkeypatch):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / f"{table}.parquet"
    done = run_cli(capsys, monkeypatch, "export", "-f", "parquet", "-t", table, "--db", db, "-o", str(path))
    assert done.code == 0, done.err
    with Store.open(db) as store:
        expected = list(records(store, table, Filters()))
    loaded = pq.read_table(path)
    assert loaded.column_names == list(TABLES[table].columns)
    assert loaded.to_pylist() == [{c: r.get(c) for c in TABLES[table].columns} for r in expected]


def test_filters_as_in_query(db, capsys, monkeypatch):
    out = run_cli(capsys, monkeypatch, "export", "-f", "jsonl", "--db", db,
                  "--category", "un-dprk/export-ban")
    (flag,) = [json.loads(line) for line in out.out.splitlines()]
    assert flag["article_id"] == "coal-sale" and flag["incident_id"] == 3
    out = run_cli(capsys, monkeypatch, "export", "-f", "csv", "--db", db, "--since", "2024-06-01")
    assert [r["article_id"] for r in csv.DictReader(io.StringIO(out.out))] == ["june-gift"]
    flags = run_cli(capsys, monkeypatch, "export", "-f", "csv", "--db", db, "--limit", "2")
    assert len(flags.out.splitlines()) == 3
    assert LIST_SEPARATOR in flags.out or "UNSCR" in flags.out


def test_parquet_needs_a_file(db, capsys, monkeypatch):
    bad = run_cli(capsys, monkeypatch, "export", "-f", "parquet", "--db", db)
    assert bad.code == 2 and "--out" in bad.err


def test_followthemoney_export_loads_and_validates(db, tmp_path, capsys, monkeypatch):
    path = tmp_path / "store.ftm.json"
    done = run_cli(capsys, monkeypatch, "export", "-f", "ftm", "--db", db, "-o", str(path))
    assert done.code == 0, done.err
    lines = path.read_text().splitlines()
    proxies = [model.get_proxy(json.loads(line), cleaned=False) for line in lines]
    by_id = {p.id: p for p in proxies}
    assert len(by_id) == len(proxies), "ids are unique"
    schemata = {p.schema.name for p in proxies}
    assert {"Article", "Person", "PublicBody", "Vessel", "Documentation", "Sanction",
            "Event"} <= schemata
    for proxy in proxies:  # every reference leads to an entity of the export
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in by_id, (proxy.schema.name, prop.name, value)
    events = [p for p in proxies if p.schema.name == "Event"]
    aurus = next(e for e in events if "2024-02-18" in e.first("name"))
    assert len(aurus.get("proof")) == 3
    assert {by_id[i].first("name") for i in aurus.get("involved")} == {"Russia", "North Korea"}
    assert aurus.get("country") == ["ru", "kp"] and aurus.first("date") == "2024-02-18"
    assert aurus.get("sourceUrl")[0].startswith("https://")
    (sanction,) = [p for p in proxies if p.schema.name == "Sanction"]
    assert sanction.first("authorityId") == "KPe.999" and sanction.first("unscId") == "KPe.999"
    assert by_id[sanction.first("entity")].schema.name == "Vessel"
    # and the followthemoney command line reads all of it
    ftm = Path(sys.executable).with_name("ftm")
    result = subprocess.run([str(ftm), "validate", "-i", str(path), "-o", str(tmp_path / "v.json")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert len((tmp_path / "v.json").read_text().splitlines()) == len(lines)


def test_missing_pyarrow_is_one_clear_error(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    bad = run_cli(capsys, monkeypatch, "export", "-f", "parquet", "--db", db, "-o", str(tmp_path / "x"))
    assert bad.code == 1 and "sanctionwatch[analysis]" in bad.err
    assert bad.err.count("\n") == 1


def test_list_columns_are_lists():
    assert TABLES["flags"].columns["citations"] == LIST

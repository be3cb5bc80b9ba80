"""Provenance holds: every listing the knowledge base records is on the list it names, under that
reference, name and date, and every vessel is on the lists it came from (checked against the real
lists in ../shared/lists: the UN consolidated list, the OFAC SDN list of January 2023, the EU DPRK
annexes)."""

from __future__ import annotations

import csv
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest

from sanctionwatch.kb import DATA_DIR, KnowledgeBase, name_key
from sanctionwatch.kb.build_vessels import build
from sanctionwatch.screening.records import split_bracketed

UN_FILE = "un-consolidated-2026-02-27.xml"
OFAC_FILE = "ofac-sdn-2023-01.csv"
EU_FILE = "eu-2017-1509-dprk-annexes.csv"


pytestmark = pytest.mark.usefixtures("private_kb_cache")


def _file(shared: Path, name: str) -> Path:
    path = shared / "lists" / name
    if not path.is_file():
        pytest.skip(f"no {name} in ../shared/lists")
    return path


@pytest.fixture(scope="module")
def un_records(shared: Path) -> dict[str, tuple[str, str, str]]:
    """Reference number -> (name, listing date, comments) of every record on the UN list."""
    root = ET.parse(_file(shared, UN_FILE)).getroot()
    records = {}
    for e in (*root.iter("INDIVIDUAL"), *root.iter("ENTITY")):
        parts = [(e.findtext(t) or "").strip()
                 for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        name = split_bracketed(" ".join(" ".join(p for p in parts if p).split()))[0]
        records[(e.findtext("REFERENCE_NUMBER") or "").strip()] = (
            name, (e.findtext("LISTED_ON") or "").strip(), " ".join((e.findtext("COMMENTS1") or "").split()))
    return records


@pytest.fixture(scope="module")
def eu_vessels(shared: Path) -> list[dict[str, str]]:
    with _file(shared, EU_FILE).open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh) if row["schema"] == "Vessel"]


def test_un_listings_are_on_the_un_list(kb: KnowledgeBase, un_records) -> None:
    checked = 0
    for entry in (*kb.people.values(), *kb.organisations.values()):
        for listing in entry.listed:
            if not listing.list.startswith("un-") or listing.ref is None:
                continue
            assert listing.ref in un_records, f"{entry.id}: {listing.ref} is not on the UN list"
            name, listed_on, _ = un_records[listing.ref]
            assert name_key(listing.name or "") == name_key(name), f"{entry.id}: {listing.ref} is {name!r}"
            assert listing.since == listed_on, f"{entry.id}: {listing.ref} was listed on {listed_on}"
            checked += 1
    assert checked >= 33


def test_ofac_listings_are_on_the_sdn_list(kb: KnowledgeBase, shared: Path) -> None:
    with _file(shared, OFAC_FILE).open(encoding="utf-8", newline="") as fh:
        sdn = {row["ID"]: row for row in csv.DictReader(fh)}
    checked = 0
    for org in kb.organisations.values():
        for listing in org.listed:
            if listing.list != "us-ofac-sdn" or listing.ref is None:
                continue
            row = sdn[listing.ref]
            assert row["Name"] == listing.name, org.id
            assert set(listing.programs) == {p.strip() for p in row["Country"].split("] [")}, org.id
            checked += 1
    assert checked >= 7


def test_prose_no_longer_carries_the_listing(kb: KnowledgeBase) -> None:
    """Reference numbers and dates live in `listed` only: a source that cites one cites it there."""
    for org in kb.organisations.values():
        for ref in re.findall(r"\b[A-Z]{2}[ie]\.\d{3}\b", org.source):
            assert ref in {x.ref for x in org.listed}, org.id


def test_vessels_are_the_eu_annex_vessels(kb: KnowledgeBase, eu_vessels) -> None:
    by_imo = {v.imo: v for v in kb.vessels.values() if v.imo}
    for row in eu_vessels:
        name = re.sub(r"\s*\([^()]*\)", "", row["name"]).strip()
        since = datetime.strptime(row["startDate"], "%d.%m.%Y").date().isoformat()
        vessel = by_imo.get(row["imoNumber"]) or next(
            v for v in kb.vessels.values() if name_key(v.name) == name_key(name))
        assert name_key(name) in {name_key(n) for n in vessel.names}, vessel.id
        eu = next(x for x in vessel.listed if x.list == "eu-2017-1509")
        assert row["annex"] in (eu.basis or "") and eu.since is not None and eu.since <= since, vessel.id
        un = [x for x in vessel.listed if x.list == "un-1718"]
        assert bool(un) == row["annex"].startswith(("XIII", "XIV")), vessel.id  # XV and XVI: the EU's own
    assert len({r["imoNumber"] for r in eu_vessels}) == len(kb.vessels)


def test_vessel_flags_and_records_are_what_the_un_list_says(kb: KnowledgeBase, un_records) -> None:
    for vessel in kb.vessels.values():
        for ref in vessel.named_in:
            comments = un_records[ref][2].upper()
            assert any(n.upper() in comments for n in vessel.names), f"{vessel.id}: {ref} does not name it"
    flags = {v.id: v.flag for v in kb.vessels.values() if v.flag and "flag: OFAC" not in v.source}
    assert flags == {
        "vessel/chon-ma-san": "PRK", "vessel/chon-myong-1": "PRK", "vessel/kum-un-san-3": "PRK",
        "vessel/sam-ma-2": "PRK", "vessel/yu-jong-2": "PRK", "vessel/wan-heng-11": "PRK",
        "vessel/hua-fu": "PAN", "vessel/koti": "PAN", "vessel/hao-fan-2": "KNA", "vessel/hao-fan-6": "KNA",
    }
    # "the DPRK tanker NAM SAN 8": the UN list does not say where it is flagged; OFAC does
    assert "flag: OFAC SDN list (2023-01)" in kb.vessels["vessel/nam-san-8"].source


def test_vessel_flags_from_ofac_are_the_sdn_vess_flag(kb: KnowledgeBase, shared: Path) -> None:
    """A flag the UN and EU texts do not state is the Vess_flag of the SDN record the source cites,
    and that record carries the vessel's IMO number."""
    with _file(shared, OFAC_FILE).open(encoding="utf-8", newline="") as fh:
        sdn = {row["ID"]: row for row in csv.DictReader(fh)}
    states = {"Democratic People's Republic of Korea": "PRK", "Panama": "PAN", "Sierra Leone": "SLE",
              "Tanzania": "TZA"}
    checked = 0
    for vessel in kb.vessels.values():
        cited = re.search(r"flag: OFAC SDN list \(2023-01\), entry (\d+), Vess_flag", vessel.source)
        if cited is None:
            continue
        row = sdn[cited[1]]
        assert vessel.imo is not None and vessel.imo in row["Details"], vessel.id
        assert vessel.flag == states[row["Col_J"]], vessel.id
        checked += 1
    assert checked == 39


def test_vessels_generator_reproduces_the_committed_file(shared: Path, tmp_path: Path) -> None:
    target = tmp_path / "vessels.yaml"
    shutil.copy(DATA_DIR / "vessels.yaml", target)
    for ofac in (None, _file(shared, OFAC_FILE)):  # the OFAC flags are kept without the SDN list
        assert build(_file(shared, UN_FILE), _file(shared, EU_FILE), target, None, ofac) == 61
        assert target.read_text("utf-8") == (DATA_DIR / "vessels.yaml").read_text("utf-8")

"""Provenance holds: every organisation that cites the UN 1718 list cites an entry that is there, under
that name and listing date (checked against the UN consolidated list in ../shared)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sanctionwatch.kb import load_kb, name_key

CITATION = re.compile(r"UN 1718 list (KPe\.\d+) \((.+?)\), listed (\d{4}-\d{2}-\d{2})")


@pytest.fixture(scope="module")
def un_entities(shared: Path) -> dict[str, tuple[str, str]]:
    """Reference number -> (name, listing date) of every entity on the newest UN consolidated list."""
    files = sorted((shared / "lists").glob("un-consolidated-*.xml"))
    if not files:
        pytest.skip("no UN consolidated list in ../shared/lists")
    root = ET.parse(files[-1]).getroot()
    return {
        (e.findtext("REFERENCE_NUMBER") or "").strip(): ((e.findtext("FIRST_NAME") or "").strip(),
                                                         (e.findtext("LISTED_ON") or "").strip())
        for e in root.iter("ENTITY")
    }


def test_1718_citations_match_the_un_list(un_entities: dict[str, tuple[str, str]]) -> None:
    cited = [(org.id, m) for org in load_kb().organisations.values() if (m := CITATION.search(org.source))]
    assert len(cited) >= 20
    for org_id, match in cited:
        reference, name, listed = match.groups()
        assert reference in un_entities, f"{org_id}: {reference} is not on the UN list"
        un_name, un_listed = un_entities[reference]
        assert name_key(name) in name_key(un_name), f"{org_id}: {reference} is {un_name!r}, not {name!r}"
        assert listed == un_listed, f"{org_id}: {reference} was listed on {un_listed}, not {listed}"

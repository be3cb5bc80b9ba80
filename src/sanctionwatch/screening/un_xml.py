"""The UN Security Council Consolidated List (`CONSOLIDATED_LIST` XML, schema sc-sanctions.xsd).

Individuals become Person, entities Organization, and the vessels an entity record names in its
comments ("registered owner of the DPRK tanker NAM SAN 8") become Vessel entities linked to it.
The regime comes from the reference number: KPi.066 is the 66th individual of the DPRK (1718) list.

The file is parsed with libxml2 (lxml), not the standard library's expat: the expat Python
bundles (2.5.0 here) re-scans a long token again and again (CVE-2023-52425), so one 20 MB
attribute name took 45 s. libxml2 without `huge_tree` refuses a text node over 10 MB and a name
over 50,000 characters at once; entities are not expanded, nothing is fetched, and a file over
`MAX_BYTES` is refused before it is parsed (the real list is about 2 MB).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from followthemoney.proxy import EntityProxy
from lxml import etree as ET

from .records import ListFormatError, ListRead, make, make_sanction, split_bracketed
from .regimes import Regime, regime_for_reference

SOURCE_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
AUTHORITY = "United Nations Security Council"

# Alias quality in the UN file -> FtM property: "Low" quality aliases are weak.
_ALIAS_PROPERTY = {"good": "alias", "a.k.a.": "alias", "low": "weakAlias", "f.k.a.": "previousName"}

# "the DPRK tanker NAM SAN 8", "owns vessels JI SONG 8 and WOORY STAR", "its vessel, the Chong Chon Gang"
_VESSEL_NAME = r"(?:[A-Z][A-Z0-9'\-]+\b(?: [A-Z0-9][A-Z0-9'\-]*\b)*|[A-Z][a-z]+(?: [A-Z][a-z]+)*(?: \d+)?)"
_VESSEL_MENTION = re.compile(
    rf"\b(?:vessels?|tankers?|ships?)\b,?(?: the)? (?P<names>{_VESSEL_NAME}"
    rf"(?:(?:, | and ){_VESSEL_NAME})*)"
)
_IMO = re.compile(r"\bIMO\)?(?: [Nn]umber)?:? ?(\d{7})\b")
_NOT_VESSEL_NAMES = {"DPRK", "IMO", "The", "It", "As", "In", "On"}
MAX_BYTES = 256 * 1024 * 1024


def read_un_xml(path: Path) -> ListRead:
    read = ListRead(source="un", paths=(path,), entities=iter(()))
    read.entities = _entities(path, read)
    return read


def _entities(path: Path, read: ListRead) -> Iterator[EntityProxy]:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ListFormatError(f"{path}: {size:,} bytes, more than a UN list takes (at most {MAX_BYTES:,})")
    try:
        events = ET.iterparse(str(path), events=("start", "end"), huge_tree=False, resolve_entities=False,
                              no_network=True, load_dtd=False, remove_comments=True, remove_pis=True)
        _, root = next(events)
        if root.tag != "CONSOLIDATED_LIST":
            raise ListFormatError(f"{path}: not a UN Consolidated List (root element <{root.tag}>)")
        read.generated = (root.get("dateGenerated") or "")[:10] or None
        for event, elem in events:
            if event != "end" or elem.tag not in ("INDIVIDUAL", "ENTITY"):
                continue
            yield from _record(elem, read)
            root.clear()  # keep memory flat on the full list
    except ET.XMLSyntaxError as exc:
        raise ListFormatError(f"{path}: not well-formed XML ({exc})") from None
    if not read.counts:
        raise ListFormatError(f"{path}: the file holds no individuals or entities")


def _text(elem: ET._Element, path: str) -> str | None:
    found = elem.find(path)
    if found is None or found.text is None:
        return None
    text = " ".join(found.text.split())
    return text or None


def _texts(elem: ET._Element, path: str) -> list[str]:
    return [" ".join(e.text.split()) for e in elem.findall(path) if e.text and e.text.strip()]


def _record(elem: ET._Element, read: ListRead) -> Iterator[EntityProxy]:
    reference = _text(elem, "REFERENCE_NUMBER") or f"DATAID-{_text(elem, 'DATAID')}"
    regime = regime_for_reference(reference)
    individual = elem.tag == "INDIVIDUAL"
    read.counts["individuals" if individual else "entities"] += 1
    read.counts[f"{regime.list} {'individuals' if individual else 'entities'}"] += 1
    proxy = make("Person" if individual else "Organization", f"un-{reference}")
    parts = [_text(elem, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    name, acronym = split_bracketed(" ".join(p for p in parts if p))
    proxy.add("name", name)
    proxy.add("alias", acronym)
    proxy.add("alias", _text(elem, "NAME_ORIGINAL_SCRIPT"))
    for alias in elem.findall("INDIVIDUAL_ALIAS") + elem.findall("ENTITY_ALIAS"):
        alias_name = _text(alias, "ALIAS_NAME")
        if not alias_name:
            continue
        quality = (_text(alias, "QUALITY") or "a.k.a.").lower()
        alias_name, alias_acronym = split_bracketed(alias_name)
        proxy.add(_ALIAS_PROPERTY.get(quality, "alias"), [alias_name, alias_acronym])
        read.counts["aliases"] += 1
    for dob in elem.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        proxy.add("birthDate", _birth_dates(dob))
    proxy.add("nationality", _texts(elem, "NATIONALITY/VALUE"), quiet=True)
    countries = _texts(elem, "INDIVIDUAL_ADDRESS/COUNTRY") + _texts(elem, "ENTITY_ADDRESS/COUNTRY")
    proxy.add("country", countries, quiet=True)
    proxy.add("position" if individual else "notes", _texts(elem, "DESIGNATION/VALUE"))
    comments = _text(elem, "COMMENTS1")
    proxy.add("notes", comments)
    proxy.add("programId", regime.list)
    proxy.add("program", regime.name)
    proxy.add("topics", "sanction")
    proxy.add("sourceUrl", SOURCE_URL, cleaned=True)
    if not individual and comments:
        proxy.add("imoNumber", _IMO.findall(comments), quiet=True)
    listed_on = _text(elem, "LISTED_ON")
    yield proxy
    yield make_sanction(proxy, AUTHORITY, reference, regime.name, regime.list, listed_on, SOURCE_URL)
    if not individual and comments:
        yield from _vessels(proxy, reference, regime, comments, listed_on, read)


def _birth_dates(dob: ET._Element) -> list[str]:
    date = _text(dob, "DATE")
    if date:
        return [date[:10]]
    year = _text(dob, "YEAR")
    if year:
        return [year]
    low, high = _text(dob, "FROM_YEAR"), _text(dob, "TO_YEAR")
    if low and high and low.isdigit() and high.isdigit() and 0 <= int(high) - int(low) <= 20:
        return [str(y) for y in range(int(low), int(high) + 1)]
    return [y for y in (low, high) if y]


def vessel_names(comments: str) -> list[str]:
    """The names of the vessels an entity's listing mentions, in order, without repeats."""
    names: list[str] = []
    for found in _VESSEL_MENTION.finditer(" ".join(comments.split())):
        for name in re.split(r", | and ", found.group("names")):
            name = name.strip(" ,.")
            if name and name not in _NOT_VESSEL_NAMES and not name.isdigit() and name not in names:
                names.append(name)
    return names


def _vessels(owner: EntityProxy, reference: str, regime: Regime, comments: str,
             listed_on: str | None, read: ListRead) -> Iterator[EntityProxy]:
    for name in vessel_names(comments):
        vessel = make("Vessel", f"{owner.id}-vessel-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}")
        vessel.add("name", name)
        vessel.add("owner", owner.id)
        vessel.add("programId", regime.list)
        vessel.add("program", regime.name)
        vessel.add("notes", f"Vessel named in the UN listing of {reference} ({owner.caption}).")
        vessel.add("sourceUrl", SOURCE_URL, cleaned=True)
        read.counts["vessels named in entity records"] += 1
        yield vessel
        yield make_sanction(vessel, AUTHORITY, reference, regime.name, regime.list, listed_on, SOURCE_URL)

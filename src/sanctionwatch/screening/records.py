"""What every list loader produces: FollowTheMoney entities, read as a stream, with counts.

A loader reads the files of one list and yields FtM proxies (Person, Organization, Company,
Vessel… and one Sanction per listing, which carries the programme and the listing date). It
counts what it read so `lists update` can show that nothing was lost.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from followthemoney import model
from followthemoney.proxy import EntityProxy

from ..errors import SanctionwatchError

# The schemata a screening hit can be about; Sanction entities carry the listing details.
SCREENED_SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "PublicBody", "Vessel", "Airplane")


class ListFormatError(SanctionwatchError):
    """A list file that is not in the format it claims to be, or is empty."""


@dataclass
class ListRead:
    """A list file being read: iterate it once for its entities, then read the counts."""

    source: str  # un, ofac, opensanctions:DATASET
    paths: tuple[Path, ...]
    entities: Iterator[EntityProxy]
    counts: Counter[str] = field(default_factory=Counter)
    generated: str | None = None  # the publication date the file gives itself, when it does
    problems: list[str] = field(default_factory=list)
    list: str | None = None  # one list id for every entry; None where each entity names its regime

    def __iter__(self) -> Iterator[EntityProxy]:
        return self.entities

    def list_id(self, entity: EntityProxy) -> str:
        """The list a hit on this entity names: the file's (us-ofac-sdn) or the entity's regime (un-1718)."""
        return self.list or entity.first("programId") or self.source


def make(schema: str, entity_id: str) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    return proxy


def make_sanction(entity: EntityProxy, authority: str, authority_id: str, program: str,
                  program_id: str, listing_date: str | None, source_url: str) -> EntityProxy:
    sanction = make("Sanction", f"{entity.id}-sanction")
    sanction.add("entity", entity.id)
    sanction.add("authority", authority)
    sanction.add("authorityId", authority_id)
    sanction.add("program", program)
    sanction.add("programId", program_id)
    sanction.add("listingDate", listing_date)
    sanction.add("sourceUrl", source_url, cleaned=True)
    return sanction


_ACRONYM = re.compile(r"^(?P<name>.+?)\s*\((?P<inner>[^()]+)\)\s*$")
_CROSS_REFERENCE = re.compile(r"^[A-Z]{2}[ie]\.\d+$", re.IGNORECASE)


def split_bracketed(name: str) -> tuple[str, str | None]:
    """'OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)' -> (the name, 'OMM').

    A bracketed UN reference number ('(KPE.018)') is a cross-reference, not a name: dropped.
    """
    found = _ACRONYM.match(name.strip())
    if not found:
        return name.strip(), None
    inner = found.group("inner").strip()
    if _CROSS_REFERENCE.match(inner):
        return found.group("name"), None
    return found.group("name"), inner


def decode(data: bytes) -> str:
    """List files are UTF-8, older OFAC files Windows-1252; a trailing DOS end-of-file mark is dropped."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.rstrip("\x1a\r\n ")

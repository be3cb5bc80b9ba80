"""Sanctions listings the knowledge base records: which lists it knows, what a reference on each
looks like, and listings as screening hits, so a designated party is recognised where no list is
installed.

    from sanctionwatch.kb import load_kb
    from sanctionwatch.kb.listings import kb_listed
    listed = kb_listed(load_kb(), "2024-05-01")
    listed(Party("Chon Ma San", kb_id="vessel/chon-ma-san", kind="vessel"))
    # -> (ScreeningHit(list="un-1718", entry_id="vessel/chon-ma-san", matched_name="CHON MA SAN", …),
    #     ScreeningHit(list="eu-2017-1509", …))
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import yaml

from ..model import Party, ScreeningHit
from .model import KnowledgeBase, Listing, Organisation, Person, Vessel, name_key

ListedEntry = Person | Organisation | Vessel

# The UN lists are the committees of the UN regimes file the screening reads (KP -> un-1718).
UN_REGIMES = Path(__file__).resolve().parent.parent / "screening" / "data" / "un_regimes.yaml"
# The other lists an entry may be recorded on.
OTHER_LISTS = {
    "us-ofac-sdn": "US Treasury OFAC Specially Designated Nationals list (ref: the SDN entry number)",
    "eu-2017-1509": "Council Regulation (EU) 2017/1509 (DPRK), Annexes XIII to XVI",
}
_UN_REF = re.compile(r"^(?P<prefix>[A-Z]{2})(?P<kind>[ie])\.\d{3}$")
_OFAC_REF = re.compile(r"^\d+$")


@cache
def un_lists() -> dict[str, str]:
    """The UN list id of each reference-number prefix (KP -> un-1718)."""
    data = yaml.safe_load(UN_REGIMES.read_text("utf-8"))
    return {prefix: regime["list"] for prefix, regime in data["regimes"].items()}


def known_lists() -> frozenset[str]:
    return frozenset(un_lists().values()) | frozenset(OTHER_LISTS)


def listing_problems(entry: ListedEntry, listing: Listing) -> list[str]:
    """What is wrong with one listing of an entry: an unknown list, a reference not in the list's
    format (KPi.* for a UN individual, KPe.* for an entity, digits for OFAC), programme tags on a
    list without programmes, a delisting before the listing."""
    problems: list[str] = []
    if listing.list not in known_lists():
        problems.append(f"unknown list {listing.list!r} (known: {', '.join(sorted(known_lists()))})")
        return problems
    ref = listing.ref
    if listing.list.startswith("un-") and ref is not None:
        found = _UN_REF.match(ref)
        wanted = "i" if isinstance(entry, Person) else "e"
        if found is None:
            problems.append(f"{listing.list} reference {ref!r} is not of the form KPe.050")
        elif un_lists().get(found["prefix"]) != listing.list:
            problems.append(f"reference {ref!r} is not on {listing.list}")
        elif found["kind"] != wanted:
            what = "an individual" if wanted == "i" else "an entity"
            problems.append(f"reference {ref!r} is not that of {what} ({found['prefix']}{wanted}.NNN)")
    if listing.list == "us-ofac-sdn" and ref is not None and not _OFAC_REF.match(ref):
        problems.append(f"us-ofac-sdn reference {ref!r} is not an SDN entry number")
    if listing.programs and listing.list != "us-ofac-sdn":
        problems.append(f"{listing.list} has no programme tags ({', '.join(listing.programs)})")
    if listing.since and listing.until and listing.since > listing.until:
        problems.append(f"{listing.list} listing ends ({listing.until}) before it starts ({listing.since})")
    return problems


def listing_hit(entry: ListedEntry, listing: Listing, name: str) -> ScreeningHit:
    """A knowledge-base listing as a screening hit on `name` (the name as the article gives it)."""
    schema = "Person" if isinstance(entry, Person) else "Vessel" if isinstance(entry, Vessel) \
        else "Organization"
    return ScreeningHit(name=name, list=listing.list, entry_id=listing.ref or entry.id,
                        matched_name=listing.name or entry.name, score=1.0,
                        schema=schema, programs=listing.programs, reasons=("knowledge base",))


def kb_listed(kb: KnowledgeBase, when: str | None = None) -> Callable[[Party], tuple[ScreeningHit, ...]]:
    """The rules' `listed` for the knowledge base: the listings in force at `when` (None: today) of
    the entry a party resolves to, by its KB id, else by a name only one listed entry goes by
    (names an entry declares ambiguous do not count)."""
    by_name: dict[str, list[ListedEntry]] = {}
    for entry in (*kb.people.values(), *kb.organisations.values(), *kb.vessels.values()):
        if not entry.listed:
            continue
        ambiguous = {name_key(a) for a in entry.ambiguous}
        for key in {name_key(n) for n in entry.names} - ambiguous:
            by_name.setdefault(key, []).append(entry)

    def listed(party: Party) -> tuple[ScreeningHit, ...]:
        found = kb.get(party.kb_id) if party.kb_id else None
        if party.kb_id is None:
            named = by_name.get(name_key(party.name).removeprefix("the "), [])
            found = named[0] if len(named) == 1 else None
        if not isinstance(found, Person | Organisation | Vessel):
            return ()
        entry = found
        return tuple(listing_hit(entry, listing, party.name)
                     for listing in entry.listed if listing.active_at(when))

    return listed


__all__ = ["OTHER_LISTS", "kb_listed", "known_lists", "listing_hit", "listing_problems", "un_lists"]

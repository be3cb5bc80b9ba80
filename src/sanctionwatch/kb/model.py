"""The knowledge base's entry types: frozen dataclasses with tuples for lists.

Dates are ISO strings that may be partial ("2012-11-06", "2011-12", "2024"): a partial start counts
from the first day it names, a partial end up to the last day it names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """How two names compare: case, accents, full stops and hyphens aside ("D.P.R.K." = "dprk")."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = plain.replace(".", "").replace("’", "'")
    return " ".join(re.split(r"[\s\-‐–—_/]+", plain)).strip()


def date_bounds(value: str | None) -> tuple[str, str] | None:
    """The first and last day an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) covers; None if it is not one."""
    if not value or not (m := _ISO.match(value)):
        return None
    year, month, day = m.groups()
    if day:
        return value, value
    if month:
        return f"{year}-{month}-01", f"{year}-{month}-31"
    return f"{year}-01-01", f"{year}-12-31"


@dataclass(frozen=True)
class Listing:
    """One entry's listing on a sanctions list, as the list gives it."""

    list: str  # un-1718, us-ofac-sdn, eu-2017-1509
    ref: str | None = None  # the entry's reference on the list (KPe.050, an OFAC ent_num), if it has one
    name: str | None = None  # the name the list carries it under (OFFICE 39)
    since: str | None = None  # ISO date of listing
    until: str | None = None  # ISO date of delisting; None while listed
    basis: str | None = None  # the paragraph or annex that lists it
    programs: tuple[str, ...] = ()  # OFAC programme tags (DPRK3, CYBER2)
    measures: tuple[str, ...] = ()  # asset freeze, port entry ban, transport restrictions

    def active_at(self, when: str | None) -> bool:
        """Whether the listing was in force at an ISO date (partial dates overlap); None asks about today."""
        if when is None or (query := date_bounds(when)) is None:
            return self.until is None
        since, until = date_bounds(self.since), date_bounds(self.until)
        return (since is None or since[0] <= query[1]) and (until is None or query[0] <= until[1])


@dataclass(frozen=True)
class Country:
    id: str  # country/PRK
    alpha3: str
    iso2: str | None
    name: str
    official: str | None
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    metonyms: tuple[str, ...]  # capitals and seats of power that stand for the government
    context_names: tuple[str, ...]  # names that mean this state only in context ("the North")
    ambiguous: tuple[str, ...]  # names that are also common words or person names ("Chad")
    status: str  # member, observer or other
    source: str

    @property
    def names(self) -> tuple[str, ...]:
        """Every name that stands for the state on its own (not demonyms or context names)."""
        return (self.name, *((self.official,) if self.official else ()), *self.aliases, *self.metonyms)

    @property
    def all_names(self) -> tuple[str, ...]:
        return (*self.names, *self.context_names, *self.demonyms)


@dataclass(frozen=True)
class Role:
    title: str
    category: str
    start: str | None = None
    end: str | None = None  # None: still held
    org: str | None = None  # the organisation the role is in, e.g. org/united-nations

    def held_at(self, when: str | None) -> bool:
        """Whether the role was held at an ISO date (partial dates overlap); None asks about today."""
        if when is None:
            return self.end is None
        query = date_bounds(when)
        if query is None:
            return self.end is None
        start = date_bounds(self.start)
        end = date_bounds(self.end)
        return (start is None or start[0] <= query[1]) and (end is None or query[0] <= end[1])


@dataclass(frozen=True)
class Person:
    id: str  # person/kim-jong-un
    name: str
    aliases: tuple[str, ...]
    short: tuple[str, ...]  # refer to this person only after a full mention
    country: str | None  # alpha-3 of the state the person acts for; None for international officials
    roles: tuple[Role, ...]  # principal role first
    ambiguous: tuple[str, ...]
    source: str
    listed: tuple[Listing, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def all_names(self) -> tuple[str, ...]:
        return (*self.names, *self.short)

    def role_at(self, when: str | None = None) -> Role | None:
        """The role held at an ISO date, principal first; with no date (or one without a year),
        the current role, else the one that ended last."""
        if when is not None and date_bounds(when) is None:
            when = None
        for role in self.roles:
            if role.held_at(when):
                return role
        if when is None and self.roles:
            return max(self.roles, key=lambda r: (r.end or "", r.start or ""))
        return None


@dataclass(frozen=True)
class Organisation:
    id: str  # org/kcna
    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str | None  # None for intergovernmental bodies
    makes: tuple[str, ...]  # goods ids a brand stands for in news prose
    luxury: bool
    part_of: str | None  # a parent organisation id
    ambiguous: tuple[str, ...]
    source: str
    listed: tuple[Listing, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def all_names(self) -> tuple[str, ...]:
        return self.names


@dataclass(frozen=True)
class Vessel:
    id: str  # vessel/chon-ma-san
    name: str
    aliases: tuple[str, ...]  # former and later names
    imo: str | None  # the IMO ship number (seven digits)
    flag: str | None  # alpha-3 of the flag state as designated; None where the list does not say
    listed: tuple[Listing, ...]
    named_in: tuple[str, ...]  # UN references of the entity records that name it (owner, manager)
    ambiguous: tuple[str, ...]  # names that are also places, person names or words ("Mi Rim", "Koti")
    source: str

    @property
    def country(self) -> str | None:
        """The state a ship stands for: its flag."""
        return self.flag

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def all_names(self) -> tuple[str, ...]:
        return self.names


@dataclass(frozen=True)
class GoodsEntry:
    id: str  # goods/limousine
    name: str
    terms: tuple[str, ...]
    hs: str | None  # the most specific HS code known: 2, 4 or 6 digits
    classes: tuple[str, ...]
    ambiguous: tuple[str, ...]  # terms that name these goods only in context ("shell", "tank")
    source: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.terms)

    @property
    def all_names(self) -> tuple[str, ...]:
        return self.names

    @property
    def luxury(self) -> bool:
        return "luxury" in self.classes


Entry = Country | Person | Organisation | Vessel | GoodsEntry


@dataclass(frozen=True)
class KnowledgeBase:
    version: str  # "countries 2026.11.1, people 2026.11.1, …"
    countries: dict[str, Country]  # by alpha-3
    people: dict[str, Person]  # by id
    organisations: dict[str, Organisation]
    goods: dict[str, GoodsEntry]
    classes: dict[str, str]  # goods class id -> definition
    vessels: dict[str, Vessel]
    _by_id: dict[str, Entry] = field(repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        for table in (self.countries, self.people, self.organisations, self.vessels, self.goods):
            for entry in table.values():
                self._by_id[entry.id] = entry

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def country_of(self, entry_id: str) -> str | None:
        """The alpha-3 of a country, person or organisation id, or of a vessel's flag; None for goods
        and unknown ids."""
        entry = self._by_id.get(entry_id)
        if isinstance(entry, Country):
            return entry.alpha3
        if isinstance(entry, Person | Organisation | Vessel):
            return entry.country
        return None

    def listings(self, entry_id: str) -> tuple[Listing, ...]:
        """The sanctions listings the knowledge base records for a person, organisation or vessel."""
        entry = self._by_id.get(entry_id)
        return entry.listed if isinstance(entry, Person | Organisation | Vessel) else ()

    def entries(self) -> list[Entry]:
        return list(self._by_id.values())

    def find(self, text: str) -> list[tuple[Entry, str]]:
        """Entries with a name containing `text` (case, accents and punctuation aside), each with the
        first name that matched; entries with a name equal to `text` come first."""
        wanted = name_key(text)
        exact: list[tuple[Entry, str]] = []
        partial: list[tuple[Entry, str]] = []
        for entry in self._by_id.values():
            keys = [(name, name_key(name)) for name in entry.all_names]
            if hit := next((name for name, key in keys if key == wanted), None):
                exact.append((entry, hit))
            elif wanted and (hit := next((name for name, key in keys if wanted in key), None)):
                partial.append((entry, hit))
        return exact + partial

"""The compiled screening index: one SQLite file of listed entries and a key -> entries table.

Only the entries a query shares keys with are read, so the index serves OpenSanctions' full
data (about a million entities) from disk, with no search server and little memory; opening
it reads nothing. Names are stored analysed, so a query analyses only itself; and the name
symbols of every spelling, in every script, of the names the lists carry are stored with them
(`symbols`), so a query finds its symbols by look-up instead of loading rigour's tagger. What
rigour computed is only valid for the rigour release that computed it: an index built under
another is outdated and compiled again.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SanctionwatchError
from .names import SCHEMA_KINDS, NameForm, analyse, blocking_keys, corpus_key, symbol_keys

if TYPE_CHECKING:  # the list readers (and followthemoney) are for compiling, not for screening
    from followthemoney.proxy import EntityProxy

    from .records import ListRead

INDEX_VERSION = "3"  # raise when what the index stores changes
LISTING_CACHE = 20000  # entries kept decoded in memory
_BATCH = 5000
_SCHEMA_SQL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE entries (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, list TEXT, schema TEXT, caption TEXT,
                      data TEXT);
CREATE TABLE sanctions (entity TEXT, authority_id TEXT, program TEXT, listing_date TEXT);
CREATE TABLE postings (key TEXT, entry INTEGER, PRIMARY KEY (key, entry)) WITHOUT ROWID;
CREATE TABLE symbols (symbol TEXT, key TEXT, PRIMARY KEY (symbol, key)) WITHOUT ROWID;
"""
# The symbols table holds two kinds of key: 't:' the comparable tokens of a listed spelling
# (also blocking keys), 'f:' a spelling from rigour's name corpus as written, in any script.
_LISTED_KEYS = "key >= 't:' AND key < 't;'"
_NAME_PROPS = {"name": False, "alias": False, "previousName": False, "weakAlias": True}


@dataclass(frozen=True)
class Listing:
    """One listed person, organisation or vessel, as the matcher sees it."""

    rowid: int
    id: str
    list: str
    schema: str
    caption: str
    names: tuple[NameForm, ...]
    countries: tuple[str, ...] = ()
    birth_years: tuple[int, ...] = ()
    imo: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return SCHEMA_KINDS.get(self.schema, "other")


def imo_digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _entry_data(proxy: EntityProxy, kind: str) -> tuple[list[NameForm], dict]:
    forms: dict[str, NameForm] = {}
    for prop, weak in _NAME_PROPS.items():
        for value in proxy.get(prop, quiet=True):
            form = analyse(value, kind, weak, symbols=True)
            if form is not None and form.tokens not in {f.tokens for f in forms.values() if not f.weak}:
                forms.setdefault(value, form)
    countries = sorted({c for p in ("nationality", "citizenship", "country", "flag", "jurisdiction")
                        for c in proxy.get(p, quiet=True)})
    years = sorted({int(d[:4]) for d in proxy.get("birthDate", quiet=True) if d[:4].isdigit()})
    data = {"names": [f.to_json() for f in forms.values()], "countries": countries, "years": years,
            "imo": sorted({imo_digits(v) for v in proxy.get("imoNumber", quiet=True)}),
            "programs": proxy.get("programId", quiet=True)}
    return list(forms.values()), data


def build_index(reads: Iterable[ListRead], path: Path, lists_version: str | None = None) -> dict[str, int]:
    """Compile the entities of the installed lists into a new index file at `path`, atomically.
    `lists_version` names the installed copies it is compiled from (`ListStore.rebuild`).

    Returns the number of entries per list id (un-1718, us-ofac-sdn, …).
    """
    from .records import SCREENED_SCHEMATA

    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(_SCHEMA_SQL)
    counts: Counter[str] = Counter()
    postings: list[tuple[str, int]] = []
    symbols: set[tuple[str, str]] = set()
    rowid = 0
    sources = []
    for read in reads:
        sources.append(read.source)
        for proxy in read:
            if proxy.schema.name == "Sanction":
                for entity in proxy.get("entity"):
                    db.execute("INSERT INTO sanctions VALUES (?, ?, ?, ?)",
                               (entity, proxy.first("authorityId"), proxy.first("program"),
                                proxy.first("listingDate")))
                continue
            if not any(proxy.schema.is_a(s) for s in SCREENED_SCHEMATA):
                continue
            kind = SCHEMA_KINDS.get(proxy.schema.name, "org" if proxy.schema.is_a("LegalEntity") else "other")
            forms, data = _entry_data(proxy, kind)
            if not forms:
                continue
            rowid += 1
            list_id = read.list_id(proxy)
            db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?)",
                       (rowid, proxy.id, list_id, proxy.schema.name, proxy.caption, json.dumps(data)))
            counts[list_id] += 1
            keys: set[str] = set()
            for form in forms:
                keys |= blocking_keys(form)
                symbols |= symbol_keys(form)
            keys.update(f"i:{imo}" for imo in data["imo"])
            postings.extend((key, rowid) for key in keys)
            if len(postings) > _BATCH * 20:
                db.executemany("INSERT OR IGNORE INTO postings VALUES (?, ?)", postings)
                postings.clear()
    db.executemany("INSERT OR IGNORE INTO postings VALUES (?, ?)", postings)
    db.executemany("INSERT OR IGNORE INTO symbols VALUES (?, ?)", symbols)
    spellings = _corpus_spellings({symbol for symbol, _ in symbols})
    db.executemany("INSERT OR IGNORE INTO symbols VALUES (?, ?)", spellings)
    db.execute("CREATE INDEX sanctions_entity ON sanctions (entity)")
    db.execute("CREATE INDEX symbols_key ON symbols (key)")
    db.execute("CREATE TABLE keys (key TEXT PRIMARY KEY, df INTEGER) WITHOUT ROWID")
    db.execute("INSERT INTO keys SELECT key, COUNT(*) FROM postings GROUP BY key")
    meta = {"version": INDEX_VERSION, "rigour": version("rigour"),
            "built": datetime.now(UTC).isoformat(timespec="seconds"), "entries": str(rowid),
            "sources": json.dumps(sources), "counts": json.dumps(dict(counts)),
            "spellings": str(len(spellings)), "lists": lists_version or ""}
    db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    db.commit()
    db.close()
    os.replace(tmp, path)
    return dict(counts)


def _corpus_spellings(present: set[str]) -> list[tuple[str, str]]:
    """(name item, 'f:' key) for every spelling in rigour's corpus of the name items the
    listed names carry: what lets a query in any script find them without the tagger."""
    from .namesdb import name_groups

    return [(item, corpus_key(spelling)) for item, spellings in name_groups() if item in present
            for spelling in spellings]


class IndexOutdated(SanctionwatchError):
    """An index compiled by another version of sanctionwatch: rebuild it from the installed lists."""


class ScreeningIndex:
    """Read access to a compiled index: candidates for a set of keys, and their details."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            self.meta = dict(self.db.execute("SELECT key, value FROM meta"))
        except sqlite3.Error as exc:
            raise SanctionwatchError(f"{path}: not a screening index ({exc}); "
                                     "run `sanctionwatch lists rebuild`") from None
        if self.meta.get("version") != INDEX_VERSION or self.meta.get("rigour") != version("rigour"):
            self.db.close()
            raise IndexOutdated(f"{path}: built by another version of sanctionwatch; "
                                "run `sanctionwatch lists rebuild`")
        self.size = int(self.meta.get("entries", "0"))
        self.cutoff = 0.5
        # Keys shared by more entries than this ('t:mohammed') only slow the look-up down.
        self.max_df = max(500, self.size // 1000)
        self._cache: OrderedDict[int, Listing] = OrderedDict()

    def close(self) -> None:
        self.db.close()

    def _placeholders(self, values: list) -> str:
        return ",".join("?" * len(values))

    def expand(self, symbols: Iterable[str]) -> set[str]:
        """The token keys of every spelling the index holds of these name symbols."""
        wanted = sorted(set(symbols))
        if not wanted:
            return set()
        sql = f"SELECT key FROM symbols WHERE symbol IN ({self._placeholders(wanted)}) AND {_LISTED_KEYS}"
        rows = self.db.execute(sql, wanted)
        return {key for (key,) in rows}

    def symbols_of(self, keys: Iterable[str]) -> dict[str, set[str]]:
        """The symbols listed names carry on these keys ('t:kim', 'f:ким' -> {Q…})."""
        wanted = sorted(set(keys))
        found: dict[str, set[str]] = {}
        if wanted:
            sql = f"SELECT key, symbol FROM symbols WHERE key IN ({self._placeholders(wanted)})"
            for key, symbol in self.db.execute(sql, wanted):
                found.setdefault(key, set()).add(symbol)
        return found

    def listed_tokens(self, tokens: Iterable[str]) -> set[str]:
        """The tokens that are words of some listed name."""
        wanted = sorted({f"t:{t}" for t in tokens})
        if not wanted:
            return set()
        sql = f"SELECT key FROM keys WHERE key IN ({self._placeholders(wanted)})"
        return {key[2:] for (key,) in self.db.execute(sql, wanted)}

    def candidates(self, keys: set[str], limit: int = 20) -> list[int]:
        """Entries that share the most (and the rarest) keys with a query, best first."""
        wanted = sorted(keys)
        if not wanted:
            return []
        sql = f"SELECT key, df FROM keys WHERE key IN ({self._placeholders(wanted)})"
        df = dict(self.db.execute(sql, wanted))
        usable = [k for k, n in df.items() if n <= self.max_df] or sorted(df, key=df.get)[:1]
        if not usable:
            return []
        weighted = [v for k in usable for v in (k, math.log(1 + self.size / df[k]))]
        sql = (f"WITH q(key, w) AS (VALUES {','.join(['(?, ?)'] * len(usable))}) "
               "SELECT p.entry, SUM(q.w) AS score FROM q JOIN postings p ON p.key = q.key "
               "GROUP BY p.entry ORDER BY score DESC LIMIT ?")
        ranked = self.db.execute(sql, [*weighted, limit]).fetchall()
        # Entries far behind the best share only common keys with the query: not worth scoring.
        return [entry for entry, score in ranked if score >= ranked[0][1] * self.cutoff]

    def listings(self, rowids: list[int]) -> list[Listing]:
        """The entries with these row ids; recently read ones come from a bounded cache."""
        missing = [r for r in rowids if r not in self._cache]
        if missing:
            sql = ("SELECT rowid, id, list, schema, caption, data FROM entries "
                   f"WHERE rowid IN ({self._placeholders(missing)})")
            for rowid, entity_id, list_id, schema, caption, data in self.db.execute(sql, missing):
                d = json.loads(data)
                self._cache[rowid] = Listing(rowid, entity_id, list_id, schema, caption,
                                             tuple(NameForm.from_json(n) for n in d["names"]),
                                             tuple(d["countries"]), tuple(d["years"]), tuple(d["imo"]),
                                             tuple(d["programs"]))
            while len(self._cache) > LISTING_CACHE:
                self._cache.popitem(last=False)
        found = []
        for rowid in rowids:
            if rowid in self._cache:
                self._cache.move_to_end(rowid)
                found.append(self._cache[rowid])
        return found

    def sanction(self, entity_id: str) -> tuple[str | None, str | None, str | None]:
        """(reference number, programme, listing date) of an entry's listing, where the list gives them."""
        row = self.db.execute("SELECT authority_id, program, listing_date FROM sanctions WHERE entity = ?",
                              (entity_id,)).fetchone()
        return row if row else (None, None, None)

    def counts(self) -> dict[str, int]:
        return json.loads(self.meta.get("counts", "{}"))

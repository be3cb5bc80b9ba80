"""Labelled name pairs for choosing and checking the screening threshold, built from list files.

Two sets, neither made of the screening benchmark's cases:

- **tuning** (`threshold.py` chooses the default threshold on it): persons of OFAC's SDN list of
  July 2021 (`../shared/lists/ofac-2021-07`). A positive is an entry's name with one of its
  strong aliases (same person, another spelling); a negative is an entry's name with the name
  of another entry that shares a word with it (another person the blocking index would put
  forward), the three sharing the most words with it (ties broken by a hash of the ids).
  Aliases that share no word with the name (noms de guerre: no spelling matcher can or should
  find those) are left out.
- **held out** (`screening.py` prints its score): the persons of the EU's DPRK regulation
  (2017/1509 annexes) against the UN (2026-02) and OFAC (2023-01) persons that share a word of
  their name: the EU spells the names independently, and the label comes from outside the
  names: the same date of birth is the same person, a different one another person (pairs where
  either side has no full date are left out).

The labels file holds entry ids, name hashes and labels, not the names: `--write` builds it from
the list files, and reading it needs the same files (each name is found by its hash).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from followthemoney.proxy import EntityProxy
from rigour.names import tokenize_name
from rigour.text import ascii_text

from sanctionwatch.screening.ofac_csv import read_ofac_csv
from sanctionwatch.screening.un_xml import read_un_xml

SHARED = Path(__file__).resolve().parents[2] / "shared" / "lists"
LABELS = Path(__file__).resolve().parent / "labels"
TUNING = LABELS / "ofac-2021-07-pairs.tsv"
NEGATIVES_PER_ENTRY = 3
_EU_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    same: bool


def name_hash(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


def words(name: str) -> set[str]:
    return {w for w in tokenize_name(ascii_text(name).lower()) if len(w) > 1}


def _persons(entities: Iterable[EntityProxy]) -> list[EntityProxy]:
    return [e for e in entities if e.schema.name == "Person" and e.first("name")]


def _ofac_2021() -> list[EntityProxy]:
    d = SHARED / "ofac-2021-07"
    return _persons(read_ofac_csv(d / "sdn.csv", d / "alt.csv", d / "add.csv"))


def tuning_labels() -> list[tuple[str, str, str, str, int]]:
    """(entry a, name hash a, entry b, name hash b, 1 same / 0 other) rows (see the module)."""
    persons = _persons_sorted(_ofac_2021())
    by_word: dict[str, list[int]] = {}
    for n, person in enumerate(persons):
        for w in words(person.first("name")):
            by_word.setdefault(w, []).append(n)
    rows = []
    for n, person in enumerate(persons):
        name = person.first("name")
        for alias in sorted(set(person.get("alias"))):
            if alias != name and words(alias) & words(name):
                rows.append((person.id, name_hash(name), person.id, name_hash(alias), 1))
        mine = words(name)
        others = sorted({m for w in mine for m in by_word.get(w, ()) if m != n},
                        key=lambda m: (-len(mine & words(persons[m].first("name"))),
                                       name_hash(f"{person.id}:{persons[m].id}")))
        for m in others[:NEGATIVES_PER_ENTRY]:
            rows.append((person.id, name_hash(name), persons[m].id, name_hash(persons[m].first("name")), 0))
    return rows


def _persons_sorted(persons: list[EntityProxy]) -> list[EntityProxy]:
    return sorted(persons, key=lambda p: p.id)


def write_tuning() -> int:
    LABELS.mkdir(exist_ok=True)
    rows = tuning_labels()
    with TUNING.open("w", encoding="utf-8") as out:
        out.write("# entry_a\tname_sha1_a\tentry_b\tname_sha1_b\tsame_person\n")
        out.writelines("\t".join(map(str, row)) + "\n" for row in rows)
    return len(rows)


def tuning_pairs() -> list[Pair]:
    """The tuning pairs, their names found by hash in the OFAC 2021-07 files."""
    names = {(p.id, name_hash(n)): n for p in _ofac_2021() for n in p.get("name") + p.get("alias")}
    pairs = []
    for line in TUNING.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        a, ha, b, hb, same = line.split("\t")
        pairs.append(Pair(names[(a, ha)], names[(b, hb)], same == "1"))
    return pairs


def held_out_items(un: Path, ofac: Path) -> list[tuple[str, list[str], bool]]:
    """(EU name, the names of a UN or OFAC person sharing a word with it, same birth date?)."""
    listed = []
    for entity in _persons([*read_un_xml(un), *read_ofac_csv(ofac)]):
        dates = {d for d in entity.get("birthDate") if len(d) == 10}
        if dates:
            listed.append((entity.get("name") + entity.get("alias"), dates))
    items = []
    with (SHARED / "eu-2017-1509-dprk-annexes.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            dates = {f"{y}-{int(m):02d}-{int(d):02d}" for d, m, y in _EU_DATE.findall(row["birthDate"])}
            if row["schema"] != "Person" or not dates:
                continue
            for names, listed_dates in listed:
                if any(words(row["name"]) & words(n) for n in names):
                    items.append((row["name"], names, bool(dates & listed_dates)))
    return items


def prf(scored: list[tuple[float, bool]], threshold: float) -> tuple[float, float, float]:
    tp = sum(s >= threshold and same for s, same in scored)
    fp = sum(s >= threshold and not same for s, same in scored)
    fn = sum(s < threshold and same for s, same in scored)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_held_out(items: list[tuple[str, list[str], bool]],
                   score: Callable[[str, str], float]) -> list[tuple[float, bool]]:
    return [(max(score(name, other) for other in names), same) for name, names, same in items]

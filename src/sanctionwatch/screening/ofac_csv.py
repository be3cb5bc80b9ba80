"""OFAC's SDN list in its legacy CSV layout: sdn.csv (entries), alt.csv (aliases), add.csv (addresses).

The files are joined by `ent_num`. They carry no header row as OFAC publishes them (a copy with
a header row added is read too) and end with a DOS end-of-file mark. Without alt.csv, the
a.k.a. names written in the remarks stand in for it.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from followthemoney.proxy import EntityProxy

from ..sources.decode import looks_binary
from .records import ListFormatError, ListRead, decode, make, make_sanction

SOURCE_URL = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV"
AUTHORITY = "US Department of the Treasury, Office of Foreign Assets Control"
LIST_ID = "us-ofac-sdn"

_SCHEMA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
_ALIAS_PROPERTY = {"aka": "alias", "nka": "alias", "fka": "previousName"}
_NULL = "-0-"

_DOB = re.compile(r"\bDOB (?:circa )?([^;]+)")
_NATIONALITY = re.compile(r"\b(?:nationality|citizen) ([^;.]+)")
_IMO = re.compile(r"\bIMO (\d{7})\b")
_REMARK_ALIAS = re.compile(r"\b([afn]\.k\.a\.) '([^']+)'")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def read_ofac_csv(sdn: Path, alt: Path | None = None, add: Path | None = None) -> ListRead:
    paths = tuple(p for p in (sdn, alt, add) if p is not None)
    read = ListRead(source="ofac", paths=paths, entities=iter(()), list=LIST_ID)
    read.entities = _entities(sdn, alt, add, read)
    return read


def _rows(path: Path, width: int) -> Iterator[list[str]]:
    """The records of one OFAC CSV file, values stripped, '-0-' as empty; a header row is skipped."""
    data = path.read_bytes()
    if looks_binary(data):
        raise ListFormatError(f"{path}: binary data, not an OFAC CSV file")
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    try:
        for row in reader:
            if not row or not row[0].strip(" \x1a"):
                continue
            if not row[0].strip().isdigit():
                if row[0].strip().lower() in {"ent_num", "id"}:
                    continue  # a header row
                raise ListFormatError(f"{path}:{reader.line_num}: not an OFAC CSV file (a record starts "
                                      f"with {row[0][:20]!r})")
            values = [v.strip() for v in row] + [""] * (width - len(row))
            yield ["" if v == _NULL else v for v in values[:width]]
    except csv.Error as exc:
        raise ListFormatError(f"{path}:{reader.line_num}: not an OFAC CSV file ({exc})") from None


def _entities(sdn: Path, alt: Path | None, add: Path | None, read: ListRead) -> Iterator[EntityProxy]:
    aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if alt is not None:
        for ent_num, _alt_num, alt_type, alt_name, _remarks in _rows(alt, 5):
            aliases[ent_num].append((alt_type.lower().replace(".", ""), alt_name))
            read.counts["alt.csv aliases"] += 1
    countries: dict[str, list[str]] = defaultdict(list)
    if add is not None:
        for ent_num, _add_num, _address, _city, country, _remarks in _rows(add, 6):
            if country:
                countries[ent_num].append(country)
            read.counts["add.csv addresses"] += 1
    seen: set[str] = set()
    for row in _rows(sdn, 12):
        ent_num, name, sdn_type, program = row[0], row[1], row[2].lower(), row[3]
        vessel_flag, remarks = row[9], row[11]
        read.counts["sdn.csv entries"] += 1
        seen.add(ent_num)
        proxy = make(_SCHEMA.get(sdn_type, "Organization"), f"ofac-{ent_num}")
        proxy.add("name", name)
        for kind, alias in aliases.get(ent_num, ()):
            proxy.add(_ALIAS_PROPERTY.get(kind, "alias"), alias)
        if alt is None:
            for kind, alias in _REMARK_ALIAS.findall(remarks):
                proxy.add(_ALIAS_PROPERTY.get(kind.replace(".", ""), "alias"), alias)
        programs = [p.strip(" []") for p in re.split(r"\]\s*\[|;", program) if p.strip(" []")]
        proxy.add("programId", programs)
        proxy.add("topics", "sanction")
        proxy.add("notes", remarks)
        proxy.add("sourceUrl", SOURCE_URL, cleaned=True)
        proxy.add("country", countries.get(ent_num, []), quiet=True)
        if proxy.schema.is_a("Person"):
            proxy.add("birthDate", [d for text in _DOB.findall(remarks) for d in _dates(text)], quiet=True)
            proxy.add("nationality", _NATIONALITY.findall(remarks), quiet=True)
            proxy.add("title", row[4])
        if proxy.schema.is_a("Vessel"):
            proxy.add("flag", vessel_flag, quiet=True)
            proxy.add("callSign", row[5])
            proxy.add("type", row[6])
        proxy.add("imoNumber", _IMO.findall(remarks), quiet=True)
        yield proxy
        yield make_sanction(proxy, AUTHORITY, ent_num, "; ".join(programs), LIST_ID, None, SOURCE_URL)
    orphans = sum(len(v) for k, v in aliases.items() if k not in seen)
    if orphans:
        read.problems.append(f"{orphans} aliases in alt.csv belong to no entry of sdn.csv")
    if not read.counts["sdn.csv entries"]:
        raise ListFormatError(f"{sdn}: the file holds no SDN entries")


def _dates(text: str) -> list[str]:
    """'08 Jan 1984' -> 1984-01-08; '1958 to 1960' -> the years; 'Jan 1962' -> 1962."""
    text = text.strip()
    for pattern in ("%d %b %Y", "%b %Y", "%Y"):
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return [parsed.strftime({"%d %b %Y": "%Y-%m-%d", "%b %Y": "%Y-%m", "%Y": "%Y"}[pattern])]
    years = [int(y) for y in _YEAR.findall(text)]
    if len(years) == 2 and " to " in text and 0 <= years[1] - years[0] <= 20:
        return [str(y) for y in range(years[0], years[1] + 1)]
    return [str(y) for y in years]

"""Reads the knowledge base: one YAML file per kind, each checked against its JSON Schema, then
cross-checked (references resolve, ids are unique, no two entries share a name unless both declare
it ambiguous). ``check_kb`` lists every problem, one line each; ``load_kb`` refuses data with any.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from ..errors import SanctionwatchError
from .cache import content_key, read_cached, write_cached
from .listings import listing_problems
from .model import Country, GoodsEntry, KnowledgeBase, Listing, Organisation, Person, Role, Vessel, name_key

DATA_DIR = Path(__file__).resolve().parent / "data"
KINDS = ("countries", "people", "organisations", "vessels", "goods")


class KBError(SanctionwatchError):
    """Knowledge-base data that cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more; run `sanctionwatch kb check`)" if len(problems) > 1 else ""
        super().__init__(f"invalid knowledge base: {problems[0]}{more}")


_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[assignment]


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML without implicit timestamps: dates stay the strings the schema checks."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _schema(name: str) -> dict[str, Any]:
    text = resources.files("sanctionwatch.kb").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@lru_cache(maxsize=len(KINDS))
def _validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = _schema(kind)
    return jsonschema.Draft202012Validator(_inline_refs(schema, schema.get("$defs", {})))


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with its "#/$defs/…" references and the shared schemas it names ("listing.schema.json")
    inlined: validation runs about a third faster."""
    if isinstance(node, dict):
        if "$ref" in node:
            ref = node["$ref"]
            if ref.endswith(".schema.json"):
                shared = _schema(ref.removesuffix(".schema.json"))
                return _inline_refs(shared, shared.get("$defs", {}))
            return _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline_refs(v, defs) for k, v in node.items() if k not in ("$defs", "$id", "$schema")}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def _display(path: Path) -> str:
    try:
        return f"kb/{path.relative_to(DATA_DIR.parent)}"
    except ValueError:
        return str(path)


def read_kind(path: Path, kind: str, problems: list[str]) -> dict[str, Any] | None:
    """One data file, parsed and checked against its schema; None (and problems) when it fails."""
    where = _display(path)
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(f"{where}: cannot read: {' '.join(str(exc).split())}")
        return None
    validator = _validator(kind)
    if validator.is_valid(data):
        return data
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        problems.append(f"{where}: {_locate(data, list(error.absolute_path))}{error.message}")
    return None


def _locate(data: Any, path: list[Any]) -> str:
    """'entry 12 (person/x): roles/0/start: ' for a schema error at entries/11/roles/0/start."""
    if len(path) >= 2 and path[0] == "entries" and isinstance(path[1], int):
        entry = data["entries"][path[1]]
        ident = f" ({entry['id']})" if isinstance(entry, dict) and isinstance(entry.get("id"), str) else ""
        rest = "/".join(str(p) for p in path[2:])
        return f"entry {path[1] + 1}{ident}: " + (f"{rest}: " if rest else "")
    return "/".join(str(p) for p in path) + ": " if path else ""


def _t(d: dict[str, Any], key: str) -> tuple[Any, ...]:
    return tuple(d.get(key) or ())


def _country(d: dict[str, Any]) -> Country:
    metonyms = [(m, False) if isinstance(m, str) else (m["name"], m["context"]) for m in _t(d, "metonyms")]
    plain = [name for name, context in metonyms if not context]
    context = [name for name, context in metonyms if context]
    return Country(
        id=d["id"], alpha3=d["id"].removeprefix("country/"), iso2=d.get("iso2"), name=d["name"],
        official=d.get("official"), aliases=_t(d, "aliases"), demonyms=_t(d, "demonyms"),
        metonyms=tuple(plain), context_names=tuple(context), ambiguous=_t(d, "ambiguous"),
        status=d["status"], source=d["source"],
    )


def _listed(d: dict[str, Any]) -> tuple[Listing, ...]:
    return tuple(Listing(list=x["list"], ref=x.get("ref"), name=x.get("name"), since=x.get("since"),
                         until=x.get("until"), basis=x.get("basis"), programs=_t(x, "programs"),
                         measures=_t(x, "measures")) for x in _t(d, "listed"))


def _person(d: dict[str, Any]) -> Person:
    roles = tuple(Role(title=r["title"], category=r["category"], start=r.get("start"), end=r.get("end"),
                       org=r.get("org")) for r in d["roles"])
    return Person(id=d["id"], name=d["name"], aliases=_t(d, "aliases"), short=_t(d, "short"),
                  country=d["country"], roles=roles, ambiguous=_t(d, "ambiguous"), source=d["source"],
                  listed=_listed(d))


def _organisation(d: dict[str, Any]) -> Organisation:
    return Organisation(id=d["id"], name=d["name"], aliases=_t(d, "aliases"), kind=d["kind"],
                        country=d["country"], makes=_t(d, "makes"), luxury=d.get("luxury", False),
                        part_of=d.get("part_of"), ambiguous=_t(d, "ambiguous"), source=d["source"],
                        listed=_listed(d))


def _vessel(d: dict[str, Any]) -> Vessel:
    return Vessel(id=d["id"], name=d["name"], aliases=_t(d, "aliases"), imo=d["imo"], flag=d["flag"],
                  listed=_listed(d), named_in=_t(d, "named_in"), ambiguous=_t(d, "ambiguous"),
                  source=d["source"])


def _goods(d: dict[str, Any]) -> GoodsEntry:
    return GoodsEntry(id=d["id"], name=d["name"], terms=_t(d, "terms"), hs=d.get("hs"),
                      classes=_t(d, "classes"), ambiguous=_t(d, "ambiguous"), source=d["source"])


_BUILD = {"countries": _country, "people": _person, "organisations": _organisation, "vessels": _vessel,
          "goods": _goods}


def _keyed(kind: str, entries: list[Any], where: str, problems: list[str]) -> dict[str, Any]:
    """Entries by id (alpha-3 for countries), one problem line per duplicate id."""
    table: dict[str, Any] = {}
    for n, raw in enumerate(entries, 1):
        entry = _BUILD[kind](raw)
        key = entry.alpha3 if isinstance(entry, Country) else entry.id
        if key in table:
            problems.append(f"{where}: entry {n} ({entry.id}): duplicate id")
            continue
        table[key] = entry
    return table


def _names(entry: Any) -> tuple[str, ...]:
    """The names two entries must not share; people's short names may ("Kim")."""
    return entry.names if isinstance(entry, Person) else entry.all_names


def _collisions(kind: str, entries: list[Any], problems: list[str]) -> None:
    """Two entries of one kind answering to the same name, unless each declares the name ambiguous."""
    owners: dict[str, dict[str, str]] = defaultdict(dict)
    declared: dict[str, set[str]] = {}
    for entry in entries:
        declared[entry.id] = {name_key(a) for a in entry.ambiguous}
        for name in _names(entry):
            owners[name_key(name)].setdefault(entry.id, name)
    for key, users in owners.items():
        undeclared = sorted(i for i in users if key not in declared[i])
        if len(users) > 1 and undeclared:
            name = next(iter(users.values()))
            problems.append(f"{kind}.yaml: name {name!r} is shared by {', '.join(sorted(users))}; "
                            f"declare it in `ambiguous` of {', '.join(undeclared)} or drop it")


def _references(kb: KnowledgeBase, problems: list[str]) -> None:
    """Every id an entry points to exists; every class a goods entry uses is defined."""
    def missing(kind: str, entry_id: str, what: str, target: str | None, table: dict[str, Any]) -> None:
        if target is not None and target not in table:
            problems.append(f"{kind}.yaml: {entry_id}: {what} {target!r} is not in the knowledge base")

    for p in kb.people.values():
        missing("people", p.id, "country", p.country, kb.countries)
        for role in p.roles:
            missing("people", p.id, "role organisation", role.org, kb.organisations)
            if role.start and role.end and role.start > role.end:
                problems.append(f"people.yaml: {p.id}: role {role.title!r} ends before it starts")
    for o in kb.organisations.values():
        missing("organisations", o.id, "country", o.country, kb.countries)
        missing("organisations", o.id, "part_of", o.part_of, kb.organisations)
        for goods in o.makes:
            missing("organisations", o.id, "makes", goods, kb.goods)
    for v in kb.vessels.values():
        missing("vessels", v.id, "flag", v.flag, kb.countries)
    for g in kb.goods.values():
        for cls in g.classes:
            missing("goods", g.id, "class", cls, kb.classes)


def imo_valid(imo: str) -> bool:
    """The IMO ship number's check digit: the first six digits weighted 7 to 2, summed, last digit."""
    if len(imo) != 7 or not imo.isdigit():
        return False
    return sum(int(d) * w for d, w in zip(imo[:6], range(7, 1, -1), strict=True)) % 10 == int(imo[6])


def _listings(kb: KnowledgeBase, problems: list[str]) -> None:
    """Every listing names a known list with a reference in its format; no vessel has a bad or a
    second vessel's IMO number."""
    for kind, table in (("people", kb.people), ("organisations", kb.organisations), ("vessels", kb.vessels)):
        for entry in table.values():
            seen: set[tuple[str, str | None]] = set()
            for listing in entry.listed:
                problems.extend(f"{kind}.yaml: {entry.id}: {p}" for p in listing_problems(entry, listing))
                if (listing.list, listing.ref) in seen:
                    problems.append(f"{kind}.yaml: {entry.id}: listed twice on {listing.list}")
                seen.add((listing.list, listing.ref))
    owners: dict[str, str] = {}
    for v in kb.vessels.values():
        if v.imo is None:
            continue
        if not imo_valid(v.imo):
            problems.append(f"vessels.yaml: {v.id}: IMO number {v.imo} fails its check digit")
        elif v.imo in owners:
            problems.append(f"vessels.yaml: {v.id}: IMO number {v.imo} is also that of {owners[v.imo]}")
        owners.setdefault(v.imo, v.id)


def _ambiguous_known(kind: str, entries: Iterable[Any], problems: list[str]) -> None:
    """An `ambiguous` name must be one of the entry's own names, short names included (else it is a typo)."""
    for entry in entries:
        own = {name_key(n) for n in entry.all_names}
        for name in entry.ambiguous:
            if name_key(name) not in own:
                problems.append(f"{kind}.yaml: {entry.id}: ambiguous name {name!r} is not one of its names")


def _assemble(raw: dict[str, dict[str, Any]], directory: Path, problems: list[str]) -> KnowledgeBase:
    """The knowledge base from the parsed files of every kind."""
    tables: dict[str, dict[str, Any]] = {}
    classes: dict[str, str] = {}
    for kind in KINDS:
        where = _display(directory / f"{kind}.yaml")
        tables[kind] = _keyed(kind, raw[kind]["entries"], where, problems)
        for cls in raw[kind].get("classes", ()):
            if cls["id"] in classes:
                problems.append(f"{where}: class {cls['id']!r} is defined twice")
            classes[cls["id"]] = cls["definition"]
    return KnowledgeBase(version=", ".join(f"{kind} {raw[kind]['version']}" for kind in KINDS),
                         countries=tables["countries"], people=tables["people"],
                         organisations=tables["organisations"], goods=tables["goods"], classes=classes,
                         vessels=tables["vessels"])


def _check(directory: Path) -> tuple[KnowledgeBase | None, dict[str, dict[str, Any]], list[str]]:
    """Parse, validate and cross-check every file: the knowledge base, the raw data and the problems."""
    problems: list[str] = []
    raw = {kind: data for kind in KINDS if (data := read_kind(directory / f"{kind}.yaml", kind, problems))}
    if len(raw) < len(KINDS):
        return None, raw, problems
    kb = _assemble(raw, directory, problems)
    _references(kb, problems)
    _listings(kb, problems)
    for kind, table in (("countries", kb.countries), ("people", kb.people),
                        ("organisations", kb.organisations), ("vessels", kb.vessels), ("goods", kb.goods)):
        _collisions(kind, list(table.values()), problems)
        _ambiguous_known(kind, table.values(), problems)
    return kb, raw, problems


def check_kb(directory: Path | None = None) -> list[str]:
    """Every problem in the knowledge base, one line each; empty when the data is sound."""
    return _check(Path(directory) if directory else DATA_DIR)[2]


@lru_cache(maxsize=4)
def load_kb(directory: Path | None = None) -> KnowledgeBase:
    """The knowledge base in `directory` (default: the shipped data); raises KBError on any problem.

    Data that passed every check before is read from the cache (see `cache.py`)."""
    directory = Path(directory) if directory else DATA_DIR
    key = content_key(directory / f"{kind}.yaml" for kind in KINDS)
    raw = read_cached(key) if key else None
    if raw is not None and set(raw) == set(KINDS):
        return _assemble(raw, directory, [])
    kb, raw, problems = _check(directory)
    if problems or kb is None:
        raise KBError(problems)
    if key:
        write_cached(key, raw)
    return kb

"""Sanctions provisions as data: the types, the loader and the checks a rule file must pass.

A regime is one YAML file in ``rules/data`` (``regime.schema.json``); ``engine.yaml`` holds the
regime-independent settings (``engine.schema.json``). ``check_rules`` lists every problem, one
line each; ``load_rules`` refuses data with any.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import yaml

from ..errors import SanctionwatchError
from ..model import MODALITIES, Focus

if TYPE_CHECKING:
    from .period import Period

DATA_DIR = Path(__file__).resolve().parent / "data"
ENGINE_FILE = "engine.yaml"


class RulesError(SanctionwatchError):
    """Rule data that cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more; see `sanctionwatch rules check`)" if problems[1:] else ""
        super().__init__(f"invalid rule data: {problems[0]}{more}")


@dataclass(frozen=True)
class GoodsFilter:
    classes: frozenset[str] = frozenset()
    hs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Covers:
    classes: frozenset[str] = frozenset()
    hs: tuple[str, ...] = ()
    activities: frozenset[str] = frozenset()
    listed_party: bool = False


@dataclass(frozen=True)
class Suspension:
    start: date
    end: date  # the last day the provision did not apply
    why: str


@dataclass(frozen=True)
class InForce:
    start: date
    end: date | None = None  # the last day in force; None: still in force
    amended: tuple[date, ...] = ()
    suspended: tuple[Suspension, ...] = ()  # stretches inside [start, end] when it did not apply

    def spans(self) -> tuple[tuple[date, date | None], ...]:
        """The stretches of days the provision applied: [start, end] less its suspensions."""
        spans: list[tuple[date, date | None]] = []
        start: date | None = self.start
        for gap in sorted(self.suspended, key=lambda g: g.start):
            if start is not None and gap.start > start:
                spans.append((start, gap.start - timedelta(days=1)))
            start = gap.end + timedelta(days=1) if self.end is None or gap.end < self.end else None
        if start is not None:
            spans.append((start, self.end))
        return tuple(spans)

    def overlaps(self, period: Period) -> bool:
        """Whether some day of the period fell while the provision applied."""
        return any(period.overlaps(start, end) for start, end in self.spans())

    def covers(self, period: Period) -> bool:
        """Whether every day of the period fell within one stretch in which the provision applied."""
        return any(period.inside(start, end) for start, end in self.spans())

    def label(self) -> str:
        return " and ".join(f"{start}–{end}" if end else f"since {start}" for start, end in self.spans())


@dataclass(frozen=True)
class Exemption:
    id: str
    text: str
    citation: str
    effect: str | None = None  # "lowers" confidence, "suppresses" the match, or None: informational
    until: date | None = None  # the exemption covers events up to this day only


@dataclass(frozen=True)
class Provision:
    id: str
    regime: str
    category: str
    title: str
    direction: str  # to | from | both
    covers: Covers
    requires: GoodsFilter | None
    excludes: GoodsFilter
    in_force: InForce
    citations: tuple[str, ...]
    exemptions: tuple[Exemption, ...]
    summary: str
    source: tuple[str, ...]
    verified: str | None  # what was checked and where; None when it could not be confirmed
    unverified: str | None
    unless: frozenset[str] = frozenset()  # regimes whose flag for the same event makes this one redundant


@dataclass(frozen=True)
class Program:
    """What a programme tag of a sanctions list stands for: the legal act a listed party's hit cites."""
    citation: str
    source: str


@dataclass(frozen=True)
class Regime:
    id: str
    name: str
    version: str
    target: str | None  # None: no target state; only listed-party provisions apply
    jurisdiction: frozenset[str] | None  # states the regime binds; None: every state
    lists: frozenset[str]
    excludes: GoodsFilter
    sources: dict[str, dict[str, str]]
    activities: dict[str, str]
    categories: dict[str, str]
    provisions: tuple[Provision, ...]
    programs: dict[str, Program] = field(default_factory=dict)  # by tag, e.g. DPRK3
    program_patterns: tuple[tuple[re.Pattern[str], Program], ...] = ()  # tags matched by form

    def program(self, tag: str) -> Program | None:
        """The legal act behind a programme tag of one of the regime's lists, if the data says."""
        if known := self.programs.get(tag):
            return known
        for pattern, program in self.program_patterns:
            if match := pattern.fullmatch(tag):
                return Program(match.expand(program.citation), program.source)
        return None


@dataclass(frozen=True)
class EngineConfig:
    version: str
    modality: dict[str, float]
    no_breach_modalities: frozenset[str]
    adjust: dict[str, float]
    threshold: float
    never_event_types: frozenset[str]
    never_cameo: tuple[str, ...]


@dataclass(frozen=True)
class RuleSet:
    regimes: tuple[Regime, ...]
    config: EngineConfig
    vocabulary: str = ENGINE_FILE  # where the goods classes the rules were checked against come from

    def provisions(self) -> Iterator[Provision]:
        for regime in self.regimes:
            yield from regime.provisions

    def regime(self, regime_id: str) -> Regime | None:
        return next((r for r in self.regimes if r.id == regime_id), None)

    @cached_property
    def _by_id(self) -> dict[str, Provision]:
        return {p.id: p for p in self.provisions()}

    def provision(self, provision_id: str) -> Provision | None:
        return self._by_id.get(provision_id)

    @property
    def targets(self) -> frozenset[str]:
        """The states the regimes target (ISO alpha-3): an event needs one of them on a side."""
        return frozenset(r.target for r in self.regimes if r.target is not None)

    @property
    def focus(self) -> Focus:
        """What some provision covers, for the stages that choose what to read closely."""
        covers = [p.covers for p in self.provisions()]
        return Focus(states=self.targets, classes=frozenset(c for cv in covers for c in cv.classes),
                     hs=tuple(dict.fromkeys(h for cv in covers for h in cv.hs)),
                     activities=frozenset(a for cv in covers for a in cv.activities))

    @property
    def version(self) -> str:
        return "+".join(f"{r.id}@{r.version}" for r in self.regimes)


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay the strings the schema checks."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@lru_cache(maxsize=2)
def _schema(name: str) -> jsonschema.Draft202012Validator:
    text = resources.files("sanctionwatch.rules").joinpath("schemas", name).read_text("utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def _read(path: Path, schema: str, problems: list[str]) -> dict[str, Any] | None:
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: cannot read: {' '.join(str(exc).split())}")
        return None
    errors = sorted(_schema(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    for error in errors:
        where = ".".join(str(p) for p in error.absolute_path) or "(top)"
        problems.append(f"{path.name}: {where}: {error.message}")
    return None if errors else data


def _date(value: str, where: str, problems: list[str]) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"{where}: not a calendar date: {value!r}")
        return date.min


def _filter(data: dict[str, Any] | None) -> GoodsFilter:
    data = data or {}
    return GoodsFilter(frozenset(data.get("classes", ())), tuple(data.get("hs", ())))


def _provision(regime: str, data: dict[str, Any], where: str, problems: list[str]) -> Provision:
    covers = data["covers"]
    span = data["in_force"]
    exemptions = tuple(
        Exemption(e["id"], e["text"], e["citation"], e.get("effect"),
                  until=_date(e["until"], f"{where}: {e['id']}.until", problems) if "until" in e else None)
        for e in data.get("exemptions", ())
    )
    return Provision(
        id=data["id"], regime=regime, category=data["category"], title=data["title"],
        direction=data["direction"],
        covers=Covers(frozenset(covers.get("classes", ())), tuple(covers.get("hs", ())),
                      frozenset(covers.get("activities", ())), bool(covers.get("listed_party", False))),
        requires=_filter(data["requires"]) if "requires" in data else None,
        excludes=_filter(data.get("excludes")),
        in_force=InForce(
            _date(span["from"], f"{where}: in_force.from", problems),
            _date(span["to"], f"{where}: in_force.to", problems) if span.get("to") else None,
            tuple(_date(d, f"{where}: in_force.amended", problems) for d in span.get("amended", ())),
            tuple(Suspension(_date(g["from"], f"{where}: in_force.suspended.from", problems),
                             _date(g["to"], f"{where}: in_force.suspended.to", problems),
                             " ".join(g["why"].split()))
                  for g in span.get("suspended", ())),
        ),
        citations=tuple(data["citations"]), exemptions=exemptions, summary=" ".join(data["summary"].split()),
        source=tuple(data["source"]),
        verified=" ".join(data["verified"].split()) if data["verified"] else None,
        unverified=" ".join(data["unverified"].split()) if data.get("unverified") else None,
        unless=frozenset(data.get("unless", ())),
    )


def _program_patterns(data: list[dict[str, str]], name: str,
                      problems: list[str]) -> tuple[tuple[re.Pattern[str], Program], ...]:
    patterns = []
    for item in data:
        where = f"{name}: program_patterns: {item['pattern']!r}"
        try:
            pattern = re.compile(item["pattern"])
        except re.error as exc:
            problems.append(f"{where}: not a regular expression: {exc}")
            continue
        groups = {*pattern.groupindex, *map(str, range(pattern.groups + 1))}
        for group in sorted(set(re.findall(r"\\g<([^>]*)>", item["citation"])) - groups):
            problems.append(f"{where}: the citation uses group {group!r}, which the pattern lacks")
        patterns.append((pattern, Program(item["citation"], item["source"])))
    return tuple(patterns)


def _regime(data: dict[str, Any], name: str, problems: list[str]) -> Regime:
    provisions = tuple(
        _provision(data["regime"], p, f"{name}: {p['id']}", problems) for p in data["provisions"]
    )
    return Regime(
        id=data["regime"], name=data["name"], version=data["version"], target=data.get("target"),
        jurisdiction=frozenset(data["jurisdiction"]) if data.get("jurisdiction") else None,
        lists=frozenset(data["lists"]), excludes=_filter(data.get("excludes")), sources=data["sources"],
        activities=data.get("activities", {}), categories=data["categories"], provisions=provisions,
        programs={tag: Program(p["citation"], p["source"]) for tag, p in data.get("programs", {}).items()},
        program_patterns=_program_patterns(data.get("program_patterns", []), name, problems),
    )


def _engine(data: dict[str, Any]) -> EngineConfig:
    never = data["never"]
    return EngineConfig(
        version=data["version"], modality=dict(data["modality"]),
        no_breach_modalities=frozenset(data["no_breach_modalities"]), adjust=dict(data["adjust"]),
        threshold=float(data["threshold"]),
        never_event_types=frozenset(t.lower() for t in never["event_types"]),
        never_cameo=tuple(never["cameo"]),
    )


def known_goods_classes(fallback: list[str]) -> tuple[frozenset[str], str]:
    """The goods classes rule files may use, and where they come from: the knowledge base's once it
    loads; until then (or while it is broken, which `sanctionwatch kb check` reports) engine.yaml's."""
    try:
        from ..kb import load_kb
        return frozenset(load_kb().classes), "the knowledge base"
    except (ImportError, SanctionwatchError):
        return frozenset(fallback), ENGINE_FILE


def _check_regime(regime: Regime, name: str, classes: frozenset[str], problems: list[str]) -> None:
    for used in regime.excludes.classes - classes:
        problems.append(f"{name}: excludes: unknown goods class {used!r}")
    for provision in regime.provisions:
        where = f"{name}: {provision.id}"
        if not provision.category.startswith(regime.id + "/"):
            problems.append(f"{where}: category {provision.category!r} is not in regime {regime.id!r}")
        elif provision.category not in regime.categories:
            problems.append(f"{where}: category {provision.category!r} is not declared under categories")
        if not provision.id.startswith(provision.category + "/"):
            problems.append(f"{where}: id must start with its category {provision.category + '/'!r}")
        used = provision.covers.classes | provision.excludes.classes
        used |= provision.requires.classes if provision.requires else frozenset()
        for unknown in sorted(used - classes):
            problems.append(f"{where}: unknown goods class {unknown!r}")
        for unknown in sorted(provision.covers.activities - regime.activities.keys()):
            problems.append(f"{where}: activity {unknown!r} is not defined under activities")
        if provision.covers.listed_party and not regime.lists:
            problems.append(f"{where}: covers listed_party but the regime names no lists")
        if not (provision.covers.classes or provision.covers.hs or provision.covers.activities
                or provision.covers.listed_party):
            problems.append(f"{where}: covers nothing")
        if regime.target is None and (provision.covers.classes or provision.covers.hs
                                      or provision.covers.activities):
            problems.append(f"{where}: covers goods or activities, which need a target state; "
                            "the regime has none (only listed parties can be matched)")
        if regime.id in provision.unless:
            problems.append(f"{where}: unless names its own regime {regime.id!r}")
        for key in provision.source:
            if key not in regime.sources:
                problems.append(f"{where}: source {key!r} is not declared under sources")
        span = provision.in_force
        if span.end and span.end < span.start:
            problems.append(f"{where}: in_force ends ({span.end}) before it starts ({span.start})")
        _check_suspensions(span, where, problems)
        for exemption in provision.exemptions:
            if exemption.until and exemption.until < span.start:
                problems.append(f"{where}: exemption {exemption.id!r} ends before the provision starts")
            if exemption.effect == "suppresses" and not exemption.until:
                problems.append(f"{where}: exemption {exemption.id!r} suppresses matches but has no `until`")


def _check_suspensions(span: InForce, where: str, problems: list[str]) -> None:
    previous: Suspension | None = None
    for gap in sorted(span.suspended, key=lambda g: g.start):
        label = f"{where}: in_force.suspended {gap.start}–{gap.end}"
        if gap.end < gap.start:
            problems.append(f"{label} ends before it starts")
        if gap.start <= span.start or (span.end is not None and gap.end >= span.end):
            problems.append(f"{label} is not inside the days in force")
        if previous is not None and gap.start <= previous.end:
            problems.append(f"{label} overlaps {previous.start}–{previous.end}")
        previous = gap


def _check_unless(regimes: dict[str, Regime], problems: list[str]) -> None:
    """Every regime a provision yields to (``unless``) is defined; ``regimes`` by file name."""
    known = {r.id for r in regimes.values()}
    for name, regime in regimes.items():
        for provision in regime.provisions:
            for other in sorted(provision.unless - known):
                problems.append(f"{name}: {provision.id}: unless names {other!r}, which no rule file defines")


def _collect(directory: Path) -> tuple[RuleSet | None, list[str]]:
    problems: list[str] = []
    if not directory.is_dir():
        return None, [f"{directory}: not a directory"]
    engine_path = directory / ENGINE_FILE
    if not engine_path.is_file():
        return None, [f"{directory}: no {ENGINE_FILE}"]
    engine_data = _read(engine_path, "engine.schema.json", problems)
    config = _engine(engine_data) if engine_data else None
    if config:
        for modality in sorted(set(MODALITIES) - config.modality.keys()):
            problems.append(f"{ENGINE_FILE}: modality: no weight for {modality!r}")
    classes, vocabulary = known_goods_classes(engine_data.get("goods_classes", []) if engine_data else [])

    regimes: list[Regime] = []
    seen_regimes: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    paths = sorted(p for p in directory.glob("*.yaml") if p.name != ENGINE_FILE)
    if not paths:
        problems.append(f"{directory}: no regime files (*.yaml)")
    read: dict[str, Regime] = {}
    for path in paths:
        data = _read(path, "regime.schema.json", problems)
        if data is None:
            continue
        regime = _regime(data, path.name, problems)
        if regime.id in seen_regimes:
            problems.append(f"{path.name}: regime {regime.id!r} is also defined in {seen_regimes[regime.id]}")
        seen_regimes[regime.id] = path.name
        for provision in regime.provisions:
            if provision.id in seen_ids:
                problems.append(f"{path.name}: {provision.id}: id also used in {seen_ids[provision.id]}")
            seen_ids[provision.id] = path.name
        _check_regime(regime, path.name, classes, problems)
        regimes.append(regime)
        read[path.name] = regime
    if len(read) == len(paths):  # a regime in a file that could not be read is not unknown
        _check_unless(read, problems)
    if problems or config is None:
        return None, problems
    return RuleSet(tuple(regimes), config, vocabulary), problems


def check_rules(directory: Path | None = None) -> list[str]:
    """Every problem in the rule data, one line each; empty when the data is usable."""
    return _collect(directory or DATA_DIR)[1]


@lru_cache(maxsize=4)
def load_rules(directory: Path | None = None) -> RuleSet:
    """All regimes in ``directory`` (default: the package's ``rules/data``), validated."""
    rules, problems = _collect(directory or DATA_DIR)
    if rules is None:
        raise RulesError(problems)
    return rules


__all__ = [
    "Covers", "EngineConfig", "Exemption", "GoodsFilter", "InForce", "Program", "Provision", "Regime",
    "RuleSet", "RulesError", "Suspension", "check_rules", "known_goods_classes", "load_rules",
]

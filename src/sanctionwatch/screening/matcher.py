"""The screener: a name (with what else is known of it) against the compiled lists.

Candidates come from the index by shared keys; each is scored on its best name, then the
score is qualified by what the article or the user adds: country, birth year, IMO number.
A listed organisation with a generic name (a party, a ministry: `generic_names.yaml`) or matched
by an acronym ('SEC') is a hit only when the state of the mention is the listing's own: every
state has such organs, and every acronym many owners.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..defaults import DEFAULT_THRESHOLD
from ..model import Entity, Party, ScreeningHit
from .compare import compare_names, explain, short_name
from .index import Listing, ScreeningIndex, imo_digits
from .names import NameForm, analyse, blocking_keys, consonants, span_keys, with_symbols, word_list

# The kinds of query (CLI --type, Entity.kind, Party.kind) -> the kinds of listed thing they may be.
_COMPATIBLE = {"person": {"person"}, "org": {"org", "other"}, "vessel": {"vessel"}}
# Also the FtM schema names (Person, Organization, Company, LegalEntity, Vessel), case aside.
_KIND_ALIASES = {"organization": "org", "organisation": "org", "company": "org", "legalentity": "org",
                 "ship": "vessel"}

# What other facts add to a name's score. A fact that differs takes even a perfect name below
# the default threshold: another nationality or birth year is another person.
COUNTRY_AGREES = 0.05
COUNTRY_DIFFERS = -0.4
YEAR_AGREES = 0.05
YEAR_DIFFERS = -0.4
IMO_DIFFERS = -0.4
WEAK_ALIAS = 0.6  # a low-quality alias on the list: alone, below the threshold
RESULT_CACHE = 4096  # queries whose hits are kept: a corpus names the same parties again and again


def generic(name: NameForm) -> bool:
    """Whether an organisation's name names the kind of body more than the body: all its words
    but one at most are generic ('Central Military Commission of the Workers' Party of Korea')."""
    words = [t for i, t in enumerate(name.tokens) if i not in name.ignorable]
    return len(words) >= 2 and sum(w not in word_list("words") for w in words) <= 1


@dataclass(frozen=True)
class Query:
    name: str
    kind: str | None = None
    country: str | None = None  # FtM country code (lowercase ISO alpha-2)
    birth_year: int | None = None
    imo: str | None = None


def query_kind(kind: str | None) -> str | None:
    if kind is None:
        return None
    kind = _KIND_ALIASES.get(kind.lower(), kind.lower())
    return kind if kind in _COMPATIBLE else None


def country_code(country: str | None) -> str | None:
    """'PRK', 'KP', 'North Korea' -> 'kp' (the form the lists are stored in)."""
    if not country:
        return None
    if len(country) == 3 and country.isalpha():  # what the KB and the rules give: cheap to map
        import pycountry

        found = pycountry.countries.get(alpha_3=country.upper())
        if found is not None:
            return found.alpha_2.lower()
    from followthemoney import registry  # names and other forms; loading it takes a second

    return registry.country.clean(country)


class Screener:
    """Screens names against the lists compiled into one index file."""

    def __init__(self, index: ScreeningIndex, threshold: float = DEFAULT_THRESHOLD,
                 candidates: int = 20) -> None:
        self.index = index
        self.threshold = threshold
        self.candidates = candidates
        self._results: OrderedDict[Query, list[ScreeningHit]] = OrderedDict()

    @property
    def version(self) -> str:
        """What a report's screening depends on: the installed lists and the threshold
        (Report.versions["lists"]); an article stored under another is screened again."""
        return f"{self.index.meta.get('lists') or self.index.meta.get('built')};t={self.threshold:g}"

    @classmethod
    def open(cls, path: Path, threshold: float = DEFAULT_THRESHOLD) -> Screener:
        return cls(ScreeningIndex(path), threshold=threshold)

    def screen(self, name: str, schema: str | None = None, country: str | None = None,
               birth_year: int | None = None, imo: str | None = None, limit: int = 5) -> list[ScreeningHit]:
        """Listed entries that this name may denote, best first, at or above the threshold."""
        query = Query(name, query_kind(schema), country_code(country), birth_year,
                      imo_digits(imo) if imo else None)
        hits = [hit for hit in self.score_all(query) if hit.score >= self.threshold]
        return hits[:limit]

    def score_all(self, query: Query) -> list[ScreeningHit]:
        """Every candidate the index offers for the query, scored, best first (no threshold)."""
        if query in self._results:
            self._results.move_to_end(query)
            return self._results[query]
        hits = self._score_all(query)
        self._results[query] = hits
        if len(self._results) > RESULT_CACHE:
            self._results.popitem(last=False)
        return hits

    def _score_all(self, query: Query) -> list[ScreeningHit]:
        kinds = [query.kind] if query.kind else ["person", "org", "vessel"]
        forms = {k: self._form(query.name, k) for k in kinds}
        forms = {k: f for k, f in forms.items() if f is not None}
        if not forms:
            return []
        keys: set[str] = set()
        for form in forms.values():
            keys |= blocking_keys(form)
        keys |= self.index.expand(s for f in forms.values() for s, _ in f.symbols)
        if query.imo:
            keys.add(f"i:{query.imo}")
        variants = {key for key in keys if key.startswith(("t:", "c:"))}
        hits = []
        for listing in self.index.listings(self.index.candidates(keys, self.candidates)):
            allowed = _COMPATIBLE.get(query.kind or "")
            if allowed is not None and listing.kind not in allowed:
                continue
            form = forms.get(listing.kind) or forms.get("org") or next(iter(forms.values()))
            hit = self._score(query, form, listing, variants)
            if hit is not None:
                hits.append(hit)
        hits.sort(key=lambda h: (-h.score, h.list, h.entry_id))
        return hits

    def _form(self, name: str, kind: str) -> NameForm | None:
        """The analysed query, with the symbols the index knows for its spellings (no tagger)."""
        form = analyse(name, kind)
        if form is None:
            return None
        form = with_symbols(form, self.index.symbols_of(span_keys(form)))
        known = self.index.listed_tokens(form.tokens)
        return replace(form, listed=frozenset(i for i, t in enumerate(form.tokens) if t in known))

    def name_score(self, a: str, b: str, kind: str = "person") -> float:
        """How alike two names are, as the screener compares a query with a listed name; the
        same for (a, b) as for (b, a)."""
        first, second = self._form(a, kind), self._form(b, kind)
        return compare_names(first, second).score if first and second else 0.0

    def _score(self, query: Query, form: NameForm, listing: Listing,
               variants: set[str]) -> ScreeningHit | None:
        same_imo = bool(query.imo) and query.imo in listing.imo
        best = None
        for name in listing.names:
            if not (same_imo or _reachable(name, variants)):
                continue
            result = compare_names(form, name)
            score = result.score * (WEAK_ALIAS if name.weak else 1.0)
            if best is None or score > best[0]:
                best = (score, name, result)
        if best is None:
            return None
        score, name, result = best
        reasons = [f"name '{query.name}' ~ '{name.text}' ({result.score:.2f})", *explain(form, name, result)]
        if name.weak:
            reasons.append("matched a weak (low-quality) alias")
        if same_imo:  # an IMO number names one ship (or one shipping company) for good
            score = 1.0
            reasons.append(f"same IMO number {query.imo}")
        else:
            if listing.kind != "person" and (generic(name) or short_name(name)) and not (
                    query.country and query.country in listing.countries):
                return None  # a party, a ministry or an acronym of another state, or of no state we know
            score += self._qualify(query, listing, reasons)
        reference, program, listed_on = self.index.sanction(listing.id)
        if listed_on:
            reasons.append(f"listed on {listed_on}")
        programs = tuple(dict.fromkeys([*listing.programs, *([program] if program else [])]))
        return ScreeningHit(name=query.name, list=listing.list, entry_id=reference or listing.id,
                            matched_name=name.text, score=round(max(0.0, min(1.0, score)), 3),
                            schema=listing.schema, programs=programs, reasons=tuple(reasons))

    @staticmethod
    def _qualify(query: Query, listing: Listing, reasons: list[str]) -> float:
        """What the other facts add to (or take from) a name match."""
        change = 0.0
        if query.imo and listing.imo:
            change += IMO_DIFFERS
            reasons.append(f"IMO number differs ({query.imo}; listed {', '.join(listing.imo)})")
        if query.country and listing.countries:
            if query.country in listing.countries:
                change += COUNTRY_AGREES
                reasons.append(f"country {query.country.upper()} agrees")
            else:
                change += COUNTRY_DIFFERS
                reasons.append(f"country {query.country.upper()} differs (listed: "
                               f"{', '.join(c.upper() for c in listing.countries)})")
        if query.birth_year and listing.birth_years:
            if any(abs(query.birth_year - y) <= 1 for y in listing.birth_years):
                change += YEAR_AGREES
                reasons.append(f"birth year {query.birth_year} agrees")
            else:
                change += YEAR_DIFFERS
                reasons.append(f"birth year {query.birth_year} differs (listed: "
                               f"{', '.join(map(str, listing.birth_years))})")
        return change

    def screen_entities(self, entities: Iterable[Entity]) -> list[ScreeningHit]:
        """Hits for the persons, organisations and vessels of a report, with their offsets: each
        party is screened once, at its first mention."""
        hits: list[ScreeningHit] = []
        seen: set[tuple[str, str, str | None]] = set()
        for entity in entities:
            kind = query_kind(entity.kind)
            party = (entity.name or entity.text, entity.kind, entity.country)
            if kind is None or party in seen:
                continue
            seen.add(party)
            for hit in self.screen(entity.name or entity.text, schema=kind, country=entity.country):
                hits.append(_at(hit, entity.text, entity.start, entity.end))
        return hits

    def listed(self, party: Party) -> list[ScreeningHit]:
        """Hits for one side of an event: its name screened with its kind and country.

        A state or a place is no listed party: only persons, organisations, vessels and parties
        of unknown kind are screened."""
        if party.kind is not None and query_kind(party.kind) is None:
            return []
        return self.screen(party.name, schema=query_kind(party.kind), country=party.country)


def _reachable(name: NameForm, variants: set[str]) -> bool:
    """Whether a listed name shares a token (two run together, or its consonants) with the query's
    spellings (`t:`/`c:` keys). Names with none are not compared: some token of a name survives
    any one distortion, and all of them survive the loss of their vowels."""
    if len(name.tokens) == 1:
        return True
    tokens = name.tokens
    return (any(f"t:{t}" in variants or f"c:{consonants(t)}" in variants for t in tokens)
            or any(f"t:{a}{b}" in variants for a, b in zip(tokens, tokens[1:], strict=False)))


def _at(hit: ScreeningHit, text: str, start: int, end: int) -> ScreeningHit:
    return replace(hit, name=text, start=start, end=end)

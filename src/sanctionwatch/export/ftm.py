"""The store as FollowTheMoney entities (the format of OpenSanctions and Aleph), one JSON object a
line, streamed.

- each article: an `Article` (title, publication date, source URL, publisher: its outlet);
- each person, organisation, vessel and state the articles name, once: `Person`, `Company` /
  `Organization` / `PublicBody` (by what the knowledge base says it is), `Vessel`, and a
  `PublicBody` for a state; resolved to the knowledge base where it is known (its id in the
  entity id), else keyed by its name and country;
- a `Documentation` linking each article to each of them;
- a `Sanction` for each list entry screening matched (the list as `authority`, its entry id as
  `authorityId`, and as `unscId` for the UN lists), on the entity it matched;
- each incident: an `Event` (title, dates, the states `involved`, categories as keywords, the
  citations as notes, the strongest evidence as description, the articles as `proof` and their
  URLs as `sourceUrl`).

Entities are built with followthemoney itself, so every property is one its schema knows and
every value is cleaned by its type. Ids start with "sw-"; an entity mentioned in many articles is
written once (SQL groups them), so memory does not grow with the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from followthemoney import model
from sqlalchemy import and_, func, select

from ..analysis.acts import outlet
from ..analysis.incidents import get_incident, list_incidents
from ..kb import KnowledgeBase, load_kb
from ..store import Store
from ..store.queries import Filters
from ..store.schema import articles, entities, incident_members, screening
from .tables import FETCH, _article_filters

_PARTY_KINDS = ("person", "org", "vessel", "country")
_PUBLIC = frozenset({"ministry", "agency", "legislature", "party", "military", "court"})
_SCHEMA_KIND = {"Person": "person", "Vessel": "vessel", "Organization": "org", "Company": "org",
                "LegalEntity": "org"}


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p or "") for p in parts).encode("utf-8")).hexdigest()[:20]


def article_id(key: str) -> str:
    return f"sw-article-{key[:24]}"


def party_id(kind: str, kb_id: str | None, name: str, country: str | None) -> str:
    if kb_id:
        return "sw-" + kb_id.replace("/", "-")
    return f"sw-{kind}-{_hash(kind, name.lower(), country)}"


def _entity(schema: str, entity_id: str, props: dict[str, Any]) -> dict[str, Any]:
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for prop, values in props.items():
        for value in values if isinstance(values, (list, tuple, set)) else [values]:
            if value not in (None, ""):
                proxy.add(prop, value)
    return proxy.to_dict()


class _Countries:
    """ISO alpha-3 (the store's) to FtM's country codes (alpha-2, lower case)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def code(self, alpha3: str | None) -> str | None:
        country = self.kb.countries.get(alpha3 or "")
        return country.iso2.lower() if country and country.iso2 else None

    def name(self, alpha3: str) -> str:
        country = self.kb.countries.get(alpha3)
        return country.name if country else alpha3


def _party_schema(kind: str, kb_id: str | None, kb: KnowledgeBase) -> str:
    if kind == "person":
        return "Person"
    if kind == "vessel":
        return "Vessel"
    if kind == "country":
        return "PublicBody"
    org = kb.organisations.get(kb_id or "")
    if org is None:
        return "Organization"
    if org.kind in ("company", "bank"):
        return "Company"
    return "PublicBody" if org.kind in _PUBLIC else "Organization"


def _party_name(kind: str, kb_id: str | None, name: str, countries: _Countries) -> str:
    if kind == "country" and kb_id and kb_id.startswith("country/"):
        return countries.name(kb_id.split("/", 1)[1])
    return name


def _state(alpha3: str, countries: _Countries) -> dict[str, Any]:
    code = countries.code(alpha3)
    return _entity("PublicBody", party_id("country", f"country/{alpha3}", alpha3, alpha3),
                   {"name": countries.name(alpha3), "country": code, "jurisdiction": code})


def ftm_entities(store: Store, filters: Filters | None = None,
                 kb: KnowledgeBase | None = None) -> Iterator[dict[str, Any]]:
    """Every entity of the export, in a stream: articles, parties, links, sanctions, incidents.
    `filters` select the articles (`since`, `until` on publication, `text` in the title) and the
    incidents (as `incidents list`)."""
    filters = filters or Filters()
    kb = kb or load_kb()
    countries = _Countries(kb)
    conditions = _article_filters(filters)
    with store.engine.connect().execution_options(yield_per=FETCH) as conn:
        for row in conn.execute(select(articles.c.key, articles.c.external_id, articles.c.url,
                                       articles.c.title, articles.c.published)
                                .where(*conditions).order_by(articles.c.id)):
            yield _entity("Article", article_id(row.key), {
                "title": row.title or row.external_id, "publishedAt": row.published,
                "sourceUrl": row.url, "publisher": outlet(row.url, row.external_id)})

        named = func.coalesce(entities.c.name, entities.c.text)
        selected = and_(entities.c.kind.in_(_PARTY_KINDS), *conditions)
        # One entity per knowledge-base id, else per name (any case) and country.
        parties = (select(entities.c.kind, entities.c.kb_id, func.min(named).label("name"),
                          entities.c.country, func.min(entities.c.role).label("role"))
                   .join(articles, articles.c.id == entities.c.article_id).where(selected)
                   .group_by(entities.c.kind, entities.c.kb_id, func.lower(named),
                             entities.c.country)
                   .order_by(entities.c.kind, func.lower(named)))
        for row in conn.execute(parties):
            schema = _party_schema(row.kind, row.kb_id, kb)
            code = countries.code(row.country)
            props: dict[str, Any] = {"name": _party_name(row.kind, row.kb_id, row.name, countries),
                                     "country": code}
            if schema == "Person":
                props["position"] = row.role
            if schema == "Vessel":
                props["flag"] = code
                props.pop("country")
            if schema == "PublicBody" and row.kind == "country":
                props["jurisdiction"] = code
            yield _entity(schema, party_id(row.kind, row.kb_id, row.name, row.country), props)

        links = (select(articles.c.key, entities.c.kind, entities.c.kb_id, named.label("name"),
                        entities.c.country)
                 .join(articles, articles.c.id == entities.c.article_id).where(selected)
                 .distinct().order_by(articles.c.key, entities.c.kind, "name"))
        for row in conn.execute(links):
            party = party_id(row.kind, row.kb_id, row.name, row.country)
            yield _entity("Documentation", f"sw-doc-{_hash(row.key, party)}", {
                "document": article_id(row.key), "entity": party, "role": "named in the article"})

        yield from _sanctions(conn, conditions, named)

    states: set[str] = set()
    for incident in list_incidents(store, Filters(filters.kind, filters.country, filters.since,
                                                  filters.until, filters.text)):
        for alpha3 in (incident["supplier_country"], incident["recipient_country"]):
            if alpha3 and alpha3 not in states:
                states.add(alpha3)
                yield _state(alpha3, countries)
        yield _incident(store, incident, countries)


def _sanctions(conn: Any, conditions: list[Any], named: Any) -> Iterator[dict[str, Any]]:
    """A Sanction per list entry and matched entity; the entity is the one the article names
    with the text screening matched (else a bare entity of the list's schema)."""
    query = (select(screening.c.list, screening.c.entry_id,
                    screening.c.name, screening.c.data, entities.c.kind, entities.c.kb_id,
                    named.label("entity_name"), entities.c.country)
             .join(articles, articles.c.id == screening.c.article_id)
             .outerjoin(entities, and_(entities.c.article_id == screening.c.article_id,
                                       entities.c.text == screening.c.name,
                                       entities.c.kind.in_(_PARTY_KINDS)))
             .where(*conditions).order_by(screening.c.list, screening.c.entry_id))
    seen: set[str] = set()  # within one list entry: rows come grouped by it
    bare: set[str] = set()  # entities made for hits the articles' entities do not hold
    last_entry = None
    for row in conn.execute(query):
        if (row.list, row.entry_id) != last_entry:
            seen.clear()
            last_entry = (row.list, row.entry_id)
        hit = row.data or {}
        if row.kind:
            party = party_id(row.kind, row.kb_id, row.entity_name, row.country)
        else:
            schema = hit.get("schema") or "LegalEntity"
            kind = _SCHEMA_KIND.get(schema, "org")
            party = party_id(kind, None, row.name, None)
            if party not in bare:
                bare.add(party)
                yield _entity(schema if schema in _SCHEMA_KIND else "LegalEntity", party,
                              {"name": row.name})
        sanction = f"sw-sanction-{_hash(party, row.list, row.entry_id)}"
        if sanction in seen:
            continue
        seen.add(sanction)
        yield _entity("Sanction", sanction, {
            "entity": party, "authority": row.list, "authorityId": row.entry_id,
            "unscId": row.entry_id if str(row.list).startswith("un-") else None,
            "program": list(hit.get("programs") or ()),
            "reason": f"screening matched {hit.get('matched_name') or row.name!r} "
                      f"(score {hit.get('score')})"})


def _incident(store: Store, incident: dict[str, Any], countries: _Countries) -> dict[str, Any]:
    m = incident_members
    with store.engine.connect() as conn:
        rows = conn.execute(select(articles.c.key, articles.c.url)
                            .join(m, m.c.article_id == articles.c.id)
                            .where(m.c.incident_id == incident["id"], m.c.kind == "flag")
                            .distinct().order_by(articles.c.url)).all()
    full = get_incident(store, incident["id"]) or {}
    evidence = [r["evidence"]["text"] for r in full.get("reports") or () if r.get("evidence")]
    states = [s for s in (incident["supplier_country"], incident["recipient_country"]) if s]
    props: dict[str, Any] = {
        "name": incident["title"], "summary": "; ".join(incident.get("categories") or ()),
        "description": evidence[0] if evidence else None,
        "notes": list(incident.get("citations") or ()),
        "keywords": list(incident.get("categories") or ()),
        "country": [countries.code(s) for s in states],
        "involved": [party_id("country", f"country/{s}", s, s) for s in states],
        "namesMentioned": [p["name"] for side in ("suppliers", "recipients")
                           for p in incident.get(side) or ()],
        "proof": [article_id(r.key) for r in rows], "sourceUrl": [r.url for r in rows if r.url],
        "recordId": str(incident["id"]),
    }
    start, end = incident.get("date_start"), incident.get("date_end")
    if start and start == end:
        props["date"] = start
    else:
        props["startDate"], props["endDate"] = start, end
    return _entity("Event", f"sw-incident-{incident['id']}", props)


__all__ = ["article_id", "ftm_entities", "party_id"]

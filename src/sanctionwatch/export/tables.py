"""What an export holds: one flat record per stored flag, event, entity, article or incident,
with a documented column list, read from the store in a stream (bounded memory).

Column values are text, whole numbers, decimals or lists of text (`LIST` columns: arrays in
JSONL and Parquet, joined with "; " in CSV). Items are read in the order they were stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, select

from ..analysis.relations import weight
from ..store import Store
from ..store.queries import Filters, filter_conditions, flag_kind
from ..store.schema import articles, entities, events, flags, incident_members

TEXT, INT, FLOAT, LIST = "text", "int", "float", "list"
FETCH = 1000  # rows fetched from the database at a time

Record = dict[str, Any]


@dataclass(frozen=True)
class Table:
    name: str
    columns: dict[str, str]  # name -> TEXT, INT, FLOAT or LIST
    rows: Callable[[Store, Filters], Iterator[Record]]


def _party(data: dict[str, Any], side: str, field: str = "name") -> str | None:
    return (data.get(side) or {}).get(field)


def _spans(data: dict[str, Any]) -> list[str]:
    return [s["text"] for s in data.get("evidence") or ()]


def _stream(store: Store, query: Select[Any]) -> Iterator[Any]:
    with store.engine.connect().execution_options(yield_per=FETCH) as conn:
        yield from conn.execute(query)


def _limited(rows: Iterator[Record], limit: int | None) -> Iterator[Record]:
    for n, row in enumerate(rows):
        if limit is not None and n >= limit:
            return
        yield row


_ARTICLE = (articles.c.external_id, articles.c.url, articles.c.title, articles.c.published)


def _article_columns(row: Any) -> Record:
    return {"article_id": row.external_id, "url": row.url, "title": row.title,
            "published": row.published}


FLAG_COLUMNS = {
    "flag_id": INT, "incident_id": INT, "day": TEXT, "category": TEXT, "regime": TEXT,
    "rule_id": TEXT, "citations": LIST, "supplier": TEXT, "supplier_country": TEXT,
    "recipient": TEXT, "recipient_country": TEXT, "goods": TEXT, "hs": TEXT, "activity": TEXT,
    "event_date": TEXT, "confidence": FLOAT, "why": TEXT, "evidence": LIST,
    "article_id": TEXT, "url": TEXT, "title": TEXT, "published": TEXT,
}


def flag_rows(store: Store, filters: Filters) -> Iterator[Record]:
    m = incident_members
    query = (select(flags.c.id, flags.c.day, flags.c.data, m.c.incident_id, *_ARTICLE)
             .join(articles, articles.c.id == flags.c.article_id)
             .outerjoin(m, and_(m.c.article_id == flags.c.article_id, m.c.kind == "flag",
                                m.c.seq == flags.c.seq))
             .where(*filter_conditions(flags, flag_kind(filters.kind),
                                       (flags.c.supplier_country, flags.c.recipient_country),
                                       filters))
             .order_by(flags.c.id))
    for row in _stream(store, query):
        d = row.data
        goods = d.get("goods") or {}
        yield {"flag_id": row.id, "incident_id": row.incident_id, "day": row.day,
               "category": d["category"], "regime": d["regime"], "rule_id": d.get("rule_id"),
               "citations": list(d.get("citations") or ()),
               "supplier": _party(d, "supplier"), "supplier_country": _party(d, "supplier", "country"),
               "recipient": _party(d, "recipient"),
               "recipient_country": _party(d, "recipient", "country"),
               "goods": goods.get("text"), "hs": goods.get("hs"), "activity": d.get("activity"),
               "event_date": d.get("event_date"), "confidence": float(d["confidence"]),
               "why": d.get("why"), "evidence": _spans(d), **_article_columns(row)}


EVENT_COLUMNS = {
    "event_id": INT, "day": TEXT, "type": TEXT, "code": TEXT, "plover": TEXT, "goldstein": FLOAT,
    "source": TEXT, "source_country": TEXT, "target": TEXT, "target_country": TEXT,
    "goods": LIST, "activity": TEXT, "date": TEXT, "modality": TEXT, "reported_by": LIST,
    "confirmed_by": LIST, "evidence": LIST, "article_id": TEXT, "url": TEXT, "title": TEXT,
    "published": TEXT,
}


def event_rows(store: Store, filters: Filters) -> Iterator[Record]:
    kind = events.c.type == filters.kind if filters.kind else None
    query = (select(events.c.id, events.c.day, events.c.data, *_ARTICLE)
             .join(articles, articles.c.id == events.c.article_id)
             .where(*filter_conditions(events, kind,
                                       (events.c.source_country, events.c.target_country), filters))
             .order_by(events.c.id))
    for row in _stream(store, query):
        d = row.data
        yield {"event_id": row.id, "day": row.day, "type": d["type"], "code": d.get("code"),
               "plover": d.get("plover"), "goldstein": weight(d.get("code")),
               "source": _party(d, "source"), "source_country": _party(d, "source", "country"),
               "target": _party(d, "target"), "target_country": _party(d, "target", "country"),
               "goods": [g["text"] for g in d.get("goods") or ()], "activity": d.get("activity"),
               "date": d.get("date"), "modality": d.get("modality"),
               "reported_by": list(d.get("reported_by") or ()),
               "confirmed_by": list(d.get("confirmed_by") or ()), "evidence": _spans(d),
               **_article_columns(row)}


ENTITY_COLUMNS = {
    "entity_id": INT, "text": TEXT, "start": INT, "end": INT, "kind": TEXT, "label": TEXT,
    "kb_id": TEXT, "name": TEXT, "country": TEXT, "role": TEXT, "value": TEXT,
    "article_id": TEXT, "url": TEXT, "title": TEXT, "published": TEXT,
}


def _article_filters(filters: Filters) -> list[Any]:
    """Entities and articles: `since`/`until` on the publication date, `text` in the title."""
    conditions = []
    if filters.since:
        conditions.append(articles.c.published >= filters.since)
    if filters.until:
        conditions.append(articles.c.published <= filters.until)
    if filters.text:
        conditions.append(articles.c.title.icontains(filters.text, autoescape=True))
    return conditions


def entity_rows(store: Store, filters: Filters) -> Iterator[Record]:
    query = (select(entities, *_ARTICLE).join(articles, articles.c.id == entities.c.article_id)
             .where(*_article_filters(filters)).order_by(entities.c.id))
    if filters.kind:
        query = query.where(entities.c.kind == filters.kind)
    if filters.country:
        query = query.where(entities.c.country == filters.country.upper())
    for row in _stream(store, query):
        yield {"entity_id": row.id, **{c: getattr(row, c) for c in list(ENTITY_COLUMNS)[1:11]},
               **_article_columns(row)}


ARTICLE_COLUMNS = {
    "article_id": TEXT, "url": TEXT, "title": TEXT, "published": TEXT, "origin": TEXT,
    "words": INT, "key": TEXT, "versions": TEXT, "analysed_at": TEXT, "text": TEXT,
}


def article_rows(store: Store, filters: Filters) -> Iterator[Record]:
    query = (select(articles).where(*_article_filters(filters)).order_by(articles.c.id))
    for row in _stream(store, query):
        yield {**_article_columns(row), "origin": row.origin, "words": row.words, "key": row.key,
               "versions": row.versions,
               "analysed_at": row.analysed_at.isoformat() if row.analysed_at else None,
               "text": row.text}


INCIDENT_COLUMNS = {
    "incident_id": INT, "title": TEXT, "category": TEXT, "categories": LIST, "citations": LIST,
    "supplier_country": TEXT, "recipient_country": TEXT, "date_start": TEXT, "date_end": TEXT,
    "first_seen": TEXT, "last_seen": TEXT, "article_count": INT, "outlet_count": INT,
    "corroboration": INT, "denial_count": INT, "confidence": FLOAT, "articles": LIST,
    "outlets": LIST, "confirmations": LIST,
}


def incident_rows(store: Store, filters: Filters) -> Iterator[Record]:
    from ..analysis.incidents import list_incidents  # the same filters as `incidents list`

    for row in list_incidents(store, Filters(filters.kind, filters.country, filters.since,
                                             filters.until, filters.text)):
        yield {"incident_id": row["id"], **{c: row.get(c) for c in list(INCIDENT_COLUMNS)[1:]}}


TABLES: dict[str, Table] = {
    "flags": Table("flags", FLAG_COLUMNS, flag_rows),
    "events": Table("events", EVENT_COLUMNS, event_rows),
    "entities": Table("entities", ENTITY_COLUMNS, entity_rows),
    "articles": Table("articles", ARTICLE_COLUMNS, article_rows),
    "incidents": Table("incidents", INCIDENT_COLUMNS, incident_rows),
}


def records(store: Store, table: str, filters: Filters) -> Iterator[Record]:
    """The records of a table, filtered, at most `filters.limit`."""
    return _limited(TABLES[table].rows(store, filters), filters.limit)


__all__ = ["FLOAT", "INT", "LIST", "TABLES", "TEXT", "Record", "Table", "records"]

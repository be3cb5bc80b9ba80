"""Stored flags and events, filtered, newest first, each with the article it was found in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, or_, select

from .repository import Store
from .schema import articles, events, flags


@dataclass(frozen=True)
class Filters:
    kind: str | None = None  # flags: a category id or its regime ("un-dprk"); events: a type
    country: str | None = None  # ISO alpha-3, on either side (supplier/recipient, source/target)
    since: str | None = None  # YYYY-MM-DD, on the event date, else the publication date
    until: str | None = None
    text: str | None = None  # case-insensitive, in the item's evidence, names, goods or article title
    limit: int | None = None


# SQL integers are 64-bit: a larger limit is no limit, and the database would refuse it.
_MOST_ROWS = 2**63 - 1


def list_flags(store: Store, filters: Filters) -> Iterator[dict[str, Any]]:
    kind = None
    if filters.kind:
        kind = or_(flags.c.category == filters.kind,
                   flags.c.category.startswith(filters.kind + "/", autoescape=True))
    sides = (flags.c.supplier_country, flags.c.recipient_country)
    yield from _listed(store, flags, kind, sides, filters)


def list_events(store: Store, filters: Filters) -> Iterator[dict[str, Any]]:
    kind = events.c.type == filters.kind if filters.kind else None
    sides = (events.c.source_country, events.c.target_country)
    yield from _listed(store, events, kind, sides, filters)


def _listed(store: Store, table: Table, kind: ColumnElement[bool] | None,
            sides: tuple[Any, Any], filters: Filters) -> Iterator[dict[str, Any]]:
    query: Select[Any] = (
        select(table.c.data, table.c.day, articles.c.external_id, articles.c.url,
               articles.c.title, articles.c.published)
        .join(articles, table.c.article_id == articles.c.id)
        .order_by(table.c.day.desc().nulls_last(), articles.c.id, table.c.seq)
    )
    if kind is not None:
        query = query.where(kind)
    if filters.country:
        country = filters.country.upper()
        query = query.where(or_(sides[0] == country, sides[1] == country))
    if filters.since:
        query = query.where(table.c.day >= filters.since)
    if filters.until:
        query = query.where(table.c.day <= filters.until)
    # The text is looked for in Python, in the fields that hold text: the stored JSON has keys
    # and escapes of its own ("_" would match every item, "Ким" none).
    needle = filters.text.casefold() if filters.text else None
    if filters.limit is not None and needle is None:
        query = query.limit(min(filters.limit, _MOST_ROWS))
    left = filters.limit
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            if needle is not None and not any(needle in t.casefold() for t in _texts(row.data, row.title)):
                continue
            if left is not None:
                if left <= 0:
                    return
                left -= 1
            article = {"id": row.external_id, "url": row.url, "title": row.title,
                       "published": row.published}
            yield {**row.data, "day": row.day, "article": article}


def _texts(data: dict[str, Any], title: str | None) -> Iterator[str]:
    """The text of a stored flag or event a user may search: names of the parties, goods,
    activity, the evidence quoted, and the article's title."""
    for side in ("supplier", "recipient", "source", "target"):
        if isinstance(data.get(side), dict):
            yield data[side].get("name") or ""
    goods = data.get("goods")
    for item in goods if isinstance(goods, list) else [goods]:
        if isinstance(item, dict):
            yield item.get("text") or ""
    yield data.get("activity") or ""
    for span in data.get("evidence") or ():
        yield span.get("text") or ""
    yield title or ""

"""Stored flags and events, filtered, newest first, each with the article it was found in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, func, or_, select

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
    sides = (flags.c.supplier_country, flags.c.recipient_country)
    yield from _listed(store, flags, flag_kind(filters.kind), sides, filters)


def list_events(store: Store, filters: Filters) -> Iterator[dict[str, Any]]:
    kind = events.c.type == filters.kind if filters.kind else None
    sides = (events.c.source_country, events.c.target_country)
    yield from _listed(store, events, kind, sides, filters)


def filter_conditions(table: Table, kind: ColumnElement[bool] | None, sides: tuple[Any, Any],
                      filters: Filters) -> list[ColumnElement[bool]]:
    """The WHERE conditions of `filters` on an item table joined with `articles` (exports use
    them too, so that they select what the queries list). The text is looked for apart, in
    Python (`has_text`)."""
    conditions: list[ColumnElement[bool]] = [] if kind is None else [kind]
    if filters.country:
        country = filters.country.upper()
        conditions.append(or_(sides[0] == country, sides[1] == country))
    if filters.since:
        conditions.append(table.c.day >= filters.since)
    if filters.until:
        conditions.append(table.c.day <= filters.until)
    return conditions


def has_text(data: dict[str, Any], title: str | None, text: str | None) -> bool:
    """Whether a stored flag or event holds the text (case-insensitive) where a user means to
    search: the parties' names, the goods, the activity, the evidence quoted, the article's
    title. Not the stored JSON itself, which has keys and escapes of its own ("_" would match
    every item, "Ким" none)."""
    if not text:
        return True
    needle = text.casefold()
    return any(needle in t.casefold() for t in _texts(data, title))


def _texts(data: dict[str, Any], title: str | None) -> Iterator[str]:
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


def flag_kind(kind: str | None) -> ColumnElement[bool] | None:
    """A category id or a whole regime."""
    if not kind:
        return None
    return or_(flags.c.category == kind, flags.c.category.startswith(kind + "/", autoescape=True))


def _listed(store: Store, table: Table, kind: ColumnElement[bool] | None,
            sides: tuple[Any, Any], filters: Filters) -> Iterator[dict[str, Any]]:
    query: Select[Any] = (
        select(table.c.data, table.c.day, articles.c.external_id, articles.c.url,
               articles.c.title, articles.c.published, articles.c.origin,
               func.substr(articles.c.text, 1, _HEADLINE_MAX + 2).label("head"))
        .join(articles, table.c.article_id == articles.c.id)
        .where(*filter_conditions(table, kind, sides, filters))
        .order_by(table.c.day.desc().nulls_last(), articles.c.id, table.c.seq)
    )
    if filters.limit is not None and not filters.text:
        query = query.limit(min(filters.limit, _MOST_ROWS))
    left = filters.limit
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            if not has_text(row.data, row.title, filters.text):
                continue
            if left is not None:
                if left <= 0:
                    return
                left -= 1
            article = {"id": row.external_id, "url": row.url, "title": row.title or headline(row.head),
                       "published": row.published, "origin": row.origin}
            yield {**row.data, "day": row.day, "article": article}


# A first line longer than this is a paragraph, not a headline.
_HEADLINE_MAX = 150


def headline(text: str) -> str | None:
    """The title of an article that came without one (a text file, a JSON line without `title`):
    the first line of its text when it reads as a headline, short and on a line of its own, not
    ending like a sentence."""
    first, newline, _ = text.lstrip().partition("\n")
    first = first.strip()
    if not newline or not first or len(first) > _HEADLINE_MAX or first[-1] in ".,;:":
        return None
    return first

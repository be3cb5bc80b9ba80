"""Stored flags and events, filtered, newest first, each with the article it was found in.

Order is stable: by day (the event date, else the publication date) newest first, items with no
day last, then the most recently stored first; or by confidence. `flag_page` reads one page
after a given position (keyset pagination: a page costs the same however deep it is).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, Table, and_, func, or_, select

from .repository import Store
from .reviews import as_utc
from .schema import articles, events, flags, review_states

UNREVIEWED = "unreviewed"
Order = Literal["newest", "confidence"]
ORDERS: tuple[str, ...] = ("newest", "confidence")
Position = tuple[Any, int]  # the sort value and row id of the last item read


@dataclass(frozen=True)
class Filters:
    kind: str | None = None  # flags: a category id or its regime ("un-dprk"); events: a type
    country: str | None = None  # ISO alpha-3, on either side (supplier/recipient, source/target)
    since: str | None = None  # YYYY-MM-DD, on the event date, else the publication date
    until: str | None = None
    text: str | None = None  # case-insensitive, in the item's evidence, names, goods or article title
    limit: int | None = None
    review: str | None = None  # flags: a review state (confirmed, …), or "unreviewed"
    outlet: str | None = None  # case-insensitive, in the article's URL or origin
    min_confidence: float | None = None  # flags


# SQL integers are 64-bit: a larger limit is no limit, and the database would refuse it.
_MOST_ROWS = 2**63 - 1
# A first line longer than this is a paragraph, not a headline.
_HEADLINE_MAX = 150


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next: Position | None  # where the next page starts; None on the last page


def list_flags(store: Store, filters: Filters) -> Iterator[dict[str, Any]]:
    query = _flag_query(filters).order_by(*_ordering(flags, "newest"))
    yield from _limited(_rows(store, _clamped(query, filters), _flag_item, filters.text), filters.limit)


def flag_page(store: Store, filters: Filters, order: Order = "newest",
              after: Position | None = None, limit: int = 50) -> Page:
    """One page of flags in this order, starting after a position a previous page returned.

    Two steps: the ids of the page from the flags table alone (joined with articles only when a
    filter needs it), then those rows in full; sorting full rows would cost as much as the whole
    match, not the page."""
    query = _lean(select(flags.c.id, flags.c.day, flags.c.confidence), filters)
    query = query.order_by(*_ordering(flags, order))
    if after is not None:
        query = query.where(_after(flags, order, after))
    with store.engine.connect() as conn:
        found = conn.execute(query.limit(limit + 1)).all()
    page = found[:limit]
    full = {row.id: row for row in _rows(store, _flag_query(Filters()).where(
        flags.c.id.in_([r.id for r in page])), lambda row: row, filters.text)}
    # the text is matched in Python: a page may come out short
    items = [_flag_item(full[r.id]) for r in page if r.id in full]
    if len(found) <= limit:
        return Page(items, None)
    last = page[-1]
    return Page(items, (last.day if order == "newest" else last.confidence, last.id))


def flag_counts(store: Store, filters: Filters) -> dict[str, int]:
    """How many flags match, per category (most first)."""
    if filters.text:
        counted: dict[str, int] = {}
        for flag in list_flags(store, filters):
            counted[flag["category"]] = counted.get(flag["category"], 0) + 1
        return dict(sorted(counted.items(), key=lambda kv: (-kv[1], kv[0])))
    query = _lean(select(flags.c.category, func.count().label("n")), filters)
    query = query.group_by(flags.c.category).order_by(func.count().desc(), flags.c.category)
    with store.engine.connect() as conn:
        return {category: n for category, n in conn.execute(query)}


def _lean(query: Select[Any], filters: Filters) -> Select[Any]:
    """A query on the flags table with the filters' conditions, joined with articles only when a
    condition reads the article (the outlet)."""
    if filters.outlet:
        query = query.select_from(flags.join(articles, flags.c.article_id == articles.c.id))
    sides = (flags.c.supplier_country, flags.c.recipient_country)
    return query.where(*filter_conditions(flags, flag_kind(filters.kind), sides, filters))


def get_flag(store: Store, key: str) -> dict[str, Any] | None:
    query = _flag_query(Filters()).where(flags.c.key == key).order_by(flags.c.id.desc()).limit(1)
    return next(_rows(store, query, _flag_item), None)


def article_flags(store: Store, article: str) -> list[dict[str, Any]]:
    """The flags of one stored article (by its key), in the report's order."""
    query = _flag_query(Filters()).where(articles.c.key == article).order_by(flags.c.seq)
    return list(_rows(store, query, _flag_item))


def list_events(store: Store, filters: Filters) -> Iterator[dict[str, Any]]:
    kind = events.c.type == filters.kind if filters.kind else None
    sides = (events.c.source_country, events.c.target_country)
    query = _base(events).where(*filter_conditions(events, kind, sides, filters))
    query = query.order_by(*_ordering(events, "newest"))
    yield from _limited(_rows(store, _clamped(query, filters), lambda row: {
        **row.data, "day": row.day, "article": _article(row)}, filters.text), filters.limit)


def _base(table: Table) -> Select[Any]:
    return (select(table.c.id, table.c.data, table.c.day, articles.c.key.label("article_key"),
                   articles.c.external_id, articles.c.url, articles.c.title,
                   articles.c.published, articles.c.origin,
                   func.substr(articles.c.text, 1, _HEADLINE_MAX + 2).label("head"))
            .join(articles, table.c.article_id == articles.c.id))


def _flag_query(filters: Filters) -> Select[Any]:
    query = (_base(flags)
             .add_columns(flags.c.key, flags.c.category, flags.c.confidence, review_states.c.state,
                          review_states.c.reason, review_states.c.who, review_states.c.at)
             .outerjoin(review_states, and_(review_states.c.subject_kind == "flag",
                                            review_states.c.subject == flags.c.key)))
    sides = (flags.c.supplier_country, flags.c.recipient_country)
    return query.where(*filter_conditions(flags, flag_kind(filters.kind), sides, filters))


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
    if filters.outlet:
        needle = filters.outlet.lower()
        conditions.append(or_(func.lower(articles.c.url).contains(needle, autoescape=True),
                              func.lower(articles.c.origin).contains(needle, autoescape=True)))
    if table is flags:
        if filters.min_confidence is not None:
            conditions.append(flags.c.confidence >= filters.min_confidence)
        if filters.review:
            conditions.append(_review_condition(filters.review))
    return conditions


def _review_condition(state: str) -> ColumnElement[bool]:
    """Flags in a review state, or never reviewed (a subquery, so any flag query can use it)."""
    reviewed = select(review_states.c.subject).where(review_states.c.subject_kind == "flag")
    if state == UNREVIEWED:
        return flags.c.key.not_in(reviewed)
    return flags.c.key.in_(reviewed.where(review_states.c.state == state))


def flag_kind(kind: str | None) -> ColumnElement[bool] | None:
    """A category id, or a whole regime: a category id always starts with its regime's id and a
    slash (the rules check it), so a regime is its own column. Equalities, which the (category,
    day) and (regime, day) indexes serve in order: a filtered page stops after its rows."""
    if not kind:
        return None
    return flags.c.category == kind if "/" in kind else flags.c.regime == kind


def _ordering(table: Table, order: Order) -> tuple[Any, ...]:
    if order == "confidence":
        return table.c.confidence.desc(), table.c.id.desc()
    return table.c.day.desc().nulls_last(), table.c.id.desc()


def _after(table: Table, order: Order, position: Position) -> ColumnElement[bool]:
    value, row_id = position
    column = table.c.confidence if order == "confidence" else table.c.day
    if value is None:  # past the last dated item: the undated items stored before it
        return and_(column.is_(None), table.c.id < row_id)
    later = or_(column < value, and_(column == value, table.c.id < row_id))
    return or_(later, column.is_(None)) if order == "newest" else later


def _article(row: Any) -> dict[str, Any]:
    return {"id": row.external_id, "key": row.article_key, "url": row.url,
            "title": row.title or headline(row.head), "published": row.published, "origin": row.origin}


def headline(text: str | None) -> str | None:
    """The title of an article that came without one (a text file, a JSON line without `title`):
    the first line of its text when it reads as a headline, short and on a line of its own, not
    ending like a sentence."""
    first, newline, _ = (text or "").lstrip().partition("\n")
    first = first.strip()
    if not newline or not first or len(first) > _HEADLINE_MAX or first[-1] in ".,;:":
        return None
    return first


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


def _clamped(query: Select[Any], filters: Filters) -> Select[Any]:
    """The limit in SQL, when no text is looked for in Python."""
    if filters.limit is None or filters.text:
        return query
    return query.limit(min(filters.limit, _MOST_ROWS))


def _limited(rows: Iterator[dict[str, Any]], limit: int | None) -> Iterator[dict[str, Any]]:
    for n, row in enumerate(rows):
        if limit is not None and n >= limit:
            return
        yield row


def _flag_item(row: Any) -> dict[str, Any]:
    review = ({"state": row.state, "reason": row.reason, "who": row.who,
               "at": as_utc(row.at).isoformat()} if row.state else None)
    return {**row.data, "key": row.key, "day": row.day, "article": _article(row),
            "review": review}


def _rows(store: Store, query: Select[Any], item: Any, text: str | None = None) -> Iterator[Any]:
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            if has_text(row.data, row.title, text):
                yield item(row)

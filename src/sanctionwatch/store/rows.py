"""A Report as the rows the store inserts: pure, so worker processes can build them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..model import Article, Report
from .keys import flag_keys, versions_key

_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ENTITY_COLUMNS = ("text", "start", "end", "kind", "label", "kb_id", "name", "country", "role",
                   "value")


@dataclass(frozen=True)
class ArticleRows:
    """One analysed article: its `articles` row and its items' rows, by table name."""

    key: str
    article: dict[str, Any]
    items: dict[str, list[dict[str, Any]]]

    @property
    def versions(self) -> str:
        return self.article["versions"]

    @property
    def flag_count(self) -> int:
        return len(self.items["flags"])


def article_rows(key: str, article: Article, report: Report) -> ArticleRows:
    data = report.to_dict()
    published = report.article.published or article.published
    row = {
        "key": key,
        "external_id": report.article.id or "",
        "url": article.url,
        "title": article.title,
        "published": published,
        "origin": article.origin,
        "text": article.text,
        "words": len(article.text.split()),
        "versions": versions_key(report.versions),
        "analysed_at": datetime.now(UTC),
    }
    items = {
        "entities": [_entity_row(i, e) for i, e in enumerate(data["entities"])],
        "events": [_event_row(i, e, published) for i, e in enumerate(data["events"])],
        "flags": [_flag_row(i, f, k, published)
                  for i, (f, k) in enumerate(zip(data["flags"], flag_keys(key, data["flags"]),
                                                 strict=True))],
        "screening": [_screening_row(i, s) for i, s in enumerate(data["screening"])],
    }
    return ArticleRows(key=key, article=row, items=items)


def _day(date: str | None, published: str | None) -> str | None:
    return date if date and _FULL_DATE.fullmatch(date) else published


def _get(data: dict[str, Any] | None, field: str) -> Any:
    return (data or {}).get(field)


def _entity_row(seq: int, entity: dict[str, Any]) -> dict[str, Any]:
    row = {name: entity.get(name) for name in _ENTITY_COLUMNS}
    extra = {k: v for k, v in entity.items() if k not in row}
    return {"seq": seq, **row, "extra": extra or None}


def _event_row(seq: int, event: dict[str, Any], published: str | None) -> dict[str, Any]:
    return {
        "seq": seq,
        "type": event["type"],
        "code": event.get("code"),
        "source_name": _get(event.get("source"), "name"),
        "source_country": _get(event.get("source"), "country"),
        "target_name": _get(event.get("target"), "name"),
        "target_country": _get(event.get("target"), "country"),
        "date": event.get("date"),
        "day": _day(event.get("date"), published),
        "modality": event.get("modality"),
        "data": event,
    }


def _flag_row(seq: int, flag: dict[str, Any], key: str, published: str | None) -> dict[str, Any]:
    return {
        "seq": seq,
        "key": key,
        "category": flag["category"],
        "regime": flag["regime"],
        "supplier_name": _get(flag.get("supplier"), "name"),
        "supplier_country": _get(flag.get("supplier"), "country"),
        "recipient_name": _get(flag.get("recipient"), "name"),
        "recipient_country": _get(flag.get("recipient"), "country"),
        "goods": _get(flag.get("goods"), "text") or flag.get("activity"),
        "event_date": flag.get("event_date"),
        "day": _day(flag.get("event_date"), published),
        "confidence": flag["confidence"],
        "data": flag,
    }


def _screening_row(seq: int, hit: dict[str, Any]) -> dict[str, Any]:
    return {
        "seq": seq,
        "name": hit["name"],
        "list": hit["list"],
        "entry_id": hit["entry_id"],
        "score": hit["score"],
        "data": hit,
    }

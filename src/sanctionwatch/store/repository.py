"""The store: analysed articles saved idempotently, one transaction per batch."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, delete, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from ..errors import SanctionwatchError
from ..model import Report, report_from_dict
from .database import WRITE, create_store_engine, database_url, migrate
from .rows import ArticleRows
from .schema import REPORT_TABLES, articles

_ARTICLE_UPDATE_COLUMNS = ("external_id", "url", "title", "published", "origin", "text", "words",
                           "versions", "analysed_at")


@dataclass
class SaveResult:
    new: int = 0
    replaced: int = 0  # stored before by another version of the analysis
    unchanged: int = 0  # stored before by this version: nothing written

    def add(self, other: SaveResult) -> None:
        self.new += other.new
        self.replaced += other.replaced
        self.unchanged += other.unchanged


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, db: str | None = None, create: bool = True) -> Store:
        """Open the store at a URL or SQLite path (see database_url), upgrading its schema;
        a SQLite file that does not exist is created, or refused when `create` is false."""
        url = database_url(db)
        file = make_url(url).database if make_url(url).get_backend_name() == "sqlite" else None
        if not create and file and not Path(file).exists():
            raise SanctionwatchError(f"no store at {file} (sanctionwatch ingest creates one)")
        engine = create_store_engine(url)
        try:
            migrate(engine)
        except DBAPIError as exc:
            engine.dispose()
            raise SanctionwatchError(
                f"cannot open database {engine.url.render_as_string(hide_password=True)}: "
                f"{exc.orig}") from None
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def stored_versions(self, keys: Iterable[str]) -> dict[str, str]:
        """For each of these article keys already stored: the versions that analysed it."""
        keys = list(keys)
        if not keys:
            return {}
        query = select(articles.c.key, articles.c.versions).where(articles.c.key.in_(keys))
        with self.engine.connect() as conn:
            return {key: versions for key, versions in conn.execute(query)}

    def article_ids(self, keys: Iterable[str]) -> dict[str, int]:
        """The row id (`articles.id`) of each of these article keys that is stored."""
        keys = list(keys)
        if not keys:
            return {}
        query = select(articles.c.key, articles.c.id).where(articles.c.key.in_(keys))
        with self.engine.connect() as conn:
            return {key: pk for key, pk in conn.execute(query)}

    def save(self, batch: Sequence[ArticleRows]) -> SaveResult:
        """Store a batch in one transaction: new articles are inserted; articles stored by other
        versions get their results replaced; articles stored by these versions are left alone."""
        result = SaveResult()
        with self.engine.connect().execution_options(**WRITE) as conn, conn.begin():
            stored = {
                key: (pk, versions)
                for key, pk, versions in conn.execute(
                    select(articles.c.key, articles.c.id, articles.c.versions)
                    .where(articles.c.key.in_([rows.key for rows in batch]))
                )
            }
            fresh: dict[str, ArticleRows] = {}
            stale: list[tuple[int, ArticleRows]] = []  # stored by other versions
            for rows in batch:
                pk, versions = stored.get(rows.key, (None, None))
                if rows.key in fresh or versions == rows.versions:
                    result.unchanged += 1
                elif pk is not None:
                    stale.append((pk, rows))
                    stored[rows.key] = (pk, rows.versions)
                else:
                    fresh[rows.key] = rows
            result.replaced, result.new = len(stale), len(fresh)

            ids: list[tuple[int, ArticleRows]] = list(stale)
            if stale:
                stale_ids = [pk for pk, _ in stale]
                for table in REPORT_TABLES.values():
                    conn.execute(delete(table).where(table.c.article_id.in_(stale_ids)))
                conn.execute(
                    update(articles).where(articles.c.id == bindparam("pk"))
                    .values({c: bindparam(c) for c in _ARTICLE_UPDATE_COLUMNS}),
                    [{"pk": pk, **{c: rows.article[c] for c in _ARTICLE_UPDATE_COLUMNS}}
                     for pk, rows in stale],
                )
            if fresh:
                conn.execute(articles.insert(), [rows.article for rows in fresh.values()])
                new_ids = conn.execute(
                    select(articles.c.key, articles.c.id).where(articles.c.key.in_(list(fresh)))
                )
                ids.extend((pk, fresh[key]) for key, pk in new_ids)
            for name, table in REPORT_TABLES.items():
                items = [{"article_id": pk, **item} for pk, rows in ids for item in rows.items[name]]
                if items:
                    conn.execute(table.insert(), items)
        return result

    def counts(self) -> dict[str, int]:
        """How many articles and report items the store holds."""
        tables = {"articles": articles, **REPORT_TABLES}
        with self.engine.connect() as conn:
            return {name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                    for name, t in tables.items()}

    def report(self, key: str) -> Report | None:
        """The stored report of an article, by its key, with the article text."""
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.key == key)).mappings().first()
            if row is None:
                return None
            found: dict[str, list[dict[str, Any]]] = {}
            for name, table in REPORT_TABLES.items():
                query = select(table).where(table.c.article_id == row["id"]).order_by(table.c.seq)
                found[name] = [_item(name, r) for r in conn.execute(query).mappings()]
        meta = {"id": row["external_id"], "url": row["url"], "title": row["title"],
                "published": row["published"]}
        data = {"article": meta, **found, "versions": json.loads(row["versions"])}
        rebuilt = report_from_dict(data, text=row["text"])
        return replace(rebuilt, article=replace(rebuilt.article, origin=row["origin"]))


def _item(table: str, row: Any) -> dict[str, Any]:
    if table != "entities":
        return row["data"]
    return {**{k: row[k] for k in row if k not in ("id", "article_id", "seq", "extra")},
            **(row["extra"] or {})}

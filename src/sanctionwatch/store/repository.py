"""The store: analysed articles saved idempotently, one transaction per batch."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from ..errors import SanctionwatchError
from ..model import Report, report_from_dict
from .database import (
    WRITE,
    Schema,
    create_store_engine,
    database_url,
    is_locked,
    locked,
    migrate,
    schema_state,
)
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
    def open(cls, db: str | None = None, create: bool = True, upgrade: bool = True) -> Store:
        """Open the store at a URL or SQLite path (see database_url), upgrading its schema
        unless `upgrade` is false; a SQLite file that does not exist is created, or refused
        when `create` is false."""
        url = database_url(db)
        file = make_url(url).database if make_url(url).get_backend_name() == "sqlite" else None
        if not create and file and not Path(file).exists():
            raise SanctionwatchError(f"no store at {file} (sanctionwatch ingest creates one)")
        engine = create_store_engine(url)
        try:
            if upgrade:
                migrate(engine)
            else:
                engine.connect().close()  # a database that cannot be reached fails here
        except DBAPIError as exc:
            engine.dispose()
            if isinstance(exc, OperationalError) and is_locked(engine, exc):
                raise locked(engine) from None
            raise SanctionwatchError(
                f"cannot open database {engine.url.render_as_string(hide_password=True)}: "
                f"{exc.orig}") from None
        return cls(engine)

    def schema(self) -> Schema:
        """Where the store's schema stands against the migrations this package ships."""
        return schema_state(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def stored_versions(self, keys: Iterable[str]) -> dict[str, str]:
        """For each of these article keys already stored: the versions that analysed it."""
        return self._by_key(keys, articles.c.versions)

    def article_ids(self, keys: Iterable[str]) -> dict[str, int]:
        """The row id (`articles.id`) of each of these article keys that is stored."""
        return self._by_key(keys, articles.c.id)

    def _by_key(self, keys: Iterable[str], column: Any) -> dict[str, Any]:
        """One column of the stored articles among these keys, by key."""
        keys = list(keys)
        if not keys:
            return {}
        query = select(articles.c.key, column).where(articles.c.key.in_(keys))
        with self.engine.connect() as conn:
            return {key: value for key, value in conn.execute(query)}

    def keys_where_versions(self, stale: Callable[[str], bool]) -> list[str]:
        """Keys of the stored articles whose versions (store.keys.versions_key) `stale` accepts."""
        with self.engine.connect() as conn:
            found = [v for (v,) in conn.execute(select(articles.c.versions).distinct()) if stale(v)]
            if not found:
                return []
            query = select(articles.c.key).where(articles.c.versions.in_(found)).order_by(articles.c.id)
            return list(conn.execute(query).scalars())

    def save(self, batch: Sequence[ArticleRows]) -> SaveResult:
        """Store a batch in one transaction: new articles are inserted; articles stored by other
        versions get their results replaced; articles stored by these versions are left alone.

        Safe with other writers at once: an article is inserted only if its key is absent
        (INSERT ... ON CONFLICT DO NOTHING: on PostgreSQL a writer inserting the same key waits
        for the first to commit, then skips it), and one stored before is locked (SELECT ... FOR
        UPDATE) before its results are replaced. Every writer takes its locks in the order of
        the keys, so no two ever wait for each other in a cycle: no deadlock.
        """
        result = SaveResult()
        unique: dict[str, ArticleRows] = {}
        for rows in batch:
            if rows.key in unique:
                result.unchanged += 1
            else:
                unique[rows.key] = rows
        keys = sorted(unique)
        try:
            with self.engine.connect().execution_options(**WRITE) as conn, conn.begin():
                inserted = self._insert_new(conn, [unique[key].article for key in keys])
                ids = [(pk, unique[key]) for key, pk in inserted.items()]
                stale = self._lock_stale(conn, [unique[key] for key in keys if key not in inserted])
                result.new, result.replaced = len(inserted), len(stale)
                result.unchanged += len(unique) - len(inserted) - len(stale)
                self._replace(conn, stale)
                ids.extend(stale)
                for name, table in REPORT_TABLES.items():
                    items = [{"article_id": pk, **item} for pk, rows in ids
                             for item in rows.items[name]]
                    if items:
                        conn.execute(table.insert(), items)
        except OperationalError as exc:
            if is_locked(self.engine, exc):
                raise locked(self.engine) from None
            raise
        return result

    def _insert_new(self, conn: Connection, rows: list[dict[str, Any]]) -> dict[str, int]:
        """Insert the articles whose key is not stored; their ids by key."""
        if not rows:
            return {}
        insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)
        statement = (insert(articles).on_conflict_do_nothing(index_elements=[articles.c.key])
                     .returning(articles.c.key, articles.c.id))
        return {key: pk for key, pk in conn.execute(statement, rows)}

    def _lock_stale(self, conn: Connection,
                    batch: list[ArticleRows]) -> list[tuple[int, ArticleRows]]:
        """Of articles already stored, those stored by other versions, locked for replacing."""
        if not batch:
            return []
        by_key = {rows.key: rows for rows in batch}
        query = (select(articles.c.key, articles.c.id, articles.c.versions)
                 .where(articles.c.key.in_(list(by_key))).order_by(articles.c.key)
                 .with_for_update())
        return [(pk, by_key[key]) for key, pk, versions in conn.execute(query)
                if versions != by_key[key].versions]

    @staticmethod
    def _replace(conn: Connection, stale: list[tuple[int, ArticleRows]]) -> None:
        """Drop the results of these articles and update their rows (the new results follow)."""
        if not stale:
            return
        stale_ids = [pk for pk, _ in stale]
        for table in REPORT_TABLES.values():
            conn.execute(delete(table).where(table.c.article_id.in_(stale_ids)))
        conn.execute(
            update(articles).where(articles.c.id == bindparam("pk"))
            .values({c: bindparam(c) for c in _ARTICLE_UPDATE_COLUMNS}),
            [{"pk": pk, **{c: rows.article[c] for c in _ARTICLE_UPDATE_COLUMNS}}
             for pk, rows in stale],
        )

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

"""The store's tables (SQLAlchemy Core). Changes to them ship as an Alembic migration.

Child tables keep the queried fields of a report item as columns and the whole item as JSON
(`data`, or `extra` for the fields of an entity that have no column), so anything a Report
carries is stored even before it earns a column.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    # sha256 of the normalised text and the URL: the identity that makes ingest idempotent.
    Column("key", String(64), nullable=False, unique=True),
    Column("external_id", String, nullable=False),  # Article.id as the report gives it
    Column("url", String),
    Column("title", String),
    Column("published", String),
    Column("origin", String),
    Column("text", Text, nullable=False),
    Column("words", Integer, nullable=False),
    # Canonical JSON of Report.versions: results from other versions are re-analysed.
    Column("versions", String, nullable=False),
    Column("analysed_at", DateTime(timezone=True), nullable=False),
)


def _article_fk() -> Column:
    return Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True)


entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_fk(),
    Column("seq", Integer, nullable=False),
    Column("text", String, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("kind", String, nullable=False),
    Column("label", String),
    Column("kb_id", String, index=True),
    Column("name", String),
    Column("country", String),
    Column("role", String),
    Column("value", String),
    Column("extra", JSON),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_fk(),
    Column("seq", Integer, nullable=False),
    Column("type", String, nullable=False, index=True),
    Column("code", String),
    Column("source_name", String),
    Column("source_country", String),
    Column("target_name", String),
    Column("target_country", String),
    Column("date", String),
    # The event date when it is a full date, else the article's publication date.
    Column("day", String, index=True),
    Column("modality", String),
    Column("data", JSON, nullable=False),
)

flags = Table(
    "flags",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_fk(),
    Column("seq", Integer, nullable=False),
    Column("category", String, nullable=False, index=True),
    Column("regime", String, nullable=False),
    Column("supplier_name", String),
    Column("supplier_country", String),
    Column("recipient_name", String),
    Column("recipient_country", String),
    Column("goods", String),
    Column("event_date", String),
    Column("day", String, index=True),
    Column("confidence", Float, nullable=False),
    Column("data", JSON, nullable=False),
)

screening = Table(
    "screening",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_fk(),
    Column("seq", Integer, nullable=False),
    Column("name", String, nullable=False),
    Column("list", String, nullable=False),
    Column("entry_id", String, nullable=False),
    Column("score", Float, nullable=False),
    Column("data", JSON, nullable=False),
)

# Tables that hold the items of a report, by the Report field they come from.
REPORT_TABLES: dict[str, Table] = {
    "entities": entities,
    "events": events,
    "flags": flags,
    "screening": screening,
}

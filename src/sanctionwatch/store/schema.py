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
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
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

# Incidents: flags from any number of articles that tell of the same act (analysis.incidents).
# The columns are what lists filter and sort on; `data` is the whole summary.
incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String, nullable=False),
    Column("regime", String, nullable=False),
    Column("category", String, nullable=False, index=True),  # the most frequent of its categories
    Column("supplier_country", String, index=True),
    Column("recipient_country", String, index=True),
    Column("date_start", String),  # the span of the dates the articles give, YYYY-MM-DD
    Column("date_end", String),
    Column("day", String, index=True),  # date_start, else first_seen: what lists sort on
    Column("first_seen", String),  # publication dates of the first and last reports
    Column("last_seen", String),
    Column("articles", Integer, nullable=False),
    Column("outlets", Integer, nullable=False),
    Column("corroboration", Integer, nullable=False),
    Column("denials", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    # Set when an analyst merged this incident into another: the row stays so its id still leads
    # somewhere; it has no members.
    Column("merged_into", Integer, ForeignKey("incidents.id"), index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("data", JSON, nullable=False),
)

# Which incident each flag (kind "flag") or denial event (kind "denial") belongs to. Keyed by the
# article and the item's position, not by the item row, so that an article analysed again (its
# items replaced) is reconciled: `versions` tells whether it was, `key` finds the same item again,
# and `pinned_by` keeps an analyst's decision.
incident_members = Table(
    "incident_members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    _article_fk(),
    Column("kind", String, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("act", Integer, nullable=False),  # items of one article that tell of one act share it
    Column("key", String, nullable=False),
    Column("category", String),
    Column("supplier_country", String),
    Column("recipient_country", String),
    # The days the act may have happened: its date's span, else the days before publication.
    Column("day_start", String),
    Column("day_end", String),
    Column("versions", String, nullable=False),
    Column("pinned_by", String),
    Column("features", JSON, nullable=False),
    UniqueConstraint("article_id", "kind", "seq"),
    Index("ix_incident_members_match", "category", "day_end"),
)

# What analysts did to incidents, oldest first.
incident_actions = Table(
    "incident_actions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("action", String, nullable=False),  # merge, split
    Column("who", String, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("detail", JSON, nullable=False),
)

# Tables that hold the items of a report, by the Report field they come from.
REPORT_TABLES: dict[str, Table] = {
    "entities": entities,
    "events": events,
    "flags": flags,
    "screening": screening,
}

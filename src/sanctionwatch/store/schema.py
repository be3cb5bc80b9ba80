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
    # Stable across re-analysis (keys.flag_keys): what reviews and alerts refer to.
    Column("key", String(32), index=True),
    Column("category", String, nullable=False, index=True),
    Column("regime", String, nullable=False),
    Column("supplier_name", String),
    Column("supplier_country", String),
    Column("recipient_name", String),
    Column("recipient_country", String),
    Column("goods", String),
    Column("event_date", String),
    Column("day", String, index=True),
    Column("confidence", Float, nullable=False, index=True),
    Column("data", JSON, nullable=False),
    # Pages of flags (newest first) of a category or regime, and of a date range by confidence.
    Index("ix_flags_category_day", "category", "day"),
    Index("ix_flags_regime_day", "regime", "day"),
    Index("ix_flags_day_confidence", "day", "confidence"),
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


# --- What analysts and the monitor add: kept when articles are analysed again ------------------

# Every review action (the audit trail): who did what to which flag or incident, and when.
reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subject_kind", String(16), nullable=False),  # flag | incident
    Column("subject", String(64), nullable=False),  # flags.key, or an incident id
    Column("action", String(32), nullable=False),  # confirm, dismiss, needs-checking, note
    Column("state", String(32)),  # the review state after the action (None: unchanged)
    Column("reason", String(64)),
    Column("note", Text),
    Column("who", String(128), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("detail", JSON),
    Index("ix_reviews_subject", "subject_kind", "subject", "id"),
)

# The current review state of each reviewed flag or incident (the latest action that set one).
review_states = Table(
    "review_states",
    metadata,
    Column("subject_kind", String(16), primary_key=True),
    Column("subject", String(64), primary_key=True),
    Column("state", String(32), nullable=False, index=True),
    Column("reason", String(64)),
    Column("who", String(128), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Alerts raised by the monitor, one per flag or incident ever: what makes a restart not alert again.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subject_kind", String(16), nullable=False),
    Column("subject", String(64), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("delivered_at", DateTime(timezone=True)),  # None: not (yet) taken by the webhook
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", String),
    UniqueConstraint("subject_kind", "subject", name="uq_alerts_subject"),
)

# What the monitor knows of each source between polls and restarts.
watch_sources = Table(
    "watch_sources",
    metadata,
    Column("source", String, primary_key=True),
    Column("etag", String),
    Column("last_modified", String),
    Column("last_polled", DateTime(timezone=True)),
    Column("last_success", DateTime(timezone=True)),
    Column("failures", Integer, nullable=False, default=0),
    Column("next_due", DateTime(timezone=True)),
    Column("last_error", String),
)

# Files of watched directories already read, by their size and modification time.
watch_files = Table(
    "watch_files",
    metadata,
    Column("source", String, primary_key=True),
    Column("path", String, primary_key=True),
    Column("signature", String, nullable=False),
)

# Small settings of the store's own (e.g. when the monitor first ran: older flags never alert).
store_settings = Table(
    "store_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String, nullable=False),
)

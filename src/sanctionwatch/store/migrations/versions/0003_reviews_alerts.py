"""Stable flag keys, analysts' reviews (state and audit trail), the monitor's alerts and state.

Revision ID: 0003
Revises: 0002
"""

import json

import sqlalchemy as sa
from alembic import op

from sanctionwatch.store.keys import flag_keys

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("flags") as batch:
        batch.add_column(sa.Column("key", sa.String(32)))
        batch.create_index("ix_flags_key", ["key"])
        batch.create_index("ix_flags_confidence", ["confidence"])
        batch.create_index("ix_flags_category_day", ["category", "day"])
        batch.create_index("ix_flags_regime_day", ["regime", "day"])
        batch.create_index("ix_flags_day_confidence", ["day", "confidence"])
    _fill_flag_keys()

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("state", sa.String(32)),
        sa.Column("reason", sa.String(64)),
        sa.Column("note", sa.Text),
        sa.Column("who", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.JSON),
    )
    op.create_index("ix_reviews_subject", "reviews", ["subject_kind", "subject", "id"])
    op.create_table(
        "review_states",
        sa.Column("subject_kind", sa.String(16), primary_key=True),
        sa.Column("subject", sa.String(64), primary_key=True),
        sa.Column("state", sa.String(32), nullable=False, index=True),
        sa.Column("reason", sa.String(64)),
        sa.Column("who", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.String),
        sa.UniqueConstraint("subject_kind", "subject", name="uq_alerts_subject"),
    )
    op.create_table(
        "watch_sources",
        sa.Column("source", sa.String, primary_key=True),
        sa.Column("etag", sa.String),
        sa.Column("last_modified", sa.String),
        sa.Column("last_polled", sa.DateTime(timezone=True)),
        sa.Column("last_success", sa.DateTime(timezone=True)),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("next_due", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.String),
    )
    op.create_table(
        "watch_files",
        sa.Column("source", sa.String, primary_key=True),
        sa.Column("path", sa.String, primary_key=True),
        sa.Column("signature", sa.String, nullable=False),
    )
    op.create_table(
        "store_settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String, nullable=False),
    )


def _fill_flag_keys() -> None:
    """Keys for the flags stored before this revision, article by article."""
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT f.id, f.data, a.key FROM flags f JOIN articles a ON a.id = f.article_id "
        "ORDER BY f.article_id, f.seq")).fetchall()
    by_article: dict[str, list[tuple[int, dict]]] = {}
    for flag_id, data, article in rows:
        by_article.setdefault(article, []).append(
            (flag_id, json.loads(data) if isinstance(data, str) else data))
    updates = [{"id": flag_id, "key": key}
               for article, flags in by_article.items()
               for (flag_id, _), key in zip(flags, flag_keys(article, [d for _, d in flags]),
                                            strict=True)]
    if updates:
        conn.execute(sa.text("UPDATE flags SET key = :key WHERE id = :id"), updates)


def downgrade() -> None:
    for table in ("store_settings", "watch_files", "watch_sources", "alerts", "review_states",
                  "reviews"):
        op.drop_table(table)
    with op.batch_alter_table("flags") as batch:
        batch.drop_index("ix_flags_day_confidence")
        batch.drop_index("ix_flags_regime_day")
        batch.drop_index("ix_flags_category_day")
        batch.drop_index("ix_flags_confidence")
        batch.drop_index("ix_flags_key")
        batch.drop_column("key")

"""Articles and the entities, events, flags and screening hits analysis found in them.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _article_fk() -> sa.Column:
    return sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False,
                     index=True)


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("external_id", sa.String, nullable=False),
        sa.Column("url", sa.String),
        sa.Column("title", sa.String),
        sa.Column("published", sa.String),
        sa.Column("origin", sa.String),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("words", sa.Integer, nullable=False),
        sa.Column("versions", sa.String, nullable=False),
        sa.Column("analysed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer, primary_key=True),
        _article_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("text", sa.String, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("label", sa.String),
        sa.Column("kb_id", sa.String, index=True),
        sa.Column("name", sa.String),
        sa.Column("country", sa.String),
        sa.Column("role", sa.String),
        sa.Column("value", sa.String),
        sa.Column("extra", sa.JSON),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        _article_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("type", sa.String, nullable=False, index=True),
        sa.Column("code", sa.String),
        sa.Column("source_name", sa.String),
        sa.Column("source_country", sa.String),
        sa.Column("target_name", sa.String),
        sa.Column("target_country", sa.String),
        sa.Column("date", sa.String),
        sa.Column("day", sa.String, index=True),
        sa.Column("modality", sa.String),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "flags",
        sa.Column("id", sa.Integer, primary_key=True),
        _article_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("category", sa.String, nullable=False, index=True),
        sa.Column("regime", sa.String, nullable=False),
        sa.Column("supplier_name", sa.String),
        sa.Column("supplier_country", sa.String),
        sa.Column("recipient_name", sa.String),
        sa.Column("recipient_country", sa.String),
        sa.Column("goods", sa.String),
        sa.Column("event_date", sa.String),
        sa.Column("day", sa.String, index=True),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "screening",
        sa.Column("id", sa.Integer, primary_key=True),
        _article_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("list", sa.String, nullable=False),
        sa.Column("entry_id", sa.String, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for table in ("screening", "flags", "events", "entities", "articles"):
        op.drop_table(table)

"""Incidents: flags of many articles that tell of one act, their members, analysts' actions.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("regime", sa.String, nullable=False),
        sa.Column("category", sa.String, nullable=False, index=True),
        sa.Column("supplier_country", sa.String, index=True),
        sa.Column("recipient_country", sa.String, index=True),
        sa.Column("date_start", sa.String),
        sa.Column("date_end", sa.String),
        sa.Column("day", sa.String, index=True),
        sa.Column("first_seen", sa.String),
        sa.Column("last_seen", sa.String),
        sa.Column("articles", sa.Integer, nullable=False),
        sa.Column("outlets", sa.Integer, nullable=False),
        sa.Column("corroboration", sa.Integer, nullable=False),
        sa.Column("denials", sa.Integer, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("merged_into", sa.Integer, sa.ForeignKey("incidents.id"), index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "incident_members",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id"), nullable=False,
                  index=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False,
                  index=True),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("act", sa.Integer, nullable=False),
        sa.Column("key", sa.String, nullable=False),
        sa.Column("category", sa.String),
        sa.Column("supplier_country", sa.String),
        sa.Column("recipient_country", sa.String),
        sa.Column("day_start", sa.String),
        sa.Column("day_end", sa.String),
        sa.Column("versions", sa.String, nullable=False),
        sa.Column("pinned_by", sa.String),
        sa.Column("features", sa.JSON, nullable=False),
        sa.UniqueConstraint("article_id", "kind", "seq",
                            name="uq_incident_members_article_id"),
    )
    op.create_index("ix_incident_members_match", "incident_members", ["category", "day_end"])
    op.create_table(
        "incident_actions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("action", sa.String, nullable=False),
        sa.Column("who", sa.String, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id"), nullable=False,
                  index=True),
        sa.Column("detail", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_index("ix_incident_members_match", table_name="incident_members")
    for table in ("incident_actions", "incident_members", "incidents"):
        op.drop_table(table)

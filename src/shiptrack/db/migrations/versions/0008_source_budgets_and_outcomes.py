"""upstream sources: budgets shared by every process, each source's last outcome per tracker

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shiptrack.db.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_budget_usage",
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("budget", sa.String(length=30), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("used", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("source", "budget", "period", name=op.f("pk_source_budget_usage")),
    )
    op.create_table(
        "tracker_source_outcomes",
        sa.Column("tracker_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("checked_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("tracker_id", "source", name=op.f("pk_tracker_source_outcomes")),
    )


def downgrade() -> None:
    op.drop_table("tracker_source_outcomes")
    op.drop_table("source_budget_usage")

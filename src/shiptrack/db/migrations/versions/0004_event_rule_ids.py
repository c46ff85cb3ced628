"""events.rule_id: which table entry, normaliser rule or model decided an event's statusCode

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("rule_id", sa.String(length=80), nullable=True))
    # `shiptrack statuses unknown` groups the texts no rule explained.
    op.create_index("ix_events_rule_id", "events", ["rule_id"])


def downgrade() -> None:
    op.drop_index("ix_events_rule_id", table_name="events")
    op.drop_column("events", "rule_id")

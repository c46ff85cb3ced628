"""engine columns: trackers.error_count and lease_owner, shipments.details

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shiptrack.db.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("trackers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("error_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("due_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("details", sa.JSON(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_column("details")
    with op.batch_alter_table("trackers", schema=None) as batch_op:
        batch_op.drop_column("due_at")
        batch_op.drop_column("lease_owner")
        batch_op.drop_column("error_count")

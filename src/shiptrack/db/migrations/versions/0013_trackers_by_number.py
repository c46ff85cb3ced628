"""trackers looked up by tracking number across accounts (push callbacks, the sweep)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_trackers_tracking_number", "trackers", ["tracking_number"])


def downgrade() -> None:
    op.drop_index("ix_trackers_tracking_number", table_name="trackers")

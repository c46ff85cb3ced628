"""upstream sources: registrations shared per (source, number, courier), push callbacks seen

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shiptrack.db.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "upstream_registrations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("tracking_number", sa.String(length=50), nullable=False),
        sa.Column("courier_code", sa.String(length=60), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("upstream_id", sa.String(length=100), nullable=True),
        sa.Column("claim", sa.String(length=36), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("stopped_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upstream_registrations")),
    )
    op.create_index(
        "ix_upstream_registrations_source_tracking_number_courier_code",
        "upstream_registrations",
        ["source", "tracking_number", "courier_code"],
        unique=True,
    )
    op.create_index("ix_upstream_registrations_state", "upstream_registrations", ["state"])
    op.create_table(
        "source_callbacks",
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("events", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("source", "key", name=op.f("pk_source_callbacks")),
    )


def downgrade() -> None:
    op.drop_table("source_callbacks")
    op.drop_index("ix_upstream_registrations_state", table_name="upstream_registrations")
    op.drop_index(
        "ix_upstream_registrations_source_tracking_number_courier_code",
        table_name="upstream_registrations",
    )
    op.drop_table("upstream_registrations")

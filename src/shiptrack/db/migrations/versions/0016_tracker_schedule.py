"""tracker_schedule: the engine's schedule and per-check bookkeeping out of trackers

Every check rewrote the wide ``trackers`` row twice (the claim, the stored refresh), and as
``next_check_at`` was indexed neither write could stay on its page (PostgreSQL's HOT update):
each took a new entry in all six indexes of ``trackers``. The schedule now lives in a narrow
table of its own, one row per tracker, with the claim's partial index (decision 28). Every
tracker's row is copied; a stopped tracker keeps its row with ``next_check_at`` NULL.

Numbered 0016: 0015 (lz4 for the stored tracking) reached ``main`` first.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shiptrack.db.types import UTCDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_DUE = sa.text("next_check_at IS NOT NULL")
_MOVED = (
    "lease_until",
    "lease_owner",
    "due_at",
    "check_count",
    "last_checked_at",
    "last_event_at",
    "error_count",
    "has_data",
)


def _schedule_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("tracker_id", sa.String(length=36), primary_key=True),
        sa.Column("next_check_at", UTCDateTime(), nullable=True),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("lease_owner", sa.String(length=80), nullable=True),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("check_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_checked_at", UTCDateTime(), nullable=True),
        sa.Column("last_event_at", UTCDateTime(), nullable=True),
        sa.Column("error_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("has_data", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    ]


def _drop_columns(table: str, columns: tuple[str, ...]) -> None:
    # SQLite (3.35+) drops a column in place; Alembic's batch mode would rebuild the table
    # from its reflection, which loses the partial indexes' conditions.
    for column in columns:
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


def upgrade() -> None:
    op.create_table("tracker_schedule", *_schedule_columns())
    moved = ", ".join(_MOVED)
    op.execute(
        f"INSERT INTO tracker_schedule (tracker_id, next_check_at, {moved}) "
        f"SELECT id, CASE WHEN is_tracked THEN next_check_at END, {moved} FROM trackers"
    )
    op.create_index(
        "ix_tracker_schedule_due",
        "tracker_schedule",
        ["next_check_at"],
        sqlite_where=_DUE,
        postgresql_where=_DUE,
    )
    op.drop_index("ix_trackers_due", table_name="trackers")
    _drop_columns("trackers", ("next_check_at", *_MOVED))


def downgrade() -> None:
    with op.batch_alter_table("trackers", schema=None, recreate="never") as batch_op:
        for column in _schedule_columns()[1:]:
            batch_op.add_column(column)
    moved = ("next_check_at", *_MOVED)
    assignments = ", ".join(
        f"{c} = (SELECT s.{c} FROM tracker_schedule s WHERE s.tracker_id = trackers.id)"
        for c in moved
    )
    op.execute(
        f"UPDATE trackers SET {assignments} WHERE id IN (SELECT tracker_id FROM tracker_schedule)"
    )
    tracked = sa.text("is_tracked")
    op.create_index(
        "ix_trackers_due",
        "trackers",
        ["next_check_at"],
        sqlite_where=tracked,
        postgresql_where=tracked,
    )
    op.drop_index("ix_tracker_schedule_due", table_name="tracker_schedule")
    op.drop_table("tracker_schedule")

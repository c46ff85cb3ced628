"""events: the rule_id index keeps only the unmatched events (a partial index)

`shiptrack statuses unknown` reads the events no rule explained (`rule_id = 'unmatched'`);
an index of every event's rule_id was written on every insert for that one query. The
dedupe indexes (shipment and fingerprint; shipment and sequence) and the primary key stay.

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0009"
branch_labels = None
depends_on = None

_UNMATCHED = sa.text("rule_id = 'unmatched'")


def upgrade() -> None:
    op.drop_index("ix_events_rule_id", table_name="events")
    op.create_index(
        "ix_events_unmatched",
        "events",
        ["rule_id"],
        sqlite_where=_UNMATCHED,
        postgresql_where=_UNMATCHED,
    )


def downgrade() -> None:
    op.drop_index("ix_events_unmatched", table_name="events")
    op.create_index("ix_events_rule_id", "events", ["rule_id"])

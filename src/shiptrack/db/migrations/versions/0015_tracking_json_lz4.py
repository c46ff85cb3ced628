"""shipments.tracking_json compressed with lz4 on PostgreSQL (cheaper than pglz to write
and to read; values stored before keep pglz until rewritten)

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None

# A PostgreSQL built without lz4 keeps its default (pglz): nothing to do there.
_SET = (
    "DO $$ BEGIN ALTER TABLE shipments ALTER COLUMN tracking_json SET COMPRESSION {method}; "
    "EXCEPTION WHEN feature_not_supported THEN NULL; END $$"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_SET.format(method="lz4"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_SET.format(method="default"))

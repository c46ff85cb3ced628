"""tracking pages: one unguessable link per tracker, one branding per account

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shiptrack.db.types import UTCDateTime

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_links",
        sa.Column("tracker_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tracker_id"], ["trackers.id"], name=op.f("fk_page_links_tracker_id_trackers")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_page_links_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("tracker_id", name=op.f("pk_page_links")),
    )
    op.create_index("ix_page_links_token_hash", "page_links", ["token_hash"], unique=True)
    op.create_table(
        "page_brandings",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("primary_colour", sa.String(length=7), nullable=True),
        sa.Column("text_colour", sa.String(length=7), nullable=True),
        sa.Column("background_colour", sa.String(length=7), nullable=True),
        sa.Column("support_email", sa.String(length=254), nullable=True),
        sa.Column("support_phone", sa.String(length=40), nullable=True),
        sa.Column("support_url", sa.String(length=2048), nullable=True),
        sa.Column("footer", sa.Text(), nullable=True),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_type", sa.String(length=20), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_page_brandings_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_page_brandings")),
    )


def downgrade() -> None:
    op.drop_table("page_brandings")
    op.drop_index("ix_page_links_token_hash", table_name="page_links")
    op.drop_table("page_links")

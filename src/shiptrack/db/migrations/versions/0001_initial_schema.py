"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shiptrack.db.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "accounts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("tracker_count", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("shipment_id", sa.String(length=36), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("event_tracking_number", sa.String(length=50), nullable=False),
        sa.Column("courier_code", sa.String(length=60), nullable=True),
        sa.Column("source_code", sa.String(length=60), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("carrier_status_code", sa.String(length=60), nullable=True),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("occurrence_datetime", sa.String(length=40), nullable=False),
        sa.Column("courier_order", sa.Integer(), nullable=True),
        sa.Column("status_code", sa.String(length=40), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("discovered_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_events_shipment_fingerprint", ["shipment_id", "fingerprint"], unique=True
        )
        batch_op.create_index(
            "ix_events_shipment_sequence", ["shipment_id", "sequence"], unique=True
        )

    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_api_keys_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index("ix_api_keys_account_id", ["account_id"], unique=False)

    op.create_table(
        "trackers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("account_seq", sa.Integer(), nullable=False),
        sa.Column("tracking_number", sa.String(length=50), nullable=False),
        sa.Column("client_tracker_id", sa.String(length=100), nullable=True),
        sa.Column("shipment_reference", sa.String(length=100), nullable=True),
        sa.Column("origin_country_code", sa.String(length=2), nullable=True),
        sa.Column("destination_country_code", sa.String(length=2), nullable=True),
        sa.Column("destination_post_code", sa.String(length=32), nullable=True),
        sa.Column("shipping_date", sa.Date(), nullable=True),
        sa.Column("courier_codes", sa.JSON(), nullable=False),
        sa.Column("courier_name", sa.String(length=200), nullable=True),
        sa.Column("tracking_url", sa.String(length=2048), nullable=True),
        sa.Column("order_number", sa.String(length=100), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("recipient_email", sa.String(length=254), nullable=True),
        sa.Column("recipient_name", sa.String(length=100), nullable=True),
        sa.Column("restrict_to_courier", sa.Boolean(), nullable=False),
        sa.Column("is_subscribed", sa.Boolean(), nullable=False),
        sa.Column("is_tracked", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("shipment_id", sa.String(length=36), nullable=False),
        sa.Column("has_data", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("next_check_at", UTCDateTime(), nullable=True),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("check_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_checked_at", UTCDateTime(), nullable=True),
        sa.Column("last_event_at", UTCDateTime(), nullable=True),
        sa.Column("stop_reason", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_trackers_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trackers")),
    )
    with op.batch_alter_table("trackers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_trackers_account_client_tracker_id",
            ["account_id", "client_tracker_id"],
            unique=True,
            sqlite_where=sa.text("is_subscribed AND client_tracker_id IS NOT NULL"),
            postgresql_where=sa.text("is_subscribed AND client_tracker_id IS NOT NULL"),
        )
        batch_op.create_index("ix_trackers_account_seq", ["account_id", "account_seq"], unique=True)
        batch_op.create_index(
            "ix_trackers_account_tracking_number", ["account_id", "tracking_number"], unique=False
        )
        batch_op.create_index(
            "ix_trackers_due",
            ["next_check_at"],
            unique=False,
            sqlite_where=sa.text("is_tracked"),
            postgresql_where=sa.text("is_tracked"),
        )

    op.create_table(
        "shipments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("tracker_id", sa.String(length=36), nullable=False),
        sa.Column("status_code", sa.String(length=40), nullable=True),
        sa.Column("status_category", sa.String(length=20), nullable=True),
        sa.Column("status_milestone", sa.String(length=30), nullable=False),
        sa.Column("origin_country_code", sa.String(length=2), nullable=True),
        sa.Column("destination_country_code", sa.String(length=2), nullable=True),
        sa.Column("tracking_numbers", sa.JSON(), nullable=False),
        sa.Column("event_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("tracking_json", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tracker_id"], ["trackers.id"], name=op.f("fk_shipments_tracker_id_trackers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipments")),
        sa.UniqueConstraint("tracker_id", name=op.f("uq_shipments_tracker_id")),
    )


def downgrade() -> None:

    op.drop_table("shipments")
    with op.batch_alter_table("trackers", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_trackers_due",
            sqlite_where=sa.text("is_tracked"),
            postgresql_where=sa.text("is_tracked"),
        )
        batch_op.drop_index("ix_trackers_account_tracking_number")
        batch_op.drop_index("ix_trackers_account_seq")
        batch_op.drop_index(
            "ix_trackers_account_client_tracker_id",
            sqlite_where=sa.text("is_subscribed AND client_tracker_id IS NOT NULL"),
            postgresql_where=sa.text("is_subscribed AND client_tracker_id IS NOT NULL"),
        )

    op.drop_table("trackers")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_api_keys_account_id")

    op.drop_table("api_keys")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_shipment_sequence")
        batch_op.drop_index("ix_events_shipment_fingerprint")

    op.drop_table("events")
    op.drop_table("accounts")

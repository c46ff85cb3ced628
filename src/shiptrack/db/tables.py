"""The schema: one SQLAlchemy Core table per concept, shared by SQLite and PostgreSQL.

Migrations in ``db/migrations`` create exactly these tables; a test compares them.
Ids are UUID strings. Times are aware UTC datetimes (``UTCDateTime``).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    text,
)

from shiptrack.db.metadata import metadata
from shiptrack.db.types import UTCDateTime

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    # Trackers ever created by the account: the next tracker's ``account_seq``. Paging by this
    # ordinal keeps GET /trackers O(limit) at any depth (no OFFSET scans).
    Column("tracker_count", Integer, nullable=False, server_default="0"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False),
    # SHA-256 of the whole key; the key itself is never stored.
    Column("key_hash", String(64), nullable=False, unique=True),
    # The first characters, for telling keys apart in listings (``apik_3f9a…``).
    Column("prefix", String(16), nullable=False),
    Column("name", String(100), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
    Index("ix_api_keys_account_id", "account_id"),
)

trackers = Table(
    "trackers",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False),
    Column("account_seq", Integer, nullable=False),
    Column("tracking_number", String(50), nullable=False),
    Column("client_tracker_id", String(100), nullable=True),
    Column("shipment_reference", String(100), nullable=True),
    Column("origin_country_code", String(2), nullable=True),
    Column("destination_country_code", String(2), nullable=True),
    Column("destination_post_code", String(32), nullable=True),
    Column("shipping_date", Date, nullable=True),
    Column("courier_codes", JSON, nullable=False),
    Column("courier_name", String(200), nullable=True),
    Column("tracking_url", String(2048), nullable=True),
    Column("order_number", String(100), nullable=True),
    Column("title", String(200), nullable=True),
    Column("recipient_email", String(254), nullable=True),
    Column("recipient_name", String(100), nullable=True),
    Column("restrict_to_courier", Boolean, nullable=False),
    Column("is_subscribed", Boolean, nullable=False),
    Column("is_tracked", Boolean, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("shipment_id", String(36), nullable=False),
    # Why tracking stopped ("unsubscribed", "delivered", "expired"…); set with is_tracked.
    Column("stop_reason", String(40), nullable=True),
    Index("ix_trackers_account_seq", "account_id", "account_seq", unique=True),
    Index("ix_trackers_account_tracking_number", "account_id", "tracking_number"),
    # Across accounts: who follows a number an upstream pushed (sources/push.py), and
    # whether any tracker still needs an upstream registration (the sweep).
    Index("ix_trackers_tracking_number", "tracking_number"),
    Index(
        "ix_trackers_account_client_tracker_id",
        "account_id",
        "client_tracker_id",
        unique=True,
        sqlite_where=text("is_subscribed AND client_tracker_id IS NOT NULL"),
        postgresql_where=text("is_subscribed AND client_tracker_id IS NOT NULL"),
    ),
)

#: The engine's schedule and per-check bookkeeping: one narrow row per tracker, written in the
#: transaction that creates the tracker (decision 28). A check rewrites this row only, not the
#: wide ``trackers`` row and its five indexes. ``next_check_at`` is NULL once tracking stopped.
tracker_schedule = Table(
    "tracker_schedule",
    metadata,
    Column("tracker_id", String(36), primary_key=True),
    Column("next_check_at", UTCDateTime(), nullable=True),
    # The end of the lease of the check in progress (its claim moves next_check_at there too).
    Column("lease_until", UTCDateTime(), nullable=True),
    # Which worker holds the lease (host:pid), for operators reading the table.
    Column("lease_owner", String(80), nullable=True),
    # The due time of the check in progress; the engine reports the lag between the two.
    Column("due_at", UTCDateTime(), nullable=True),
    Column("check_count", Integer, nullable=False, server_default="0"),
    Column("last_checked_at", UTCDateTime(), nullable=True),
    Column("last_event_at", UTCDateTime(), nullable=True),
    # Consecutive failed checks (all couriers erred); drives the backoff, reset on success.
    Column("error_count", Integer, nullable=False, server_default="0"),
    # True once any courier data was found: shipment fields become immutable (PATCH).
    Column("has_data", Boolean, nullable=False, server_default=text("false")),
    # Every claim reads this index; stopped trackers (NULL) are not in it.
    Index(
        "ix_tracker_schedule_due",
        "next_check_at",
        sqlite_where=text("next_check_at IS NOT NULL"),
        postgresql_where=text("next_check_at IS NOT NULL"),
    ),
)

shipments = Table(
    "shipments",
    metadata,
    # Same value as trackers.shipment_id; the row appears when the engine first finds data.
    Column("id", String(36), primary_key=True),
    Column("tracker_id", String(36), ForeignKey("trackers.id"), nullable=False, unique=True),
    Column("status_code", String(40), nullable=True),
    Column("status_category", String(20), nullable=True),
    Column("status_milestone", String(30), nullable=False),
    Column("origin_country_code", String(2), nullable=True),
    Column("destination_country_code", String(2), nullable=True),
    Column("tracking_numbers", JSON, nullable=False),
    Column("event_count", Integer, nullable=False, server_default="0"),
    # What couriers said about the shipment besides events (estimated delivery, service,
    # signed by, recipient place), kept so a refresh where a courier fails re-renders it.
    Column("details", JSON, nullable=False),
    # The rendered ``"shipment":…,"events":…,"statistics":…`` members of a tracking, rebuilt
    # in the transaction that stores new events, so reading results is one primary-key read.
    Column("tracking_json", LargeBinary, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("shipment_id", String(36), nullable=False),
    # Order of discovery within the shipment, 1, 2, 3… (webhook receivers order by it).
    Column("sequence", Integer, nullable=False),
    Column("event_tracking_number", String(50), nullable=False),
    Column("courier_code", String(60), nullable=True),
    Column("source_code", String(60), nullable=True),
    Column("status", Text, nullable=True),
    Column("carrier_status_code", String(60), nullable=True),
    Column("location", String(300), nullable=True),
    Column("occurrence_datetime", String(40), nullable=False),
    Column("courier_order", Integer, nullable=True),
    Column("status_code", String(40), nullable=True),
    # What decided status_code: "table:<courier>:<code>", a normaliser rule ("de.delivered"),
    # "model.mix:<feature>" or "unmatched" (no rule explained the text). NULL before 0004.
    Column("rule_id", String(80), nullable=True),
    Column("fingerprint", String(64), nullable=False),
    Column("discovered_at", UTCDateTime(), nullable=False),
    Index("ix_events_shipment_fingerprint", "shipment_id", "fingerprint", unique=True),
    # Only the events no rule explained (`shiptrack statuses unknown` reads them): a partial
    # index costs nothing on the inserts of all other events (decision 25).
    Index(
        "ix_events_unmatched",
        "rule_id",
        sqlite_where=text("rule_id = 'unmatched'"),
        postgresql_where=text("rule_id = 'unmatched'"),
    ),
    Index("ix_events_shipment_sequence", "shipment_id", "sequence", unique=True),
)

# The webhook tables (outbox, delivery log, endpoints), the upstream sources' tables
# (registrations, push callbacks) and the tracking pages' (links, branding) join the same
# metadata; they live in db/ with the others, so that no table definition imports a feature.
from shiptrack.db import console_tables as _console_tables  # noqa: E402, F401
from shiptrack.db import page_tables as _page_tables  # noqa: E402, F401
from shiptrack.db import source_tables as _source_tables  # noqa: E402, F401
from shiptrack.db import webhook_tables as _webhook_tables  # noqa: E402, F401

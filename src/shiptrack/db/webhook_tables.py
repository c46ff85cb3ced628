"""The webhook tables, on the shared ``MetaData`` (``shiptrack.db.metadata``); ``db/tables.py``
imports them so that ``metadata`` always holds the whole schema.

- ``webhook_endpoints``: one row per account with a webhook (URL, secrets, grouping, state).
- ``webhook_messages``: the outbox. One row per message (``id`` = ``metadata.messageId``),
  written in the engine's transaction; the dispatcher leases due rows, sends them and records
  the outcome on the row.
- ``webhook_payloads``: each message's exact body, written once.
- ``webhook_attempts``: the delivery log, one row per HTTP attempt.

Message ``status``: ``pending`` (to send, or waiting for a retry), ``delivered``, ``failed``
(given up after the last retry) or ``dropped`` (tracker unsubscribed, webhook deleted).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
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

#: SQLite only auto-increments an ``INTEGER PRIMARY KEY``; PostgreSQL gets a bigint identity.
AttemptId = BigInteger().with_variant(Integer(), "sqlite")

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("account_id", String(36), ForeignKey("accounts.id"), primary_key=True),
    Column("url", String(2048), nullable=False),
    # Stored in clear: it is an HMAC key the dispatcher needs (and the bearer token Ship24
    # receivers compare). ``whsec_`` + base64 of 32 random bytes.
    Column("secret", String(100), nullable=False),
    Column("previous_secret", String(100), nullable=True),
    Column("previous_secret_expires_at", UTCDateTime(), nullable=True),
    Column("max_updates_per_message", Integer, nullable=False, server_default="1"),
    Column("enabled", Boolean, nullable=False),
    # manual | gone (410) | failing (failed continuously for disable_after_days)
    Column("disabled_reason", String(20), nullable=True),
    Column("disabled_at", UTCDateTime(), nullable=True),
    # First failure since the last success: the clock for disabling a dead endpoint.
    Column("failing_since", UTCDateTime(), nullable=True),
    Column("last_success_at", UTCDateTime(), nullable=True),
    Column("last_failure_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

webhook_messages = Table(
    "webhook_messages",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), nullable=False),
    Column("tracker_id", String(36), nullable=False),
    # The highest event ``sequence`` in the message: messages of a tracker go out in this order.
    Column("sequence", Integer, nullable=False),
    Column("topic", String(40), nullable=False),
    Column("event_count", Integer, nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    # Grouping (maxUpdatesPerMessage > 1): events of the tracker join this message until then.
    Column("group_until", UTCDateTime(), nullable=True),
    Column("lease_until", UTCDateTime(), nullable=True),
    Column("lease_owner", String(80), nullable=True),
    # Random per claim: an outcome is applied only by the claim that sent it.
    Column("lease_token", String(32), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_attempt_at", UTCDateTime(), nullable=True),
    Column("last_outcome", String(10), nullable=True),
    Column("last_status_code", Integer, nullable=True),
    Column("last_error", String(300), nullable=True),
    Column("last_response_body", Text, nullable=True),
    # orjson-encoded object (not the JSON type: its stdlib encoder is slow on this hot path).
    Column("last_response_headers", Text, nullable=True),
    Column("delivered_at", UTCDateTime(), nullable=True),
    Column("last_failed_at", UTCDateTime(), nullable=True),
    Column("finished_at", UTCDateTime(), nullable=True),
    Column("drop_reason", String(60), nullable=True),
    # Index layout for a cheap outcome write: a delivered message leaves the two partial
    # indexes (one delete each) and touches no other index; inserts add five entries.
    Index(
        "ix_webhook_messages_due",
        "next_attempt_at",
        sqlite_where=text("status = 'pending'"),
        postgresql_where=text("status = 'pending'"),
    ),
    # Ordering: does the tracker have an earlier pending message?
    Index(
        "ix_webhook_messages_pending_tracker",
        "tracker_id",
        "sequence",
        sqlite_where=text("status = 'pending'"),
        postgresql_where=text("status = 'pending'"),
    ),
    # Resend, history and the log by tracker.
    Index("ix_webhook_messages_tracker", "tracker_id", "sequence"),
    # The log by account, and pruning.
    Index("ix_webhook_messages_account_created", "account_id", "created_at"),
)

# The exact request body of each message, ``{"trackings":[…]}`` (signatures are computed over
# these bytes). Apart from the message row, which is updated at every attempt: SQLite rewrites a
# whole record on UPDATE, and a 2–3 KB body in it made each outcome write ~3× slower.
webhook_payloads = Table(
    "webhook_payloads",
    metadata,
    Column(
        "message_id",
        String(36),
        ForeignKey("webhook_messages.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("body", LargeBinary, nullable=False),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", AttemptId, primary_key=True, autoincrement=True),
    Column("message_id", String(36), nullable=False),
    Column("account_id", String(36), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("duration_ms", Integer, nullable=False),
    # success | failed
    Column("outcome", String(10), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("error", String(300), nullable=True),
    Column("response_body", Text, nullable=True),
    Column("dispatcher", String(80), nullable=True),
    Index("ix_webhook_attempts_message", "message_id", "id"),
)

"""The tables of upstream sources: one registration per (source, number, courier), the push
callbacks already stored (their idempotency keys), the budgets spent and each source's last
outcome per tracker.

Both join the schema's one ``MetaData`` (``db/tables.py`` imports this module, which lives
in ``db/`` so that no table definition imports a feature); migration 0005 creates the first
two, 0008 the budgets and outcomes.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from shiptrack.db.metadata import metadata
from shiptrack.db.types import UTCDateTime

#: A number registered with an upstream aggregator, shared by every tracker that needs it.
#: ``state``: ``registering`` (a worker holds ``claim`` and is calling the provider),
#: ``registered``, ``failed`` (the provider refused; ``last_error`` says why, retried on the
#: next check), ``stopping`` (no tracker needs it; the stop call is due) and ``stopped``.
upstream_registrations = Table(
    "upstream_registrations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("source", String(40), nullable=False),
    Column("tracking_number", String(50), nullable=False),
    # The Ship24 courier code the number was registered for ("" = the provider detects it).
    Column("courier_code", String(60), nullable=False),
    Column("state", String(20), nullable=False),
    # The provider's own id of the registration (Ship24 trackerId, AfterShip id...).
    Column("upstream_id", String(100), nullable=True),
    # Who is registering or stopping it (a random token per attempt).
    Column("claim", String(36), nullable=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("stopped_at", UTCDateTime(), nullable=True),
    Index(
        "ix_upstream_registrations_source_tracking_number_courier_code",
        "source",
        "tracking_number",
        "courier_code",
        unique=True,
    ),
    Index("ix_upstream_registrations_state", "state"),
)

#: Push callbacks stored so far: ``key`` is the provider's message id when it sends one,
#: else the SHA-256 of the body. A second delivery of the same key stores nothing.
source_callbacks = Table(
    "source_callbacks",
    metadata,
    Column("source", String(40), primary_key=True),
    Column("key", String(100), primary_key=True),
    Column("received_at", UTCDateTime(), nullable=False),
    Column("events", Integer, nullable=False, server_default="0"),
)

#: What each source has spent of its budgets (``SHIPTRACK_<SOURCE>_REGISTRATIONS_PER_DAY``,
#: ``…_PER_MONTH``, ``…_CALLS_PER_MINUTE``): one row per (source, budget, period), shared
#: by every process on the database. ``budget`` is ``registrations_day``,
#: ``registrations_month`` or ``calls_minute``; ``period`` the UTC day (``2026-12-06``),
#: month (``2026-12``) or minute (``2026-12-06T23:14``) it counts.
source_budget_usage = Table(
    "source_budget_usage",
    metadata,
    Column("source", String(40), primary_key=True),
    Column("budget", String(30), primary_key=True),
    Column("period", String(20), primary_key=True),
    Column("used", Integer, nullable=False, server_default="0"),
)

#: The last outcome of each source the engine asked about a tracker's number (a tracker's
#: diagnostics): ``found``, ``not_found``, ``error``, ``budget_exhausted``,
#: ``waiting_for_push``, or ``no_source`` (``source`` ``-``: nothing running can track it).
tracker_source_outcomes = Table(
    "tracker_source_outcomes",
    metadata,
    Column("tracker_id", String(36), primary_key=True),
    Column("source", String(40), primary_key=True),
    Column("outcome", String(20), nullable=False),
    Column("detail", Text, nullable=True),
    Column("checked_at", UTCDateTime(), nullable=False),
)

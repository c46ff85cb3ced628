"""The statements of a push batch (``sources/push.py``), one class per database.

Both take the batch's transaction, begun by its first statement (the callbacks' keys, sent
through SQLAlchemy on both engines).

* ``SqlitePush``: plain SQL and tuples through SQLAlchemy's synchronous connection (its
  statements run on the event loop, ~10–50 µs each: SQLAlchemy's layer costs little there).
* ``PostgresPush``: on asyncpg itself, inside the same transaction. Through SQLAlchemy's
  asyncpg adapter each statement cost ~0.1 ms of the server's CPU (a greenlet hop, its
  cursor and result objects), its ``IN :ids`` lists made a new statement for every batch
  size (one prepared statement each, beyond the adapter's cache of 100 under load), and the
  shipment update processed its parameters row by row. Here every statement has one text
  (an array of the batch's keys, prepared once per connection by asyncpg) and looks its rows
  up with one index probe per key whatever the statistics say (decision 29), the stored
  events are read once per batch (their keys and the rows a re-render needs, which a push
  nearly always does), and the rows come back as named tuples with the columns' values as
  SQLAlchemy would give them (JSON decoded, aware UTC timestamps). See docs/benchmarks.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Boolean, bindparam, text

from shiptrack.db.driver import DriverValues, execute_many, in_transaction_driver
from shiptrack.db.engine import Connection, RawQuery
from shiptrack.db.types import UTCDateTime
from shiptrack.tracking import repository


class PushedTracker(NamedTuple):
    """A tracker following a pushed number (the columns ``_FOLLOWERS`` reads)."""

    id: str
    account_id: str
    tracking_number: str
    client_tracker_id: str | None
    shipment_reference: str | None
    created_at: dt.datetime
    shipment_id: str
    has_data: bool
    is_subscribed: bool


class StoredShipment(NamedTuple):
    """A stored shipment as ``repository.load_shipments`` gives it."""

    id: str
    tracking_numbers: list[dict[str, Any]]
    details: dict[str, Any]
    origin_country_code: str | None
    destination_country_code: str | None
    event_count: int
    status_milestone: str


class StoredEvent(NamedTuple):
    """A stored event as ``repository.load_events`` gives it."""

    id: str
    shipment_id: str
    sequence: int
    event_tracking_number: str
    courier_code: str | None
    source_code: str | None
    status: str | None
    carrier_status_code: str | None
    location: str | None
    occurrence_datetime: str
    courier_order: int | None
    status_code: str | None
    fingerprint: str


# ``has_data`` is the schedule's (decision 28); the rest the tracker's.
_FOLLOWER_COLUMNS = ", ".join(
    f"s.{name}" if name == "has_data" else f"t.{name}" for name in PushedTracker._fields
)
_FOLLOWING = "FROM trackers t JOIN tracker_schedule s ON s.tracker_id = t.id"
_FOLLOWERS = (
    f"SELECT {_FOLLOWER_COLUMNS} {_FOLLOWING} WHERE t.tracking_number IN :numbers "
    "AND t.is_subscribed AND t.is_tracked ORDER BY t.id"
)
_FOLLOWER_TYPES = {"created_at": UTCDateTime(), "has_data": Boolean(), "is_subscribed": Boolean()}
_FOLLOWERS_SQLITE = (
    text(_FOLLOWERS).bindparams(bindparam("numbers", expanding=True)).columns(**_FOLLOWER_TYPES)
)
_REGISTERED_SQLITE = (
    "SELECT tracking_number, courier_code FROM upstream_registrations "
    "WHERE source = ? AND tracking_number IN (SELECT value FROM json_each(?))"
)
_COUNT_EVENTS = RawQuery.of("UPDATE source_callbacks SET events = ? WHERE source = ? AND key = ?")
_TOUCH = RawQuery.of(
    "UPDATE tracker_schedule SET has_data = true, last_event_at = COALESCE(?, last_event_at) "
    "WHERE tracker_id = ?"
)


@dataclass(slots=True)
class BatchReads:
    """What a batch reads before its merge."""

    #: The registration's courier code of each pushed number registered with the source.
    registered: dict[str, str] = field(default_factory=dict)
    #: The trackers following those numbers (locked on PostgreSQL), by id.
    followers: list[Any] = field(default_factory=list)
    #: Their stored shipments by id, and the keys of those shipments' stored events.
    shipments: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, repository.EventKeys] = field(default_factory=dict)
    #: The stored events themselves when read with their keys (else the merge reads what
    #: it needs).
    events: dict[str, list[Any]] | None = None


@dataclass(frozen=True, slots=True)
class BatchWrites:
    """What a batch writes after its merge, besides events and shipments (all at ``now``)."""

    source: str
    now: dt.datetime
    #: Each follower's id and whether it got new events (``last_event_at`` moves to now).
    touches: list[tuple[str, bool]]
    #: Each follower's id and the source codes of its pushed results: ``found``, ``pushed``.
    outcomes: list[tuple[str, str]]
    #: Each stored callback's key and the events it stored (when above 0).
    counts: list[tuple[str, int]]


class SqlitePush:
    """A push batch's statements on SQLite."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.values = DriverValues(sqlite=True)

    async def read(self, source: str, numbers: Sequence[str]) -> BatchReads:
        conn = self.conn
        reads = BatchReads()
        numbers_json = orjson.dumps(list(numbers)).decode()
        for number, courier in await conn.exec_driver_sql(
            _REGISTERED_SQLITE, (source, numbers_json)
        ):
            reads.registered[number] = courier
        if reads.registered:
            by_number = {"numbers": sorted(reads.registered)}
            reads.followers = list(await conn.execute(_FOLLOWERS_SQLITE, by_number))
            ids = [t.shipment_id for t in reads.followers]
            reads.shipments = await repository.load_shipments(conn, ids)
            reads.keys = await repository.load_event_keys(
                conn, [s for s in ids if s in reads.shipments]
            )
        return reads

    async def write(self, writes: BatchWrites) -> None:
        """The touches, the outcomes and the counts: plain tuples, one ``executemany`` each
        (the outcomes through ``repository.record_outcomes``, as a refresh writes them)."""
        conn, row, now, source = self.conn, self.values.row, writes.now, writes.source
        touches, outcomes, counts = writes.touches, writes.outcomes, writes.counts
        rows = [row((now if new else None, tracker_id)) for tracker_id, new in touches]
        await execute_many(conn, _TOUCH, rows, sqlite=True)
        rows = [
            {
                "tracker_id": t,
                "source": s,
                "outcome": "found",
                "detail": "pushed",
                "checked_at": now,
            }
            for t, s in outcomes
        ]
        await repository.record_outcomes(conn, rows, postgres=False)
        rows = [(events, source, key) for key, events in counts]
        await execute_many(conn, _COUNT_EVENTS, rows, sqlite=True)


# The batch's statements carry arrays of a size only the batch knows. Each lookup is written
# as one index probe per value (``CROSS JOIN LATERAL (… OFFSET 0)``, which the planner
# does not flatten): a plan cached on a connection while a table was small or never
# analysed (autovacuum off or behind, a new installation) then still probes, where an
# ``= ANY($1)`` or a join planned on those statistics scanned the whole table (or hashed it)
# for every batch from then on. Forcing a new plan per statement instead cost more CPU
# than it saved (decision 29, docs/benchmarks.md).

# The followers of the registered numbers, locked in id order with their schedule rows (which
# a refresh locks: decision 28), with the registration's courier code (the first by code when
# a number has several): each number one probe of the registrations' unique index and of
# ``ix_trackers_tracking_number``, each follower one of the primary key. A tracker changed
# while this waited for its lock comes back as it now is: ``read`` drops it if it is no
# longer subscribed and tracked (a condition on the locked row itself would let the planner
# scan ``trackers`` instead).
_FOLLOWERS_PG = (
    f"SELECT {_FOLLOWER_COLUMNS}, f.courier_code, t.is_tracked "
    "FROM trackers t JOIN tracker_schedule s ON s.tracker_id = t.id JOIN (SELECT x.id, "
    "r.courier_code FROM unnest($2::text[]) AS n(number) "
    "CROSS JOIN LATERAL (SELECT courier_code FROM upstream_registrations "
    "WHERE source = $1 AND tracking_number = n.number ORDER BY courier_code LIMIT 1) r "
    "CROSS JOIN LATERAL (SELECT id FROM trackers WHERE tracking_number = n.number "
    "AND is_subscribed AND is_tracked OFFSET 0) x) f ON f.id = t.id "
    "ORDER BY t.id FOR UPDATE OF t, s"
)
# Their shipments, read once the followers are locked (a statement of its own, so that it
# sees what a batch that held those locks before committed).
_SHIPMENTS_PG = (
    f"SELECT {', '.join(f's.{c}' for c in StoredShipment._fields)} "
    "FROM unnest($1::text[]) AS n(id) "
    "CROSS JOIN LATERAL (SELECT * FROM shipments WHERE id = n.id OFFSET 0) s"
)
_FOLLOWER_WIDTH = len(PushedTracker._fields)
_EVENTS_PG = (
    f"SELECT {', '.join(f'e.{c}' for c in StoredEvent._fields)} "
    "FROM unnest($1::text[]) AS n(shipment_id) CROSS JOIN LATERAL (SELECT * FROM events "
    "WHERE shipment_id = n.shipment_id OFFSET 0) e ORDER BY e.shipment_id, e.sequence"
)
# Each follower's touch is a primary-key update of its own (one ``executemany``): an
# ``id = ANY($1)`` of a batch's ids is a scan of a small table for the planner.
_TOUCH_PG = _TOUCH.postgres
_OUTCOMES_PG = (
    "INSERT INTO tracker_source_outcomes (tracker_id, source, outcome, detail, checked_at) "
    "SELECT t, s, 'found', 'pushed', $1 FROM unnest($2::text[], $3::text[]) AS u(t, s) "
    "ON CONFLICT (tracker_id, source) DO UPDATE SET outcome = excluded.outcome, "
    "detail = excluded.detail, checked_at = excluded.checked_at"
)


def _json(value: Any) -> Any:
    """A JSON column's value: asyncpg gives SQLAlchemy's text (its codec), or decoded."""
    return orjson.loads(value) if isinstance(value, str | bytes) else value


class PostgresPush:
    """A push batch's statements on PostgreSQL, on asyncpg itself (see the docstring)."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    @classmethod
    async def of(cls, conn: Connection) -> PostgresPush:
        return cls(await in_transaction_driver(conn))

    async def read(self, source: str, numbers: Sequence[str]) -> BatchReads:
        """Three statements: the followers (locked, with their registration's courier
        code), their shipments, those shipments' stored events."""
        fetch = self.driver.fetch
        reads = BatchReads()
        width = _FOLLOWER_WIDTH
        for r in await fetch(_FOLLOWERS_PG, source, sorted(numbers)):
            tracker = PushedTracker(*r[:width])
            if tracker.is_subscribed and r[width + 1]:
                reads.followers.append(tracker)
                reads.registered[tracker.tracking_number] = r[width]
        if not reads.followers:
            return reads
        ids = sorted({t.shipment_id for t in reads.followers})
        for r in await fetch(_SHIPMENTS_PG, ids):
            reads.shipments[r[0]] = StoredShipment(r[0], _json(r[1]), _json(r[2]), *r[3:])
        if not reads.shipments:
            return reads
        events: dict[str, list[Any]] = {s: [] for s in reads.shipments}
        for r in await fetch(_EVENTS_PG, list(reads.shipments)):
            events[r[1]].append(StoredEvent(*r))
        reads.keys, reads.events = event_keys(events), events
        return reads

    async def write(self, writes: BatchWrites) -> None:
        """As ``SqlitePush.write``: the touches and the counts one ``executemany`` each (a
        primary-key update per row), the outcomes one statement."""
        now, source = writes.now, writes.source
        touches, outcomes, counts = writes.touches, writes.outcomes, writes.counts
        driver = self.driver
        if touches:
            rows = [(now if new else None, tracker_id) for tracker_id, new in touches]
            await driver.executemany(_TOUCH_PG, rows)
        if outcomes:
            trackers, sources = zip(*outcomes, strict=True)
            await driver.execute(_OUTCOMES_PG, now, list(trackers), list(sources))
        if counts:
            rows = [(events, source, key) for key, events in counts]
            await driver.executemany(_COUNT_EVENTS.postgres, rows)


def event_keys(events: dict[str, list[StoredEvent]]) -> dict[str, repository.EventKeys]:
    """``repository.load_event_keys``'s answer from the events themselves."""
    return {
        shipment_id: (
            {e.fingerprint for e in rows},
            max((e.sequence for e in rows), default=0),
            {e.source_code for e in rows},
        )
        for shipment_id, rows in events.items()
        if rows
    }

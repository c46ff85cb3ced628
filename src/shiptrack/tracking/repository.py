"""The tracking engine's SQL about timelines: loading and storing shipments, events and
sources' outcomes, and retention.

Every statement of a timeline is here, beside the ones it must stay consistent with (an
event's insert and its replacement, the per-dialect forms of one write). The schedule's
(claims, leases, a check's counters) are in :mod:`tracking.schedule_sql`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import asyncpg
import orjson
from sqlalchemy import (
    JSON,
    Row,
    Select,
    and_,
    bindparam,
    delete,
    func,
    literal_column,
    or_,
    select,
    text,
)

from shiptrack.db.driver import (
    DriverValues,
    aware,
    execute_many,
    in_transaction_driver,
    insert_rows,
)
from shiptrack.db.engine import Connection, RawQuery
from shiptrack.db.source_tables import tracker_source_outcomes as outcomes
from shiptrack.db.tables import events, shipments, trackers
from shiptrack.db.tables import tracker_schedule as schedule

_SHIPMENTS = (
    text(
        "SELECT id, tracking_numbers, details, origin_country_code, destination_country_code, "
        "event_count, status_milestone FROM shipments WHERE id IN :ids"
    )
    .bindparams(bindparam("ids", expanding=True))
    .columns(tracking_numbers=JSON(), details=JSON())
)


async def load_shipments(conn: Connection, shipment_ids: Sequence[str]) -> dict[str, Row[Any]]:
    if not shipment_ids:
        return {}
    rows = await conn.execute(_SHIPMENTS, {"ids": list(shipment_ids)})
    return {r.id: r for r in rows}


_EVENTS = text(
    "SELECT id, shipment_id, sequence, event_tracking_number, courier_code, source_code, "
    "status, carrier_status_code, location, occurrence_datetime, courier_order, status_code, "
    "fingerprint FROM events WHERE shipment_id IN :ids ORDER BY shipment_id, sequence"
).bindparams(bindparam("ids", expanding=True))


_EVENT_KEYS = text(
    "SELECT shipment_id, fingerprint, sequence, source_code FROM events WHERE shipment_id IN :ids"
).bindparams(bindparam("ids", expanding=True))

#: A shipment's stored events in brief: fingerprints, last sequence, the sources that said them.
EventKeys = tuple[set[str], int, set[str]]


async def load_event_keys(conn: Connection, shipment_ids: Sequence[str]) -> dict[str, EventKeys]:
    """Per shipment: the fingerprints of its stored events, its last sequence and the
    sources of its events."""
    keys: dict[str, EventKeys] = {}
    if shipment_ids:
        for row in await conn.execute(_EVENT_KEYS, {"ids": list(shipment_ids)}):
            fingerprints, last, sources = keys.get(row.shipment_id, (set(), 0, set()))
            fingerprints.add(row.fingerprint)
            sources.add(row.source_code)
            keys[row.shipment_id] = (fingerprints, max(last, row.sequence), sources)
    return keys


_REPLACE_EVENT = (
    events.update()
    .where(events.c.id == bindparam("b_id"))
    .values(
        event_tracking_number=bindparam("b_number"),
        courier_code=bindparam("courier_code"),
        source_code=bindparam("source_code"),
        status=bindparam("status"),
        carrier_status_code=bindparam("carrier_status_code"),
        location=bindparam("location"),
        occurrence_datetime=bindparam("occurrence_datetime"),
        courier_order=bindparam("courier_order"),
        status_code=bindparam("status_code"),
        rule_id=bindparam("rule_id"),
        fingerprint=bindparam("fingerprint"),
    )
)


_OUTCOME_UPSERT = (
    " ON CONFLICT (tracker_id, source) DO UPDATE SET outcome = excluded.outcome, "
    "detail = excluded.detail, checked_at = excluded.checked_at"
)
_OUTCOMES_SQLITE = (
    "INSERT INTO tracker_source_outcomes (tracker_id, source, outcome, detail, checked_at) "
    "VALUES (?, ?, ?, ?, ?)" + _OUTCOME_UPSERT
)
_OUTCOMES_POSTGRES = (
    "INSERT INTO tracker_source_outcomes (tracker_id, source, outcome, detail, checked_at) "
    "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])"
    + _OUTCOME_UPSERT
)


async def record_outcomes(conn: Connection, rows: list[dict[str, Any]], *, postgres: bool) -> None:
    """Each source's last outcome per tracker (``tracker_source_outcomes``), in the refresh's
    own transaction: one statement for the batch on PostgreSQL, one ``executemany`` of plain
    tuples on SQLite. At most one row per tracker and source."""
    if not rows:
        return
    values = DriverValues(sqlite=not postgres)
    tuples = [
        (r["tracker_id"], r["source"], r["outcome"], r["detail"], r["checked_at"]) for r in rows
    ]
    if postgres:
        columns = [list(column) for column in zip(*tuples, strict=True)]
        columns[4] = [aware(t) for t in columns[4]]
        await conn.exec_driver_sql(_OUTCOMES_POSTGRES, tuple(columns))
    else:
        await conn.exec_driver_sql(_OUTCOMES_SQLITE, [values.row(t) for t in tuples])


async def replace_events(conn: Connection, replaced: Sequence[tuple[Any, str]]) -> None:
    """Stored events take a better source's report of the same scan: ``(timeline event,
    fingerprint)`` pairs; id, sequence and discovery time stay."""
    if replaced:
        await conn.execute(
            _REPLACE_EVENT,
            [
                {
                    "b_id": e.event_id,
                    "b_number": e.tracking_number,
                    "courier_code": e.courier_code,
                    "source_code": e.source_code,
                    "status": e.status,
                    "carrier_status_code": e.carrier_status_code,
                    "location": e.location,
                    "occurrence_datetime": e.occurrence_datetime,
                    "courier_order": e.order,
                    "status_code": e.status_code,
                    "rule_id": e.rule_id,
                    "fingerprint": fingerprint,
                }
                for e, fingerprint in replaced
            ],
        )


async def load_events(
    conn: Connection, shipment_ids: Sequence[str], loaded: dict[str, list[Any]] | None = None
) -> dict[str, list[Any]]:
    """Each shipment's stored events, by sequence; ``loaded``: those read already."""
    found: dict[str, list[Any]] = {s: (loaded or {}).get(s, []) for s in shipment_ids}
    missing = [s for s in shipment_ids if loaded is None or s not in loaded]
    if missing:
        for row in await conn.execute(_EVENTS, {"ids": missing}):
            found[row.shipment_id].append(row)
    return found


#: A new event as ``insert_events`` takes it: these columns' values, in this order (all
#: plain strings and integers; the discovery time is the batch's, given once).
EVENT_COLUMNS = (
    "id",
    "shipment_id",
    "sequence",
    "event_tracking_number",
    "courier_code",
    "source_code",
    "status",
    "carrier_status_code",
    "location",
    "occurrence_datetime",
    "courier_order",
    "status_code",
    "rule_id",
    "fingerprint",
)
_INSERT_EVENTS_SQLITE = (
    f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}, discovered_at) "
    f"VALUES ({', '.join('?' * (len(EVENT_COLUMNS) + 1))}) ON CONFLICT DO NOTHING"
)
# One statement for the whole batch: the rows travel as one JSON document, which the driver
# sends as one text value (as arrays, one per column, asyncpg checked every value's type:
# ~4 µs of the worker's CPU per event) and PostgreSQL reads back with json_to_recordset.
_INSERT_EVENTS_POSTGRES = (
    f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}, discovered_at) "
    f"SELECT {', '.join(EVENT_COLUMNS)}, $2::timestamptz FROM json_to_recordset($1::json) AS x("
    + ", ".join(
        f"{name} {'int' if name in ('sequence', 'courier_order') else 'text'}"
        for name in EVENT_COLUMNS
    )
    + ") ON CONFLICT DO NOTHING"
)
_INSERT_EVENTS_POSTGRES_PLAIN = _INSERT_EVENTS_POSTGRES.removesuffix(" ON CONFLICT DO NOTHING")


async def insert_events(
    conn: Connection, rows: Sequence[tuple[Any, ...]], discovered_at: dt.datetime, *, postgres: bool
) -> None:
    """New events (``EVENT_COLUMNS`` tuples) discovered at ``discovered_at``; an event already
    stored (by fingerprint or sequence) is skipped. A first check stores ~9 at once: on
    SQLite one ``executemany`` of plain tuples, on PostgreSQL one statement per batch."""
    if not rows:
        return
    if postgres:
        document = orjson.dumps([dict(zip(EVENT_COLUMNS, row, strict=True)) for row in rows])
        driver = await in_transaction_driver(conn)
        values = (document.decode(), aware(discovered_at))
        # A plain insert first: ``ON CONFLICT DO NOTHING`` probes every unique index of
        # ``events`` before each row (~4 µs of the server's CPU per event, a sixth of what a
        # first check costs it). The merge ran under the trackers' locks, so a conflict
        # should not happen; if one does, the batch's events go in again, skipping it.
        await driver.execute("SAVEPOINT new_events")
        try:
            await driver.execute(_INSERT_EVENTS_POSTGRES_PLAIN, *values)
        except asyncpg.UniqueViolationError:
            await driver.execute("ROLLBACK TO SAVEPOINT new_events")
            await driver.execute(_INSERT_EVENTS_POSTGRES, *values)
        await driver.execute("RELEASE SAVEPOINT new_events")
        return
    stamp = (DriverValues(sqlite=True).sqlite_time(discovered_at),)
    await conn.exec_driver_sql(_INSERT_EVENTS_SQLITE, [row + stamp for row in rows])


async def insert_shipments(conn: Connection, rows: list[dict[str, Any]], *, postgres: bool) -> None:
    await insert_rows(conn, shipments, rows, sqlite=not postgres)


_SHIPMENT_CHANGES = (
    "status_code",
    "status_category",
    "status_milestone",
    "origin_country_code",
    "destination_country_code",
    "tracking_numbers",
    "event_count",
    "details",
    "tracking_json",
    "updated_at",
)
_UPDATE_SHIPMENT = RawQuery.of(
    f"UPDATE shipments SET {', '.join(f'{c} = ?' for c in _SHIPMENT_CHANGES)} WHERE id = ?"
)


async def update_shipments(conn: Connection, rows: list[dict[str, Any]], *, postgres: bool) -> None:
    """Re-rendered shipments (``_shipment_row``'s dictionaries), as plain tuples to the
    driver: SQLAlchemy's per-row parameter processing cost more than the update."""
    if not rows:
        return
    values = DriverValues(sqlite=not postgres)
    tuples = [values.row([*(r[c] for c in _SHIPMENT_CHANGES), r["id"]]) for r in rows]
    if postgres:
        await (await in_transaction_driver(conn)).executemany(_UPDATE_SHIPMENT.postgres, tuples)
        return
    await execute_many(conn, _UPDATE_SHIPMENT, tuples, sqlite=True)


async def delete_stopped_trackers(
    conn: Connection, *, before: dt.datetime, limit: int, postgres: bool
) -> int:
    """Delete up to ``limit`` trackers whose tracking stopped (``is_tracked`` false) and that
    nobody touched since ``before`` — neither a check nor an update — with their schedule,
    shipments and events. On PostgreSQL the chosen trackers are locked (``SKIP LOCKED``:
    engines running this at once take different trackers; a tracker being updated is
    skipped)."""
    query = (
        select(trackers.c.id, trackers.c.shipment_id)
        .select_from(trackers.outerjoin(schedule, schedule.c.tracker_id == trackers.c.id))
        .where(
            ~trackers.c.is_tracked,
            trackers.c.updated_at < before,
            or_(schedule.c.last_checked_at.is_(None), schedule.c.last_checked_at < before),
        )
        .limit(limit)
    )
    if postgres:
        query = query.with_for_update(skip_locked=True, of=trackers)
    rows = (await conn.execute(query)).all()
    if not rows:
        return 0
    tracker_ids = [r.id for r in rows]
    shipment_ids = [r.shipment_id for r in rows]
    await conn.execute(delete(events).where(events.c.shipment_id.in_(shipment_ids)))
    await conn.execute(delete(shipments).where(shipments.c.tracker_id.in_(tracker_ids)))
    await conn.execute(delete(outcomes).where(outcomes.c.tracker_id.in_(tracker_ids)))
    await conn.execute(delete(schedule).where(schedule.c.tracker_id.in_(tracker_ids)))
    result = await conn.execute(
        delete(trackers).where(and_(trackers.c.id.in_(tracker_ids), ~trackers.c.is_tracked))
    )
    return int(result.rowcount)


def unmatched_query(limit: int) -> Select[Any]:
    """Raw (courier, code, text) the normaliser could not explain, most frequent first."""
    return (
        select(
            events.c.courier_code,
            events.c.carrier_status_code,
            events.c.status,
            func.count().label("count"),
            func.max(events.c.discovered_at).label("last_seen"),
        )
        # A literal, not a parameter: the planner matches it to the partial index.
        .where(events.c.rule_id == literal_column("'unmatched'"))
        .group_by(events.c.courier_code, events.c.carrier_status_code, events.c.status)
        .order_by(func.count().desc(), events.c.status)
        .limit(limit)
    )


async def unmatched_texts(conn: Connection, limit: int) -> list[Row[Any]]:
    """Raw (courier, code, text) the normaliser could not explain, most frequent first."""
    return list((await conn.execute(unmatched_query(limit))).all())

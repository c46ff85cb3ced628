"""All SQL of the tracking engine: claiming due trackers, loading and storing timelines.

One module on purpose (under 500 lines): every statement the engine sends is here,
beside the ones it must stay consistent with (a claim and its release, an event's insert and
its replacement, the per-dialect forms of one write).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Row,
    Select,
    TextClause,
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
from shiptrack.db.types import UTCDateTime

CLAIM_COLUMNS = (
    "id, account_id, tracking_number, client_tracker_id, shipment_reference, courier_codes, "
    "restrict_to_courier, origin_country_code, destination_country_code, "
    "destination_post_code, shipping_date, created_at, shipment_id, check_count, error_count, "
    "has_data, last_event_at, is_subscribed, due_at"
)
_TYPES = {
    "courier_codes": JSON(),
    "restrict_to_courier": Boolean(),
    "has_data": Boolean(),
    "is_subscribed": Boolean(),
    "shipping_date": Date(),
    "created_at": UTCDateTime(),
    "last_event_at": UTCDateTime(),
    "due_at": UTCDateTime(),
}
_TIMES = (bindparam("now", type_=UTCDateTime()), bindparam("lease_until", type_=UTCDateTime()))


def _claim(sql: str) -> TextClause:
    return text(sql).bindparams(*_TIMES).columns(**_TYPES)  # type: ignore[return-value]


_LEASE = (
    "SET due_at = next_check_at, next_check_at = :lease_until, lease_until = :lease_until, "
    "lease_owner = :owner"
)
_DUE = "SELECT id FROM trackers WHERE is_tracked AND next_check_at <= :now"

_CLAIM_DUE_SQLITE = _claim(
    f"UPDATE trackers {_LEASE} WHERE id IN ({_DUE} ORDER BY next_check_at LIMIT :limit) "
    f"RETURNING {CLAIM_COLUMNS}"
)
# SKIP LOCKED: concurrent workers each get different rows and never wait for each other.
_CLAIM_DUE_POSTGRES = _claim(
    f"UPDATE trackers {_LEASE} WHERE id IN "
    f"({_DUE} ORDER BY next_check_at LIMIT :limit FOR UPDATE SKIP LOCKED) "
    f"RETURNING {CLAIM_COLUMNS}"
)
_CLAIM_NEW = _claim(
    f"UPDATE trackers {_LEASE} WHERE id = :id AND is_tracked AND check_count = 0 "
    f"AND next_check_at <= :now RETURNING {CLAIM_COLUMNS}"
)


async def claim_due(
    conn: Connection,
    *,
    postgres: bool,
    now: dt.datetime,
    lease_until: dt.datetime,
    owner: str,
    limit: int,
) -> list[Row[Any]]:
    """Lease up to ``limit`` due trackers: their ``next_check_at`` moves to the lease's end,
    so they are due again (for anyone) if this worker dies before storing the refresh."""
    statement = _CLAIM_DUE_POSTGRES if postgres else _CLAIM_DUE_SQLITE
    params = {"now": now, "lease_until": lease_until, "owner": owner, "limit": limit}
    return list(await conn.execute(statement, params))


async def claim_new(
    conn: Connection,
    tracker_id: str,
    *,
    now: dt.datetime,
    lease_until: dt.datetime,
    owner: str,
) -> Row[Any] | None:
    """Lease one never-checked tracker for its synchronous first fetch, if nobody has it."""
    params = {"id": tracker_id, "now": now, "lease_until": lease_until, "owner": owner}
    return (await conn.execute(_CLAIM_NEW, params)).first()


_CHECKED = text("SELECT check_count FROM trackers WHERE id = :id")


async def check_count(conn: Connection, tracker_id: str) -> int:
    return int((await conn.execute(_CHECKED, {"id": tracker_id})).scalar_one())


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


_OWNED = text(
    "SELECT id FROM trackers WHERE id IN :ids AND lease_owner = :owner AND is_tracked"
).bindparams(bindparam("ids", expanding=True))
_OWNED_FOR_UPDATE = text(
    "SELECT id FROM trackers WHERE id IN :ids AND lease_owner = :owner AND is_tracked "
    "ORDER BY id FOR UPDATE"
).bindparams(bindparam("ids", expanding=True))


async def still_owned(
    conn: Connection, tracker_ids: Sequence[str], owner: str, *, postgres: bool
) -> set[str]:
    """The trackers this worker still holds, still tracked (not unsubscribed meanwhile);
    locked until commit on PostgreSQL."""
    if not tracker_ids:
        return set()
    statement = _OWNED_FOR_UPDATE if postgres else _OWNED
    rows = await conn.execute(statement, {"ids": sorted(tracker_ids), "owner": owner})
    return {r.id for r in rows}


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
        await driver.execute(_INSERT_EVENTS_POSTGRES, document.decode(), aware(discovered_at))
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


_FINISH = RawQuery.of(
    "UPDATE trackers SET next_check_at = ?, lease_until = NULL, lease_owner = NULL, "
    "due_at = NULL, check_count = check_count + 1, last_checked_at = ?, "
    "last_event_at = COALESCE(?, last_event_at), error_count = ?, "
    "has_data = (has_data OR ?), is_tracked = ?, stop_reason = ?, updated_at = ? "
    "WHERE id = ? AND lease_owner = ?"
)


async def finish_checks(conn: Connection, rows: list[dict[str, Any]], *, postgres: bool) -> None:
    """Store each tracker's new schedule and counters and release its lease (plain tuples
    to the driver: every refresh ends here). One prepared statement per row: an ``UPDATE …
    FROM unnest(…)`` of the batch cost PostgreSQL more (its join to ``trackers``)."""
    values = DriverValues(sqlite=not postgres)
    await execute_many(
        conn,
        _FINISH,
        [
            values.row(
                (
                    r["next_check_at"],
                    r["now"],
                    r["last_event_at"],
                    r["error_count"],
                    r["has_data"],
                    r["is_tracked"],
                    r["stop_reason"],
                    r["now"],
                    r["id"],
                    r["owner"],
                )
            )
            for r in rows
        ],
        sqlite=not postgres,
    )


_RELEASE = text(
    "UPDATE trackers SET next_check_at = :now, lease_until = NULL, lease_owner = NULL "
    "WHERE id IN :ids AND lease_owner = :owner"
).bindparams(bindparam("ids", expanding=True), bindparam("now", type_=UTCDateTime()))


async def release(
    conn: Connection, tracker_ids: Sequence[str], owner: str, now: dt.datetime
) -> None:
    """Give leased trackers back, due now (graceful shutdown, abandoned first fetch)."""
    if tracker_ids:
        await conn.execute(_RELEASE, {"ids": list(tracker_ids), "owner": owner, "now": now})


_DUE_BACKLOG = text(
    "SELECT COUNT(*) FROM trackers WHERE is_tracked AND next_check_at <= :now"
).bindparams(bindparam("now", type_=UTCDateTime()))


async def due_backlog(conn: Connection, now: dt.datetime) -> int:
    return int((await conn.execute(_DUE_BACKLOG, {"now": now})).scalar_one())


async def delete_stopped_trackers(
    conn: Connection, *, before: dt.datetime, limit: int, postgres: bool
) -> int:
    """Delete up to ``limit`` trackers whose tracking stopped (``is_tracked`` false) and that
    nobody touched since ``before`` — neither a check nor an update — with their shipments
    and events. On PostgreSQL the chosen rows are locked (``SKIP LOCKED``: engines running
    this at once take different trackers; a tracker being updated is skipped)."""
    query = (
        select(trackers.c.id, trackers.c.shipment_id)
        .where(
            ~trackers.c.is_tracked,
            trackers.c.updated_at < before,
            or_(trackers.c.last_checked_at.is_(None), trackers.c.last_checked_at < before),
        )
        .limit(limit)
    )
    if postgres:
        query = query.with_for_update(skip_locked=True)
    rows = (await conn.execute(query)).all()
    if not rows:
        return 0
    tracker_ids = [r.id for r in rows]
    shipment_ids = [r.shipment_id for r in rows]
    await conn.execute(delete(events).where(events.c.shipment_id.in_(shipment_ids)))
    await conn.execute(delete(shipments).where(shipments.c.tracker_id.in_(tracker_ids)))
    await conn.execute(delete(outcomes).where(outcomes.c.tracker_id.in_(tracker_ids)))
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

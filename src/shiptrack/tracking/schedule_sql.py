"""The engine's schedule in SQL (``tracker_schedule``, decision 28): claiming due trackers,
checking a lease is still held, storing a check's schedule and counters, giving leases back.

A claim and its release, a lease and the statements that honour it, stay together here;
:mod:`tracking.repository` holds the rest of the engine's SQL (shipments, events, outcomes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Row, TextClause, bindparam, text

from shiptrack.db.driver import DriverValues, execute_many
from shiptrack.db.engine import Connection, RawQuery
from shiptrack.db.types import UTCDateTime

#: What a claim returns: the tracker's columns the refresh reads (``t``) and its schedule's
#: (``s``, ``tracker_schedule``).
CLAIM_COLUMNS = (
    "t.id, t.account_id, t.tracking_number, t.client_tracker_id, t.shipment_reference, "
    "t.courier_codes, t.restrict_to_courier, t.origin_country_code, "
    "t.destination_country_code, t.destination_post_code, t.shipping_date, t.created_at, "
    "t.shipment_id, t.is_subscribed, s.check_count, s.error_count, s.has_data, "
    "s.last_event_at, s.due_at"
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


# A claim rewrites only the narrow schedule row (decision 28): the tracker's own row, read
# for the refresh, is neither written nor locked.
_LEASE = (
    "SET due_at = next_check_at, next_check_at = :lease_until, lease_until = :lease_until, "
    "lease_owner = :owner"
)
_DUE = "SELECT tracker_id FROM tracker_schedule WHERE next_check_at <= :now"

# SQLite: RETURNING may not name the joined table, so the claim returns the ids and one read
# joins them to their trackers, under the same write lock.
_CLAIM_DUE_SQLITE = text(
    f"UPDATE tracker_schedule {_LEASE} WHERE tracker_id IN "
    f"({_DUE} ORDER BY next_check_at LIMIT :limit) RETURNING tracker_id"
).bindparams(*_TIMES)
_CLAIM_NEW_SQLITE = text(
    f"UPDATE tracker_schedule {_LEASE} WHERE tracker_id = :id AND check_count = 0 "
    "AND next_check_at <= :now RETURNING tracker_id"
).bindparams(*_TIMES)
_CLAIMED_SQLITE = (
    text(
        f"SELECT {CLAIM_COLUMNS} FROM tracker_schedule s JOIN trackers t ON t.id = s.tracker_id "
        "WHERE s.tracker_id IN :ids"
    )
    .bindparams(bindparam("ids", expanding=True))
    .columns(**_TYPES)
)
# SKIP LOCKED: concurrent workers each get different rows and never wait for each other.
_CLAIM_DUE_POSTGRES = _claim(
    f"UPDATE tracker_schedule s {_LEASE} FROM trackers t WHERE t.id = s.tracker_id AND "
    f"s.tracker_id IN ({_DUE} ORDER BY next_check_at LIMIT :limit FOR UPDATE SKIP LOCKED) "
    f"RETURNING {CLAIM_COLUMNS}"
)
_CLAIM_NEW_POSTGRES = _claim(
    f"UPDATE tracker_schedule s {_LEASE} FROM trackers t WHERE t.id = s.tracker_id AND "
    "s.tracker_id = :id AND s.check_count = 0 AND s.next_check_at <= :now "
    f"RETURNING {CLAIM_COLUMNS}"
)


async def _claimed_sqlite(
    conn: Connection, statement: TextClause, params: dict[str, Any]
) -> list[Row[Any]]:
    ids = [row[0] for row in await conn.execute(statement, params)]
    if not ids:
        return []
    return list(await conn.execute(_CLAIMED_SQLITE, {"ids": ids}))


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
    params = {"now": now, "lease_until": lease_until, "owner": owner, "limit": limit}
    if postgres:
        return list(await conn.execute(_CLAIM_DUE_POSTGRES, params))
    return await _claimed_sqlite(conn, _CLAIM_DUE_SQLITE, params)


async def claim_new(
    conn: Connection,
    tracker_id: str,
    *,
    now: dt.datetime,
    lease_until: dt.datetime,
    owner: str,
    postgres: bool,
) -> Row[Any] | None:
    """Lease one never-checked tracker for its synchronous first fetch, if nobody has it."""
    params = {"id": tracker_id, "now": now, "lease_until": lease_until, "owner": owner}
    if postgres:
        return (await conn.execute(_CLAIM_NEW_POSTGRES, params)).first()
    rows = await _claimed_sqlite(conn, _CLAIM_NEW_SQLITE, params)
    return rows[0] if rows else None


_CHECKED = text("SELECT check_count FROM tracker_schedule WHERE tracker_id = :id")


async def check_count(conn: Connection, tracker_id: str) -> int:
    return int((await conn.execute(_CHECKED, {"id": tracker_id})).scalar_one())


_OWNED = text(
    "SELECT tracker_id FROM tracker_schedule WHERE tracker_id IN :ids AND lease_owner = :owner"
).bindparams(bindparam("ids", expanding=True))
_OWNED_FOR_UPDATE = text(
    "SELECT tracker_id FROM tracker_schedule WHERE tracker_id IN :ids AND lease_owner = :owner "
    "ORDER BY tracker_id FOR UPDATE"
).bindparams(bindparam("ids", expanding=True))


async def still_owned(
    conn: Connection, tracker_ids: Sequence[str], owner: str, *, postgres: bool
) -> set[str]:
    """The trackers this worker still holds (an unsubscribe meanwhile cleared the lease);
    their schedule rows locked until commit on PostgreSQL."""
    if not tracker_ids:
        return set()
    statement = _OWNED_FOR_UPDATE if postgres else _OWNED
    rows = await conn.execute(statement, {"ids": sorted(tracker_ids), "owner": owner})
    return {r.tracker_id for r in rows}


_FINISH = RawQuery.of(
    "UPDATE tracker_schedule SET next_check_at = ?, lease_until = NULL, lease_owner = NULL, "
    "due_at = NULL, check_count = check_count + 1, last_checked_at = ?, "
    "last_event_at = COALESCE(?, last_event_at), error_count = ?, has_data = (has_data OR ?) "
    "WHERE tracker_id = ? AND lease_owner = ?"
)
_STOP = RawQuery.of(
    "UPDATE trackers SET is_tracked = false, stop_reason = ?, updated_at = ? WHERE id = ?"
)


async def finish_checks(conn: Connection, rows: list[dict[str, Any]], *, postgres: bool) -> None:
    """Store each tracker's new schedule and counters and release its lease (plain tuples
    to the driver: every refresh ends here), for trackers :func:`still_owned` found held.
    Only a tracker whose tracking stops has its ``trackers`` row written (``is_tracked``,
    ``stop_reason``); every other check writes its narrow schedule row alone (decision 28).
    One prepared statement per row: an ``UPDATE … FROM unnest(…)`` of the batch cost
    PostgreSQL more (decision 25)."""
    values = DriverValues(sqlite=not postgres)
    await execute_many(
        conn,
        _FINISH,
        [
            values.row(
                (
                    r["next_check_at"] if r["is_tracked"] else None,
                    r["now"],
                    r["last_event_at"],
                    r["error_count"],
                    r["has_data"],
                    r["id"],
                    r["owner"],
                )
            )
            for r in rows
        ],
        sqlite=not postgres,
    )
    stopped = [
        values.row((r["stop_reason"], r["now"], r["id"])) for r in rows if not r["is_tracked"]
    ]
    if stopped:
        await execute_many(conn, _STOP, stopped, sqlite=not postgres)


_RELEASE = text(
    "UPDATE tracker_schedule SET next_check_at = :now, lease_until = NULL, lease_owner = NULL "
    "WHERE tracker_id IN :ids AND lease_owner = :owner"
).bindparams(bindparam("ids", expanding=True), bindparam("now", type_=UTCDateTime()))


async def release(
    conn: Connection, tracker_ids: Sequence[str], owner: str, now: dt.datetime
) -> None:
    """Give leased trackers back, due now (graceful shutdown, abandoned first fetch)."""
    if tracker_ids:
        await conn.execute(_RELEASE, {"ids": list(tracker_ids), "owner": owner, "now": now})


_DUE_BACKLOG = text("SELECT COUNT(*) FROM tracker_schedule WHERE next_check_at <= :now").bindparams(
    bindparam("now", type_=UTCDateTime())
)


async def due_backlog(conn: Connection, now: dt.datetime) -> int:
    return int((await conn.execute(_DUE_BACKLOG, {"now": now})).scalar_one())

"""Reads over an account's trackers for people: the operator console's filtered list and the
figures of its charts (milestones of recent trackers, delivered shipments' tracking JSON).
Their SQL lives here with them, as nothing else asks these questions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Row, String, cast, func, or_, select

from shiptrack.db.engine import Connection, Database
from shiptrack.db.tables import events, shipments, tracker_schedule, trackers
from shiptrack.trackers.repository import TRACKER_COLUMNS


@dataclass(frozen=True, slots=True)
class TrackerFilter:
    """What the operator console's tracker list asks for (every member optional).

    ``text`` matches the tracking number (as upper case), clientTrackerId or
    shipmentReference exactly; ``courier`` a courier code the tracker was given or one that
    answered for it; ``tracked`` True for trackers still tracked, False for stopped ones;
    ``created_from`` inclusive, ``created_to`` exclusive."""

    text: str | None = None
    milestone: str | None = None
    courier: str | None = None
    tracked: bool | None = None
    created_from: dt.datetime | None = None
    created_to: dt.datetime | None = None


def _filtered(query: Any, account_id: str, wanted: TrackerFilter) -> Any:
    query = query.where(trackers.c.account_id == account_id)
    if wanted.text:
        query = query.where(
            or_(
                trackers.c.tracking_number == wanted.text.upper(),
                trackers.c.client_tracker_id == wanted.text,
                trackers.c.shipment_reference == wanted.text,
            )
        )
    if wanted.milestone:
        query = query.where(shipments.c.status_milestone == wanted.milestone)
    if wanted.courier:
        answered = (
            select(events.c.id)
            .where(
                events.c.shipment_id == trackers.c.shipment_id,
                events.c.courier_code == wanted.courier,
            )
            .exists()
        )
        given = cast(trackers.c.courier_codes, String).like(f'%"{wanted.courier}"%')
        query = query.where(or_(given, answered))
    if wanted.tracked is not None:
        query = query.where(trackers.c.is_tracked == wanted.tracked)
    if wanted.created_from is not None:
        query = query.where(trackers.c.created_at >= wanted.created_from)
    if wanted.created_to is not None:
        query = query.where(trackers.c.created_at < wanted.created_to)
    return query


_WITH_SHIPMENT = trackers.outerjoin(shipments, shipments.c.id == trackers.c.shipment_id)


async def _search(
    conn: Connection, account_id: str, wanted: TrackerFilter, *, offset: int, limit: int
) -> tuple[list[Row[Any]], int]:
    """A page of the account's trackers matching ``wanted``, newest first, with their
    milestone and last check; and how many match in all."""
    columns = (
        *TRACKER_COLUMNS,
        tracker_schedule.c.last_checked_at,
        trackers.c.stop_reason,
        shipments.c.status_milestone,
        shipments.c.event_count,
    )
    with_schedule = _WITH_SHIPMENT.outerjoin(
        tracker_schedule, tracker_schedule.c.tracker_id == trackers.c.id
    )
    query = _filtered(select(*columns).select_from(with_schedule), account_id, wanted)
    rows = await conn.execute(
        query.order_by(trackers.c.account_seq.desc()).offset(offset).limit(limit)
    )
    counted = _filtered(select(func.count()).select_from(_WITH_SHIPMENT), account_id, wanted)
    total = (await conn.execute(counted)).scalar_one()
    return list(rows), int(total)


async def _created_milestones(
    conn: Connection, account_id: str, since: dt.datetime, limit: int
) -> list[Row[Any]]:
    """``(created_at, status_milestone)`` of the account's trackers created since ``since``."""
    query = (
        select(trackers.c.created_at, shipments.c.status_milestone)
        .select_from(_WITH_SHIPMENT)
        .where(trackers.c.account_id == account_id, trackers.c.created_at >= since)
        .order_by(trackers.c.created_at.desc())
        .limit(limit)
    )
    return list(await conn.execute(query))


async def _delivered_results(conn: Connection, account_id: str, limit: int) -> list[Row[Any]]:
    """The stored tracking JSON of the account's latest delivered shipments."""
    query = (
        select(shipments.c.tracking_json)
        .select_from(_WITH_SHIPMENT)
        .where(
            trackers.c.account_id == account_id,
            shipments.c.status_milestone == "delivered",
        )
        .order_by(trackers.c.account_seq.desc())
        .limit(limit)
    )
    return list(await conn.execute(query))


async def search(
    db: Database, account_id: str, wanted: TrackerFilter, *, page: int, limit: int
) -> tuple[list[Row[Any]], int]:
    """A page (from 1) of the account's trackers matching ``wanted``, newest first, and the
    number matching in all (the operator console's list)."""
    async with db.read() as conn:
        return await _search(conn, account_id, wanted, offset=(page - 1) * limit, limit=limit)


async def created_milestones(
    db: Database, account_id: str, since: dt.datetime, *, limit: int = 50_000
) -> list[Row[Any]]:
    """When each of the account's recent trackers was created and its milestone now."""
    async with db.read() as conn:
        return await _created_milestones(conn, account_id, since, limit)


async def delivered_trackings(db: Database, account_id: str, *, limit: int = 2000) -> list[Any]:
    """The tracking JSON (as the API answers it) of the latest delivered shipments."""
    async with db.read() as conn:
        rows = await _delivered_results(conn, account_id, limit)
    return [orjson.loads(b"{" + bytes(row.tracking_json) + b"}") for row in rows]

"""All SQL about trackers (and the shipment rows their results are read from)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, and_, insert, or_, select, update

from shiptrack.db.engine import Connection
from shiptrack.db.tables import accounts, shipments, trackers

#: Columns a tracker's JSON and its results need.
TRACKER_COLUMNS = (
    trackers.c.id,
    trackers.c.tracking_number,
    trackers.c.shipment_reference,
    trackers.c.courier_codes,
    trackers.c.client_tracker_id,
    trackers.c.is_subscribed,
    trackers.c.is_tracked,
    trackers.c.created_at,
    trackers.c.shipment_id,
)


async def lock_account_counter(conn: Connection, account_id: str) -> int:
    """Lock the account row (PostgreSQL; SQLite's write lock already serialises) and return
    how many trackers the account has ever created. Every create for the account serialises
    here, which is what makes concurrent identical creates produce one tracker."""
    count = (
        await conn.execute(
            select(accounts.c.tracker_count).where(accounts.c.id == account_id).with_for_update()
        )
    ).scalar_one()
    return int(count)


async def set_account_counter(conn: Connection, account_id: str, count: int) -> None:
    await conn.execute(
        update(accounts).where(accounts.c.id == account_id).values(tracker_count=count)
    )


async def subscribed_candidates(
    conn: Connection, account_id: str, numbers: Iterable[str], client_ids: Iterable[str]
) -> list[Row[Any]]:
    """The account's subscribed trackers sharing a tracking number or a clientTrackerId."""
    numbers, client_ids = list(set(numbers)), list(set(client_ids))
    conditions = []
    if numbers:
        conditions.append(trackers.c.tracking_number.in_(numbers))
    if client_ids:
        conditions.append(trackers.c.client_tracker_id.in_(client_ids))
    if not conditions:
        return []
    rows = await conn.execute(
        select(trackers)
        .where(trackers.c.account_id == account_id, trackers.c.is_subscribed, or_(*conditions))
        .order_by(trackers.c.account_seq)
    )
    return list(rows)


async def insert_trackers(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(insert(trackers), list(rows))


async def get_tracker(
    conn: Connection,
    account_id: str,
    ref: str,
    *,
    by_client_id: bool,
    columns: Sequence[Any] | None = None,
    for_update: bool = False,
) -> Row[Any] | None:
    """One tracker by trackerId, or by clientTrackerId (the subscribed one, else the newest)."""
    query = select(*(columns or [trackers])).where(trackers.c.account_id == account_id)
    if by_client_id:
        query = (
            query.where(trackers.c.client_tracker_id == ref)
            .order_by(trackers.c.is_subscribed.desc(), trackers.c.account_seq.desc())
            .limit(1)
        )
    else:
        query = query.where(trackers.c.id == ref)
    if for_update:
        query = query.with_for_update()
    return (await conn.execute(query)).first()


async def tracker_with_results(
    conn: Connection, account_id: str, ref: str, *, by_client_id: bool
) -> Row[Any] | None:
    """A tracker's columns plus its shipment's rendered results (None before any data)."""
    query = (
        select(*TRACKER_COLUMNS, shipments.c.tracking_json)
        .select_from(trackers.outerjoin(shipments, shipments.c.id == trackers.c.shipment_id))
        .where(trackers.c.account_id == account_id)
    )
    if by_client_id:
        query = (
            query.where(trackers.c.client_tracker_id == ref)
            .order_by(trackers.c.is_subscribed.desc(), trackers.c.account_seq.desc())
            .limit(1)
        )
    else:
        query = query.where(trackers.c.id == ref)
    return (await conn.execute(query)).first()


async def trackers_with_results_by_number(
    conn: Connection, account_id: str, tracking_number: str
) -> list[Row[Any]]:
    rows = await conn.execute(
        select(*TRACKER_COLUMNS, shipments.c.tracking_json)
        .select_from(trackers.outerjoin(shipments, shipments.c.id == trackers.c.shipment_id))
        .where(trackers.c.account_id == account_id, trackers.c.tracking_number == tracking_number)
        .order_by(trackers.c.account_seq)
    )
    return list(rows)


async def results_for_ids(conn: Connection, tracker_ids: Sequence[str]) -> list[Row[Any]]:
    rows = await conn.execute(
        select(*TRACKER_COLUMNS, shipments.c.tracking_json)
        .select_from(trackers.outerjoin(shipments, shipments.c.id == trackers.c.shipment_id))
        .where(trackers.c.id.in_(list(tracker_ids)))
    )
    return list(rows)


async def list_page(
    conn: Connection, account_id: str, *, page: int, limit: int, newest_first: bool
) -> list[Row[Any]]:
    """A page of the account's trackers in creation order, by ordinal (no OFFSET scan)."""
    skip = (page - 1) * limit
    query = select(*TRACKER_COLUMNS).where(trackers.c.account_id == account_id)
    if newest_first:
        total = (
            select(accounts.c.tracker_count).where(accounts.c.id == account_id).scalar_subquery()
        )
        query = query.where(trackers.c.account_seq <= total - skip).order_by(
            trackers.c.account_seq.desc()
        )
    else:
        query = query.where(
            and_(trackers.c.account_seq > skip, trackers.c.account_seq <= skip + limit)
        ).order_by(trackers.c.account_seq)
    return list(await conn.execute(query.limit(limit)))


async def update_tracker(conn: Connection, tracker_id: str, values: dict[str, Any]) -> None:
    await conn.execute(update(trackers).where(trackers.c.id == tracker_id).values(**values))


async def client_id_taken(
    conn: Connection, account_id: str, client_tracker_id: str, except_id: str
) -> bool:
    row = (
        await conn.execute(
            select(trackers.c.id).where(
                trackers.c.account_id == account_id,
                trackers.c.client_tracker_id == client_tracker_id,
                trackers.c.is_subscribed,
                trackers.c.id != except_id,
            )
        )
    ).first()
    return row is not None

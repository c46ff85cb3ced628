"""All SQL about trackers (and the shipment rows their results are read from)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import orjson
from sqlalchemy import (
    ARRAY,
    JSON,
    Boolean,
    LargeBinary,
    Row,
    String,
    TextClause,
    and_,
    bindparam,
    select,
    text,
)
from sqlalchemy import update as sql_update

from shiptrack.db.driver import insert_rows
from shiptrack.db.engine import Connection, Database, RawQuery
from shiptrack.db.tables import accounts, events, shipments, tracker_schedule, trackers
from shiptrack.db.types import UTCDateTime


@dataclass(frozen=True, slots=True)
class NewTracker:
    """A tracker row inserted in the current transaction, with the columns
    :func:`insert_trackers` writes: what a create hands on (its JSON, the reuse rule for the
    next items of the same batch) without reading the row back."""

    id: str
    account_id: str
    account_seq: int
    tracking_number: str
    client_tracker_id: str | None
    shipment_reference: str | None
    origin_country_code: str | None
    destination_country_code: str | None
    destination_post_code: str | None
    shipping_date: dt.date | None
    courier_codes: list[str]
    courier_name: str | None
    tracking_url: str | None
    order_number: str | None
    title: str | None
    recipient_email: str | None
    recipient_name: str | None
    restrict_to_courier: bool
    is_subscribed: bool
    is_tracked: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    shipment_id: str


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

#: What a tracker's diagnostics show besides its identity: where its checks stand.
DIAGNOSTICS_COLUMNS = (
    *TRACKER_COLUMNS,
    tracker_schedule.c.last_checked_at,
    tracker_schedule.c.next_check_at,
    tracker_schedule.c.check_count,
    tracker_schedule.c.error_count,
    trackers.c.stop_reason,
    trackers.c.restrict_to_courier,
    trackers.c.origin_country_code,
    trackers.c.destination_country_code,
    trackers.c.destination_post_code,
    trackers.c.shipping_date,
)


_WITH_SCHEDULE = trackers.join(tracker_schedule, tracker_schedule.c.tracker_id == trackers.c.id)

_TRACKER_SELECT = (
    "t.id, t.tracking_number, t.shipment_reference, t.courier_codes, t.client_tracker_id, "
    "t.is_subscribed, t.is_tracked, t.created_at, t.shipment_id"
)
_TRACKER_TYPES = {
    "courier_codes": JSON(),
    "is_subscribed": Boolean(),
    "is_tracked": Boolean(),
    "created_at": UTCDateTime(),
    "tracking_json": LargeBinary(),
}


def _hot(sql: str) -> TextClause:
    """A read on a hot path as plain SQL: SQLAlchemy then skips building and cache-keying a
    statement tree per call, which cost ~1 ms a request here."""
    return text(sql).columns(**_TRACKER_TYPES)  # type: ignore[return-value]


_RESULTS_BY_ID = _hot(
    f"SELECT {_TRACKER_SELECT}, s.tracking_json FROM trackers t "
    "LEFT JOIN shipments s ON s.id = t.shipment_id "
    "WHERE t.account_id = :account_id AND t.id = :ref"
)
_RESULTS_BY_CLIENT_ID = _hot(
    f"SELECT {_TRACKER_SELECT}, s.tracking_json FROM trackers t "
    "LEFT JOIN shipments s ON s.id = t.shipment_id "
    "WHERE t.account_id = :account_id AND t.client_tracker_id = :ref "
    "ORDER BY t.is_subscribed DESC, t.account_seq DESC LIMIT 1"
)
#: ``GET /trackers/{id}/results``, the API's hottest read, on the driver itself.
_RESULTS_BY_ID_RAW = RawQuery.of(
    f"SELECT {_TRACKER_SELECT}, s.tracking_json FROM trackers t "
    "LEFT JOIN shipments s ON s.id = t.shipment_id "
    "WHERE t.account_id = ? AND t.id = ?"
)
#: ``GET /trackers/{id}`` on the driver: the same columns, no results (read as None).
_TRACKER_BY_ID_RAW = RawQuery.of(
    f"SELECT {_TRACKER_SELECT}, NULL FROM trackers t WHERE t.account_id = ? AND t.id = ?"
)
_TRACKER_BY_ID = _hot(
    f"SELECT {_TRACKER_SELECT} FROM trackers t WHERE t.account_id = :account_id AND t.id = :ref"
)


_LOCK_COUNTER = (
    select(accounts.c.tracker_count)
    .where(accounts.c.id == bindparam("account_id"))
    .with_for_update()
)
_SET_COUNTER = (
    sql_update(accounts)
    .where(accounts.c.id == bindparam("account_id"))
    .values(tracker_count=bindparam("count"))
)


def _candidates(column: Any, name: str) -> Any:
    # No ORDER BY: with one, SQLite walks the account's whole (account_id, account_seq)
    # index instead of looking the values up; the caller sorts the few rows found.
    return select(trackers).where(
        trackers.c.account_id == bindparam("account_id"),
        trackers.c.is_subscribed,
        column.in_(bindparam(name, expanding=True)),
    )


_CANDIDATES_BY_NUMBER = _candidates(trackers.c.tracking_number, "numbers")
# The partial index's own terms, as written there: SQLite uses a partial index only when the
# query states each of them (``is_subscribed = 1`` is not ``is_subscribed``); without them it
# read every tracker of the account for a create with clientTrackerIds.
_CANDIDATES_BY_CLIENT_ID = _candidates(trackers.c.client_tracker_id, "client_ids").where(
    text("is_subscribed AND client_tracker_id IS NOT NULL")
)


def _candidates_by_number_postgres() -> Any:
    # PostgreSQL: one probe of the number index per number, whatever the statistics say.
    # With ``account_id = … AND tracking_number IN (…)`` (or a plain lateral join, which the
    # planner flattens into a hash join) a table filling faster than it is analysed made the
    # planner believe the account held a handful of rows: it read all of them, under the
    # account's lock, for every bulk create (2,300 trackers/s at 30,000 trackers, 500/s by
    # 60,000). ``OFFSET 0`` keeps the lookup a subquery run once per number with the number
    # as its only condition, which only ``ix_trackers_tracking_number`` serves; the account
    # is checked on the rows found (other accounts' trackers of the same numbers, if any).
    # (By clientTrackerId the same trick would not hold: no index has the clientTrackerId
    # first, and per value the planner may pick the account's index; see decision 23.)
    columns = ", ".join(f"t.{c.name}" for c in trackers.c)
    return (
        text(
            f"SELECT {columns} FROM unnest(CAST(:numbers AS VARCHAR[])) AS n(number) "
            "CROSS JOIN LATERAL (SELECT * FROM trackers WHERE tracking_number = n.number "
            "OFFSET 0) AS t WHERE t.account_id = :account_id AND t.is_subscribed"
        )
        .bindparams(bindparam("numbers", type_=ARRAY(String)))
        .columns(*trackers.c)
    )


_CANDIDATES_BY_NUMBER_POSTGRES = _candidates_by_number_postgres()


async def lock_account_counter(conn: Connection, account_id: str) -> int:
    """Lock the account row (PostgreSQL; SQLite's write lock already serialises) and return
    how many trackers the account has ever created. Every create for the account serialises
    here, which is what makes concurrent identical creates produce one tracker."""
    count = (await conn.execute(_LOCK_COUNTER, {"account_id": account_id})).scalar_one()
    return int(count)


async def set_account_counter(conn: Connection, account_id: str, count: int) -> None:
    await conn.execute(_SET_COUNTER, {"account_id": account_id, "count": count})


async def subscribed_candidates(
    conn: Connection,
    account_id: str,
    numbers: Iterable[str],
    client_ids: Iterable[str],
    *,
    postgres: bool,
) -> list[Row[Any]]:
    """The account's subscribed trackers sharing a tracking number or a clientTrackerId
    (two index lookups; one query with OR would scan)."""
    found: dict[str, Row[Any]] = {}
    by_number = _CANDIDATES_BY_NUMBER_POSTGRES if postgres else _CANDIDATES_BY_NUMBER
    for statement, name, values in (
        (by_number, "numbers", set(numbers)),
        (_CANDIDATES_BY_CLIENT_ID, "client_ids", set(client_ids)),
    ):
        if values:
            rows = await conn.execute(statement, {"account_id": account_id, name: list(values)})
            found.update((row.id, row) for row in rows)
    return sorted(found.values(), key=lambda row: row.account_seq)


async def insert_trackers(
    conn: Connection, rows: Sequence[dict[str, Any]], *, sqlite: bool
) -> None:
    """Insert new trackers, as plain tuples to the driver (``db.driver``): SQLAlchemy's
    per-row parameter processing was the largest cost of a bulk create (~60 µs a row).
    Each gets its schedule row (decision 28), due at once: the engine's first check."""
    await insert_rows(conn, trackers, rows, sqlite=sqlite)
    schedule = [{"tracker_id": r["id"], "next_check_at": r["created_at"]} for r in rows]
    await insert_rows(conn, tracker_schedule, schedule, sqlite=sqlite)


async def get_tracker(
    conn: Connection,
    account_id: str,
    ref: str,
    *,
    by_client_id: bool,
    columns: Sequence[Any] | None = None,
    for_update: bool = False,
) -> Row[Any] | None:
    """One tracker by trackerId, or by clientTrackerId (the subscribed one, else the newest).
    Without ``columns``: all of the tracker's and ``has_data`` from its schedule; with
    ``for_update`` its schedule row is locked too (PostgreSQL)."""
    if columns is TRACKER_COLUMNS and not by_client_id and not for_update:
        return (await conn.execute(_TRACKER_BY_ID, {"account_id": account_id, "ref": ref})).first()
    wanted = columns or [trackers, tracker_schedule.c.has_data]
    query = select(*wanted).where(trackers.c.account_id == account_id)
    if columns is None or any(getattr(c, "table", None) is tracker_schedule for c in columns):
        query = query.select_from(_WITH_SCHEDULE)
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
    query = _RESULTS_BY_CLIENT_ID if by_client_id else _RESULTS_BY_ID
    return (await conn.execute(query, {"account_id": account_id, "ref": ref})).first()


class ResultsRow(NamedTuple):
    """A tracker's columns plus its shipment's rendered results, typed as SQLAlchemy reads
    them (``TRACKER_COLUMNS`` and ``tracking_json``)."""

    id: str
    tracking_number: str
    shipment_reference: str | None
    courier_codes: list[str]
    client_tracker_id: str | None
    is_subscribed: bool
    is_tracked: bool
    created_at: dt.datetime
    shipment_id: str
    tracking_json: bytes | None


def _results_row(raw: Sequence[Any]) -> ResultsRow:
    """A ``_RESULTS_BY_ID_RAW`` row as the drivers give it, typed: SQLite stores JSON and
    timestamps as text (naive UTC) and booleans as 0/1; asyncpg answers JSON as text."""
    number, reference, codes, client_id, subscribed, tracked, created, shipment_id, rendered = raw[
        1:
    ]
    if isinstance(created, str):
        created = dt.datetime.fromisoformat(created).replace(tzinfo=dt.UTC)
    else:
        created = created.astimezone(dt.UTC)
    return ResultsRow(
        raw[0],
        number,
        reference,
        orjson.loads(codes) if isinstance(codes, str | bytes) else list(codes),
        client_id,
        bool(subscribed),
        bool(tracked),
        created,
        shipment_id,
        bytes(rendered) if rendered is not None else None,
    )


async def results_by_id(db: Database, account_id: str, tracker_id: str) -> ResultsRow | None:
    """``tracker_with_results`` by trackerId, read on the driver (``Database.fetch_first``):
    the same row, without SQLAlchemy's per-statement work."""
    raw = await db.fetch_first(_RESULTS_BY_ID_RAW, (account_id, tracker_id))
    return _results_row(raw) if raw is not None else None


async def stored_results_by_id(
    db: Database, account_id: str, tracker_id: str
) -> Sequence[Any] | None:
    """:func:`results_by_id`'s row as the driver reads it, untyped (``ResultsRow``'s columns
    in its order: SQLite's text for JSON and timestamps, 0/1 for booleans), for
    ``presenter.stored_results_body``."""
    return await db.fetch_first(_RESULTS_BY_ID_RAW, (account_id, tracker_id))


async def tracker_by_id(db: Database, account_id: str, tracker_id: str) -> ResultsRow | None:
    """A tracker's ``TRACKER_COLUMNS`` by trackerId, read on the driver like
    :func:`results_by_id` (``tracking_json`` None)."""
    raw = await db.fetch_first(_TRACKER_BY_ID_RAW, (account_id, tracker_id))
    return _results_row(raw) if raw is not None else None


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


async def update_tracker(
    conn: Connection,
    tracker_id: str,
    values: dict[str, Any],
    *,
    schedule: dict[str, Any] | None = None,
) -> None:
    """Change a tracker's columns, and with ``schedule`` its schedule row's (same
    transaction: an unsubscribe takes it out of the claims, a resubscribe makes it due)."""
    await conn.execute(sql_update(trackers).where(trackers.c.id == tracker_id).values(**values))
    if schedule:
        await conn.execute(
            sql_update(tracker_schedule)
            .where(tracker_schedule.c.tracker_id == tracker_id)
            .values(**schedule)
        )


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


async def shipment_events(conn: Connection, shipment_id: str) -> list[Row[Any]]:
    """A shipment's stored events in discovery order (the diagnostics view)."""
    query = select(events).where(events.c.shipment_id == shipment_id).order_by(events.c.sequence)
    return list((await conn.execute(query)).all())


async def post_codes_of_number(
    conn: Connection, account_id: str, tracking_number: str
) -> list[Row[Any]]:
    """The account's subscribed trackers with this number: id and destination post code."""
    query = select(trackers.c.id, trackers.c.destination_post_code).where(
        trackers.c.account_id == account_id,
        trackers.c.tracking_number == tracking_number,
        trackers.c.is_subscribed,
    )
    return list(await conn.execute(query.order_by(trackers.c.account_seq.desc()).limit(20)))

"""Migration 0016 moves the engine's schedule out of ``trackers`` into ``tracker_schedule``
(decision 28): a database holding trackers at 0013 keeps each one's schedule, counters and
lease, a stopped tracker leaves the claims, the engine claims the migrated rows, the tables
match ``db/tables.py``, and a downgrade puts the values back."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Boolean, Integer, String, bindparam, inspect, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from shiptrack.db.engine import Database, async_url
from shiptrack.db.migrate import alembic_config, upgrade
from shiptrack.db.tables import metadata
from shiptrack.db.types import UTCDateTime
from shiptrack.tracking import schedule_sql

ADMIN_URL = os.environ.get(
    "SHIPTRACK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
ENGINES = os.environ.get("SHIPTRACK_TEST_ENGINES", "sqlite,postgres").split(",")
NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
MOVED = (
    "next_check_at",
    "lease_until",
    "lease_owner",
    "due_at",
    "check_count",
    "last_checked_at",
    "last_event_at",
    "error_count",
    "has_data",
)


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(params=ENGINES)
def empty_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A database with nothing in it yet, on each engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'at-0013.db'}"
        return
    name = f"shiptrack_m14_{uuid.uuid4().hex[:8]}"
    try:
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    except OSError:
        pytest.skip("PostgreSQL is not reachable")
    yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _at(minutes: float) -> dt.datetime:
    return NOW + dt.timedelta(minutes=minutes)


#: The three trackers as 0013 stored them: one due with a history, one leased by a worker,
#: one whose tracking stopped (its next_check_at left behind).
TRACKERS: dict[str, dict[str, Any]] = {
    "t-due": {
        "is_tracked": True,
        "next_check_at": _at(-5),
        "lease_until": None,
        "lease_owner": None,
        "due_at": None,
        "check_count": 3,
        "last_checked_at": _at(-65),
        "last_event_at": _at(-600),
        "error_count": 1,
        "has_data": True,
    },
    "t-leased": {
        "is_tracked": True,
        "next_check_at": _at(10),
        "lease_until": _at(10),
        "lease_owner": "host:42",
        "due_at": _at(-1),
        "check_count": 0,
        "last_checked_at": None,
        "last_event_at": None,
        "error_count": 0,
        "has_data": False,
    },
    "t-stopped": {
        "is_tracked": False,
        "next_check_at": _at(-30),
        "lease_until": None,
        "lease_owner": None,
        "due_at": None,
        "check_count": 7,
        "last_checked_at": _at(-30),
        "last_event_at": _at(-40),
        "error_count": 0,
        "has_data": True,
    },
}

_TYPES = [
    bindparam(name, type_=UTCDateTime())
    for name in ("next_check_at", "lease_until", "due_at", "last_checked_at", "last_event_at")
] + [
    bindparam("created_at", type_=UTCDateTime()),
    bindparam("is_tracked", type_=Boolean()),
    bindparam("has_data", type_=Boolean()),
    bindparam("check_count", type_=Integer()),
    bindparam("error_count", type_=Integer()),
    bindparam("lease_owner", type_=String()),
]
_INSERT = text(
    "INSERT INTO trackers (id, account_id, account_seq, tracking_number, courier_codes, "
    "restrict_to_courier, is_subscribed, is_tracked, created_at, updated_at, shipment_id, "
    f"{', '.join(MOVED)}) VALUES (:id, 'acc', :seq, :number, '[]', false, true, :is_tracked, "
    f":created_at, :created_at, :shipment_id, {', '.join(':' + c for c in MOVED)})"
).bindparams(*_TYPES)
_SCHEDULE = text(f"SELECT tracker_id, {', '.join(MOVED)} FROM tracker_schedule").columns(
    next_check_at=UTCDateTime(),
    lease_until=UTCDateTime(),
    due_at=UTCDateTime(),
    last_checked_at=UTCDateTime(),
    last_event_at=UTCDateTime(),
    has_data=Boolean(),
)
_TRACKERS = text(f"SELECT id, {', '.join(MOVED)} FROM trackers").columns(
    next_check_at=UTCDateTime(),
    lease_until=UTCDateTime(),
    due_at=UTCDateTime(),
    last_checked_at=UTCDateTime(),
    last_event_at=UTCDateTime(),
    has_data=Boolean(),
)


async def _fill_at_0013(url: str) -> None:
    await upgrade(url, "0013")
    db = Database(url, pool_size=1)
    try:
        async with db.write() as conn:
            await conn.execute(
                text(
                    "INSERT INTO accounts (id, name, created_at, tracker_count) "
                    "VALUES ('acc', 'a', :t, 3)"
                ).bindparams(bindparam("t", type_=UTCDateTime())),
                {"t": NOW},
            )
            for seq, (tracker_id, values) in enumerate(TRACKERS.items(), start=1):
                row = {
                    "id": tracker_id,
                    "seq": seq,
                    "number": f"N{seq}",
                    "created_at": _at(-1000),
                    "shipment_id": f"s-{tracker_id}",
                    **values,
                }
                await conn.execute(_INSERT, row)
    finally:
        await db.dispose()


async def _read(url: str, query: Any) -> dict[str, dict[str, Any]]:
    db = Database(url, pool_size=1)
    try:
        async with db.read() as conn:
            return {row[0]: dict(row._mapping) for row in await conn.execute(query)}
    finally:
        await db.dispose()


async def _differences(url: str) -> tuple[list[object], set[str]]:
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as conn:

            def read(sync_conn):  # type: ignore[no-untyped-def]
                context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
                wanted = ("trackers", "tracker_schedule", "ix_trackers", "ix_tracker_schedule")
                diffs = [
                    d
                    for d in compare_metadata(context, metadata)
                    if any(name in repr(d) for name in wanted)
                ]
                return diffs, {c["name"] for c in inspect(sync_conn).get_columns("trackers")}

            return await conn.run_sync(read)
    finally:
        await engine.dispose()


_INDEX_SQL = {
    "sqlite": "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
    "postgresql": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
}


async def _index_definitions(url: str) -> dict[str, str]:
    db = Database(url, pool_size=1)
    try:
        async with db.read() as conn:
            dialect = "postgresql" if db.is_postgres else "sqlite"
            rows = await conn.exec_driver_sql(_INDEX_SQL[dialect])
            return {name: definition for name, definition in rows}
    finally:
        await db.dispose()


async def _claim(url: str) -> list[Any]:
    db = Database(url, pool_size=1)
    try:
        async with db.write() as conn:
            return await schedule_sql.claim_due(
                conn,
                postgres=db.is_postgres,
                now=NOW,
                lease_until=_at(5),
                owner="new-worker",
                limit=10,
            )
    finally:
        await db.dispose()


def test_upgrade_moves_every_trackers_schedule_and_downgrade_restores_it(empty_url):
    asyncio.run(_fill_at_0013(empty_url))
    asyncio.run(upgrade(empty_url))

    schedule = asyncio.run(_read(empty_url, _SCHEDULE))
    assert set(schedule) == set(TRACKERS)
    for tracker_id, before in TRACKERS.items():
        expected = {c: before[c] for c in MOVED}
        if not before["is_tracked"]:
            expected["next_check_at"] = None  # out of the claims
        assert {c: schedule[tracker_id][c] for c in MOVED} == expected, tracker_id
    differences, columns = asyncio.run(_differences(empty_url))
    assert differences == []
    assert not set(MOVED) & columns
    indexes = asyncio.run(_index_definitions(empty_url))
    assert "ix_trackers_due" not in indexes
    assert "next_check_at IS NOT NULL" in indexes["ix_tracker_schedule_due"]
    # The trackers' partial unique index keeps its condition (no table rebuild on SQLite).
    assert "is_subscribed" in indexes["ix_trackers_account_client_tracker_id"]

    # The engine claims from the migrated schedule: the due tracker only (the lease of the
    # other still runs; the stopped one is out), with its counters.
    (claimed,) = asyncio.run(_claim(empty_url))
    assert claimed.id == "t-due"
    assert (claimed.check_count, claimed.error_count, claimed.has_data) == (3, 1, True)
    assert claimed.due_at == _at(-5)
    assert claimed.last_event_at == _at(-600)

    command.downgrade(alembic_config(empty_url), "0013")
    restored = asyncio.run(_read(empty_url, _TRACKERS))
    assert restored["t-due"]["lease_owner"] == "new-worker"
    assert restored["t-due"]["next_check_at"] == _at(5)
    assert restored["t-leased"] == {"id": "t-leased", **{c: TRACKERS["t-leased"][c] for c in MOVED}}
    assert restored["t-stopped"]["next_check_at"] is None
    assert restored["t-stopped"]["check_count"] == 7

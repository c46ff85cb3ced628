"""A push batch's PostgreSQL statements probe an index per value whatever the statistics
say (decision 29), and migration 0015 stores ``shipments.tracking_json`` with lz4.

The statements ``sources/push.py`` used before scanned ``trackers`` and ``events`` for a
batch of 50 numbers on never-analysed tables (each value's default selectivity, 0.5%, times
50) and ``trackers`` and ``upstream_registrations`` once analysed (a random page read per
probe, as the planner counts it, against a small table); these plans are what PostgreSQL
makes for a batch, a new plan for each array (``force_custom_plan`` here: the plans it
chooses for arrays that size)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import asyncpg
import pytest
from alembic import command
from tests.conftest import POSTGRES_ADMIN_URL

from shiptrack.db.migrate import alembic_config, upgrade
from shiptrack.sources.push_sql import (
    _COUNT_EVENTS,
    _EVENTS_PG,
    _FOLLOWERS_PG,
    _SHIPMENTS_PG,
    _TOUCH_PG,
)

ROWS, BATCH = 3000, 50


@pytest.fixture
def fresh_postgres(postgres_template: str) -> Iterator[str]:
    """A database of its own, migrated and never analysed."""
    name = f"shiptrack_plans_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = f"{postgres_template.rsplit('/', 1)[0]}/{name}"
    try:
        asyncio.run(upgrade(url))
        yield url
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


_LOAD = (
    "INSERT INTO accounts (id, name, created_at) VALUES ('a', 'a', now())",
    "INSERT INTO trackers (id, account_id, account_seq, tracking_number, courier_codes, "
    "restrict_to_courier, is_subscribed, is_tracked, created_at, updated_at, shipment_id) "
    "SELECT 't' || i, 'a', i, 'N' || i, '[]', false, true, true, now(), now(), 's' || i "
    f"FROM generate_series(1, {ROWS}) i",
    "INSERT INTO tracker_schedule (tracker_id, next_check_at) "
    f"SELECT 't' || i, now() FROM generate_series(1, {ROWS}) i",
    "INSERT INTO upstream_registrations (id, source, tracking_number, courier_code, state, "
    "created_at, updated_at) SELECT 'r' || i, 'aftership', 'N' || i, 'us-post', 'registered', "
    f"now(), now() FROM generate_series(1, {ROWS}) i",
    "INSERT INTO shipments (id, tracker_id, status_milestone, tracking_numbers, details, "
    "tracking_json, updated_at) SELECT 's' || i, 't' || i, 'in_transit', '[]', '{}', "
    f"convert_to(repeat('x', 1500), 'UTF8'), now() FROM generate_series(1, {ROWS}) i",
    "INSERT INTO events (id, shipment_id, sequence, event_tracking_number, "
    "occurrence_datetime, status, fingerprint, discovered_at) SELECT 'e' || i || '-' || j, "
    "'s' || i, j, 'N' || i, '2026-12-01T10:00:00', repeat('y', 80), 'f' || j, now() "
    f"FROM generate_series(1, {ROWS}) i, generate_series(1, 5) j",
    "INSERT INTO source_callbacks (source, key, received_at, events) "
    f"SELECT 'aftership', 'k' || i, now(), 1 FROM generate_series(1, {ROWS}) i",
)


async def _scans(url: str, analysed: bool) -> dict[str, list[str]]:
    """Each statement's plan lines that scan or hash a table, for a batch of 50."""
    conn = await asyncpg.connect(url)
    try:
        for statement in _LOAD:
            await conn.execute(statement)
        if analysed:
            await conn.execute("ANALYZE")
        await conn.execute("SET plan_cache_mode = force_custom_plan")
        numbers = [f"N{i}" for i in range(1, BATCH + 1)]
        shipments = [f"s{i}" for i in range(1, BATCH + 1)]
        now = await conn.fetchval("SELECT now()")
        found: dict[str, list[str]] = {}
        for name, sql, args in (
            ("followers", _FOLLOWERS_PG, ("aftership", numbers)),
            ("shipments", _SHIPMENTS_PG, (shipments,)),
            ("events", _EVENTS_PG, (shipments,)),
            ("touch", _TOUCH_PG, (now, "t1")),
            ("count", _COUNT_EVENTS.postgres, (1, "aftership", "k1")),
        ):
            plan = [r[0] for r in await conn.fetch(f"EXPLAIN {sql}", *args)]
            found[name] = [line for line in plan if "Seq Scan" in line or "Hash" in line]
        return found
    finally:
        await conn.close()


@pytest.mark.parametrize("analysed", [False, True], ids=["never-analysed", "analysed"])
def test_a_batch_probes_an_index_per_value(fresh_postgres, analysed):
    scans = asyncio.run(_scans(fresh_postgres, analysed))
    assert scans == {"followers": [], "shipments": [], "events": [], "touch": [], "count": []}


async def _compression(url: str) -> str:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(
            "SELECT attcompression::text FROM pg_attribute "
            "WHERE attrelid = 'shipments'::regclass AND attname = 'tracking_json'"
        )
    finally:
        await conn.close()


async def _has_lz4(url: str) -> bool:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE TEMPORARY TABLE lz4_probe (v text COMPRESSION lz4)")
        return True
    except asyncpg.FeatureNotSupportedError:
        return False
    finally:
        await conn.close()


def test_tracking_json_is_compressed_with_lz4_and_downgrade_restores_the_default(
    fresh_postgres,
):
    if not asyncio.run(_has_lz4(fresh_postgres)):
        assert asyncio.run(_compression(fresh_postgres)) == ""  # the migration did nothing
        pytest.skip("this PostgreSQL is built without lz4")
    assert asyncio.run(_compression(fresh_postgres)) == "l"
    command.downgrade(alembic_config(fresh_postgres), "0013")
    assert asyncio.run(_compression(fresh_postgres)) == ""
    asyncio.run(upgrade(fresh_postgres))
    assert asyncio.run(_compression(fresh_postgres)) == "l"


async def _read_behind_a_lock(url: str) -> tuple[list[str], dict[str, object]]:
    """Batch B reads the followers of N1 and N2 while transaction A holds their locks; A
    unsubscribes t2 and rewrites s1's details, then commits. What B read."""
    from shiptrack.db.engine import Database
    from shiptrack.sources.push_sql import PostgresPush

    holder = await asyncpg.connect(url)
    db = Database(url)
    try:
        for statement in _LOAD[:5]:
            await holder.execute(statement.replace(str(ROWS), "3"))
        holder_tx = holder.transaction()
        await holder_tx.start()
        await holder.execute("SELECT id FROM trackers WHERE id IN ('t1', 't2') FOR UPDATE")
        await holder.execute("UPDATE trackers SET is_subscribed = false WHERE id = 't2'")
        await holder.execute(
            """UPDATE shipments SET details = '{"service": "new"}' WHERE id = 's1'"""
        )

        async def batch() -> tuple[list[str], dict[str, object]]:
            async with db.write() as conn:
                push = await PostgresPush.of(conn)
                reads = await push.read("aftership", ["N1", "N2"])
                return [t.id for t in reads.followers], {
                    k: v.details for k, v in reads.shipments.items()
                }

        reading = asyncio.create_task(batch())
        await asyncio.sleep(0.5)
        assert not reading.done()  # waiting for A's locks
        await holder_tx.commit()
        return await asyncio.wait_for(reading, 10)
    finally:
        await holder.close()
        await db.dispose()


def test_a_batch_that_waited_for_a_lock_reads_what_the_holder_committed(fresh_postgres):
    followers, details = asyncio.run(_read_behind_a_lock(fresh_postgres))
    assert followers == ["t1"]  # t2 was unsubscribed meanwhile
    assert details == {"s1": {"service": "new"}}

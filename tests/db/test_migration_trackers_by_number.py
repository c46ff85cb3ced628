"""Migration 0013 adds ``ix_trackers_tracking_number`` exactly as the tables declare it, and
the lookups across accounts by number (a push callback's followers) use it."""

from __future__ import annotations

import asyncio
import sqlite3

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from shiptrack.db.engine import async_url
from shiptrack.db.migrate import alembic_config, upgrade
from shiptrack.db.tables import metadata
from shiptrack.sources.push_sql import _FOLLOWERS

INDEX = "ix_trackers_tracking_number"


async def _inspect(url: str) -> tuple[list[object], set[str]]:
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as conn:

            def read(sync_conn):  # type: ignore[no-untyped-def]
                context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
                diffs = [d for d in compare_metadata(context, metadata) if INDEX in repr(d)]
                return diffs, {i["name"] for i in inspect(sync_conn).get_indexes("trackers")}

            return await conn.run_sync(read)
    finally:
        await engine.dispose()


async def test_the_index_matches_the_tables(database_url):
    diffs, indexes = await _inspect(database_url)
    assert diffs == []
    assert INDEX in indexes


def test_a_push_finds_its_followers_through_the_index(tmp_path):
    path = tmp_path / "plan.db"
    asyncio.run(upgrade(f"sqlite:///{path}"))
    query = _FOLLOWERS.replace(":numbers", "(?, ?)")
    with sqlite3.connect(path) as conn:
        plan = " ".join(str(row) for row in conn.execute("EXPLAIN QUERY PLAN " + query, ("A", "B")))
    assert f"USING INDEX {INDEX}" in plan
    assert "SCAN trackers" not in plan


def test_downgrade_removes_it_and_upgrade_restores_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'cycle.db'}"
    asyncio.run(upgrade(url))
    command.downgrade(alembic_config(url), "0012")
    assert INDEX not in asyncio.run(_inspect(url))[1]
    asyncio.run(upgrade(url))
    assert INDEX in asyncio.run(_inspect(url))[1]

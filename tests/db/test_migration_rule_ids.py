"""Migration 0004 adds ``events.rule_id`` (and its index) exactly as the tables declare it."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from shiptrack.db.engine import async_url
from shiptrack.db.migrate import alembic_config, upgrade
from shiptrack.db.tables import metadata


def _mentions_rule_id(diff: object) -> bool:
    return "rule_id" in repr(diff)


async def _inspect(url: str) -> tuple[list[object], set[str], set[str]]:
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as conn:

            def read(sync_conn):  # type: ignore[no-untyped-def]
                context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
                diffs = [d for d in compare_metadata(context, metadata) if _mentions_rule_id(d)]
                found = inspect(sync_conn)
                columns = {c["name"] for c in found.get_columns("events")}
                indexes = {i["name"] for i in found.get_indexes("events")}
                return diffs, columns, indexes

            return await conn.run_sync(read)
    finally:
        await engine.dispose()


async def test_the_column_and_index_match_the_tables(database_url):
    diffs, columns, indexes = await _inspect(database_url)
    assert diffs == []
    assert "rule_id" in columns
    # Migration 0012 replaced the index of every rule_id by a partial one (decision 25).
    assert "ix_events_unmatched" in indexes


def test_downgrade_removes_it_and_upgrade_restores_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'cycle.db'}"
    asyncio.run(upgrade(url))
    command.downgrade(alembic_config(url), "0003")
    assert "rule_id" not in asyncio.run(_inspect(url))[1]
    asyncio.run(upgrade(url))
    assert "rule_id" in asyncio.run(_inspect(url))[1]

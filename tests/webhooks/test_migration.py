"""Migration 0003 creates exactly the tables of ``shiptrack.db.webhook_tables``, and reverts."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from shiptrack.db import webhook_tables as webhook_tables
from shiptrack.db.engine import async_url
from shiptrack.db.migrate import alembic_config, upgrade
from shiptrack.db.tables import metadata

WEBHOOK_TABLES = {"webhook_endpoints", "webhook_messages", "webhook_payloads", "webhook_attempts"}


def _touches_webhooks(diff: object) -> bool:
    items = diff if isinstance(diff, list) else [diff]
    for item in items:
        for part in item:
            name = getattr(part, "name", None) or getattr(getattr(part, "table", None), "name", "")
            if isinstance(part, str) and part in WEBHOOK_TABLES:
                return True
            if name in WEBHOOK_TABLES or getattr(getattr(part, "table", None), "name", "") in (
                WEBHOOK_TABLES
            ):
                return True
    return False


async def _differences(url: str) -> list[object]:
    assert webhook_tables.webhook_messages.metadata is metadata
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as conn:

            def compare(sync_conn):
                context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
                return compare_metadata(context, metadata)

            diffs = await conn.run_sync(compare)
    finally:
        await engine.dispose()
    return [d for d in diffs if _touches_webhooks(d)]


async def _table_names(url: str) -> set[str]:
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def test_migration_matches_the_tables(database_url):
    assert await _differences(database_url) == []
    assert WEBHOOK_TABLES <= await _table_names(database_url)


def test_downgrade_and_upgrade_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'cycle.db'}"
    asyncio.run(upgrade(url))
    command.downgrade(alembic_config(url), "0002")
    assert not WEBHOOK_TABLES & asyncio.run(_table_names(url))
    asyncio.run(upgrade(url))
    assert WEBHOOK_TABLES <= asyncio.run(_table_names(url))
    assert asyncio.run(_differences(url)) == []

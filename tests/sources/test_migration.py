"""Migrations 0005 and 0008 create exactly the upstream sources' tables
(``shiptrack.db.source_tables``) on SQLite and PostgreSQL, and revert."""

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

SOURCE_TABLES = {
    "upstream_registrations",
    "source_callbacks",
    "source_budget_usage",
    "tracker_source_outcomes",
}


def _names(diff: object) -> set[str]:
    """Every table name a difference mentions."""
    found: set[str] = set()
    for item in diff if isinstance(diff, list) else [diff]:
        for part in item if isinstance(item, tuple) else (item,):
            if isinstance(part, str):
                found.add(part)
            for holder in (part, getattr(part, "table", None)):
                name = getattr(holder, "name", None)
                if isinstance(name, str):
                    found.add(name)
    return found


async def _inspect(url: str) -> tuple[list[object], set[str]]:
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as conn:

            def run(sync_conn):  # type: ignore[no-untyped-def]
                context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
                diffs = compare_metadata(context, metadata)
                return diffs, set(inspect(sync_conn).get_table_names())

            diffs, tables = await conn.run_sync(run)
    finally:
        await engine.dispose()
    return [d for d in diffs if _names(d) & SOURCE_TABLES], tables


async def test_migration_matches_the_tables(database_url):
    differences, tables = await _inspect(database_url)
    assert differences == []
    assert SOURCE_TABLES <= tables


def test_downgrade_and_upgrade_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'cycle.db'}"
    asyncio.run(upgrade(url))
    command.downgrade(alembic_config(url), "0004")
    assert not SOURCE_TABLES & asyncio.run(_inspect(url))[1]
    asyncio.run(upgrade(url))
    differences, tables = asyncio.run(_inspect(url))
    assert SOURCE_TABLES <= tables
    assert differences == []


def test_0008_reverts_alone(tmp_path):
    url = f"sqlite:///{tmp_path / 'budgets.db'}"
    asyncio.run(upgrade(url))
    command.downgrade(alembic_config(url), "0007")
    tables = asyncio.run(_inspect(url))[1]
    assert "upstream_registrations" in tables
    assert not {"source_budget_usage", "tracker_source_outcomes"} & tables

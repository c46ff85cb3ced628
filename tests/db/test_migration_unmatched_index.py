"""Migration 0012: ``events.rule_id`` is indexed only where it is ``unmatched``, and the
query of ``shiptrack statuses unknown`` uses that partial index (decision 25)."""

from __future__ import annotations

import asyncio
import sqlite3

from alembic import command
from sqlalchemy import inspect
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from shiptrack.db.engine import async_url
from shiptrack.db.migrate import alembic_config, upgrade
from shiptrack.tracking import repository


async def _index_names(url: str) -> set[str]:
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda c: {i["name"] for i in inspect(c).get_indexes("events")}
            )
    finally:
        await engine.dispose()


def test_upgrade_makes_the_rule_index_partial_and_downgrade_restores_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'cycle.db'}"
    asyncio.run(upgrade(url))
    names = asyncio.run(_index_names(url))
    assert "ix_events_unmatched" in names
    assert "ix_events_rule_id" not in names
    with sqlite3.connect(tmp_path / "cycle.db") as conn:
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'ix_events_unmatched'"
        ).fetchone()
    assert "WHERE rule_id = 'unmatched'" in sql
    command.downgrade(alembic_config(url), "0009")
    names = asyncio.run(_index_names(url))
    assert "ix_events_rule_id" in names
    assert "ix_events_unmatched" not in names
    asyncio.run(upgrade(url))
    assert "ix_events_unmatched" in asyncio.run(_index_names(url))


def test_the_unknown_statuses_query_reads_the_partial_index(tmp_path):
    asyncio.run(upgrade(f"sqlite:///{tmp_path / 'plan.db'}"))
    compiled = repository.unmatched_query(10).compile(dialect=sqlite_dialect())
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    with sqlite3.connect(tmp_path / "plan.db") as conn:
        plan = conn.execute(f"EXPLAIN QUERY PLAN {compiled}", params).fetchall()
    assert "ix_events_unmatched" in " ".join(str(row[-1]) for row in plan), plan

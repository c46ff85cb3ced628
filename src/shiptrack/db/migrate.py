"""Schema upgrades with Alembic, callable from the CLI and from ``serve`` on start."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from shiptrack.db.engine import async_url

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


async def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the latest by default). Safe to run repeatedly.

    On PostgreSQL an advisory lock serialises concurrent upgrades (several workers starting
    at once); SQLite's write lock does the same there.
    """
    engine = create_async_engine(async_url(database_url), poolclass=NullPool, hide_parameters=True)
    config = alembic_config(database_url)
    try:
        async with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                await connection.exec_driver_sql("SELECT pg_advisory_lock(727274)")
            try:

                def _upgrade(sync_connection: object) -> None:
                    config.attributes["connection"] = sync_connection
                    command.upgrade(config, revision)

                await connection.run_sync(_upgrade)
                await connection.commit()
            finally:
                if connection.dialect.name == "postgresql":
                    await connection.exec_driver_sql("SELECT pg_advisory_unlock(727274)")
                    await connection.commit()
    finally:
        await engine.dispose()


def upgrade_sync(database_url: str, revision: str = "head") -> None:
    asyncio.run(upgrade(database_url, revision))

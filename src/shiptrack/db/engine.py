"""The database handle: one async engine, read and write units of work, SQLite tuning.

``Database.write()`` is a transaction. On SQLite it starts with ``BEGIN IMMEDIATE``, taking
the write lock up front: a deferred transaction that reads then writes can fail with
SQLITE_BUSY when another process committed in between, and no busy timeout helps then.
``Database.read()`` runs statements in autocommit mode (no BEGIN/ROLLBACK round trips), which
is what every read-only endpoint needs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

_READ_ONLY = "shiptrack_read_only"


def async_url(url: str) -> str:
    """The SQLAlchemy async URL for a user-facing database URL.

    ``sqlite:///path.db`` → aiosqlite, ``postgresql://…`` (or ``postgres://``) → asyncpg.
    """
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    parsed = make_url(url)
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        return parsed.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    if parsed.drivername in ("postgresql", "postgresql+psycopg2", "postgresql+psycopg"):
        return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    return url


def _tune_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's implicit BEGIN is DEFERRED).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL: readers never block the writer. NORMAL sync is durable across process crashes
        # (a power cut may lose the last commits, never corrupt the file). 10 s busy timeout
        # covers a writer holding the lock in another process.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA cache_size=-32000")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(_READ_ONLY):
            return
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """The process's database: an async engine plus read/write units of work."""

    def __init__(self, url: str, *, pool_size: int = 10, echo: bool = False) -> None:
        self.url = async_url(url)
        kwargs: dict[str, Any] = {"echo": echo}
        self.dialect = make_url(self.url).get_backend_name()
        if self.dialect == "sqlite":
            if ":memory:" in self.url or self.url.endswith("sqlite+aiosqlite://"):
                kwargs["poolclass"] = NullPool
            else:
                kwargs["pool_size"] = pool_size
                kwargs["max_overflow"] = 0
        else:
            kwargs["pool_size"] = pool_size
            kwargs["max_overflow"] = pool_size
            kwargs["pool_pre_ping"] = False
        self.engine = create_async_engine(self.url, **kwargs)
        if self.dialect == "sqlite":
            _tune_sqlite(self.engine)
        self._reader = self.engine.execution_options(
            isolation_level="AUTOCOMMIT", **{_READ_ONLY: True}
        )

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reads; each statement sees the latest committed data."""
        async with self._reader.connect() as conn:
            yield conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A transaction, committed when the block ends and rolled back on error."""
        async with self.engine.begin() as conn:
            yield conn

    async def ping(self) -> None:
        """Raise unless the database answers a trivial query."""
        async with self.read() as conn:
            await conn.exec_driver_sql("SELECT 1")

    async def dispose(self) -> None:
        await self.engine.dispose()

"""The database handle: read and write units of work on SQLite or PostgreSQL.

``Database.write()`` is a transaction, ``Database.read()`` a connection for reads. Both yield
a ``Connection`` whose ``execute`` is awaited the same way on both engines, so repositories
have one code path.

SQLite runs *on the event loop thread*, through SQLAlchemy's synchronous pysqlite driver.
An indexed SQLite statement takes 10–50 µs; handing it to a thread (aiosqlite) costs
100–400 µs and made a primary-key read 10× slower here (measured: ~2,200 reads/s through
aiosqlite vs ~9,500 through SQLAlchemy's sync driver on a busy 2-core machine). WAL readers
never wait; write transactions in one process are serialised by an ``asyncio.Lock``, and
``BEGIN IMMEDIATE`` waits for another *process* holding the write lock by polling with
``asyncio.sleep``, so no request of this process is held up meanwhile. See
docs/decisions/0003-sqlite-on-the-event-loop.md.

PostgreSQL uses asyncpg through SQLAlchemy's async engine.

The API's hottest reads (``RawQuery``, ``Database.fetch_first``) skip SQLAlchemy's statement
and result machinery, which cost more than the read itself (a third of a results request's
CPU): on a SQLite file they run on a stdlib ``sqlite3`` connection of their own, kept open
(read-only, autocommit: every statement sees the latest commit); on PostgreSQL on a small
asyncpg pool of their own, whose prepared statements asyncpg caches (``db/pgread.py``: a
connection PostgreSQL dropped is replaced and the read retried once, else a 503).
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection as SyncConnection
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import CursorResult, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import StaticPool

from shiptrack.db import checkpoints
from shiptrack.db.pgread import HotReadPool

T = TypeVar("T")


class Connection(Protocol):
    """What repositories use: SQLAlchemy's ``AsyncConnection`` subset, on both engines."""

    async def execute(self, statement: Any, parameters: Any = None) -> CursorResult[Any]: ...

    async def exec_driver_sql(
        self, statement: str, parameters: Any = None
    ) -> CursorResult[Any]: ...

    async def run_sync(self, fn: Callable[..., T], *args: Any) -> T: ...


class _InlineConnection:
    """A synchronous SQLAlchemy connection behind the async ``Connection`` interface."""

    __slots__ = ("_conn",)

    def __init__(self, conn: SyncConnection) -> None:
        self._conn = conn

    async def execute(self, statement: Any, parameters: Any = None) -> CursorResult[Any]:
        return self._conn.execute(statement, parameters)

    async def exec_driver_sql(self, statement: str, parameters: Any = None) -> CursorResult[Any]:
        return self._conn.exec_driver_sql(statement, parameters)

    async def run_sync(self, fn: Callable[..., T], *args: Any) -> T:
        return fn(self._conn, *args)


def sync_url(url: str) -> str:
    """The user-facing URL normalised: ``postgres://`` → ``postgresql://``."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    return url


def async_url(url: str) -> str:
    """The SQLAlchemy async URL (asyncpg, aiosqlite) for a user-facing database URL."""
    parsed = make_url(sync_url(url))
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        return parsed.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    if parsed.drivername in ("postgresql", "postgresql+psycopg2", "postgresql+psycopg"):
        return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    return url


def _sqlite_engine(
    url: str, pool_size: int, echo: bool, *, memory: bool, background_checkpoints: bool
) -> Any:
    parsed = make_url(url).set(drivername="sqlite+pysqlite")
    engine = create_engine(
        parsed,
        echo=echo,
        # Bound parameters hold secrets and personal data (webhook secrets, recipients):
        # never in an exception's text, hence never in a log.
        hide_parameters=True,
        connect_args={"check_same_thread": False},
        # LIFO: the connection used last is reused, so the others' page caches (up to 4 MB
        # each) stay cold and small instead of every connection warming a copy of the data.
        **(
            {"poolclass": StaticPool}
            if memory
            else {"pool_size": pool_size, "max_overflow": 0, "pool_use_lifo": True}
        ),
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves: pysqlite's implicit BEGIN is DEFERRED, and a deferred
        # transaction that reads then writes fails with SQLITE_BUSY when another process
        # committed in between — no busy timeout helps then.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL: readers never block the writer. NORMAL sync survives process crashes (a power
        # cut may lose the last commits, never corrupt the file). No busy timeout: SQLite's
        # busy handler sleeps on the event loop thread (in steps of up to 100 ms, blocking
        # every request of the process); write transactions wait for the lock in
        # ``Database.write`` with ``asyncio.sleep`` instead, and WAL reads never wait.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=0")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA cache_size=-{WRITER_CACHE_KIB}")
        if background_checkpoints:
            # A thread checkpoints (db/checkpoints.py); commits do it only as a backstop.
            cursor.execute(f"PRAGMA wal_autocheckpoint={checkpoints.BACKSTOP_PAGES}")
            cursor.execute(f"PRAGMA journal_size_limit={checkpoints.JOURNAL_SIZE_LIMIT}")
        cursor.close()

    return engine


@dataclass(frozen=True, slots=True)
class RawQuery:
    """A hot-path read in plain SQL, written once with ``?`` placeholders; ``postgres`` is
    the same with asyncpg's ``$1, $2…``. Rows come back as the drivers give them (SQLite:
    text timestamps and JSON, 0/1 booleans; asyncpg: its own types): the caller converts."""

    sqlite: str
    postgres: str

    @classmethod
    def of(cls, sql: str) -> RawQuery:
        head, *rest = sql.split("?")
        return cls(sql, head + "".join(f"${n}{part}" for n, part in enumerate(rest, 1)))


#: The page cache of each pooled connection (every write, and the reads through SQLAlchemy),
#: in KiB: 4 MB, twice SQLite's default. More did not make writes faster: the pages a write
#: needs next are scattered over the indexes, and the operating system's file cache serves
#: them. With 32 MB the API worker that served bulk creates grew by ~37 MB; 100,000 bulk
#: creates into 900,000 trackers took the same CPU with 32, 8 and 4 MB (docs/benchmarks.md,
#: issue 16: memory).
WRITER_CACHE_KIB = 4000

#: The page cache of each process's hot-read connection, in KiB. Small on purpose: its reads
#: are one row each, scattered over the whole file, so a large cache mostly holds pages read
#: once, in every API worker's memory; the operating system's file cache serves the rest
#: (docs/benchmarks.md, issue 16: the read rate with 2 MB against 32 MB).
READER_CACHE_KIB = 2000


def _hot_reader(path: str) -> sqlite3.Connection:
    """A read-only autocommit connection to a SQLite file, for ``Database.fetch_first``."""
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA query_only=ON")
    conn.execute("PRAGMA busy_timeout=0")
    conn.execute(f"PRAGMA cache_size=-{READER_CACHE_KIB}")
    return conn


#: Session settings of every PostgreSQL connection. No JIT: shiptrack's statements read and
#: write a few rows, and a plan whose estimate is off (a table filling faster than it is
#: analysed) crossed ``jit_above_cost`` and spent 30 ms compiling a 1 ms lookup.
SERVER_SETTINGS = {"jit": "off"}


#: How long a write waits for another process to release SQLite's write lock.
SQLITE_LOCK_WAIT_SECONDS = 15.0


async def _begin_immediate(conn: SyncConnection) -> None:
    """``BEGIN IMMEDIATE``, waiting without blocking the event loop while another process
    holds the write lock (polling from 0.2 ms, doubling up to 10 ms)."""
    delay, waited = 0.0002, 0.0
    while True:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            if "locked" not in str(exc.orig) or waited > SQLITE_LOCK_WAIT_SECONDS:
                raise
            conn.rollback()
        await asyncio.sleep(delay)
        waited += delay
        delay = min(delay * 2, 0.01)


def async_engine_module() -> ModuleType:
    """``sqlalchemy.ext.asyncio.engine`` (``create_async_engine``, ``AsyncEngine``), imported
    without running its package's ``__init__`` when that package is not imported yet.

    ``sqlalchemy.ext.asyncio``'s ``__init__`` also imports ``AsyncSession``, and with it the
    whole ORM (``sqlalchemy.orm``: 41 modules, ~5.5 MB resident in every PostgreSQL worker),
    which shiptrack never uses: it runs Core statements on connections. The engine module
    needs only the package's other plain modules, so the package is put in ``sys.modules``
    unexecuted while its ``engine`` module is imported, then taken out again: a later
    ``import sqlalchemy.ext.asyncio`` (Alembic's migrations, tests) runs the real ``__init__``,
    which reuses the submodules already imported. Should this ever fail (another SQLAlchemy),
    the package is imported as usual. docs/decisions/0030-what-a-serve-worker-imports.md.
    """
    package = "sqlalchemy.ext.asyncio"
    if package in sys.modules:
        return importlib.import_module(f"{package}.engine")
    spec = importlib.util.find_spec(package)
    if spec is None or spec.submodule_search_locations is None:
        return importlib.import_module(f"{package}.engine")
    stub = importlib.util.module_from_spec(spec)  # the package, not executed
    sys.modules[package] = stub
    try:
        return importlib.import_module(f"{package}.engine")
    except Exception:
        for name in [m for m in sys.modules if m == package or m.startswith(f"{package}.")]:
            del sys.modules[name]
        return importlib.import_module(f"{package}.engine")
    finally:
        if sys.modules.get(package) is stub:
            del sys.modules[package]


class Database:
    """The process's database: read and write units of work on one engine."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        read_pool_size: int = 4,
        echo: bool = False,
        background_checkpoints: bool = False,
    ) -> None:
        """``background_checkpoints``: for long-running processes on a SQLite file, run WAL
        checkpoints on a thread instead of inside commits (see ``db/checkpoints.py``).
        ``read_pool_size``: PostgreSQL connections for ``fetch_first``, besides ``pool_size``."""
        self.url = sync_url(url)
        self.dialect = make_url(self.url).get_backend_name()
        self._checkpointer: checkpoints.WalCheckpointer | None = None
        self._reader: sqlite3.Connection | None = None
        self._reader_path: str | None = None
        self._hot: HotReadPool | None = None
        if self.dialect == "sqlite":
            path = make_url(self.url).database or ""
            memory = path in ("", ":memory:")
            background = background_checkpoints and not memory
            self._sync_engine = _sqlite_engine(
                self.url,
                min(pool_size, 4),
                echo,
                memory=memory,
                background_checkpoints=background,
            )
            self._write_lock = asyncio.Lock()
            self._reader_path = None if memory else path
            if background:
                self._checkpointer = checkpoints.WalCheckpointer(path)
                self._checkpointer.start()
        else:
            # Imported here: a SQLite process does without SQLAlchemy's asyncio layer.
            self.engine = async_engine_module().create_async_engine(
                async_url(self.url),
                echo=echo,
                pool_size=pool_size,
                max_overflow=pool_size,
                hide_parameters=True,
                connect_args={"server_settings": SERVER_SETTINGS},
            )
            self._hot = HotReadPool(self.url, read_pool_size, SERVER_SETTINGS)

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @property
    def sync_engine(self) -> Engine:
        """The synchronous SQLAlchemy engine underneath, on both dialects (where engine
        events such as ``before_cursor_execute`` attach)."""
        return self.engine.sync_engine if self.dialect != "sqlite" else self._sync_engine

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Connection]:
        """A connection for reads; each statement sees the latest committed data."""
        if self.dialect == "sqlite":
            with self._sync_engine.connect() as conn:
                yield _InlineConnection(conn)
        else:
            async with self.engine.connect() as aconn:
                yield aconn

    async def fetch_first(self, query: RawQuery, params: Sequence[Any]) -> Sequence[Any] | None:
        """The first row ``query`` reads (None when none), run on the driver itself: for the
        API's hottest reads (see the module docstring). Every row is fetched, so SQLite's
        read transaction ends with the call: give it queries that read one row."""
        if self.dialect == "sqlite":
            if self._reader_path is None:  # an in-memory database: one shared connection
                with self._sync_engine.connect() as conn:
                    row = conn.exec_driver_sql(query.sqlite, tuple(params)).first()
                    return tuple(row) if row is not None else None
            if self._reader is None:
                self._reader = _hot_reader(self._reader_path)
            rows = self._reader.execute(query.sqlite, params).fetchall()
            return rows[0] if rows else None
        assert self._hot is not None
        return await self._hot.fetchrow(query.postgres, params)  # type: ignore[no-any-return]

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Connection]:
        """A transaction, committed when the block ends and rolled back on error."""
        if self.dialect == "sqlite":
            async with self._write_lock:
                with self._sync_engine.connect() as conn:
                    await _begin_immediate(conn)
                    try:
                        yield _InlineConnection(conn)
                    except BaseException:
                        conn.rollback()
                        raise
                    conn.commit()
        else:
            async with self.engine.begin() as aconn:
                yield aconn

    async def ping(self) -> None:
        """Raise unless the database answers a trivial query."""
        async with self.read() as conn:
            await conn.exec_driver_sql("SELECT 1")

    async def dispose(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._hot is not None:
            await self._hot.close()
        if self.dialect == "sqlite":
            self._sync_engine.dispose()
        else:
            await self.engine.dispose()

"""PostgreSQL's hot reads on asyncpg itself, from a small pool of each process's own.

``Database.fetch_first`` serves the API's hottest reads (a tracker's results by id). On
PostgreSQL it used to borrow a connection from SQLAlchemy's pool: a checkout, a
``get_raw_connection`` through the greenlet bridge and a return with its reset cost more than
the read (301 µs of CPU a results request against SQLite's 72, at 100,000 trackers). Here
asyncpg's own pool lends a connection whose statements it prepares once and caches (its
statement cache), and returns it without a reset: these connections only ever run single
autocommit ``SELECT``\\ s, so no session state is left to undo.

A connection PostgreSQL dropped (a restart, a failover, an idle connection cut by a proxy) is
replaced and the read retried once, on a fresh connection; when that fails too, or
PostgreSQL does not answer in time, the read raises ``ApiError(503, "database_unavailable")``,
which the API answers in its error format with ``Retry-After``: opening a connection is
bounded by ``CONNECT_TIMEOUT_SECONDS`` and a read by ``READ_TIMEOUT_SECONDS``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import make_url

from shiptrack.errors import ApiError

#: How long a read waits for a connection (a new one included: PostgreSQL down or
#: unreachable) and for its answer, in seconds. A hot read takes well under a millisecond.
CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 10.0


def _dsn(url: str) -> str:
    """asyncpg's DSN for a SQLAlchemy PostgreSQL URL (``postgresql+asyncpg://`` and others)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def database_unavailable() -> ApiError:
    return ApiError(
        503,
        "database_unavailable",
        "The database did not answer (it may be restarting). Retry in a moment.",
        headers={"Retry-After": "1"},
    )


async def _keep(_connection: Any) -> None:
    """A pooled connection's reset on release: nothing to reset (see the module docstring)."""


def _dropped() -> tuple[type[BaseException], ...]:
    from asyncpg import exceptions

    return (
        exceptions.PostgresConnectionError,  # the connection is gone (08xxx)
        exceptions.OperatorInterventionError,  # shutting down, restarting, starting up
        exceptions.InterfaceError,  # the connection was closed under us
        exceptions.InternalClientError,  # its protocol state broken by the server's exit
        OSError,  # refused, reset, unreachable
    )


class HotReadPool:
    """Up to ``size`` asyncpg connections for one process's hot reads, opened on first use."""

    def __init__(self, url: str, size: int, server_settings: dict[str, str]) -> None:
        self._dsn = _dsn(url)
        self._size = size
        self._server_settings = server_settings
        self._pool: Any = None
        self._opening = asyncio.Lock()
        self._dropped: tuple[type[BaseException], ...] = ()

    async def _open(self) -> Any:
        import asyncpg

        async with self._opening:
            if self._pool is None:
                self._dropped = _dropped()
                # min_size=0: no connection before the first read, so a process starts while
                # PostgreSQL is down, and a restart costs only the connections in use.
                self._pool = await asyncpg.create_pool(
                    self._dsn,
                    min_size=0,
                    max_size=self._size,
                    reset=_keep,
                    timeout=CONNECT_TIMEOUT_SECONDS,
                    server_settings=self._server_settings,
                )
        return self._pool

    async def fetchrow(self, sql: str, params: Sequence[Any]) -> Any:
        """The first row ``sql`` reads, or None; retried once on a fresh connection when
        PostgreSQL dropped the first (``database_unavailable`` when that fails too)."""
        pool = self._pool or await self._open()
        dropped = self._dropped
        for attempt in (1, 2):
            try:
                # No timeout on the wait for a pooled connection (asyncpg would run the wait
                # as a task of its own, on every read): opening one is bounded by the connect
                # timeout, and every connection lent is back within the read timeout.
                async with pool.acquire() as conn:
                    try:
                        return await conn.fetchrow(sql, *params, timeout=READ_TIMEOUT_SECONDS)
                    except (*dropped, TimeoutError):
                        # Closed before the pool takes it back: it is not reset (``_keep``),
                        # so a connection in doubt must not be lent again.
                        conn.terminate()
                        raise
            except dropped as exc:
                if attempt == 2:
                    raise database_unavailable() from exc
            except TimeoutError as exc:
                raise database_unavailable() from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            try:
                await asyncio.wait_for(pool.close(), CONNECT_TIMEOUT_SECONDS)
            except (TimeoutError, *_dropped()):
                pool.terminate()

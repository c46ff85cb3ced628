"""The process's one outbound HTTP session (aiohttp), opened on its first use.

Couriers' APIs, upstream sources, webhook receivers and their probes are all called on one
``aiohttp.ClientSession`` per process (``Services.http``). A serve worker that answers only
API reads calls none of them, and opening the session at start-up imported aiohttp for
nothing: ~10 MB resident in every worker (docs/benchmarks.md, "Issue 16: memory, second
round"; docs/decisions/0030-what-a-serve-worker-imports.md).

:func:`outbound_session` returns an :class:`OutboundSession` typed as the session it stands
for: the first attribute asked of it (``get``, ``post``, ``head``, ``request``...) imports
aiohttp and opens the real session, on the running event loop; ``close`` closes it if it was
ever opened. Modules that only name aiohttp's types import it under ``TYPE_CHECKING``; those
that need it at run time import it in the function that calls the session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import aiohttp


class OutboundSession:
    """Stands for an ``aiohttp.ClientSession`` that is opened when first used."""

    __slots__ = ("_closed", "_dns_ttl", "_headers", "_limit", "_session")

    def __init__(self, *, headers: dict[str, str], limit: int, ttl_dns_cache: int) -> None:
        self._headers = headers
        self._limit = limit
        self._dns_ttl = ttl_dns_cache
        self._session: aiohttp.ClientSession | None = None
        self._closed = False

    @property
    def opened(self) -> bool:
        """Whether the real session exists (something used it)."""
        return self._session is not None

    @property
    def closed(self) -> bool:
        return self._closed

    def session(self) -> aiohttp.ClientSession:
        """The real session, opened now if it was not (on the running event loop)."""
        if self._session is None:
            if self._closed:
                raise RuntimeError("Session is closed")
            import aiohttp

            self._session = aiohttp.ClientSession(
                headers=self._headers,
                connector=aiohttp.TCPConnector(limit=self._limit, ttl_dns_cache=self._dns_ttl),
            )
        return self._session

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session(), name)

    async def close(self) -> None:
        self._closed = True
        if self._session is not None:
            await self._session.close()


def outbound_session(
    *, headers: dict[str, str], limit: int, ttl_dns_cache: int
) -> aiohttp.ClientSession:
    """The process's outbound session, opened on first use (an :class:`OutboundSession`,
    typed as the ``aiohttp.ClientSession`` it stands for)."""
    lazy = OutboundSession(headers=headers, limit=limit, ttl_dns_cache=ttl_dns_cache)
    return cast("aiohttp.ClientSession", lazy)

"""HTTP helpers shared by connectors: status → typed error, Retry-After, JSON bodies.

Only connectors' ``client.py`` modules use this; parsing stays pure elsewhere.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import sys
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

import orjson

from shiptrack.couriers.connectors.protocol import (
    CourierAuthError,
    CourierError,
    CourierRateLimited,
    CourierResponseInvalid,
    CourierUnavailable,
    TrackingNumberNotFound,
    TrackOutcome,
)

if TYPE_CHECKING:
    import aiohttp

T = TypeVar("T")

#: Bodies larger than this are not read: no tracking answer is anywhere near 8 MiB.
MAX_BODY_BYTES = 8 * 1024 * 1024


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def error_for_status(
    status: int, *, retry_after: str | None = None, detail: str = ""
) -> CourierError | None:
    """The typed error for an HTTP status, or None for 2xx.

    404 is ``TrackingNumberNotFound``: carriers that answer 200 with a "not found" item are
    handled by their parsers instead.
    """
    if 200 <= status < 300:
        return None
    text = f"HTTP {status}" + (f": {detail[:200]}" if detail else "")
    if status in (401, 403):
        return CourierAuthError(text)
    if status == 404:
        return TrackingNumberNotFound(text)
    if status == 429:
        return CourierRateLimited(text, retry_after=parse_retry_after(retry_after))
    if status >= 500 or status == 408:
        return CourierUnavailable(text, retry_after=parse_retry_after(retry_after))
    return CourierResponseInvalid(text)


async def read_body(response: aiohttp.ClientResponse, limit: int = MAX_BODY_BYTES) -> bytes:
    """The whole response body, at most ``limit`` bytes (``CourierResponseInvalid`` beyond).

    Reads until the end: one ``content.read(n)`` returns only what has arrived (a 64 KiB
    chunk), and a 30-number FedEx answer is bigger. An answer that says its length, within
    the limit, is read at once (one await instead of one per chunk and a join).
    """
    length = response.content_length
    if length is not None and length <= limit:
        return await response.read()
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await response.content.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise CourierResponseInvalid(f"body larger than {limit} bytes")
        chunks.append(chunk)


async def read_json(response: aiohttp.ClientResponse) -> object:
    """The whole body as JSON; ``CourierResponseInvalid`` when it is not JSON."""
    body = await read_body(response)
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise CourierResponseInvalid(f"body is not JSON: {exc}") from None


async def read_error_body(response: aiohttp.ClientResponse) -> tuple[object, str]:
    """An error answer: its decoded JSON (None when it is not JSON) and its first 200 chars."""
    try:
        raw = await read_body(response, limit=65536)
    except CourierResponseInvalid:
        return None, "(oversized error body)"
    return error_body(raw)


def error_body(raw: bytes) -> tuple[object, str]:
    """An error answer's body: decoded JSON (None when it is not JSON), its first 200 chars."""
    if len(raw) > 65536:
        return None, "(oversized error body)"
    text = raw.decode("utf-8", "replace")[:200]
    try:
        return orjson.loads(raw), text
    except orjson.JSONDecodeError:
        return None, text


#: Connections the process's one aiohttp session keeps to couriers and providers (its
#: ``TCPConnector`` limit; aiohttp's default is 100). A call beyond it waits for a free one,
#: so at 200 ms a round trip the pool, not the provider, would cap an upstream polled one
#: number a call (Ship24's results: 100 / 0.2 s = 500 calls a second); each upstream's own
#: ``…_MAX_IN_FLIGHT`` keeps one source from taking the whole pool.
SESSION_CONNECTIONS = 512


async def guarded_each(
    numbers: Iterable[str],
    call: Callable[[str], Awaitable[TrackOutcome]],
    *,
    timeout: float,
) -> dict[str, TrackOutcome]:
    """``call(number)`` for each number in turn (APIs that take one number per call), each
    ``guarded``: a timeout or a connection error becomes that number's outcome."""
    outcomes: dict[str, TrackOutcome] = {}
    for number in numbers:
        try:
            outcomes[number] = await guarded(lambda n=number: call(n), timeout=timeout)
        except CourierError as exc:
            outcomes[number] = exc
    return outcomes


async def guarded(call: Callable[[], Awaitable[T]], *, timeout: float) -> T:
    """Run one courier call, turning timeouts and connection errors into CourierUnavailable."""
    try:
        async with asyncio.timeout(timeout):  # no task per call, unlike wait_for
            return await call()
    except TimeoutError:
        raise CourierUnavailable(f"no answer within {timeout:g} s") from None
    except Exception as exc:
        if not _client_error(exc):
            raise
        raise CourierUnavailable(f"connection failed: {exc.__class__.__name__}: {exc}") from None


def _client_error(exc: BaseException) -> bool:
    """Whether ``exc`` is one of aiohttp's client errors. aiohttp is imported with the
    process's outbound session, on its first use (``shiptrack.outbound``): when it is not
    imported yet, no aiohttp call has been made and ``exc`` is not one of its errors."""
    aiohttp = sys.modules.get("aiohttp")
    return aiohttp is not None and isinstance(exc, aiohttp.ClientError)

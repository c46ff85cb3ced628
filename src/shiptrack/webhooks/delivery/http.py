"""One HTTP delivery of a webhook message: sign, POST, read a capped answer, classify.

The only module of webhooks doing outbound I/O (with the URL probe below). It never raises for
a receiver's behaviour: every outcome — 2xx, another status, a timeout, a refused connection,
an address refused by the safety policy — comes back as an :class:`AttemptResult`.

Success is a 2xx answer, except a 2xx whose JSON body says ``"success": false`` (Ship24
treats that as a failure too). Redirects are not followed (a 3xx is a failure).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import orjson

from shiptrack import __version__
from shiptrack.webhooks.safety import Resolver, UnsafeTarget
from shiptrack.webhooks.signing import signature_header

if TYPE_CHECKING:
    import aiohttp

USER_AGENT = f"shiptrack-webhooks/{__version__}"
_MAX_HEADERS = 30
_MAX_HEADER_VALUE = 256


@dataclass(slots=True)
class AttemptResult:
    ok: bool
    status_code: int | None
    duration_ms: int
    error: str | None = None
    response_body: str | None = None
    response_headers: dict[str, str] | None = None
    retry_after_header: str | None = None

    @property
    def gone(self) -> bool:
        """``410 Gone``: the receiver says the endpoint no longer exists."""
        return self.status_code == 410


async def _read_capped(response: aiohttp.ClientResponse, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = await response.content.read(limit - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _says_failure(body: bytes) -> bool:
    if b'"success"' not in body:
        return False
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    return isinstance(parsed, dict) and parsed.get("success") in (False, "false")


def _describe(exc: BaseException, timeout: float) -> str:
    import aiohttp  # imported already: the session raised it

    if isinstance(exc, asyncio.TimeoutError):
        return f"timeout: no complete answer within {timeout:g} s"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"connection failed: {exc.os_error.strerror or exc.os_error}"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "connection closed by the receiver before an answer"
    return f"{exc.__class__.__name__}: {exc}"[:300]


async def deliver(
    session: aiohttp.ClientSession,
    resolver: Resolver,
    *,
    url: str,
    message_id: str,
    body: bytes,
    bearer: str,
    keys: Sequence[bytes],
    timeout: aiohttp.ClientTimeout,
    body_limit: int,
    timestamp: int | None = None,
) -> AttemptResult:
    """POST ``body`` to ``url`` with the Ship24 bearer and Standard Webhooks headers."""
    import aiohttp  # on the outbound session's first use (``shiptrack.outbound``)

    started = time.perf_counter()
    timestamp = int(time.time()) if timestamp is None else timestamp
    try:
        target = await resolver.target_for(url)
    except UnsafeTarget as exc:
        return AttemptResult(False, None, 0, error=f"refused: {exc}"[:300])
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Authorization": f"Bearer {bearer}",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(keys, message_id, timestamp, body),
        "Host": target.host_header,
    }
    try:
        async with session.post(
            target.connect_url,
            data=body,
            headers=headers,
            timeout=timeout,
            allow_redirects=False,
            server_hostname=target.server_hostname,
        ) as response:
            raw = await _read_capped(response, body_limit)
            status = response.status
            response_headers = {
                k.lower(): v[:_MAX_HEADER_VALUE]
                for k, v in list(response.headers.items())[:_MAX_HEADERS]
            }
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        elapsed = int((time.perf_counter() - started) * 1000)
        return AttemptResult(False, None, elapsed, error=_describe(exc, timeout.total or 0))
    elapsed = int((time.perf_counter() - started) * 1000)
    ok = 200 <= status < 300
    error = None
    if ok and _says_failure(raw):
        ok, error = False, 'the receiver answered 2xx with "success": false'
    elif not ok:
        error = f"HTTP {status}"
    return AttemptResult(
        ok,
        status,
        elapsed,
        error=error,
        response_body=raw.decode("utf-8", errors="replace"),
        response_headers=response_headers,
        retry_after_header=response_headers.get("retry-after"),
    )


async def probe(
    session: aiohttp.ClientSession, resolver: Resolver, url: str, timeout: float
) -> str | None:
    """``HEAD url``; None when it answers 2xx, else what went wrong (for the error message)."""
    import aiohttp  # on the outbound session's first use (``shiptrack.outbound``)
    from yarl import URL

    try:
        target = await resolver.target(URL(url))
    except UnsafeTarget as exc:
        return str(exc)
    try:
        async with session.head(
            target.connect_url,
            headers={"User-Agent": USER_AGENT, "Host": target.host_header},
            timeout=aiohttp.ClientTimeout(total=timeout),
            allow_redirects=False,
            server_hostname=target.server_hostname,
        ) as response:
            if 200 <= response.status < 300:
                return None
            return f"it answered HEAD with HTTP {response.status}"
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        return _describe(exc, timeout)

"""A lean HTTP/1.1 client for one provider's API: keep-alive connections to one origin.

An upstream aggregator is one origin (``https://api.ship24.com``...) answering small JSON
requests, and two of them take one number a call (Ship24's results, AfterShip's create): at
200 ms a round trip the engine sends hundreds at once, and the client's own CPU per call is
what bounds polling on the engine's one core. aiohttp spends ~160–190 µs of CPU on a call
on loopback (its request and response objects, URL and header merging, timers, the
connection pool's bookkeeping, the stream reader); this client spends ~40 µs (best of 5 ×
2,000 calls against an aiohttp server in another process: docs/benchmarks.md, "Polling,
fourth round"), for what these APIs need and no more:

- one origin per ``Origin`` (scheme, host, port), HTTP/1.1 keep-alive connections reused
  last-in first-out, the request written in one ``write`` of bytes built from the parts
  that do not change (the request line's method and path, ``Host``, the key's headers);
- the answer read by ``httptools`` (the C parser uvicorn serves with): ``Content-Length``
  or chunked bodies, at most ``MAX_BODY_BYTES``; a ``gzip`` or ``deflate`` body (none is
  asked for: no ``Accept-Encoding`` is sent) is decoded;
- TLS with the system's trust store and hostname checking (``ssl.create_default_context``,
  as aiohttp does);
- a connection the server closed while idle (its keep-alive ran out) is found before use,
  or, when the server closes it as the request leaves (nothing came back), the request is
  sent once more on a new connection; a connection whose answer was not read to the end
  (a timeout, a cancel) is closed, never reused;
- no redirects, proxies or cookies: none of the providers' APIs uses them (aiohttp's
  session used none either: no proxy from the environment, an empty cookie jar);
- connection failures and broken answers raise ``CourierUnavailable``; the caller bounds
  the whole call with its timeout (``http.guarded``) and its number of calls in flight
  (``pacing.InFlight``), which also bounds the connections opened.

``close()`` closes every connection (the connector's ``aclose``).
"""

from __future__ import annotations

import asyncio
import ssl
import time
import zlib
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httptools

from shiptrack.couriers.connectors.protocol import CourierResponseInvalid, CourierUnavailable

#: Bodies larger than this are refused (``http.MAX_BODY_BYTES``).
MAX_BODY_BYTES = 8 * 1024 * 1024
#: An idle connection older than this is closed rather than reused (aiohttp's default
#: keep-alive; servers keep theirs for 5 s (uvicorn) to 75 s (aiohttp)): a server that closed
#: it first is answered by sending the request again on a new one.
IDLE_SECONDS = 15.0
#: Characters a path is sent with as they are (RFC 3986 ``pchar`` and ``/``); others (a
#: provider's id with a space or a line break) are percent-encoded.
PATH_SAFE = "/:@!$&'()*+,;=-._~%"


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer: its status, its headers (names in lower case) and its body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class Headers(dict[str, str]):
    """Response headers by lower-case name; ``get`` takes any case (``pacing.retry_after``)."""

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(key.lower(), default)


class _Connection(asyncio.Protocol):
    """One keep-alive connection: one request at a time, its answer parsed as it arrives."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[Answer] | None = None
        self.headers = Headers()
        self.chunks: list[bytes] = []
        self.size = 0
        self.received = False
        self.too_big = False
        self.closed = False
        self.idle_since = 0.0

    # --- asyncio.Protocol ---

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.received = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:  # pragma: no cover - never asked for
            self._fail(CourierUnavailable("the provider switched protocols"))
        except httptools.HttpParserError as exc:
            self._fail(CourierUnavailable(f"not an HTTP answer: {exc}"))
        if self.too_big:
            self._fail(CourierResponseInvalid(f"body larger than {MAX_BODY_BYTES} bytes"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            reason = f": {exc}" if exc else ""
            waiter.set_exception(_Closed(f"connection closed by the provider{reason}"))

    # --- httptools callbacks ---

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_body(self, body: bytes) -> None:
        self.size += len(body)
        if self.size > MAX_BODY_BYTES:
            self.too_big = True
            self.chunks = []
        elif not self.too_big:
            self.chunks.append(body)

    def on_message_complete(self) -> None:
        if self.too_big:
            return
        waiter = self.waiter
        body = self.chunks[0] if len(self.chunks) == 1 else b"".join(self.chunks)
        answer = Answer(self.parser.get_status_code(), self.headers, body)
        if not self.parser.should_keep_alive():
            self.close()
        self.waiter = None
        self.headers = Headers()
        self.chunks = []
        self.size = 0
        self.received = False
        if waiter is not None and not waiter.done():
            waiter.set_result(answer)

    # --- the client's side ---

    def _fail(self, exc: Exception) -> None:
        waiter = self.waiter
        self.close()
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def abort(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()


class _Closed(CourierUnavailable):
    """The server closed the connection before answering."""


class Origin:
    """Keep-alive connections to one origin (``base_url``: ``scheme://host[:port]``) and the
    requests sent on them. ``headers``: sent with every request (the key, ``Accept``...)."""

    def __init__(self, base_url: str, headers: Mapping[str, str]) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) origin: {base_url!r}")
        self.host = parts.hostname
        self.tls = parts.scheme == "https"
        self.port = parts.port or (443 if self.tls else 80)
        self.prefix = parts.path.rstrip("/")
        default_port = self.port == (443 if self.tls else 80)
        host = f"[{self.host}]" if ":" in self.host else self.host
        authority = host if default_port else f"{host}:{self.port}"
        fixed = {"Host": authority, **headers}
        if any(c in text for item in fixed.items() for text in item for c in "\r\n"):
            raise ValueError("a header name or value holds a line break")
        self.fixed = "".join(f"{k}: {v}\r\n" for k, v in fixed.items()).encode("latin-1")
        self.idle: deque[_Connection] = deque()
        self.open: set[_Connection] = set()
        self._ssl: ssl.SSLContext | None = None

    def _context(self) -> ssl.SSLContext | None:
        if self.tls and self._ssl is None:
            self._ssl = ssl.create_default_context()
        return self._ssl

    def head(
        self, method: str, path: str, params: Mapping[str, str] | None, length: int | None
    ) -> bytes:
        """The request's line and headers."""
        target = quote(self.prefix + path, safe=PATH_SAFE)
        if params:
            target += "?" + urlencode(params, quote_via=quote)
        line = f"{method} {target} HTTP/1.1\r\n".encode("latin-1")
        if length is None:
            return line + self.fixed + b"\r\n"
        return line + self.fixed + b"Content-Length: %d\r\n\r\n" % length

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> Answer:
        """Send one request and read its whole answer (``CourierUnavailable`` when the
        connection fails; the caller's timeout bounds it)."""
        message = self.head(method, path, params, None if body is None else len(body))
        if body:
            message += body
        for attempt in (1, 2):
            connection, reused = await self._connection()
            try:
                answer = await self._exchange(connection, message)
            except _Closed:
                if reused and attempt == 1 and not connection.received:
                    continue  # the server closed it as we sent: send again on a new one
                raise
            if connection.closed:  # the server said ``Connection: close``
                self.open.discard(connection)
            else:
                connection.idle_since = time.monotonic()
                self.idle.append(connection)
            return _decoded(answer)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _exchange(self, connection: _Connection, message: bytes) -> Answer:
        waiter: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        connection.waiter = waiter
        assert connection.transport is not None
        connection.transport.write(message)
        try:
            return await waiter
        finally:
            if not waiter.done() or waiter.cancelled() or waiter.exception() is not None:
                # Not read to the end (a timeout, a cancel, a broken answer): never reused.
                connection.abort()
                self.open.discard(connection)

    async def _connection(self) -> tuple[_Connection, bool]:
        """An idle connection still open and not too old, else a new one."""
        now = time.monotonic()
        while self.idle:
            connection = self.idle.pop()
            if not connection.closed and now - connection.idle_since < IDLE_SECONDS:
                return connection, True
            connection.close()
            self.open.discard(connection)
        loop = asyncio.get_running_loop()
        context = self._context()
        try:
            _, connection = await loop.create_connection(
                _Connection,
                self.host,
                self.port,
                ssl=context,
                server_hostname=self.host if context is not None else None,
            )
        except (OSError, ssl.SSLError) as exc:
            raise CourierUnavailable(
                f"connection failed: {exc.__class__.__name__}: {exc}"
            ) from None
        self.open.add(connection)
        return connection, False

    def close(self) -> None:
        """Close every connection (idle or not)."""
        for connection in self.open:
            connection.close()
        self.open.clear()
        self.idle.clear()


def _decoded(answer: Answer) -> Answer:
    """The answer with its body decoded when the server compressed it anyway."""
    coding = answer.headers.get("content-encoding", "identity").lower()
    if coding in ("identity", ""):
        return answer
    if coding not in ("gzip", "deflate", "x-gzip"):
        raise CourierResponseInvalid(f"body in an unknown coding: {coding}")
    try:
        if coding == "deflate":
            try:
                body = zlib.decompress(answer.body)
            except zlib.error:
                body = zlib.decompress(answer.body, -zlib.MAX_WBITS)  # raw deflate
        else:
            decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
            body = decoder.decompress(answer.body, MAX_BODY_BYTES + 1)
    except zlib.error as exc:
        raise CourierResponseInvalid(f"compressed body unreadable: {exc}") from None
    if len(body) > MAX_BODY_BYTES:
        raise CourierResponseInvalid(f"body larger than {MAX_BODY_BYTES} bytes")
    return Answer(answer.status, answer.headers, body)

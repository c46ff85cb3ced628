"""uvicorn's httptools protocol with limits for slow and huge clients.

uvicorn's httptools protocol reads request heads of any size (8 MiB of headers were
accepted) and waits for a half-sent request for ever: its only timer is the keep-alive one,
armed after a response. This protocol adds, per connection:

* a **head size limit** (``http_max_header_bytes``): a request line plus headers larger than
  that is answered 431 in the API's error envelope and the connection closed;
* a **head timeout** (``http_header_timeout_seconds``): the whole head must arrive within it,
  counted from the connection (or, on a kept-alive connection, from the request's first
  byte); otherwise the connection is closed (after a 408 when nothing was answered yet);
* a **body timeout** (``http_body_timeout_seconds``): the longest pause between two parts
  of a request body;
* **one socket write per response** (:class:`OneWriteCycle`): uvicorn writes a response's
  head as the app starts it and its body as it comes, two ``send`` system calls (and two
  TCP segments) where one does; the head is held and written with the first body part.

The limits come from the environment (``Settings``), read once per worker process.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from shiptrack.errors import ErrorItem, error_body

_IDLE, _HEAD, _BODY = 0, 1, 2


def _response(status: str, code: str, message: str) -> bytes:
    body = error_body([ErrorItem(code, message)])
    return (
        f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode() + body


class _OneWrite:
    """A cycle's transport that holds the response head while ``holding`` and writes it
    together with the next write (the first body part), or before closing."""

    __slots__ = ("head", "holding", "transport")

    def __init__(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        self.head = b""
        self.holding = False

    def write(self, data: bytes) -> None:
        if self.holding:
            self.head += data
            return
        if self.head:
            data, self.head = self.head + data, b""
        self.transport.write(data)

    def close(self) -> None:
        if self.head:
            self.transport.write(self.head)
            self.head = b""
        self.transport.close()

    def is_closing(self) -> bool:
        return self.transport.is_closing()


class OneWriteCycle(RequestResponseCycle):
    """uvicorn's request-response cycle writing a response's head together with its first
    body part. uvicorn writes the head to the cycle's transport inside ``send`` as the app
    starts the response; here the cycle's transport becomes a :class:`_OneWrite` of its
    own, which holds the head and sends it with the next write (the body). A HEAD request's answer
    (no body is written) is sent as uvicorn sends it."""

    transport: _OneWrite  # type: ignore[assignment]

    async def send(self, message: Any) -> None:
        if (
            message["type"] == "http.response.start"
            and not self.response_started
            and self.scope["method"] != "HEAD"
        ):
            writer = self.transport
            if type(writer) is not _OneWrite:
                writer = self.transport = _OneWrite(writer)  # type: ignore[arg-type]
            writer.holding = True
            try:
                await super().send(message)
            finally:
                writer.holding = False
            return
        await super().send(message)


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from shiptrack.config import get_settings  # in the worker only: keeps the supervisor lean

        settings = get_settings()
        self.max_head_bytes = settings.http_max_header_bytes
        self.head_timeout = settings.http_header_timeout_seconds
        self.body_timeout = settings.http_body_timeout_seconds
        self._phase = _HEAD
        self._head_bytes = 0
        self._read_timer: asyncio.TimerHandle | None = None
        self._deadline: float | None = None

    def _arm(self, seconds: float) -> None:
        """Set the read deadline ``seconds`` from now. One timer serves many deadlines: it
        is moved only when the new deadline comes before it, and when it fires on a
        deadline moved later it waits for that one (no timer per request phase)."""
        deadline = self.loop.time() + seconds
        self._deadline = deadline
        timer = self._read_timer
        if timer is not None:
            if timer.when() <= deadline:
                return
            timer.cancel()
        self._read_timer = self.loop.call_at(deadline, self._deadline_reached)

    def _disarm(self) -> None:
        """No read deadline (the timer, if set, finds none when it fires)."""
        self._deadline = None

    def _deadline_reached(self) -> None:
        self._read_timer = None
        deadline = self._deadline
        if deadline is None:
            return
        if self.loop.time() < deadline:
            self._read_timer = self.loop.call_at(deadline, self._deadline_reached)
            return
        self._deadline = None
        self._read_timed_out()

    def _read_timed_out(self) -> None:
        if self.transport.is_closing():
            return
        if self._phase == _HEAD and (self.cycle is None or self.cycle.response_complete):
            self.transport.write(
                _response(
                    "408 Request Timeout",
                    "request_timeout",
                    f"The request head did not arrive within {self.head_timeout:g} s.",
                )
            )
        self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.head_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._phase == _BODY:
            self._arm(self.body_timeout)
        super().data_received(data)
        if self._phase == _HEAD and not self.transport.is_closing():
            self._head_bytes += len(data)
            if self._head_bytes > self.max_head_bytes:
                self._disarm()
                self.transport.write(
                    _response(
                        "431 Request Header Fields Too Large",
                        "request_header_too_large",
                        f"The request line and headers exceed {self.max_head_bytes} bytes.",
                    )
                )
                self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._phase = _HEAD
        self._head_bytes = 0
        if self._deadline is None:
            self._arm(self.head_timeout)

    def on_headers_complete(self) -> None:
        self._phase = _BODY
        self._arm(self.body_timeout)
        super().on_headers_complete()
        # uvicorn builds the request's cycle in there, with no hook for its class; its task
        # has not run yet, so the cycle can still become a OneWriteCycle (same state).
        if type(self.cycle) is RequestResponseCycle:
            self.cycle.__class__ = OneWriteCycle

    def on_message_complete(self) -> None:
        self._phase = _IDLE
        self._disarm()
        super().on_message_complete()

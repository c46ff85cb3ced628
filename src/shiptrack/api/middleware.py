"""The app's outermost layer, pure ASGI: request ids, body size limit, extra response headers,
last-resort 500, encoded slashes kept inside path segments (``routing.keep_encoded_slashes``),
the access log and the request counter — and the API's operations served right here
(``dispatch.ApiDispatch``), everything else handed to Starlette.

An API operation's response gets its headers before it is sent, so its messages go to the
server's ``send`` as they are: no wrapper per message, no copied header list. Requests for
anything else (pages, the console, docs, 404s and 405s) go through Starlette's exception layer
and router with a ``send`` that adds the headers. Starlette's own outermost layer
(``ServerErrorMiddleware``) is not used: this one answers unhandled exceptions, in the API's
error envelope (docs/decisions/0033-one-gate-before-starlette.md).
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shiptrack.api import metrics
from shiptrack.api.dispatch import ApiDispatch
from shiptrack.api.routing import keep_encoded_slashes
from shiptrack.errors import ErrorItem, error_body

log = logging.getLogger("shiptrack.api")
access = logging.getLogger("shiptrack.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class BodyTooLarge(Exception):
    pass


def _error_response_messages(
    status: int, code: str, message: str, request_id: str
) -> list[Message]:
    body = error_body([ErrorItem(code, message)])
    return [
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"x-request-id", request_id.encode()),
            ],
        },
        {"type": "http.response.body", "body": body},
    ]


class RequestIds:
    """Request ids: 32 hex digits, a random half drawn once per process and a counter. Unique
    across a server's processes and restarts without a system call per request (a request id
    names a request in logs; it is no secret). A forked child draws a half of its own."""

    def __init__(self) -> None:
        self._fresh()
        os.register_at_fork(after_in_child=self._fresh)

    def _fresh(self) -> None:
        self._prefix = os.urandom(8).hex()
        self._counter = itertools.count()

    def __call__(self) -> str:
        return f"{self._prefix}{next(self._counter):016x}"


#: The process's request ids (one for every app a process builds: tests build many).
request_ids = RequestIds()


class ShiptrackMiddleware:
    """Adds ``x-request-id`` (echoing a sane incoming one), rate-limit headers set by the
    auth dependency, enforces the body size limit (413), and turns any unhandled exception
    into a 500 envelope without a stack trace. Counts every response by method and status
    (``shiptrack_http_requests_total``) and, with ``access_log``, logs one line per request
    (method, path, status, duration, request id, client address). With ``dispatch``, serves
    the API's operations itself; ``app`` (Starlette's layers) serves the rest."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        access_log: bool = False,
        dispatch: ApiDispatch | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.access_log = access_log
        self.dispatch = dispatch
        self.request_ids = request_ids

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        keep_encoded_slashes(scope)
        started_at = time.perf_counter() if self.access_log else 0.0
        # The response's status, set as it starts.
        outcome = [0]
        try:
            await self._handle(scope, receive, send, outcome)
        finally:
            status = outcome[0]
            metrics.count_request(scope["method"], status)
            if self.access_log:
                client = scope.get("client")
                access.info(
                    "request",
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "ms": round((time.perf_counter() - started_at) * 1000, 2),
                        "request_id": scope.get("state", {}).get("request_id", "-"),
                        "client": client[0] if client else "-",
                    },
                )

    async def _handle(self, scope: Scope, receive: Receive, send: Send, outcome: list[int]) -> None:
        request_id = ""
        unsized = False  # a body without a content-length (chunked): counted as it comes
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                candidate = value.decode("latin-1")
                if _REQUEST_ID.match(candidate):
                    request_id = candidate
            elif name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    length = 0
                if length > self.max_body_bytes:
                    outcome[0] = 413
                    await self._refuse(
                        send,
                        413,
                        "payload_too_large",
                        f"The request body is {length} bytes; the limit is "
                        f"{self.max_body_bytes} bytes. Send fewer items per request "
                        "(bulk takes at most 100).",
                        request_id or self.request_ids(),
                    )
                    return
            elif name == b"transfer-encoding":
                unsized = True
        request_id = request_id or self.request_ids()
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        if unsized:
            receive = self._limited(receive)
        endpoint = self.dispatch.find(scope) if self.dispatch is not None else None
        try:
            if endpoint is not None:
                assert self.dispatch is not None
                response = await self.dispatch.respond(endpoint, scope, receive, send)
                headers = response.raw_headers
                headers.append((b"x-request-id", request_id.encode()))
                extra = state.get("response_headers")
                if extra:
                    headers.extend((k.lower().encode(), v.encode()) for k, v in extra.items())
                outcome[0] = response.status_code
                await response(scope, receive, send)
            else:
                await self.app(scope, receive, self._with_headers(send, state, outcome))
        except BodyTooLarge:
            if not outcome[0]:
                outcome[0] = 413
                await self._refuse(
                    send,
                    413,
                    "payload_too_large",
                    f"The request body is larger than {self.max_body_bytes} bytes. Send fewer "
                    "items per request (bulk takes at most 100).",
                    request_id,
                )
        except Exception:
            log.exception("unhandled error request_id=%s path=%s", request_id, scope.get("path"))
            if not outcome[0]:
                outcome[0] = 500
                await self._refuse(
                    send,
                    500,
                    "internal_error",
                    "Something went wrong on our side. Retry later; if it persists, report "
                    f"request id {request_id} to the operator of this server.",
                    request_id,
                )

    @staticmethod
    async def _refuse(send: Send, status: int, code: str, message: str, request_id: str) -> None:
        for part in _error_response_messages(status, code, message, request_id):
            await send(part)

    def _limited(self, receive: Receive) -> Receive:
        """``receive`` raising :class:`BodyTooLarge` once the body passes the limit."""
        received = 0
        limit = self.max_body_bytes

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        return limited_receive

    @staticmethod
    def _with_headers(send: Send, state: dict[str, Any], outcome: list[int]) -> Send:
        """``send`` adding ``x-request-id`` and the extra headers to the response's start,
        and noting its status in ``outcome``."""

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome[0] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", state["request_id"].encode()))
                extra = state.get("response_headers")
                if extra:
                    headers.extend((k.lower().encode(), v.encode()) for k, v in extra.items())
                message = {**message, "headers": headers}
            await send(message)

        return send_with_headers

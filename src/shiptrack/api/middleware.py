"""Pure ASGI middleware: request ids, body size limit, extra response headers, last-resort 500,
and encoded slashes kept inside path segments (``routing.keep_encoded_slashes``), the access log
and the request counter.

Pure ASGI (not BaseHTTPMiddleware) keeps the per-request cost to a few microseconds.
"""

from __future__ import annotations

import logging
import os
import re
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shiptrack.api import metrics
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


class ShiptrackMiddleware:
    """Adds ``x-request-id`` (echoing a sane incoming one), rate-limit headers set by the
    auth dependency, enforces the body size limit (413), and turns any unhandled exception
    into a 500 envelope without a stack trace. Counts every response by method and status
    class (``shiptrack_http_requests_total``) and, with ``access_log``, logs one line per
    request (method, path, status, duration, request id, client address)."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, access_log: bool = False) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        keep_encoded_slashes(scope)
        started_at = time.perf_counter()
        # The response's status, set as it starts (one send wrapper per request, not two).
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
                    for message in _error_response_messages(
                        413,
                        "payload_too_large",
                        f"The request body is {length} bytes; the limit is "
                        f"{self.max_body_bytes} bytes. Send fewer items per request "
                        "(bulk takes at most 100).",
                        request_id or os.urandom(16).hex(),
                    ):
                        await send(message)
                    return
        request_id = request_id or os.urandom(16).hex()
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
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

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                outcome[0] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                extra = state.get("response_headers")
                if extra:
                    headers.extend((k.lower().encode(), v.encode()) for k, v in extra.items())
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge:
            if not started:
                outcome[0] = 413
                for message in _error_response_messages(
                    413,
                    "payload_too_large",
                    f"The request body is larger than {limit} bytes. Send fewer items per "
                    "request (bulk takes at most 100).",
                    request_id,
                ):
                    await send(message)
        except Exception:
            log.exception("unhandled error request_id=%s path=%s", request_id, scope.get("path"))
            if not started:
                outcome[0] = 500
                for message in _error_response_messages(
                    500,
                    "internal_error",
                    "Something went wrong on our side. Retry later; if it persists, report "
                    f"request id {request_id} to the operator of this server.",
                    request_id,
                ):
                    await send(message)

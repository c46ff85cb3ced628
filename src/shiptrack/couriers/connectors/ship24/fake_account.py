"""The Ship24 account a fake Ship24 lists: ``GET /public/v1/trackers`` with paging and limits.

What the listing follows (``ship24-tracking-api.yaml``, operation ``list-trackers``; spec
Part B §3.4 and §6.3):

- ``page`` (from 1) and ``limit`` (1–500), ``sort`` ``1`` (``createdAt`` oldest first, the
  default) or ``-1``; an out-of-range value is ``400 validation_error`` in Ship24's envelope;
- the answer is ``{"data": {"trackers": [tracker, …]}}`` with no total: a client stops at the
  first page shorter than ``limit``;
- every answer carries the rate-limit headers ``RateLimit-Limit/Remaining/Reset`` and
  ``X-RateLimit-*``; over the per-second limit (10 by default, Ship24's for this endpoint) or
  on every ``throttle_every``-th request, the answer is ``429`` with ``Retry-After`` and the
  plain-text body Ship24's SDK documents for it.

A ``FakeAccount`` holds pre-loaded trackers (``preload``) and logs every list request with its
time and status, so tests can check that a client stayed quiet during a ``Retry-After``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web

#: Couriers the pre-loaded trackers name (real Ship24 codes, all in shiptrack's catalogue).
_COURIERS: tuple[str, ...] = ("us-post", "ups", "fedex", "dhl", "dhl-express", "139express")
#: Ship24's documented body of a 429 (``ship24-node`` tests; spec Part B §6.3).
TOO_MANY_REQUESTS = b"Too many requests, please try again later."


@dataclass(frozen=True, slots=True)
class ListRequest:
    """One list request as the fake saw it: when (``time.monotonic()``), what it answered."""

    at: float
    status: int
    page: int | None
    retry_after: float | None = None


@dataclass(slots=True)
class FakeAccount:
    """The trackers a fake Ship24 account holds, oldest first, and how it limits listing."""

    trackers: list[dict[str, Any]] = field(default_factory=list)
    #: Requests per 1-second window before 429 (Ship24's default for GET /trackers); 0: none.
    rate_limit: int = 10
    #: Every N-th list request answers 429 whatever the rate (0: never).
    throttle_every: int = 0
    #: Seconds the 429s ask the client to wait.
    retry_after: int = 1
    requests: list[ListRequest] = field(default_factory=list)
    _window: tuple[int, int] = (0, 0)

    def throttled(self, now: float) -> bool:
        """Count a request; whether it is over a limit (rate or injected)."""
        second, used = self._window
        used = used + 1 if int(now) == second else 1
        self._window = (int(now), used)
        injected = self.throttle_every > 0 and (len(self.requests) + 1) % self.throttle_every == 0
        return injected or (self.rate_limit > 0 and used > self.rate_limit)

    def limit_headers(self, now: float) -> dict[str, str]:
        second, used = self._window
        left = max(0, self.rate_limit - used) if self.rate_limit else 1000
        limit = str(self.rate_limit or 1000)
        return {
            "RateLimit-Limit": limit,
            "RateLimit-Remaining": str(left),
            "RateLimit-Reset": "1",
            "X-RateLimit-Limit": limit,
            "X-RateLimit-Remaining": str(left),
            "X-RateLimit-Reset": str(second + 1),
        }


def preload(count: int, *, start: int = 0) -> list[dict[str, Any]]:
    """``count`` Ship24 trackers, oldest first, in Ship24's tracker shape and key order.

    Tracker ``i``: number ``S24IMP{i:07d}X``; every third has a ``clientTrackerId``, every
    second a ``shipmentReference``; 0–2 courier codes; every 50th is unsubscribed (archived)
    and every 7th no longer tracked (delivered or stopped on Ship24's side).
    """
    trackers = []
    for i in range(start, start + count):
        couriers = [_COURIERS[(i + k) % len(_COURIERS)] for k in range(i % 3)]
        seconds, millis = divmod(i, 1000)
        minutes, seconds = divmod(seconds, 60)
        trackers.append(
            {
                "trackerId": f"{i:08x}-0000-4000-8000-{i * 7919 % 10**12:012d}",
                "trackingNumber": f"S24IMP{i:07d}X",
                "shipmentReference": f"ref-{i}" if i % 2 == 0 else None,
                "courierCode": couriers,
                "clientTrackerId": f"client-{i}" if i % 3 == 0 else None,
                "isSubscribed": i % 50 != 49,
                "isTracked": i % 7 != 6,
                "createdAt": f"2026-01-01T{minutes // 60:02d}:{minutes % 60:02d}:{seconds:02d}"
                f".{millis:03d}Z",
            }
        )
    return trackers


def _error(status: int, code: str, message: str) -> web.Response:
    body = orjson.dumps({"errors": [{"code": code, "message": message}], "data": None})
    return web.Response(status=status, body=body, content_type="application/json")


def _integer(value: str | None, default: int) -> int | None:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return None


def list_trackers(
    request: web.Request,
    account: FakeAccount,
    also: Callable[[], Sequence[dict[str, Any]]] = list,
) -> web.Response:
    """Answer ``GET /public/v1/trackers`` over the account's trackers plus ``also()`` (those
    created through the fake's API since), after the key was accepted."""
    now = time.monotonic()
    query = request.query
    page = _integer(query.get("page"), 1)
    if account.throttled(now):
        account.requests.append(ListRequest(now, 429, page, float(account.retry_after)))
        headers = {**account.limit_headers(now), "Retry-After": str(account.retry_after)}
        return web.Response(
            status=429, body=TOO_MANY_REQUESTS, headers=headers, content_type="text/plain"
        )
    limit = _integer(query.get("limit"), 100)
    sort = query.get("sort", "1")
    problem = None
    if page is None or page < 1:
        problem = "page must be an integer starting from 1."
    elif limit is None or not 1 <= limit <= 500:
        problem = "limit must be an integer between 1 and 500."
    elif sort not in ("1", "-1"):
        problem = "sort must be 1 (oldest first) or -1 (newest first)."
    if problem is not None:
        account.requests.append(ListRequest(now, 400, page))
        return _error(400, "validation_error", problem)
    assert page is not None
    assert limit is not None
    everything = [*account.trackers, *also()]
    if sort == "-1":
        everything.reverse()
    chosen = everything[(page - 1) * limit : page * limit]
    account.requests.append(ListRequest(now, 200, page))
    return web.Response(
        body=orjson.dumps({"data": {"trackers": chosen}}),
        headers=account.limit_headers(now),
        content_type="application/json",
    )

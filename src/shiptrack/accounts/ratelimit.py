"""Rate limits: per account and endpoint in one-second windows (Ship24's), and failed
authentication per client address.

Requests are counted per *account* — every API key of an account shares one budget — and the
account is known only once the key is checked, so no spelling of the ``Authorization`` header
(``bearer``, extra spaces) and no second key gets a budget of its own. Defaults are Ship24's
(requests per second): most endpoints 10, bulk create 3, resend and couriers 1.

Failed authentication (a well-formed header with an unknown or revoked key) is counted per
client address (an IPv6 address per /64, the block one host usually holds) in windows of
``window_seconds``. Once an address reaches the limit, its requests with keys not already known
are refused with 429 *before* the key is looked up, so guessing keys is slow and costs no
database query. Requests with a known key (cached) still pass.

Each process counts on its own: with N API worker processes an account may reach up to N times
a limit — documented in docs/configuration.md. Counters live in :class:`FixedWindows`, an
LRU-bounded store: past ``max_keys`` the least recently counted key is dropped, one at a time,
so the store never resets windows wholesale.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Final

from shiptrack.errors import ApiError

DEFAULT_LIMITS: Final[dict[str, int]] = {
    "create_tracker": 10,
    "list_trackers": 10,
    "bulk_create_trackers": 3,
    "track_tracker": 10,
    "get_tracker": 10,
    "update_tracker": 10,
    "tracker_results": 10,
    "search_results": 10,
    "resend_webhooks": 1,
    "webhook_history": 1,
    "list_couriers": 1,
    "get_courier": 10,
    "list_sources": 10,
    "detect_courier": 10,
    "tracking_search": 10,
    "account_webhook": 10,
    # shiptrack extensions: classifying texts is pure CPU (~10 µs each), diagnostics one read.
    "classify_status": 50,
    "tracker_diagnostics": 10,
}

#: Keys a store holds at most (~150 bytes each: 100,000 take ~15 MB). Far above the keys one
#: window sees in practice (accounts × endpoints; addresses failing authentication), so the
#: least recently counted key dropped past it is one whose window has long ended.
MAX_KEYS: Final = 100_000

Clock = Callable[[], float]


class FixedWindows:
    """Counters per key in fixed windows of ``seconds`` (aligned to multiples of it)."""

    def __init__(self, seconds: float, max_keys: int = MAX_KEYS) -> None:
        self.seconds = seconds
        self.max_keys = max_keys
        self._slots: OrderedDict[Hashable, list[float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._slots)

    def _start(self, now: float) -> float:
        return math.floor(now / self.seconds) * self.seconds

    def add(self, key: Hashable, now: float) -> tuple[int, float]:
        """Count one for ``key``; return its count in the current window and the window's end."""
        start = self._start(now)
        slot = self._slots.get(key)
        if slot is None or slot[0] != start:
            slot = [start, 0]
            self._slots[key] = slot
        self._slots.move_to_end(key)
        slot[1] += 1
        while len(self._slots) > self.max_keys:
            self._slots.popitem(last=False)
        return int(slot[1]), start + self.seconds

    def remove(self, key: Hashable, now: float) -> None:
        """Take one back from ``key``'s count in the current window (none below zero)."""
        slot = self._slots.get(key)
        if slot is not None and slot[0] == self._start(now) and slot[1] > 0:
            slot[1] -= 1

    def count(self, key: Hashable, now: float) -> tuple[int, float]:
        """``key``'s count in the current window (without counting) and the window's end."""
        start = self._start(now)
        slot = self._slots.get(key)
        return (int(slot[1]) if slot is not None and slot[0] == start else 0), start + self.seconds


class RateLimiter:
    """Ship24's per-endpoint limits, counted per account in one-second windows."""

    def __init__(
        self,
        overrides: dict[str, int] | None = None,
        *,
        enabled: bool = True,
        max_keys: int = MAX_KEYS,
        clock: Clock = time.time,
    ) -> None:
        self.enabled = enabled
        self.limits = {**DEFAULT_LIMITS, **(overrides or {})}
        self.windows = FixedWindows(1.0, max_keys)
        self.clock = clock

    def hit(self, account_id: str, endpoint: str, now: float | None = None) -> dict[str, str]:
        """Count one request; return the rate-limit headers, or raise 429 past the limit."""
        limit = self.limits.get(endpoint, 10)
        now = self.clock() if now is None else now
        used, reset_at = self.windows.add((account_id, endpoint), now)
        remaining = max(0, limit - used)
        headers = {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": str(remaining),
            "RateLimit-Reset": "1",
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(int(reset_at)),
        }
        if used > limit:
            raise ApiError(
                429,
                "too_many_requests",
                f"Too many requests: this endpoint allows {limit} request(s) per second per "
                "account (all its API keys together). Wait for the time in the Retry-After "
                "header, then retry with backoff.",
                headers={**headers, "Retry-After": "1"},
            )
        return headers


def address_key(client: str | None) -> str:
    """Who failed authentication: the client's IPv4 address, or its IPv6 /64."""
    if not client:
        return "unknown"
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


class AuthFailureLimiter:
    """At most ``limit`` failed authentications per client address per ``window_seconds``;
    ``limit`` 0 turns the check off."""

    def __init__(
        self,
        limit: int,
        window_seconds: float,
        *,
        max_keys: int = MAX_KEYS,
        clock: Clock = time.time,
    ) -> None:
        self.limit = limit
        self.windows = FixedWindows(window_seconds, max_keys)
        self.clock = clock

    def charge(self, client: str | None) -> None:
        """Count one failure for ``client``'s address before its key is looked up; raise 429
        (counting nothing) when the address has used up its failures for this window.
        Checking and counting in one step bounds concurrent guesses too."""
        if self.limit <= 0:
            return
        now = self.clock()
        key = address_key(client)
        failures, ends = self.windows.count(key, now)
        if failures >= self.limit:
            wait = math.ceil(ends - now)  # ≥ 1: the window ends after now
            raise ApiError(
                429,
                "too_many_requests",
                f"Too many failed authentications from this address: at most {self.limit} "
                f"per {self.windows.seconds:g} s. Check the API key, then retry after "
                f"{wait} s (the Retry-After header).",
                headers={"Retry-After": str(wait)},
            )
        self.windows.add(key, now)

    def refund(self, client: str | None) -> None:
        """Take back a failure charged for a key that turned out valid."""
        self.windows.remove(address_key(client), self.clock())

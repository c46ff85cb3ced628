"""Per-API-key, per-endpoint rate limits in one-second windows, as Ship24 applies them.

Defaults are Ship24's (requests per second): most endpoints 10, bulk create 3, resend and
couriers 1. Each process counts on its own: with N API worker processes a key may reach up to
N times the limit — documented in docs/configuration.md; set the overrides accordingly.
"""

from __future__ import annotations

import math
import time
from typing import Final

from shiptrack.api.errors import ApiError

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
    "detect_courier": 10,
    "tracking_search": 10,
    "account_webhook": 10,
    # shiptrack extensions: classifying texts is pure CPU (~10 µs each), diagnostics one read.
    "classify_status": 50,
    "tracker_diagnostics": 10,
}


class RateLimiter:
    def __init__(self, overrides: dict[str, int] | None = None, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self.limits = {**DEFAULT_LIMITS, **(overrides or {})}
        self._windows: dict[tuple[str, str], list[float]] = {}

    def hit(self, key: str, endpoint: str, now: float | None = None) -> dict[str, str]:
        """Count one request; return the rate-limit headers, or raise 429 past the limit."""
        limit = self.limits.get(endpoint, 10)
        now = time.time() if now is None else now
        window_start = math.floor(now)
        slot = self._windows.get((key, endpoint))
        if slot is None or slot[0] != window_start:
            if len(self._windows) > 50_000:
                self._windows.clear()
            slot = [window_start, 0]
            self._windows[(key, endpoint)] = slot
        slot[1] += 1
        reset_at = int(window_start) + 1
        remaining = max(0, limit - int(slot[1]))
        headers = {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": str(remaining),
            "RateLimit-Reset": "1",
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(reset_at),
        }
        if slot[1] > limit:
            raise ApiError(
                429,
                "too_many_requests",
                f"Too many requests: this endpoint allows {limit} request(s) per second per API "
                "key. Wait for the time in the Retry-After header, then retry with backoff.",
                headers={**headers, "Retry-After": "1"},
            )
        return headers

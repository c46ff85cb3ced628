"""Per-key, per-endpoint rate limits with Ship24's defaults and headers."""

from __future__ import annotations

import time

import pytest

from shiptrack.accounts.ratelimit import RateLimiter
from shiptrack.api.errors import ApiError


def test_window_counts_per_key_and_endpoint():
    limiter = RateLimiter()
    now = 1000.2
    for n in range(10):
        headers = limiter.hit("k1", "create_tracker", now)
        assert headers["RateLimit-Remaining"] == str(9 - n)
    with pytest.raises(ApiError) as exc:
        limiter.hit("k1", "create_tracker", now + 0.5)
    assert exc.value.status == 429
    assert exc.value.headers["Retry-After"] == "1"
    assert exc.value.headers["X-RateLimit-Reset"] == "1001"
    # Another key, another endpoint and the next second are unaffected.
    limiter.hit("k2", "create_tracker", now)
    limiter.hit("k1", "get_tracker", now)
    assert limiter.hit("k1", "create_tracker", now + 1)["RateLimit-Remaining"] == "9"


def test_defaults_are_ship24s():
    limits = RateLimiter().limits
    assert limits["bulk_create_trackers"] == 3
    assert limits["list_couriers"] == 1
    assert limits["resend_webhooks"] == 1
    assert limits["create_tracker"] == 10


def test_overrides():
    assert RateLimiter({"list_couriers": 50}).limits["list_couriers"] == 50


@pytest.fixture
def settings_overrides():
    return {"rate_limits_enabled": True}


async def test_rate_limit_over_http(client):
    # Stay inside one second window so the count is deterministic.
    while time.time() % 1 > 0.5:
        time.sleep(0.05)
    first = await client.get("/couriers")
    assert first.status_code == 200
    assert first.headers["ratelimit-limit"] == "1"
    assert first.headers["x-ratelimit-remaining"] == "0"
    second = await client.get("/couriers")
    assert second.status_code == 429
    assert second.headers["retry-after"] == "1"
    assert second.json()["errors"][0]["code"] == "too_many_requests"
    # Other endpoints keep their own budget.
    assert (await client.get("/trackers")).status_code == 200

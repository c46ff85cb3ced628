"""Rate limits: per account and endpoint with Ship24's defaults and headers, whatever the
spelling of the Authorization header; failed authentication throttled per client address."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from shiptrack.accounts import service as accounts
from shiptrack.accounts.auth import KeyCache
from shiptrack.accounts.ratelimit import (
    AuthFailureLimiter,
    FixedWindows,
    RateLimiter,
    address_key,
)
from shiptrack.accounts.repository import Account
from shiptrack.app import replace_services, services_of
from shiptrack.errors import ApiError

NOW = 1_000_000.25  # a fixed instant: every request below falls in one window


def test_window_counts_per_account_and_endpoint():
    limiter = RateLimiter()
    now = 1000.2
    for n in range(10):
        headers = limiter.hit("a1", "create_tracker", now)
        assert headers["RateLimit-Remaining"] == str(9 - n)
        assert headers["X-RateLimit-Remaining"] == str(9 - n)
        assert headers["RateLimit-Limit"] == headers["X-RateLimit-Limit"] == "10"
        assert headers["X-RateLimit-Reset"] == "1001"
        assert headers["RateLimit-Reset"] == "1"
    with pytest.raises(ApiError) as exc:
        limiter.hit("a1", "create_tracker", now + 0.79)
    assert exc.value.status == 429
    assert exc.value.code == "too_many_requests"
    assert exc.value.headers["Retry-After"] == "1"
    assert exc.value.headers["X-RateLimit-Reset"] == "1001"
    assert exc.value.headers["RateLimit-Remaining"] == "0"
    # Another account, another endpoint and the next second are unaffected.
    limiter.hit("a2", "create_tracker", now)
    limiter.hit("a1", "get_tracker", now)
    assert limiter.hit("a1", "create_tracker", 1001.0)["RateLimit-Remaining"] == "9"


def test_limiter_reads_its_clock():
    limiter = RateLimiter({"list_couriers": 1}, clock=lambda: 5000.5)
    assert limiter.hit("a1", "list_couriers")["X-RateLimit-Reset"] == "5001"
    with pytest.raises(ApiError):
        limiter.hit("a1", "list_couriers")


def test_defaults_are_ship24s():
    limits = RateLimiter().limits
    assert limits["bulk_create_trackers"] == 3
    assert limits["list_couriers"] == 1
    assert limits["resend_webhooks"] == 1
    assert limits["create_tracker"] == 10
    assert RateLimiter().enabled is True


def test_overrides():
    assert RateLimiter({"list_couriers": 50}).limits["list_couriers"] == 50


def test_windows_are_aligned_to_their_length():
    windows = FixedWindows(60.0)
    assert windows.add("k", 1000.0) == (1, 1020.0)
    assert windows.add("k", 1019.99) == (2, 1020.0)
    assert windows.count("k", 1019.99) == (2, 1020.0)
    assert windows.add("k", 1020.0) == (1, 1080.0)
    assert windows.count("other", 1020.0) == (0, 1080.0)
    assert windows.count("k", 1080.0) == (0, 1140.0)


def test_store_is_bounded_and_keeps_active_windows():
    """Past its bound the store drops the least recently counted keys one by one: an
    account's exhausted window survives any number of other keys."""
    limiter = RateLimiter({"list_trackers": 20}, max_keys=1000)
    for n in range(1000):  # earlier traffic fills the store
        limiter.hit(f"old-{n}", "list_trackers", 100.5)
    for _ in range(10):
        limiter.hit("busy", "list_trackers", 200.5)
    for n in range(3000):  # then many more keys arrive in the same second
        limiter.hit(f"new-{n}", "list_trackers", 200.5)
        if n % 500 == 0:
            limiter.hit("busy", "list_trackers", 200.5)
    assert len(limiter.windows) == 1000
    assert limiter.windows.count(("busy", "list_trackers"), 200.6) == (16, 201.0)
    for _ in range(4):
        limiter.hit("busy", "list_trackers", 200.6)
    with pytest.raises(ApiError):
        limiter.hit("busy", "list_trackers", 200.6)
    # The least recently counted went first, the newest stayed.
    assert limiter.windows.count(("old-999", "list_trackers"), 100.5) == (0, 101.0)
    assert limiter.windows.count(("new-2999", "list_trackers"), 200.5) == (1, 201.0)


def test_key_cache_drops_least_recently_used_entry_only():
    cache = KeyCache(max_entries=3)
    account = Account("a", "acme", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    cache.put("known", account, 0.0)
    cache.put("g1", None, 0.0)
    cache.put("g2", None, 0.0)
    assert cache.get("known", 1.0) == (True, account)  # used: moves to the end
    cache.put("g3", None, 0.0)
    assert cache.get("g1", 1.0) == (False, None)
    assert cache.get("known", 1.0) == (True, account)
    assert cache.get("g2", 1.0) == (True, None)
    assert cache.get("known", 10.5) == (False, None)  # expired after CACHE_SECONDS


@pytest.mark.parametrize(
    ("client", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        (None, "unknown"),
        ("", "unknown"),
        ("testclient", "testclient"),
    ],
)
def test_failures_are_counted_per_address_and_ipv6_block(client, key):
    assert address_key(client) == key


def test_failure_limit_boundary_and_retry_after():
    clock = [1000.5]
    failures = AuthFailureLimiter(3, 60.0, clock=lambda: clock[0])
    for _ in range(3):
        failures.charge("198.51.100.1")
    assert failures.windows.count("198.51.100.1", clock[0])[0] == 3
    with pytest.raises(ApiError) as exc:
        failures.charge("198.51.100.1")
    assert failures.windows.count("198.51.100.1", clock[0])[0] == 3  # a refusal counts nothing
    assert exc.value.status == 429
    assert exc.value.code == "too_many_requests"
    assert exc.value.headers["Retry-After"] == "20"  # the window [960, 1020) ends in 19.5 s
    failures.charge("198.51.100.2")  # another address is not affected
    clock[0] = 1019.75
    with pytest.raises(ApiError) as late:
        failures.charge("198.51.100.1")
    assert late.value.headers["Retry-After"] == "1"
    failures.refund("198.51.100.1")  # a key that turned out valid
    failures.charge("198.51.100.1")
    clock[0] = 1020.0
    failures.refund("198.51.100.1")  # last window's charge: nothing to take back now
    assert failures.windows.count("198.51.100.1", clock[0])[0] == 0
    failures.charge("198.51.100.1")  # a new window
    assert failures.windows.count("198.51.100.1", clock[0])[0] == 1


def test_refund_never_goes_below_zero():
    windows = FixedWindows(1.0)
    windows.remove("k", 5.0)
    windows.add("k", 5.0)
    windows.remove("k", 5.5)
    windows.remove("k", 5.5)
    assert windows.count("k", 5.5) == (0, 6.0)
    assert windows.add("k", 5.5) == (1, 6.0)


def test_failure_limit_zero_turns_the_check_off():
    failures = AuthFailureLimiter(0, 60.0, clock=lambda: 10.0)
    for _ in range(5):
        failures.charge("198.51.100.1")
    failures.refund("198.51.100.1")
    assert len(failures.windows) == 0


def test_an_endpoint_without_its_own_limit_gets_ship24s_usual_ten():
    limiter = RateLimiter()
    assert "some_new_endpoint" not in limiter.limits
    headers = limiter.hit("a1", "some_new_endpoint", now=NOW)
    assert headers["RateLimit-Limit"] == "10"
    for _ in range(9):
        limiter.hit("a1", "some_new_endpoint", now=NOW)
    with pytest.raises(ApiError):
        limiter.hit("a1", "some_new_endpoint", now=NOW)


def test_the_429_says_what_is_counted_and_what_to_do():
    limiter = RateLimiter({"list_couriers": 1})
    limiter.hit("a1", "list_couriers", now=NOW)
    with pytest.raises(ApiError) as exc:
        limiter.hit("a1", "list_couriers", now=NOW)
    assert exc.value.items[0].message == (
        "Too many requests: this endpoint allows 1 request(s) per second per account (all its "
        "API keys together). Wait for the time in the Retry-After header, then retry with "
        "backoff."
    )
    failures = AuthFailureLimiter(1, 60.0, clock=lambda: 1000.5)
    failures.charge("198.51.100.1")
    with pytest.raises(ApiError) as refused:
        failures.charge("198.51.100.1")
    assert refused.value.items[0].message == (
        "Too many failed authentications from this address: at most 1 per 60 s. Check the API "
        "key, then retry after 20 s (the Retry-After header)."
    )


def test_a_failure_limit_of_one_allows_exactly_one():
    failures = AuthFailureLimiter(1, 60.0, clock=lambda: 10.0)
    failures.charge("198.51.100.1")
    assert failures.windows.count("198.51.100.1", 10.0)[0] == 1
    with pytest.raises(ApiError):
        failures.charge("198.51.100.1")


def test_the_failure_store_is_bounded_too():
    failures = AuthFailureLimiter(5, 60.0, max_keys=2, clock=lambda: 10.0)
    for client in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        failures.charge(client)
    assert len(failures.windows) == 2
    assert failures.windows.count("198.51.100.1", 10.0)[0] == 0  # the oldest went first


# --- over HTTP, on both databases -----------------------------------------------------------

SPELLINGS = [
    f"{scheme}{' ' * spaces}{{key}}"
    for scheme in ("Bearer", "bearer", "BEARER", "bEARER", "BeArEr")
    for spaces in (1, 2, 3)
]


async def test_every_spelling_of_the_header_shares_one_budget(client, app):
    replace_services(app, rate_limiter=RateLimiter(clock=lambda: NOW))
    assert len(set(SPELLINGS)) == 15
    responses = []
    for spelling in SPELLINGS:
        header = {"Authorization": spelling.format(key=client.api_key)}
        for _ in range(3):
            responses.append(await client.get("/trackers", headers=header))
    served = [r for r in responses if r.status_code == 200]
    refused = [r for r in responses if r.status_code == 429]
    assert len(served) == 10
    assert len(refused) == 35
    assert [r.headers["ratelimit-remaining"] for r in served] == [str(9 - n) for n in range(10)]
    for response in refused:
        body = response.json()
        assert body["data"] is None
        assert body["errors"][0]["code"] == "too_many_requests"
        assert "per account" in body["errors"][0]["message"]
        assert response.headers["retry-after"] == "1"
        assert response.headers["ratelimit-limit"] == "10"
        assert response.headers["ratelimit-remaining"] == "0"
        assert response.headers["x-ratelimit-limit"] == "10"
        assert response.headers["x-ratelimit-remaining"] == "0"
        assert response.headers["x-ratelimit-reset"] == str(int(NOW) + 1)


async def test_an_accounts_keys_share_its_budget(client, other_client, app):
    replace_services(app, rate_limiter=RateLimiter({"list_trackers": 4}, clock=lambda: NOW))
    second = await accounts.create_key(services_of(app).db, "acme", "second")
    for _ in range(2):
        assert (await client.get("/trackers")).status_code == 200
    for _ in range(2):
        headers = {"Authorization": f"Bearer {second.key}"}
        assert (await client.get("/trackers", headers=headers)).status_code == 200
    assert (await client.get("/trackers")).status_code == 429
    # Another account keeps its own budget.
    assert (await other_client.get("/trackers")).status_code == 200


async def test_rate_limit_headers_on_success(client, app):
    replace_services(app, rate_limiter=RateLimiter(clock=lambda: NOW))
    first = await client.get("/couriers")
    assert first.status_code == 200
    assert first.headers["ratelimit-limit"] == "1"
    assert first.headers["x-ratelimit-remaining"] == "0"
    second = await client.get("/couriers")
    assert second.status_code == 429
    assert second.json()["errors"][0]["code"] == "too_many_requests"
    # Other endpoints keep their own budget.
    assert (await client.get("/trackers")).status_code == 200


@contextmanager
def key_lookups(app: Any) -> Iterator[list[str]]:
    """Statements that read the API keys table, as the database sees them."""
    seen: list[str] = []
    engine = services_of(app).db.sync_engine

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "api_keys" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def client_from(client: Any, address: str) -> httpx.AsyncClient:
    """A client of the same app whose connection comes from ``address``."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=client.app, client=(address, 40000)),
        base_url=str(client.base_url),
    )


async def test_key_guessing_is_throttled_without_database_lookups(client, app):
    clock = [NOW]
    replace_services(app, auth_failures=AuthFailureLimiter(5, 60.0, clock=lambda: clock[0]))
    known = {"Authorization": f"Bearer {client.api_key}"}
    async with (
        client_from(client, "203.0.113.50") as attacker,
        client_from(client, "203.0.113.51") as neighbour,
        client_from(client, "2001:db8:7:7::1") as v6_attacker,
        client_from(client, "2001:db8:7:7::2") as v6_same_block,
        client_from(client, "2001:db8:7:8::1") as v6_other_block,
    ):
        assert (await attacker.get("/trackers", headers=known)).status_code == 200  # cached
        with key_lookups(app) as lookups:
            for n in range(5):
                guess = await attacker.get("/trackers", headers=_guess(n))
                assert guess.status_code == 401
                assert guess.json()["errors"][0]["code"] == "auth_invalid_api_key"
            assert len(lookups) == 5
            for n in range(5, 45):
                guess = await attacker.get("/trackers", headers=_guess(n))
                assert guess.status_code == 429
                body = guess.json()
                assert body["data"] is None
                assert body["errors"][0]["code"] == "too_many_requests"
                assert guess.headers["retry-after"] == "20"
            # The same wrong key again, although cached, counts as a guess too.
            assert (await attacker.get("/trackers", headers=_guess(0))).status_code == 429
            assert len(lookups) == 5  # not one lookup for 41 throttled guesses
            # The address's known key still works; another address still may fail.
            assert (await attacker.get("/trackers", headers=known)).status_code == 200
            assert (await neighbour.get("/trackers", headers=_guess(99))).status_code == 401
            assert len(lookups) == 6
            # IPv6: one /64 is one address.
            for n in range(5):
                guess = await v6_attacker.get("/trackers", headers=_guess(100 + n))
                assert guess.status_code == 401
            refused = await v6_same_block.get("/trackers", headers=_guess(200))
            assert refused.status_code == 429
            other = await v6_other_block.get("/trackers", headers=_guess(201))
            assert other.status_code == 401
            assert len(lookups) == 12
        # The next window starts afresh.
        clock[0] = NOW + 60
        assert (await attacker.get("/trackers", headers=_guess(300))).status_code == 401


async def test_a_key_seen_valid_is_not_locked_out_by_a_guesser_on_its_address(client, app):
    """Clients behind one address (a NAT, an untrusted proxy) keep working while a guesser
    among them is throttled: a key seen valid is looked up again when its cache entry
    expires, without being charged."""
    replace_services(app, auth_failures=AuthFailureLimiter(3, 60.0, clock=lambda: NOW))
    now = [100.0]
    replace_services(app, key_cache=KeyCache(clock=lambda: now[0]))
    known = {"Authorization": f"Bearer {client.api_key}"}
    async with client_from(client, "203.0.113.80") as shared:
        assert (await shared.get("/trackers", headers=known)).status_code == 200
        for n in range(3):
            assert (await shared.get("/trackers", headers=_guess(n))).status_code == 401
        assert (await shared.get("/trackers", headers=_guess(3))).status_code == 429
        now[0] += 11  # past CACHE_SECONDS: the known key is looked up again
        with key_lookups(app) as lookups:
            assert (await shared.get("/trackers", headers=known)).status_code == 200
        assert len(lookups) == 1
        # A guessed key whose negative entry expired is still a guess.
        assert (await shared.get("/trackers", headers=_guess(0))).status_code == 429


def test_key_cache_vouches_only_for_keys_seen_valid():
    cache = KeyCache(clock=lambda: 0.0)
    account = Account("a", "acme", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    cache.put("valid", account, 0.0)
    cache.put("unknown", None, 0.0)
    assert cache.vouched("valid")
    assert cache.get("valid", 20.0) == (False, None)  # expired, still vouched for
    assert cache.vouched("valid")
    assert not cache.vouched("unknown")
    assert not cache.vouched("never-seen")
    cache.put("valid", None, 30.0)  # revoked since
    assert not cache.vouched("valid")


async def test_unknown_key_on_a_blocked_address_is_not_looked_up(client, app):
    """A valid key never seen by this process is refused while its address is blocked: the
    check comes before the lookup (the price of a shared address)."""
    replace_services(app, auth_failures=AuthFailureLimiter(2, 60.0, clock=lambda: NOW))
    second = await accounts.create_key(services_of(app).db, "acme", "second")
    async with client_from(client, "203.0.113.60") as attacker:
        for n in range(2):
            assert (await attacker.get("/trackers", headers=_guess(n))).status_code == 401
        with key_lookups(app) as lookups:
            valid = {"Authorization": f"Bearer {second.key}"}
            assert (await attacker.get("/trackers", headers=valid)).status_code == 429
            assert lookups == []


async def test_failed_authentication_is_limited_by_default(app):
    limiter = services_of(app).auth_failures
    assert limiter.limit == 60
    assert limiter.windows.seconds == 60.0


async def test_concurrent_guesses_stay_bounded(client, app):
    replace_services(app, auth_failures=AuthFailureLimiter(5, 60.0, clock=lambda: NOW))
    async with client_from(client, "203.0.113.70") as attacker:
        responses = await asyncio.gather(
            *(attacker.get("/trackers", headers=_guess(n)) for n in range(30))
        )
    codes = sorted(r.status_code for r in responses)
    assert codes.count(401) == 5, codes  # charged before the lookup, so concurrency can't pass
    assert codes.count(429) == 25, codes


def _guess(n: int) -> dict[str, str]:
    return {"Authorization": f"Bearer apik_guess_{n:04d}"}


async def test_a_revoked_key_stops_working_when_its_cache_time_ends(client, app):
    """Requests served from the header shortcut stop at the cache time after revocation."""
    now = [100.0]
    replace_services(app, key_cache=KeyCache(clock=lambda: now[0]))
    new = await accounts.create_key(services_of(app).db, "acme", "short-lived")
    headers = {"Authorization": f"Bearer {new.key}"}
    assert (await client.get("/trackers", headers=headers)).status_code == 200
    with key_lookups(app) as lookups:
        assert (await client.get("/trackers", headers=headers)).status_code == 200
    assert lookups == []  # served from the cache
    await accounts.revoke_key(services_of(app).db, new.info.id)
    now[0] += 5
    assert (await client.get("/trackers", headers=headers)).status_code == 200  # still cached
    now[0] += 6  # past CACHE_SECONDS since the lookup
    answer = await client.get("/trackers", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["code"] == "auth_invalid_api_key"

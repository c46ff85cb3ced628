"""The upstream connectors keep to their providers' documented per-endpoint rate limits, over
real HTTP against the fake providers (which enforce those limits with the providers' 429s):
a batch's calls go concurrently but never past the limit, a 429 loses nothing (the call waits
the provider's Retry-After or X-RateLimit-Reset and is sent again), and a call that could
not be answered within the engine's timeout is deferred — not sent, not a failure, no call
budget spent — with the
time its turn comes, which is when the engine checks the tracker again."""

from __future__ import annotations

import datetime as dt
import time
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest

from shiptrack.config import Settings
from shiptrack.couriers.connectors import pacing
from shiptrack.couriers.connectors.aftership import AfterShipConnector, AfterShipSettings
from shiptrack.couriers.connectors.aftership import fake as aftership_fake
from shiptrack.couriers.connectors.aggregator_fake import UPSTREAM_FAKE
from shiptrack.couriers.connectors.fakesource import serve
from shiptrack.couriers.connectors.protocol import (
    RATE_LIMIT_BUDGET,
    BudgetExhausted,
    TrackingHints,
    TrackingResult,
)
from shiptrack.couriers.connectors.ship24 import Ship24Connector, Ship24Settings
from shiptrack.couriers.connectors.ship24 import fake as ship24_fake
from shiptrack.couriers.fakes import CarrierJourneys
from shiptrack.couriers.fakes.aggregators import FAKE_API_KEY, aggregator_source
from shiptrack.tracking.after_check import BatchStats, schedule_after_check
from shiptrack.tracking.fetch import TrackerFetch
from shiptrack.tracking.shipment_state import ShipmentState

from .conftest import TestClock, sent_times, usps_number
from .test_batches import CountingBudget

HINTS = TrackingHints(courier_codes=("us-post",))
FAKES = {"aftership": aftership_fake, "ship24": ship24_fake}
CONNECTORS: dict[str, tuple[Any, Any]] = {
    "aftership": (AfterShipConnector, AfterShipSettings),
    "ship24": (Ship24Connector, Ship24Settings),
}


async def _start(name: str, limits: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
    app = FAKES[name].create_app(
        aggregator_source(CarrierJourneys(clock=TestClock())),
        api_key=FAKE_API_KEY,
        webhook_secret="unused",
        limits=limits,
    )
    return app, serve(app)


def _connector(name: str, url: str, session: aiohttp.ClientSession, **settings: Any) -> Any:
    connector_class, settings_class = CONNECTORS[name]
    own = settings_class(_env_file=None, base_url=url, api_key=FAKE_API_KEY, **settings)
    return connector_class(own, session)


async def _track(connector: Any, numbers: list[str]) -> dict[str, Any]:
    return await connector.track(numbers, dict.fromkeys(numbers, HINTS))


# The endpoint a first check spends one call per number on, and its documented limit.
PER_NUMBER = {"aftership": ("create", 20), "ship24": ("track", 10)}


def _busiest_second(times: list[float]) -> int:
    """The most requests sent within any one second."""
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))


# The path of the endpoint a first check spends one call per number on.
PER_NUMBER_PATH = {"aftership": "/tracking/2025-01/trackings", "ship24": "/trackers/track"}


@pytest.mark.parametrize("name", ["aftership", "ship24"])
async def test_a_batch_goes_concurrently_within_the_documented_limit(name):
    endpoint, limit = PER_NUMBER[name]
    app, served = await _start(name)  # the fake enforces the documented limits
    count = int(limit * 2.5)
    async with served as url, aiohttp.ClientSession() as session:
        connector = _connector(name, url, session)
        sent = sent_times(connector, PER_NUMBER_PATH[name])
        numbers = [usps_number(6) for _ in range(count)]
        started = time.monotonic()
        outcomes = await _track(connector, numbers)
        took = time.monotonic() - started
    state = app[UPSTREAM_FAKE]
    assert all(isinstance(outcomes[n], TrackingResult) for n in numbers), outcomes
    # What the client controls: never more than the limit sent within a second (all at once,
    # 2.5 times the limit would leave together). What arrives can still bunch when the loop
    # stalls (a loaded machine): such 429s are waited out and sent again, all found above.
    assert len(sent) == count + state.rates.refused[endpoint]
    assert _busiest_second(sent) <= limit, sent
    assert state.rates.peak[endpoint] >= int(limit * 0.8), "the limit is used, not undershot"
    assert took >= (count - 1) / limit


@pytest.mark.parametrize("name", ["aftership", "ship24"])
async def test_a_429_loses_nothing(name):
    """A provider that allows fewer calls than documented (another client of the key, a
    smaller plan): its 429s hold the endpoint and the refused calls go again."""
    endpoint, _ = PER_NUMBER[name]
    app, served = await _start(name, limits={endpoint: 4})
    async with served as url, aiohttp.ClientSession() as session:
        connector = _connector(name, url, session)
        numbers = [usps_number(6) for _ in range(10)]
        outcomes = await _track(connector, numbers)
        state = app[UPSTREAM_FAKE]
        assert state.rates.refused[endpoint] > 0, "the fake did refuse calls"
        assert all(isinstance(outcomes[n], TrackingResult) for n in numbers), outcomes
        assert all(state.registered[n] == 1 for n in numbers), "each registered once"
        # An injected 429 with Retry-After (the provider's own words) is waited out too.
        state.faults.set(status=429, retry_after="1", times=1)
        again = await _track(connector, numbers[:2])
    assert all(isinstance(again[n], TrackingResult) for n in numbers[:2]), again


async def test_a_call_that_cannot_be_answered_in_time_is_deferred_not_sent():
    """Ship24 answers track at 10 a second: with 4 s for the whole check (3 s of slots),
    ~30 numbers are registered and read by their track call; the others, refused a slot at
    once, are registered by one bulk create (its own bucket) and their reads deferred (the
    results' turn comes after the registrations), each told when its turn comes."""
    app, served = await _start("ship24")
    async with served as url, aiohttp.ClientSession() as session:
        connector = _connector("ship24", url, session, timeout=4.0)
        connector.budget = CountingBudget()
        numbers = [usps_number(6) for _ in range(60)]
        outcomes = await _track(connector, numbers)
    state = app[UPSTREAM_FAKE]
    found = [n for n in numbers if isinstance(outcomes[n], TrackingResult)]
    deferred = [outcomes[n] for n in numbers if isinstance(outcomes[n], BudgetExhausted)]
    assert len(found) + len(deferred) == 60
    tracked = state.calls["register"] - 1  # the track calls, and one bulk create
    assert 20 <= len(found) <= 35, len(found)
    assert tracked <= len(found)
    assert all(d.budget == RATE_LIMIT_BUDGET and not d.courier_wide for d in deferred)
    waits = sorted(d.retry_after for d in deferred)
    assert waits[0] >= 0
    assert waits[-1] - waits[0] >= (len(waits) - 2) * 0.09, "each its own turn, a slot apart"
    assert state.calls["poll"] == len(found) - tracked, "a deferred call is not sent"
    assert connector.budget.spent["call"] == len(found) + 1, "nor counted as a call"
    assert state.rates.refused == {}
    assert all(state.registered[n] == 1 for n in numbers), "all registered, each once"


def _fetch(errors: list[Any]) -> TrackerFetch:
    now = dt.datetime.now(dt.UTC)
    tracker = SimpleNamespace(
        id="t1",
        tracking_number="9400100000000000000000",
        created_at=now,
        last_event_at=None,
        error_count=0,
        has_data=False,
    )
    connector = SimpleNamespace(
        info=SimpleNamespace(time_scale=1.0, min_interval=3600.0, source_code="ship24"),
        check_again_in=lambda number, started: None,
    )
    return TrackerFetch(tracker=tracker, errors=errors, connectors=[connector])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("budget", "expected"),
    [(RATE_LIMIT_BUDGET, 12.0), ("calls_minute", 3600.0)],
)
def test_a_rate_limit_deferral_is_checked_again_when_its_slot_comes(budget, expected):
    """A provider's per-second limit: checked again at its slot (not after the source's
    minimum interval, not as a failure); an operator's budget keeps waiting for the usual
    interval at least."""
    now = dt.datetime.now(dt.UTC)
    error = BudgetExhausted("wait", budget=budget, retry_after=12.0)
    state = ShipmentState(numbers=[], details={}, origin=None, destination=None)
    stats = BatchStats()
    row = schedule_after_check(Settings(), "me", _fetch([error]), state, now, stats, 5)
    assert row["error_count"] == 0
    assert stats.errors == 0
    assert row["next_check_at"] == now + dt.timedelta(seconds=expected)


def test_the_pacer_spaces_slots_and_a_429_holds_the_endpoint():
    pacer = pacing.Pacer(10)
    waits = [pacer.reserve(max_wait=0.5) for _ in range(8)]
    assert waits[:5] == pytest.approx([0.105 * i for i in range(5)], abs=0.01)
    assert waits[5:] == [None, None, None], "no slot within 0.5 s: nothing reserved"
    pacer.hold(2.0)
    assert pacer.reserve(max_wait=1.0) is None
    assert pacer.reserve(max_wait=3.0) == pytest.approx(2.0, abs=0.05)

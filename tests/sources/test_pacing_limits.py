"""17TRACK and TrackingMore keep to their documented limits too, and every upstream's limits
are settings: over real HTTP against the fakes (which enforce the documented limits by
default, answering 429 in each provider's format), a burst above the limit is paced, not
failed; TrackingMore's 429 holds the endpoint for its documented 120 s back-off and loses no
check; ``…_RATE_LIMITS`` raise (or lift) the limits for a plan that allows more,
``…_MAX_IN_FLIGHT`` caps the calls waiting at once, and bad values are refused by name."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pydantic
import pytest
from aiohttp import web

from shiptrack.couriers.connectors.aftership import AfterShipSettings
from shiptrack.couriers.connectors.aggregator_fake import UPSTREAM_FAKE, scaled_limits
from shiptrack.couriers.connectors.fakesource import serve
from shiptrack.couriers.connectors.protocol import (
    RATE_LIMIT_BUDGET,
    BudgetExhausted,
    TrackingHints,
    TrackingResult,
)
from shiptrack.couriers.connectors.ship24 import Ship24Settings
from shiptrack.couriers.connectors.track17 import Track17Connector, Track17Settings
from shiptrack.couriers.connectors.track17 import fake as track17_fake
from shiptrack.couriers.connectors.trackingmore import (
    TrackingMoreConnector,
    TrackingMoreSettings,
)
from shiptrack.couriers.connectors.trackingmore import fake as trackingmore_fake
from shiptrack.couriers.fakes import CarrierJourneys
from shiptrack.couriers.fakes.aggregators import (
    FAKE_API_KEY,
    aggregator_source,
    parse_limits_factor,
    start_fake_upstreams,
    stop_fake_upstreams,
    upstream_env,
)

from .conftest import TestClock, sent_times, usps_number

HINTS = TrackingHints(courier_codes=("us-post",))
FAKES: dict[str, Any] = {"track17": track17_fake, "trackingmore": trackingmore_fake}
CONNECTORS: dict[str, tuple[Any, Any]] = {
    "track17": (Track17Connector, Track17Settings),
    "trackingmore": (TrackingMoreConnector, TrackingMoreSettings),
}
#: The endpoint a burst of first checks spends most calls on, its documented limit and the
#: path its calls go to.
BUSIEST = {"track17": ("all", 3, "/track/v2.2/"), "trackingmore": ("batch", 10, "/batch")}


def _app(name: str, limits: dict[str, float] | None = None) -> web.Application:
    app: web.Application = FAKES[name].create_app(
        aggregator_source(CarrierJourneys(clock=TestClock())),
        api_key=FAKE_API_KEY,
        webhook_secret="unused",
        limits=limits,
    )
    return app


def _connector(name: str, url: str, session: aiohttp.ClientSession, **settings: Any) -> Any:
    connector_class, settings_class = CONNECTORS[name]
    own = settings_class(_env_file=None, base_url=url, api_key=FAKE_API_KEY, **settings)
    return connector_class(own, session)


async def _track(connector: Any, numbers: list[str]) -> dict[str, Any]:
    return await connector.track(numbers, dict.fromkeys(numbers, HINTS))


def _busiest_second(times: list[float]) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))


@pytest.mark.parametrize("name", ["track17", "trackingmore"])
async def test_a_burst_above_the_documented_limit_is_paced_not_refused(name):
    endpoint, limit, path = BUSIEST[name]
    app = _app(name)  # the documented limits, enforced
    # 17TRACK: 6 register + 6 poll calls at 3 a second; TrackingMore: 25 batch creates at 10.
    count = 240 if name == "track17" else 1000
    async with serve(app) as url, aiohttp.ClientSession() as session:
        connector = _connector(name, url, session)
        sent = sent_times(connector, path)
        numbers = [usps_number(6) for _ in range(count)]
        started = time.monotonic()
        outcomes = await _track(connector, numbers)
        took = time.monotonic() - started
    state = app[UPSTREAM_FAKE]
    assert all(isinstance(outcomes[n], TrackingResult) for n in numbers), outcomes
    assert all(state.registered[n] == 1 for n in numbers), "each registered once"
    # Never more than the limit sent within a second (a 429 from a stalled loop's bunching is
    # waited out and sent again: every number is found above).
    assert _busiest_second(sent) <= limit, sent
    assert len(sent) >= 12 if name == "track17" else len(sent) >= 25
    assert state.rates.peak[endpoint] >= int(limit * 0.6), "the limit is used, not undershot"
    assert took >= (len(sent) - state.rates.refused[endpoint] - 1) / limit * 0.95


async def test_a_trackingmore_429_holds_the_endpoint_for_its_documented_back_off():
    """TrackingMore names no wait in its 429; its article says 120 s. With a shorter
    ``…_BACKOFF_SECONDS`` the refused call waits that long and is sent again: nothing lost."""
    assert TrackingMoreSettings(_env_file=None).backoff() == 120.0
    app = _app("trackingmore", limits={"batch": 10, "get": 1})  # a smaller plan's reads
    async with serve(app) as url, aiohttp.ClientSession() as session:
        connector = _connector("trackingmore", url, session, backoff_seconds=1.5)
        numbers = [usps_number(6) for _ in range(120)]  # 3 batches: 3 gets at once
        started = time.monotonic()
        outcomes = await _track(connector, numbers)
        took = time.monotonic() - started
    state = app[UPSTREAM_FAKE]
    assert state.rates.refused["get"] >= 1, "the fake did refuse reads with its 429"
    assert all(isinstance(outcomes[n], TrackingResult) for n in numbers), outcomes
    assert took >= 1.5, "the refused read waited the back-off before going again"


async def test_past_the_checks_time_a_trackingmore_429_defers_its_numbers_to_the_back_off():
    """With the documented 120 s the refused read cannot go again within the check: its
    numbers are deferred (budget ``rate_limit``, not a failure) to when the back-off ends,
    which is when the engine checks them again — no check is lost."""
    app = _app("trackingmore", limits={"batch": 10, "get": 1})
    async with serve(app) as url, aiohttp.ClientSession() as session:
        connector = _connector("trackingmore", url, session, timeout=4.0)
        # 3 gets of 40 sent within a fraction of a second: however they fall across the
        # fake's one-second windows, one window holds two, so at least one is refused.
        numbers = [usps_number(6) for _ in range(120)]
        outcomes = await _track(connector, numbers)
    found = [n for n in numbers if isinstance(outcomes[n], TrackingResult)]
    deferred = [outcomes[n] for n in numbers if isinstance(outcomes[n], BudgetExhausted)]
    assert len(found) + len(deferred) == len(numbers), outcomes
    assert len(found) >= 40, outcomes
    assert len(deferred) >= 40, outcomes
    assert len(deferred) % 40 == 0, "a refused read defers its whole batch"
    assert all(d.budget == RATE_LIMIT_BUDGET and not d.courier_wide for d in deferred)
    assert all(110 <= (d.retry_after or 0) <= 125 for d in deferred), deferred[0].retry_after


async def test_raised_rate_limits_pace_to_the_plan_and_zero_lifts_the_limit():
    """A plan with 10 × 17TRACK's rate: 30 calls in about a second, not ten; the fake at the
    same raised limit refuses none."""
    app = _app("track17", limits=scaled_limits(Track17Settings.documented_limits, 10))
    async with serve(app) as url, aiohttp.ClientSession() as session:
        connector = _connector("track17", url, session, rate_limits={"all": 30})
        assert connector.pacers["all"].rate == 30
        numbers = [usps_number(6) for _ in range(600)]  # 15 registers + 15 polls
        started = time.monotonic()
        outcomes = await _track(connector, numbers)
        took = time.monotonic() - started
        lifted = _connector("track17", url, session, rate_limits={"all": 0})
    assert all(isinstance(outcomes[n], TrackingResult) for n in numbers)
    assert app[UPSTREAM_FAKE].rates.refused["all"] == 0
    assert took < 29 / 3, "faster than the documented 3 a second allows"
    assert lifted.pacers == {}, "0: the endpoint is not paced"


async def test_max_in_flight_caps_the_calls_waiting_for_an_answer():
    app = _app("trackingmore", limits={})
    waiting = {"now": 0, "most": 0}

    @web.middleware
    async def slow(request: web.Request, handler: Any) -> web.StreamResponse:
        waiting["now"] += 1
        waiting["most"] = max(waiting["most"], waiting["now"])
        try:
            await asyncio.sleep(0.05)
            return await handler(request)
        finally:
            waiting["now"] -= 1

    app.middlewares.append(slow)
    async with serve(app) as url, aiohttp.ClientSession() as session:
        unpaced = {"batch": 0.0, "get": 0.0}  # a fake and a plan without limits
        connector = _connector("trackingmore", url, session, max_in_flight=3, rate_limits=unpaced)
        numbers = [usps_number(6) for _ in range(400)]  # 10 batch creates, then 10 gets
        outcomes = await _track(connector, numbers)
    assert all(isinstance(outcomes[n], TrackingResult) for n in numbers)
    assert waiting["most"] == 3


@pytest.mark.parametrize(
    ("settings_class", "given", "words"),
    [
        (AfterShipSettings, {"lists": 12}, ["SHIPTRACK_AFTERSHIP_RATE_LIMITS", "'lists'", "list"]),
        (Track17Settings, {"register": 5}, ["SHIPTRACK_17TRACK_RATE_LIMITS", "all"]),
        (Ship24Settings, {"results": -1}, ["SHIPTRACK_SHIP24_RATE_LIMITS", "'results'", "-1"]),
    ],
)
def test_rate_limits_that_name_no_endpoint_or_a_negative_rate_are_refused(
    settings_class, given, words
):
    with pytest.raises(pydantic.ValidationError) as refused:
        settings_class(_env_file=None, rate_limits=given)
    assert all(word in str(refused.value) for word in words), str(refused.value)


def test_limits_are_read_from_the_environment_as_json(monkeypatch):
    monkeypatch.setenv("SHIPTRACK_TRACKINGMORE_RATE_LIMITS", '{"get": 50, "batch": 0}')
    monkeypatch.setenv("SHIPTRACK_TRACKINGMORE_MAX_IN_FLIGHT", "8")
    monkeypatch.setenv("SHIPTRACK_TRACKINGMORE_BACKOFF_SECONDS", "30")
    own = TrackingMoreSettings(_env_file=None)
    limits = own.endpoint_limits()
    assert (limits["get"], limits["batch"], limits["detect"]) == (50, 0, 10)
    assert (own.max_in_flight, own.backoff()) == (8, 30)
    monkeypatch.setenv("SHIPTRACK_TRACKINGMORE_MAX_IN_FLIGHT", "0")
    with pytest.raises(pydantic.ValidationError, match="max_in_flight"):
        TrackingMoreSettings(_env_file=None)


def test_the_upstream_limits_flag():
    assert parse_limits_factor("documented") == 1.0
    assert parse_limits_factor("off") == 0.0
    assert parse_limits_factor("10x") == 10.0
    for wrong in ("fast", "0x", "-2"):
        with pytest.raises(ValueError, match="--upstream-limits"):
            parse_limits_factor(wrong)


async def test_fake_couriers_with_raised_limits_print_the_settings_that_pace_to_them():
    running = await start_fake_upstreams(CarrierJourneys(clock=TestClock()), limits_factor=10)
    try:
        env = upstream_env(running)
        by_name = {u.name: u.app[UPSTREAM_FAKE].rates.limits for u in running}
    finally:
        await stop_fake_upstreams(running)
    assert env["SHIPTRACK_17TRACK_RATE_LIMITS"] == '{"all":30}'
    assert by_name["track17"] == {"all": 30}
    assert by_name["aftership"]["create"] == 200
    running = await start_fake_upstreams(CarrierJourneys(clock=TestClock()))
    try:
        env = upstream_env(running)
        documented = {u.name: u.app[UPSTREAM_FAKE].rates.limits for u in running}
    finally:
        await stop_fake_upstreams(running)
    assert not any(key.endswith("RATE_LIMITS") for key in env), "the defaults pace already"
    assert documented["trackingmore"]["batch"] == 10
    assert documented["track17"] == {"all": 3}


def test_serve_and_worker_refuse_upstream_settings_that_do_not_hold(monkeypatch):
    """Without this check the provider's connector would be left out with a log line."""
    from shiptrack.config import Settings, webhook_settings
    from shiptrack.config_checks import SettingsConflict, check

    check(Settings(_env_file=None), webhook_settings(Settings(_env_file=None)))  # nothing set
    monkeypatch.setenv("SHIPTRACK_AFTERSHIP_RATE_LIMITS", '{"lists": 12}')
    monkeypatch.setenv("SHIPTRACK_SHIP24_MAX_IN_FLIGHT", "0")
    monkeypatch.setenv("SHIPTRACK_TRACKINGMORE_RATE_LIMITS", "get=12")
    with pytest.raises(SettingsConflict) as refused:
        check(Settings(_env_file=None), webhook_settings(Settings(_env_file=None)))
    problems = refused.value.problems
    assert any(p.startswith("SHIPTRACK_AFTERSHIP_RATE_LIMITS names 'lists'") for p in problems)
    assert any(p.startswith("SHIPTRACK_SHIP24_MAX_IN_FLIGHT='0'") for p in problems)
    assert any(
        p.startswith("SHIPTRACK_TRACKINGMORE_RATE_LIMITS cannot be read") and "JSON" in p
        for p in problems
    ), problems

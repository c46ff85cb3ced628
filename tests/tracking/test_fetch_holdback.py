"""A courier's 429 holds back every call to its connector until ``Retry-After`` has passed
(docs/connectors.md: "the connector is held back until then"), and only that connector."""

from __future__ import annotations

import datetime as dt

import aiohttp

from shiptrack.couriers.connectors import usps
from shiptrack.couriers.connectors.fakesource import FAKE_STATE, serve
from shiptrack.couriers.connectors.protocol import (
    BudgetExhausted,
    ConnectorInfo,
    CourierEvent,
    CourierRateLimited,
    TrackingHints,
    TrackingResult,
)
from shiptrack.couriers.connectors.registry import ConnectorSet
from shiptrack.couriers.connectors.usps import fake
from shiptrack.tracking.claims import LookupTracker
from shiptrack.tracking.fetch import Fetcher, NumberToCheck, TrackerFetch

NUMBERS = ("9400100000000000000011", "9400100000000000000028")


def _tracker(number: str, *codes: str) -> LookupTracker:
    return LookupTracker(number, number, number, dt.datetime.now(dt.UTC), list(codes))


def _journey(number: str) -> TrackingResult:
    event = CourierEvent(number, "2025-03-04T10:17:00-05:00", "Accepted", "transit_handover")
    return TrackingResult(number, "us-post", "usps-tracking", [event])


async def _fetch(fetcher: Fetcher, number: str) -> TrackerFetch:
    record = TrackerFetch(tracker=_tracker(number, "us-post"))
    check = NumberToCheck(number, ("us-post",), TrackingHints(courier_codes=("us-post",)))
    await fetcher.fetch({number: (record, [check], True)})
    return record


async def test_a_429_holds_the_connector_back_for_its_retry_after() -> None:
    app = fake.create_app({n: _journey(n) for n in NUMBERS}.get, client_id="i", client_secret="s")
    state = app[FAKE_STATE]
    async with serve(app) as url, aiohttp.ClientSession() as session:
        settings = usps.UspsSettings(
            _env_file=None, client_id="i", client_secret="s", base_url=url, rate_limit=100.0
        )
        connector = usps.UspsConnector(settings, session)
        fetcher = Fetcher(ConnectorSet([connector]))
        assert (await _fetch(fetcher, NUMBERS[0])).results  # healthy
        state.faults.set(status=429, retry_after="30", times=1)
        limited = await _fetch(fetcher, NUMBERS[0])
        (error,) = limited.errors
        assert isinstance(error, CourierRateLimited)
        assert error.retry_after == 30
        calls = state.track_requests
        # Another number, right after: not sent to USPS at all, and told how long to wait.
        held = await _fetch(fetcher, NUMBERS[1])
        assert state.track_requests == calls
        (error,) = held.errors
        assert isinstance(error, CourierRateLimited)
        assert 25 < error.retry_after <= 30
        # Once the wait is over, calls go out again.
        gate = fetcher._gate(connector)
        gate.blocked_until -= 31
        assert (await _fetch(fetcher, NUMBERS[1])).results
        assert state.track_requests == calls + 1


async def test_a_429_for_one_number_only_does_not_hold_the_connector_back() -> None:
    """A connector may say a limit applies to one number only (``courier_wide=False``, as the
    sandbox's per-number faults do): other numbers keep being asked."""
    number = "SBX-OC-HO-DL_RL1R30"
    from shiptrack.couriers.sandbox.connector import build_sandbox_connector

    connector = build_sandbox_connector(time_scale=1.0, latency=0.0)
    fetcher = Fetcher(ConnectorSet([connector]))
    record = TrackerFetch(tracker=_tracker(number))
    hints = TrackingHints(tracking_started_at=dt.datetime.now(dt.UTC))
    await fetcher.fetch({number: (record, [NumberToCheck(number, (), hints)], False)})
    (error,) = record.errors
    assert isinstance(error, CourierRateLimited)
    assert not error.courier_wide
    assert fetcher._gate(connector).blocked_for() == 0


class _Spent:
    """A connector whose call budget is spent for 40 s: it answers ``BudgetExhausted``."""

    def __init__(self) -> None:
        self.info = ConnectorInfo(source_code="aftership", courier_codes=frozenset({"us-post"}))
        self.calls = 0

    async def track(self, numbers, hints):  # type: ignore[no-untyped-def]
        self.calls += 1
        spent = BudgetExhausted(
            "calls_minute spent", budget="calls_minute", retry_after=40.0, courier_wide=True
        )
        return dict.fromkeys(numbers, spent)

    def claims(self, tracking_number: str) -> bool:
        return False


async def test_a_spent_call_budget_holds_back_and_is_reported_as_such() -> None:
    connector = _Spent()
    fetcher = Fetcher(ConnectorSet([connector]))  # type: ignore[list-item]
    first = await _fetch(fetcher, NUMBERS[0])
    assert first.outcomes["aftership"][0] == "budget_exhausted"
    held = await _fetch(fetcher, NUMBERS[1])
    assert connector.calls == 1, "held back until the refill, not asked again"
    (error,) = held.errors
    assert isinstance(error, BudgetExhausted)
    assert error.budget == "calls_minute"
    assert 39 < (error.retry_after or 0) <= 40
    assert held.outcomes["aftership"] == ("budget_exhausted", "calls_minute spent")

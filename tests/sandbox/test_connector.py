"""The sandbox courier behind the connector protocol, with a fake clock and a real one."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest

from shiptrack.couriers.connectors.protocol import (
    Connector,
    CourierRateLimited,
    CourierUnavailable,
    TrackingHints,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.sandbox.connector import (
    SandboxConnector,
    build_sandbox_connector,
    is_sandbox_number,
)
from shiptrack.tracking import timeline

STARTED = dt.datetime(2026, 11, 20, 15, 0, 0, tzinfo=dt.UTC)


class FakeClock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


def hints(started: dt.datetime = STARTED, checks: int = 0) -> TrackingHints:
    return TrackingHints(tracking_started_at=started, previous_checks=checks)


def test_it_is_a_connector() -> None:
    connector = build_sandbox_connector()
    assert isinstance(connector, Connector)
    assert connector.info.source_code == "sandbox"
    assert connector.info.courier_codes == frozenset({"sandbox"})
    assert (connector.time_scale, connector.latency) == (1.0, 0.0)
    assert connector.info.min_interval == 60.0
    assert build_sandbox_connector(time_scale=3600).info.min_interval == 0.1


@pytest.mark.parametrize(
    ("time_scale", "latency", "message"),
    [(0, 0, "time_scale must be positive"), (1, -1, "latency must be zero or positive")],
)
def test_bad_settings_are_refused(time_scale: float, latency: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SandboxConnector(time_scale=time_scale, latency=latency)


@pytest.mark.parametrize(
    ("number", "claimed"),
    [
        ("SHIP24_SAMPLE_DELIVERED_123", True),
        ("SHIP24_SAMPLE_DELIVERED_123.2", True),
        ("ship24_sample_pending_000", True),
        ("SBX-OC-HO-DL", True),
        ("SBX-OC-HO/US-DL.2", True),
        ("SBX_LONGHAUL", True),
        ("SBX-TYPO", True),  # ours, answered "not found" with the reason
        ("SBXOC", False),
        ("1Z999AA10123456784", False),
        ("9400111899223197428490", False),
        ("S24DEMO456393", False),
    ],
)
def test_claims(number: str, claimed: bool) -> None:
    assert build_sandbox_connector().claims(number) is claimed
    assert is_sandbox_number(number) is claimed


async def test_track_answers_every_number() -> None:
    clock = FakeClock(STARTED)
    connector = build_sandbox_connector(clock=clock)
    numbers = ["SHIP24_SAMPLE_DELIVERED_123", "SBX-DL_RL1R30", "SBX-2H-DL", "1Z999AA10123456784"]
    outcomes = await connector.track(numbers, {n: hints() for n in numbers[:3]})
    assert list(outcomes) == numbers
    delivered = outcomes[numbers[0]]
    assert isinstance(delivered, TrackingResult)
    assert timeline.summarise(delivered.events).status_milestone == "delivered"
    limited = outcomes[numbers[1]]
    assert isinstance(limited, CourierRateLimited)
    assert limited.retry_after == 30.0
    assert isinstance(outcomes[numbers[2]], TrackingNumberNotFound)
    assert isinstance(outcomes[numbers[3]], TrackingNumberNotFound)
    await connector.aclose()


async def test_a_scripted_journey_plays_with_the_fake_clock_and_previous_checks() -> None:
    clock = FakeClock(STARTED)
    connector = build_sandbox_connector(clock=clock, time_scale=3600)  # an hour per second
    number = "SBX-OC-6H-HO-12H-OF-6H-DL_NF1_TO"
    seen: list[object] = []
    for check in range(6):
        outcome = (await connector.track([number], {number: hints(checks=check)}))[number]
        seen.append(
            timeline.summarise(outcome.events).status_milestone
            if isinstance(outcome, TrackingResult)
            else type(outcome).__name__
        )
        clock.advance(seconds=6)
    assert seen == [
        "TrackingNumberNotFound",  # 0 simulated hours, first check: scripted "not found"
        "SandboxTimeout",  # 6 hours, second check: scripted timeout
        "in_transit",  # 12 hours
        "out_for_delivery",  # 18 hours
        "delivered",  # 24 hours
        "delivered",
    ]
    assert connector.check_again_in(number, STARTED) is None
    outcome = (await connector.track([number], {number: hints(checks=9)}))[number]
    assert isinstance(outcome, TrackingResult)
    assert outcome.signed_by is not None


async def test_without_a_start_time_only_history_is_visible() -> None:
    connector = build_sandbox_connector(clock=FakeClock(STARTED))
    outcomes = await connector.track(["SBX-OC-NOW-1H-DL", "SHIP24_SAMPLE_EXCEPTION_001"], {})
    first = outcomes["SBX-OC-NOW-1H-DL"]
    assert isinstance(first, TrackingResult)
    assert len(first.events) == 1
    assert isinstance(outcomes["SHIP24_SAMPLE_EXCEPTION_001"], TrackingResult)


async def test_latency_is_awaited_once_per_call() -> None:
    connector = build_sandbox_connector(latency=0.05)
    numbers = [f"SHIP24_SAMPLE_IN_TRANSIT_{i:03d}" for i in range(20)]
    began = time.perf_counter()
    outcomes = await connector.track(numbers, {})
    assert 0.05 <= time.perf_counter() - began < 1.0
    assert all(isinstance(o, TrackingResult) for o in outcomes.values())


async def test_concurrent_calls_share_the_latency() -> None:
    connector = build_sandbox_connector(latency=0.05)
    began = time.perf_counter()
    await asyncio.gather(*(connector.track(["SBX-DL"], {}) for _ in range(50)))
    assert time.perf_counter() - began < 1.0


async def test_a_multi_day_journey_plays_out_in_real_time_with_the_scale_up() -> None:
    """Three days in about 0.3 s of wall-clock time, with the system clock."""
    scale = 72 * 3600 / 0.3
    connector = build_sandbox_connector(time_scale=scale)
    number = "SBX-OC-8H-HO-16H-SC-1D-SC-18H-OF-6H-DL_SE"
    started = dt.datetime.now(dt.UTC)
    milestones: list[str] = []
    checks = 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        outcome = (await connector.track([number], {number: hints(started, checks)}))[number]
        checks += 1
        if isinstance(outcome, CourierUnavailable):  # the scripted 503 on the first check
            continue
        assert isinstance(outcome, TrackingResult)
        milestone = timeline.summarise(outcome.events).status_milestone
        if not milestones or milestones[-1] != milestone:
            milestones.append(milestone)
        if milestone == "delivered":
            break
        await asyncio.sleep(connector.check_again_in(number, started) or 0.01)
    assert milestones[-1] == "delivered"
    assert milestones[0] in ("info_received", "in_transit")
    assert time.monotonic() < deadline


def test_every_builtin_connector_follows_the_protocol_with_its_schedule_hint():
    """The engine asks each connector ``check_again_in`` and reads ``info.time_scale``; it
    never tests which source a connector is."""
    from shiptrack.couriers.connectors.base import CarrierConnector
    from shiptrack.couriers.connectors.protocol import Connector, ConnectorInfo

    sandbox = build_sandbox_connector(time_scale=60)
    assert isinstance(sandbox, Connector)
    assert sandbox.info.time_scale == 60
    assert ConnectorInfo("x-tracking", frozenset()).time_scale == 1.0
    assert CarrierConnector.check_again_in(object(), "1Z999AA10123456784", STARTED) is None  # type: ignore[arg-type]


def test_number_problems_come_through_the_connector_protocol():
    """Diagnostics ask every connector of the set why it could never track a number; the
    sandbox explains a number breaking its grammar, carriers inherit "no problem"."""
    from shiptrack.couriers.connectors.base import CarrierConnector
    from shiptrack.couriers.connectors.registry import ConnectorSet
    from shiptrack.couriers.sandbox.scenario import number_problem

    sandbox = build_sandbox_connector()
    assert sandbox.number_problem("SBX-OC-ZZ") == number_problem("SBX-OC-ZZ") is not None
    assert sandbox.number_problem("SHIP24_SAMPLE_DELIVERED_001") is None
    assert CarrierConnector.number_problem(object(), "SBX-OC-ZZ") is None  # type: ignore[arg-type]
    connectors = ConnectorSet([sandbox])
    assert connectors.number_problems("SBX-OC-ZZ") == [("sandbox", number_problem("SBX-OC-ZZ"))]
    assert connectors.number_problems("1Z999AA10123456784") == []
    assert ConnectorSet([]).number_problems("SBX-OC-ZZ") == []

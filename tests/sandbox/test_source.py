from __future__ import annotations

import datetime as dt

from shiptrack.couriers.connectors.protocol import TrackingNumberNotFound, TrackingResult
from shiptrack.couriers.sandbox.source import JourneySource

STARTED = dt.datetime(2026, 11, 20, 15, 0, 0, tzinfo=dt.UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = STARTED

    def __call__(self) -> dt.datetime:
        return self.now


def test_a_journey_starts_at_its_first_call_and_counts_checks() -> None:
    clock = FakeClock()
    source = JourneySource(clock=clock, time_scale=3600)
    number = "SBX-OC-HO/US-OF-DL_G1H_NF1"
    assert isinstance(source(number), TrackingNumberNotFound)  # check 0: scripted NF
    first = source(number)
    assert isinstance(first, TrackingResult)
    assert len(first.events) == 1
    clock.now += dt.timedelta(seconds=3)  # 3 simulated hours
    leg = source(f"{number.lower()}.2")  # the leg shares the journey's start
    assert isinstance(leg, TrackingResult)
    assert [e.carrier_status_code for e in leg.events] == ["DL", "OF"]
    assert source("1Z999AA10123456784") is None


def test_start_can_be_fixed() -> None:
    clock = FakeClock()
    source = JourneySource(clock=clock)
    source.start("SBX-OC-1D-DL", STARTED - dt.timedelta(days=1))
    result = source("SBX-OC-1D-DL")
    assert isinstance(result, TrackingResult)
    assert len(result.events) == 2

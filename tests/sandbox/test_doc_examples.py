"""The examples of docs/sandbox.md do what the page says."""

from __future__ import annotations

import datetime as dt

import pytest

from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    CourierRateLimited,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.sandbox.playback import play
from shiptrack.couriers.sandbox.scenario import registered_scenarios
from shiptrack.tracking import timeline

STARTED = dt.datetime(2026, 11, 20, 15, 0, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


def fetch(number: str, at: dt.timedelta, checks: int = 0) -> TrackingResult:
    result = play(number, STARTED, STARTED + at, checks)
    assert isinstance(result, TrackingResult), result
    return result


def test_three_day_delivered_journey() -> None:
    number = "SBX-OC-8H-HO-16H-SC-1D-SC-18H-OF-6H-DL"
    assert len(number) <= 50
    assert timeline.summarise(fetch(number, 71 * H).events).status_milestone == (
        "out_for_delivery"
    )
    assert timeline.summarise(fetch(number, 72 * H).events).status_milestone == "delivered"


def test_two_leg_journey() -> None:
    number = "SBX-OC-HO-SC-DE-AR-CC/US-HO-SC-OF-DL_CN2US"
    result = fetch(number, 10 * 24 * H)
    assert {e.tracking_number for e in result.events} == {number, f"{number}.2"}
    assert {e.courier_code for e in result.events} == {"sandbox", "us-post"}
    assert (result.origin_country_code, result.destination_country_code) == ("CN", "US")


def test_not_found_for_the_first_two_checks() -> None:
    number = "SBX-OC-HO-OF-DL_NF2"
    assert isinstance(play(number, STARTED, STARTED, 0), TrackingNumberNotFound)
    assert isinstance(play(number, STARTED, STARTED, 1), TrackingNumberNotFound)
    assert isinstance(play(number, STARTED, STARTED, 2), TrackingResult)


def test_rate_limited_with_retry_after() -> None:
    outcome = play("SBX-OC-HO-OF-DL_RL1R30", STARTED, STARTED, 0)
    assert isinstance(outcome, CourierRateLimited)
    assert outcome.retry_after == 30
    assert isinstance(play("SBX-OC-HO-OF-DL_RL1R30", STARTED, STARTED, 1), TrackingResult)


def test_duplicates_and_out_of_order() -> None:
    number = "SBX-OC-HO.D-SC-SC.L1D-OF-DL_DUP_SHUF"
    before_late_scan = fetch(number, 30 * H).events
    assert [e.carrier_status_code for e in before_late_scan].count("HO") == 4
    stored: list[CourierEvent] = timeline.merge([], before_late_scan)
    assert len(stored) == 5
    stored += timeline.merge(stored, fetch(number, 60 * H).events)
    summary = timeline.summarise(stored)
    assert [e.carrier_status_code for e in summary.events] == ["OC", "HO", "SC", "SC", "OF", "DL"]


def test_history_then_live() -> None:
    number = "SBX-OC-1D-HO-NOW-1D-OF-4H-DL"
    assert len(fetch(number, 0 * H).events) == 2
    assert len(fetch(number, 28 * H).events) == 4


@pytest.mark.parametrize(
    ("name", "milestone"),
    [
        ("LONGHAUL", "delivered"),
        ("REDELIVERY", "delivered"),
        ("PICKUP", "delivered"),
        ("RETURNED", "exception"),
        ("LOST", "exception"),
        ("FLAKY", "delivered"),
        ("MESSY", "delivered"),
    ],
)
def test_registered_scenarios_end_where_the_page_says(name: str, milestone: str) -> None:
    assert name in registered_scenarios()
    result = fetch(f"SBX_{name}", 30 * 24 * H, checks=100)
    assert timeline.summarise(result.events).status_milestone == milestone

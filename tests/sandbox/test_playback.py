"""Scripted journeys played over (simulated) time: reveal, faults, duplicates, legs."""

from __future__ import annotations

import datetime as dt

import pytest

from shiptrack.couriers.connectors.protocol import (
    CourierAuthError,
    CourierError,
    CourierEvent,
    CourierRateLimited,
    CourierResponseInvalid,
    CourierUnavailable,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.sandbox.playback import SandboxTimeout, next_reveal_in, play
from shiptrack.status import logistics_time
from shiptrack.tracking import timeline

STARTED = dt.datetime(2026, 11, 20, 15, 0, 0, tzinfo=dt.UTC)
S = dt.timedelta(seconds=1)
H = dt.timedelta(hours=1)

#: Three days from order to delivery (0, 8, 24, 48, 66 and 72 hours).
THREE_DAYS = "SBX-OC-8H-HO-16H-SC-1D-SC-18H-OF-6H-DL"
#: 72 simulated hours per real minute.
MINUTE_SCALE = 72 * 3600 / 60


def fetch(number: str, at: dt.timedelta, checks: int = 0, scale: float = 1.0) -> TrackingResult:
    result = play(number, STARTED, STARTED + at, checks, scale)
    assert isinstance(result, TrackingResult), result
    return result


@pytest.mark.parametrize(
    ("real_seconds", "count", "milestone"),
    [
        (0, 1, "info_received"),
        (6.6, 1, "info_received"),
        (6.7, 2, "in_transit"),
        (20, 3, "in_transit"),
        (39.9, 3, "in_transit"),
        (40, 4, "in_transit"),
        (55, 5, "out_for_delivery"),
        (59.9, 5, "out_for_delivery"),
        (60, 6, "delivered"),
        (3600, 6, "delivered"),
    ],
)
def test_a_three_day_journey_plays_out_in_a_minute(
    real_seconds: float, count: int, milestone: str
) -> None:
    result = fetch(THREE_DAYS, real_seconds * S, scale=MINUTE_SCALE)
    assert len(result.events) == count
    assert timeline.summarise(result.events).status_milestone == milestone


def test_scripted_events_say_when_they_happened_in_local_time() -> None:
    result = fetch(THREE_DAYS, 72 * H)
    # US places are on UTC-5; tracking started 15:00 UTC
    assert [e.occurrence_datetime for e in reversed(result.events)] == [
        "2026-11-20T10:00:00",
        "2026-11-20T18:00:00",
        "2026-11-21T10:00:00",
        "2026-11-22T10:00:00",
        "2026-11-23T04:00:00",
        "2026-11-23T10:00:00",
    ]
    assert fetch(THREE_DAYS, 60 * S, scale=MINUTE_SCALE).events == result.events


def test_before_now_is_history() -> None:
    result = fetch("SBX-OC-1D-HO-NOW-1D-DL", 0 * S)
    assert [e.occurrence_datetime for e in result.events] == [
        "2026-11-20T10:00:00",
        "2026-11-19T10:00:00",
    ]
    assert len(fetch("SBX-OC-1D-HO-NOW-1D-DL", 24 * H).events) == 3


def test_nothing_visible_yet_is_not_found() -> None:
    assert isinstance(play("SBX-2H-DL", STARTED, STARTED), TrackingNumberNotFound)
    assert isinstance(play("SBX-2H-DL", STARTED, STARTED - H), TrackingNumberNotFound)
    assert len(fetch("SBX-2H-DL", 2 * H).events) == 1


def test_naive_datetimes_are_utc() -> None:
    naive = STARTED.replace(tzinfo=None)
    assert play(THREE_DAYS, naive, naive + 9 * H) == fetch(THREE_DAYS, 9 * H)


@pytest.mark.parametrize(
    ("number", "check", "error", "retry_after"),
    [
        ("SBX-DL_NF2", 0, TrackingNumberNotFound, None),
        ("SBX-DL_NF2", 1, TrackingNumberNotFound, None),
        ("SBX-DL_NF2", 2, None, None),
        ("SBX-DL_TO", 0, SandboxTimeout, None),
        ("SBX-DL_SE", 0, CourierUnavailable, None),
        ("SBX-DL_SE2R10", 1, CourierUnavailable, 10.0),
        ("SBX-DL_RL1R45", 0, CourierRateLimited, 45.0),
        ("SBX-DL_RL", 0, CourierRateLimited, 30.0),
        ("SBX-DL_BAD", 0, CourierResponseInvalid, None),
        ("SBX-DL_AUTH", 0, CourierAuthError, None),
        ("SBX-DL_OK1_SE", 0, None, None),
        ("SBX-DL_OK1_SE", 1, CourierUnavailable, None),
        ("SBX-DL_OK1_SE", 2, None, None),
        ("SBX-OC-HO/US-DL_NF5", 0, TrackingNumberNotFound, None),
        ("SBX-OC-HO/US-DL_NF5.2", 0, None, None),  # leg numbers always answer
    ],
)
def test_faults_come_out_as_typed_errors(
    number: str, check: int, error: type[CourierError] | None, retry_after: float | None
) -> None:
    outcome = play(number, STARTED, STARTED + 30 * 24 * H, check)
    if error is None:
        assert isinstance(outcome, TrackingResult)
        return
    assert type(outcome) is error
    assert isinstance(outcome, CourierError)
    assert outcome.retry_after == retry_after


def test_a_timeout_is_a_courier_unavailable() -> None:
    outcome = play("SBX-DL_TO", STARTED, STARTED)
    assert isinstance(outcome, CourierUnavailable)
    assert str(outcome) == "timeout"


def test_a_late_scan_arrives_after_newer_events_and_sorts_into_place() -> None:
    number = "SBX-OC-HO-SC.L1D-OF-DL_G1H"
    early = fetch(number, 5 * H).events
    assert [e.status_code for e in early] == [
        "delivery_delivered",
        "delivery_out_for_delivery",
        "transit_handover",
        "data_order_created",
    ]
    late = fetch(number, 26 * H).events
    new = timeline.merge(early, late)
    assert [e.status for e in new] == ["Arrived at sorting facility"]
    summary = timeline.summarise([*early, *new])
    assert [e.carrier_status_code for e in summary.events] == ["OC", "HO", "SC", "OF", "DL"]
    assert summary.status_milestone == "delivered"


def test_duplicates_are_listed_and_deduplicated() -> None:
    listing = fetch("SBX-OC-HO.D-DL_DUP", 12 * H).events
    assert [e.carrier_status_code for e in listing] == ["DL", "DL", "HO", "HO", "HO", "HO",
                                                        "OC", "OC"]
    unique = timeline.merge([], listing)
    assert [e.carrier_status_code for e in unique] == ["DL", "HO", "OC"]
    assert timeline.merge(unique, fetch("SBX-OC-HO.D-DL_DUP", 13 * H).events) == []


def test_shuffled_listing_has_no_order_and_is_deterministic() -> None:
    number = "SBX-OC-HO-SC-SC-SC-DE-AR-CC-OF-DL_SHUF"
    listing = fetch(number, 60 * H).events
    assert listing == fetch(number, 61 * H).events
    assert {e.order for e in listing} == {None}
    walls = [e.occurrence_datetime for e in listing]
    assert walls not in (sorted(walls), sorted(walls, reverse=True))
    ordered = timeline.order_events(listing)
    assert [e.carrier_status_code for e in ordered] == [
        "OC", "HO", "SC", "SC", "SC", "DE", "AR", "CC", "OF", "DL"
    ]


def test_the_messy_scenario_comes_out_clean_through_the_timeline() -> None:
    stored: list[CourierEvent] = []
    for hours in range(0, 60, 3):
        result = fetch("SBX_MESSY", hours * H, checks=hours // 3)
        stored += timeline.merge(stored, result.events)
    summary = timeline.summarise(stored)
    assert [e.carrier_status_code for e in summary.events] == [
        "OC", "HO", "SC", "SC", "AR", "OF", "DL"
    ]
    assert summary.status_milestone == "delivered"
    assert summary.statistics["timestamps"]["deliveredDatetime"] == "2026-11-21"


def test_time_forms() -> None:
    events = fetch("SBX-OC.Y-HO.Z-DL.O", 12 * H).events[::-1]
    assert [e.occurrence_datetime for e in events] == [
        "2026-11-20",
        "2026-11-20T21:00:00Z",
        "2026-11-20T22:00:00-05:00",
    ]
    assert [logistics_time.parse(e.occurrence_datetime).kind for e in events] == [
        "date", "utc", "offset"
    ]


def test_a_two_leg_journey_reveals_the_second_number_at_the_hand_over() -> None:
    number, leg = "SBX-OC-HO/US-OF-DL_G1H", "SBX-OC-HO/US-OF-DL_G1H.2"
    assert fetch(number, 0 * S).linked_numbers == []
    assert isinstance(play(leg, STARTED, STARTED + H), TrackingNumberNotFound)
    at_hand_over = fetch(number, 1 * H)
    assert [(n.tracking_number, n.courier_code) for n in at_hand_over.linked_numbers] == [
        (leg, "us-post")
    ]
    whole = fetch(number, 3 * H)
    assert [(e.tracking_number, e.courier_code) for e in whole.events] == [
        (leg, "us-post"), (leg, "us-post"), (number, "sandbox"), (number, "sandbox")
    ]
    leg_result = fetch(leg, 3 * H)
    assert (leg_result.courier_code, leg_result.service) == ("us-post", "USPS Ground Advantage")
    assert [e.order for e in leg_result.events] == [2, 1]
    stored = timeline.merge([], whole.events)
    assert timeline.merge(stored, leg_result.events) == []
    assert timeline.new_tracking_numbers([number], whole.events, whole.linked_numbers) == [
        whole.linked_numbers[0]
    ]


def test_split_legs_report_only_their_own_events() -> None:
    number = "SBX-OC-HO/GB-OF-DL_G1H_SPLIT"
    own = fetch(number, 3 * H)
    assert {e.tracking_number for e in own.events} == {number}
    assert [n.tracking_number for n in own.linked_numbers] == [f"{number}.2"]
    leg = fetch(f"{number}.2", 3 * H)
    assert {e.courier_code for e in leg.events} == {"gb-post"}
    summary = timeline.summarise([*own.events, *leg.events])
    assert summary.status_milestone == "delivered"
    assert {e.tracking_number for e in summary.events} == {number, f"{number}.2"}


def test_three_legs_link_in_a_chain() -> None:
    number = "SBX-OC-HO/GB-SC/DE-OF-DL_G1H_SPLIT"
    assert [n.tracking_number for n in fetch(number, 4 * H).linked_numbers] == [f"{number}.2"]
    second = fetch(f"{number}.2", 4 * H)
    assert [(n.tracking_number, n.courier_code) for n in second.linked_numbers] == [
        (f"{number}.3", "de-post")
    ]
    assert fetch(f"{number}.3", 4 * H).courier_code == "de-post"


def test_longest_journey_with_legs_keeps_leg_numbers_within_50_characters() -> None:
    number = "SBX-OC-HO-SC-SC-SC-SC-SC-SC-SC-SC-SC-SC/US-OF-DL"
    assert len(number) == 48
    leg = fetch(f"{number}.2", 100 * H)
    assert len(leg.tracking_number) == 50


def test_scripted_delivery_block() -> None:
    before = fetch(THREE_DAYS, 0 * S)
    assert (before.estimated_delivery_from, before.estimated_delivery_to) == (
        "2026-11-23T07:00:00",
        "2026-11-23T11:00:00",
    )
    assert before.signed_by is None
    assert before.service == "Sandbox Express"
    after = fetch(THREE_DAYS, 72 * H)
    assert after.signed_by is not None
    assert after.signed_by == fetch(THREE_DAYS, 80 * H).signed_by
    assert (after.origin_country_code, after.destination_country_code) == ("US", "US")
    assert fetch("SBX-OC-1M-HO_CN2GB", 0 * S).estimated_delivery is None


def test_the_same_inputs_give_the_same_answer() -> None:
    assert fetch("SBX_LONGHAUL", 5 * 24 * H) == fetch("SBX_LONGHAUL", 5 * 24 * H)
    tagged = fetch("SBX-OC-HO-DL_1", 12 * H)
    other = fetch("SBX-OC-HO-DL_2", 12 * H)
    assert [e.occurrence_datetime for e in tagged.events] == [
        e.occurrence_datetime for e in other.events
    ]
    assert {e.tracking_number for e in other.events} == {"SBX-OC-HO-DL_2"}


def test_invalid_sandbox_numbers_are_not_found_with_the_reason() -> None:
    outcome = play("SBX-OC-ZZ", STARTED, STARTED)
    assert isinstance(outcome, TrackingNumberNotFound)
    assert "unknown step 'ZZ'" in str(outcome)
    assert play("1Z999AA10123456784", STARTED, STARTED) is None


@pytest.mark.parametrize(
    ("number", "real_seconds", "scale", "expected"),
    [
        (THREE_DAYS, 0, 1.0, 8 * 3600.0),
        (THREE_DAYS, 0, MINUTE_SCALE, 8 * 3600 / MINUTE_SCALE),
        (THREE_DAYS, 30, MINUTE_SCALE, 10.0),
        (THREE_DAYS, 60, MINUTE_SCALE, None),
        ("SBX-OC-HO-SC.L1D-OF-DL_G1H", 4 * 3600, 1.0, 22 * 3600.0),
        ("SHIP24_SAMPLE_DELIVERED_000", 0, 1.0, None),
        ("SBX-ZZ", 0, 1.0, None),
        ("NOT-OURS-123", 0, 1.0, None),
    ],
)
def test_next_reveal_in(
    number: str, real_seconds: float, scale: float, expected: float | None
) -> None:
    wait = next_reveal_in(number, STARTED, STARTED + real_seconds * S, scale)
    assert wait == (pytest.approx(expected) if expected is not None else None)

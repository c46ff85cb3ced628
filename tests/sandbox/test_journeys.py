"""Ship24's sample numbers: eight realistic journeys, each ending at its milestone."""

from __future__ import annotations

import datetime as dt

import pytest

from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.sandbox.journeys import SAMPLES
from shiptrack.couriers.sandbox.playback import play
from shiptrack.status import logistics_time
from shiptrack.status.taxonomy import MILESTONES, STATUS_CODES
from shiptrack.tracking import timeline

STARTED = dt.datetime(2026, 11, 20, 15, 3, 27, tzinfo=dt.UTC)
EVENTFUL = [m for m in MILESTONES if m != "pending"]
#: Milestones whose journey is handed over to a postal operator, and that operator.
HAND_OVERS = {
    "out_for_delivery": "de-post",
    "available_for_pickup": "gb-post",
    "delivered": "us-post",
}


def sample(milestone: str, ddd: str = "123") -> str:
    return f"SHIP24_SAMPLE_{milestone.upper()}_{ddd}"


def fetch(number: str, now: dt.datetime = STARTED) -> TrackingResult:
    result = play(number, STARTED, now)
    assert isinstance(result, TrackingResult), result
    return result


def test_there_is_a_sample_for_every_milestone() -> None:
    assert set(SAMPLES) == set(MILESTONES)


def test_pending_sample_has_no_events() -> None:
    assert isinstance(play(sample("pending"), STARTED, STARTED), TrackingNumberNotFound)
    later = STARTED + dt.timedelta(days=30)
    assert isinstance(play(sample("pending"), STARTED, later, 12), TrackingNumberNotFound)


@pytest.mark.parametrize("milestone", EVENTFUL)
def test_every_sample_ends_at_its_milestone(milestone: str) -> None:
    summary = timeline.summarise(fetch(sample(milestone)).events)
    assert summary.status_milestone == milestone
    assert summary.milestones[-1] == milestone
    assert summary.statistics["timestamps"]  # computed without error


@pytest.mark.parametrize("milestone", EVENTFUL)
def test_samples_are_history_returned_whole_at_the_first_check(milestone: str) -> None:
    first = fetch(sample(milestone))
    a_week_later = fetch(sample(milestone), STARTED + dt.timedelta(days=7))
    assert first.events == a_week_later.events
    assert play(sample(milestone), STARTED, STARTED, 0, time_scale=10_000) == first
    planned = SAMPLES[milestone]
    anchor = planned.anchor_time(STARTED)
    last = max(anchor + e.at for e in planned.events)
    assert STARTED - dt.timedelta(days=1, minutes=30) < last < STARTED


@pytest.mark.parametrize("milestone", EVENTFUL)
def test_samples_look_like_real_courier_data(milestone: str) -> None:
    events = fetch(sample(milestone)).events
    assert len(events) >= 3
    for event in events:
        assert event.source_code == "sandbox"
        assert event.status_code is None or event.status_code in STATUS_CODES
        assert logistics_time.parse(event.occurrence_datetime).kind == "local"
        assert event.status
    # listed newest first with order 1..N oldest to newest, and the wall clocks agree
    oldest_first = events[::-1]
    assert [e.order for e in oldest_first] == list(range(1, len(events) + 1))
    walls = [e.occurrence_datetime for e in oldest_first]
    assert walls == sorted(walls)
    assert timeline.order_events(events) == oldest_first
    if milestone != "info_received":  # info_received has data events only
        assert any(e.status_code is None for e in events)
        assert any(e.location for e in events)


@pytest.mark.parametrize("milestone", EVENTFUL)
def test_every_ddd_gives_the_same_journey(milestone: str) -> None:
    def shape(event: CourierEvent) -> tuple[object, ...]:
        text = (event.status or "").split(", tracking number")[0]  # hand-overs name the leg
        return (event.occurrence_datetime, event.status_code, text, event.location)

    first = [shape(e) for e in fetch(sample(milestone, "000")).events]
    assert first == [shape(e) for e in fetch(sample(milestone, "888")).events]


@pytest.mark.parametrize(("milestone", "post"), sorted(HAND_OVERS.items()))
def test_hand_over_samples_show_both_tracking_numbers(milestone: str, post: str) -> None:
    number = sample(milestone)
    leg_number = f"{number}.2"
    result = fetch(number)
    assert [(n.tracking_number, n.courier_code) for n in result.linked_numbers] == [
        (leg_number, post)
    ]
    by_number = {e.tracking_number for e in result.events}
    assert by_number == {number, leg_number}
    for event in result.events:
        assert event.courier_code == ("sandbox" if event.tracking_number == number else post)
    assert any(leg_number in (e.status or "") for e in result.events)  # the hand-over scan

    leg = fetch(leg_number)
    assert (leg.tracking_number, leg.courier_code) == (leg_number, post)
    assert {e.tracking_number for e in leg.events} == {leg_number}
    # the leg's own answer repeats events the journey number already reported: stored once
    assert timeline.merge(result.events, leg.events) == []


@pytest.mark.parametrize("milestone", sorted(set(EVENTFUL) - set(HAND_OVERS)))
def test_other_samples_stay_with_the_sandbox_courier(milestone: str) -> None:
    result = fetch(sample(milestone))
    assert result.linked_numbers == []
    assert {e.courier_code for e in result.events} == {"sandbox"}


def test_delivered_sample_in_detail() -> None:
    result = fetch(sample("delivered"))
    summary = timeline.summarise(result.events)
    assert (summary.status_code, summary.status_category) == ("delivery_delivered", "delivery")
    stamps = summary.statistics["timestamps"]
    assert {k for k, v in stamps.items() if v is None} == {
        "failedAttemptDatetime",
        "availableForPickupDatetime",
        "exceptionDatetime",
    }
    assert stamps["infoReceivedDatetime"] == summary.events[0].occurrence_datetime
    assert stamps["deliveredDatetime"] == summary.events[-1].occurrence_datetime
    assert (result.origin_country_code, result.destination_country_code) == ("CN", "US")
    assert result.signed_by == "M RIVERA"
    assert result.service == "Sandbox International Priority"
    assert result.estimated_delivery_from is not None
    assert result.estimated_delivery_to == result.estimated_delivery
    assert logistics_time.parse(result.estimated_delivery_from).kind == "local"
    assert (result.recipient_post_code, result.recipient_city) == ("11201", "BROOKLYN")
    assert fetch(f"{sample('delivered')}.2").service == "USPS Ground Advantage"


@pytest.mark.parametrize(
    ("milestone", "reached"),
    [
        ("info_received", {"infoReceivedDatetime"}),
        ("in_transit", {"infoReceivedDatetime", "inTransitDatetime"}),
        ("failed_attempt", {"infoReceivedDatetime", "inTransitDatetime",
                            "outForDeliveryDatetime", "failedAttemptDatetime"}),
        ("available_for_pickup", {"infoReceivedDatetime", "inTransitDatetime",
                                  "outForDeliveryDatetime", "failedAttemptDatetime",
                                  "availableForPickupDatetime"}),
        ("exception", {"infoReceivedDatetime", "inTransitDatetime", "exceptionDatetime"}),
    ],
)
def test_sample_statistics(milestone: str, reached: set[str]) -> None:
    stamps = timeline.summarise(fetch(sample(milestone)).events).statistics["timestamps"]
    assert {k for k, v in stamps.items() if v is not None} == reached


def test_signed_by_only_on_delivered_journeys() -> None:
    assert [m for m in EVENTFUL if fetch(sample(m)).signed_by] == ["delivered"]

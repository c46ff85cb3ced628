from __future__ import annotations

import dataclasses

import pytest

from shiptrack.couriers.connectors.protocol import CourierEvent, LinkedTrackingNumber
from shiptrack.tracking import timeline as tl


def ev(
    when: str,
    code: str | None = None,
    text: str | None = "scan",
    *,
    number: str = "TN1",
    order: int | None = None,
    courier: str | None = "sandbox",
    source: str | None = "sandbox",
    location: str | None = None,
) -> CourierEvent:
    return CourierEvent(
        tracking_number=number,
        occurrence_datetime=when,
        status=text,
        status_code=code,
        location=location,
        courier_code=courier,
        source_code=source,
        order=order,
    )


BASE = ev("2026-11-20T14:05:00", "delivery_delivered", "Delivered", location="BROOKLYN")


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (BASE, True),
        # another source, courier, wording, location and order: the same event
        (
            dataclasses.replace(
                BASE,
                status="DELIVERED, LEFT AT FRONT DOOR",
                source_code="usps-tracking",
                courier_code="us-post",
                location="Brooklyn, NY 11201",
                order=9,
            ),
            True,
        ),
        (dataclasses.replace(BASE, occurrence_datetime="2026-11-20T14:05:59"), True),
        (dataclasses.replace(BASE, occurrence_datetime="2026-11-20T14:05:00-05:00"), True),
        (dataclasses.replace(BASE, tracking_number=" tn1 "), True),
        (dataclasses.replace(BASE, occurrence_datetime="2026-11-20T14:06:00"), False),
        (dataclasses.replace(BASE, tracking_number="TN2"), False),
        (dataclasses.replace(BASE, status_code="delivery_out_for_delivery"), False),
        (dataclasses.replace(BASE, status_code=None), False),
    ],
)
def test_fingerprint_with_a_status_code(other: CourierEvent, same: bool) -> None:
    assert (tl.event_fingerprint(other) == tl.event_fingerprint(BASE)) is same


SCAN = ev("2026-11-19T03:27:00", None, "In Transit to Next Facility")


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (dataclasses.replace(SCAN, status="in transit to next facility."), True),
        (dataclasses.replace(SCAN, status="  In  Transit -- to Next_Facility "), True),
        (dataclasses.replace(SCAN, location="CHICAGO IL"), True),
        (dataclasses.replace(SCAN, status="Arrived at facility"), False),
        (dataclasses.replace(SCAN, occurrence_datetime="2026-11-19"), False),
    ],
)
def test_fingerprint_without_a_status_code_compares_normalised_text(
    other: CourierEvent, same: bool
) -> None:
    assert (tl.event_fingerprint(other) == tl.event_fingerprint(SCAN)) is same


def test_fingerprint_is_32_hex_digits() -> None:
    fingerprint = tl.event_fingerprint(BASE)
    assert len(fingerprint) == 32
    int(fingerprint, 16)


def test_merge_drops_stored_events_and_duplicates_within_the_batch() -> None:
    stored = [ev("2026-11-18T10:00:00", "data_order_created", "Info")]
    incoming = [
        ev("2026-11-18T10:00:00", "data_order_created", "Shipment info received"),  # stored
        ev("2026-11-19T08:00:00", "transit_handover", "Picked up"),
        ev("2026-11-19T09:00:00", None, "Departed"),
        ev("2026-11-19T08:00:30", "transit_handover", "PICKED UP", source="other"),  # dup
        ev("2026-11-19T09:00:00", None, "Departed"),  # dup
    ]
    assert tl.merge(stored, incoming) == [incoming[1], incoming[2]]


def test_merge_accepts_stored_fingerprints() -> None:
    incoming = [ev("2026-11-19T08:00:00", "transit_handover"), ev("2026-11-19T09:00:00")]
    stored = [tl.event_fingerprint(incoming[0])]
    assert tl.merge(stored, incoming) == [incoming[1]]
    assert tl.merge([], []) == []


def test_order_events_compares_the_four_forms_and_breaks_ties_by_order() -> None:
    events = [
        ev("2026-11-20", "delivery_delivered", order=None),  # end of its day
        ev("2026-11-20T09:00:00+01:00", None, "b", order=2),  # 08:00 UTC
        ev("2026-11-20T08:30:00", None, "c", order=3),  # read as 08:30 UTC
        ev("2026-11-20T07:00:00Z", None, "a", order=1),
        ev("2026-11-20T08:30:00", None, "tie-old", order=1),
        ev("2026-11-20T08:30:00", None, "tie-no-order"),
        ev("2026-11-19", "data_order_created", order=5),
        ev("2026-11-19", "transit_handover", order=6),
    ]
    ordered = tl.order_events(events)
    assert [e.status for e in ordered] == [
        events[6].status,
        events[7].status,
        "a",
        "b",
        "tie-old",
        "c",
        "tie-no-order",
        events[0].status,
    ]
    assert [e.status_code for e in ordered][:2] == ["data_order_created", "transit_handover"]


def test_order_events_is_stable_for_full_ties() -> None:
    first, second = ev("2026-11-20T08:00:00", None, "x"), ev("2026-11-20T08:00:00", None, "y")
    assert tl.order_events([first, second]) == [first, second]
    assert tl.order_events([second, first]) == [second, first]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([], []),
        (["data_order_created"], ["info_received"]),
        (
            ["data_order_created", None, "transit_origin_country_departure", "customs_cleared"],
            ["info_received", "in_transit", "in_transit", "in_transit"],
        ),
        ([None, "data_order_created"], ["in_transit", "in_transit"]),
        (
            [
                "transit_handover",
                "delivery_out_for_delivery",
                "delivery_attempted",
                "delivery_out_for_delivery",
                "delivery_delivered",
                None,
            ],
            [
                "in_transit",
                "out_for_delivery",
                "failed_attempt",
                "out_for_delivery",
                "delivered",
                "delivered",
            ],
        ),
        (
            ["transit_handover", "delivery_exception", "exception_return"],
            ["in_transit", "in_transit", "exception"],
        ),
        (["data_delivery_proposed"], ["pending"]),
    ],
)
def test_milestones(codes: list[str | None], expected: list[str]) -> None:
    events = [ev(f"2026-11-{10 + i}T08:00:00", code) for i, code in enumerate(codes)]
    assert tl.milestones(events) == expected


def _stats(*rows: tuple[str, str | None]) -> dict[str, str | None]:
    events = [ev(when, code) for when, code in rows]
    return tl.statistics(events, tl.milestones(events))["timestamps"]


def test_statistics_keys_in_ship24_order_and_nulls_without_events() -> None:
    assert list(_stats()) == [
        "infoReceivedDatetime",
        "inTransitDatetime",
        "outForDeliveryDatetime",
        "failedAttemptDatetime",
        "availableForPickupDatetime",
        "exceptionDatetime",
        "deliveredDatetime",
    ]
    assert set(_stats().values()) == {None}


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # first event reaching each milestone; info_received present: no back-fill
        (
            [
                ("2026-11-10T08:00:00", "data_order_created"),
                ("2026-11-11T08:00:00", None),
                ("2026-11-12T08:00:00", "transit_handover"),
                ("2026-11-13T08:00:00", "delivery_out_for_delivery"),
                ("2026-11-13T15:00:00", "delivery_delivered"),
            ],
            {
                "infoReceivedDatetime": "2026-11-10T08:00:00",
                "inTransitDatetime": "2026-11-11T08:00:00",
                "outForDeliveryDatetime": "2026-11-13T08:00:00",
                "deliveredDatetime": "2026-11-13T15:00:00",
            },
        ),
        # never info_received: back-filled from the first in_transit event
        (
            [("2026-03-02T15:38:57", "transit_handover"), ("2026-03-03T09:00:00", None)],
            {
                "infoReceivedDatetime": "2026-03-02T15:38:57",
                "inTransitDatetime": "2026-03-02T15:38:57",
            },
        ),
        # re-delivery: the first out_for_delivery counts; failed attempt recorded
        (
            [
                ("2026-11-13T08:00:00", "delivery_out_for_delivery"),
                ("2026-11-13T16:00:00", "delivery_attempted"),
                ("2026-11-14T08:00:00", "delivery_out_for_delivery"),
                ("2026-11-14", "delivery_delivered"),
            ],
            {
                "outForDeliveryDatetime": "2026-11-13T08:00:00",
                "failedAttemptDatetime": "2026-11-13T16:00:00",
                "deliveredDatetime": "2026-11-14",
            },
        ),
        # nothing but an exception: no back-fill of anything else
        (
            [("2026-11-13T08:00:00Z", "exception_lost")],
            {"exceptionDatetime": "2026-11-13T08:00:00Z"},
        ),
    ],
)
def test_statistics(rows: list[tuple[str, str | None]], expected: dict[str, str]) -> None:
    stats = _stats(*rows)
    assert {k: v for k, v in stats.items() if v is not None} == expected


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([], (None, None, "pending")),
        (["data_order_created"], ("data_order_created", "data", "info_received")),
        (["transit_handover", None], ("transit_handover", "transit", "in_transit")),
        (
            ["customs_received", "customs_cleared", None, None],
            ("customs_cleared", "customs", "in_transit"),
        ),
        ([None], (None, None, "in_transit")),
        (
            ["delivery_out_for_delivery", "delivery_delivered"],
            ("delivery_delivered", "delivery", "delivered"),
        ),
    ],
)
def test_shipment_status(
    codes: list[str | None], expected: tuple[str | None, str | None, str]
) -> None:
    events = [ev(f"2026-11-{10 + i}T08:00:00", code) for i, code in enumerate(codes)]
    assert tl.shipment_status(events, tl.milestones(events)) == expected


def test_summarise_orders_then_derives() -> None:
    newest_first = [
        ev("2026-11-13T15:00:00", "delivery_delivered"),
        ev("2026-11-13T08:00:00", "delivery_out_for_delivery"),
        ev("2026-11-12T08:00:00", "transit_handover"),
    ]
    summary = tl.summarise(newest_first)
    assert summary.events == newest_first[::-1]
    assert summary.milestones == ["in_transit", "out_for_delivery", "delivered"]
    assert (summary.status_code, summary.status_category, summary.status_milestone) == (
        "delivery_delivered",
        "delivery",
        "delivered",
    )
    assert summary.statistics["timestamps"]["infoReceivedDatetime"] == "2026-11-12T08:00:00"


def test_timeline_event_from_courier_event() -> None:
    event = ev("2026-11-13T08:00:00", "delivery_out_for_delivery", "Out", order=4)
    stored = tl.TimelineEvent.from_courier_event(event, event_id="e-1", sequence=7)
    assert (stored.event_id, stored.sequence, stored.order) == ("e-1", 7, 4)
    assert stored.status_category == "delivery"
    assert tl.event_fingerprint(stored) == tl.event_fingerprint(event)
    assert tl.merge([stored], [event]) == []


def test_new_tracking_numbers() -> None:
    events = [
        ev("2026-11-13T08:00:00", number="TN1"),
        ev("2026-11-14T08:00:00", number="tn2", courier="us-post"),
        ev("2026-11-15T08:00:00", number="TN2", courier="us-post"),
    ]
    linked = [LinkedTrackingNumber("TN3", "gb-post"), LinkedTrackingNumber("TN2")]
    assert tl.new_tracking_numbers(["tn1"], events, linked) == [
        LinkedTrackingNumber("TN2", "us-post"),
        LinkedTrackingNumber("TN3", "gb-post"),
    ]
    assert tl.new_tracking_numbers(["TN1", "TN2", "TN3"], events, linked) == []


def test_a_stored_event_keeps_every_field_of_the_courier_event() -> None:
    event = dataclasses.replace(
        ev("2026-11-13T08:00:00", "delivery_attempted", "Notice left", order=2, location="X"),
        courier_code="us-post",
        source_code="usps-tracking",
        carrier_status_code="02",
    )
    stored = tl.TimelineEvent.from_courier_event(event, event_id="e-9", sequence=3)
    for name in (f.name for f in dataclasses.fields(CourierEvent)):
        assert getattr(stored, name) == getattr(event, name), name


def test_fingerprints_are_stable_across_versions() -> None:
    """Stored fingerprints are compared with new ones: the key must never drift. The number is
    upper-cased, the offset dropped, the time cut to the minute, the text normalised."""
    coded = CourierEvent("ab12", "2026-11-20T14:05:00+02:00", "Delivered", "delivery_delivered")
    uncoded = CourierEvent("ab12", "2026-11-20T14:05:59", " In  transit! ", None)
    assert tl.event_fingerprint(coded) == "3904045635b0bee52798031fa667d387"
    assert tl.event_fingerprint(uncoded) == "fb3f00c7f2dd1f6e885d0b5182311de9"
    assert tl.normalise_text(None) == tl.normalise_text("") == ""


def test_order_zero_sorts_before_order_one() -> None:
    later, earlier = ev("2026-11-13T08:00:00", order=1), ev("2026-11-13T08:00:00", order=0)
    assert tl.order_events([later, earlier]) == [earlier, later]


def test_statistics_needs_one_milestone_per_event() -> None:
    events = [ev("2026-11-13T08:00:00"), ev("2026-11-13T09:00:00")]
    with pytest.raises(ValueError, match="zip"):
        tl.statistics(events, ["in_transit"])


def _scan(
    when: str,
    status: str | None,
    code: str | None = None,
    location: str | None = None,
    number: str = "1Z999",
) -> CourierEvent:
    return ev(when, code, status, number=number, location=location, source="aftership")


def test_same_scan_tolerates_what_aggregators_change():
    carrier = _scan("2024-05-01T10:20:37-07:00", "Arrived at USPS Facility", None, "DALLAS, TX")
    # Seconds dropped, zone dropped, text re-cased and re-spaced.
    assert tl.same_scan(carrier, _scan("2024-05-01T10:21:00", "ARRIVED  at usps facility."))
    assert tl.same_scan(carrier, _scan("2024-05-01T10:20", "arrived at USPS facility"))
    # The same instant written in UTC.
    assert tl.same_scan(carrier, _scan("2024-05-01T17:20:30Z", "Arrived at USPS Facility"))
    # Another text but the same code at the same (or an unnamed) place.
    coded = _scan("2024-05-01T10:20:37", "Arrived", "transit_arrived", "Dallas, TX")
    assert tl.same_scan(coded, _scan("2024-05-01T10:20:00", "In transit", "transit_arrived", None))
    assert tl.same_scan(
        coded, _scan("2024-05-01T10:20", "Hub scan", "transit_arrived", "DALLAS TX")
    )
    # A date-only report of the same day.
    assert tl.same_scan(carrier, _scan("2024-05-01", "Arrived at USPS facility"))


def test_same_scan_keeps_different_scans_apart():
    carrier = _scan("2024-05-01T10:20:37-07:00", "Arrived at USPS Facility", "transit", "DALLAS")
    assert not tl.same_scan(carrier, _scan("2024-05-01T10:22:00", "Arrived at USPS Facility"))
    assert not tl.same_scan(carrier, _scan("2024-05-01T10:20:37-07:00", "Departed USPS Facility"))
    assert not tl.same_scan(
        carrier, _scan("2024-05-01T10:20:37-07:00", "Scan", "transit", "FORT WORTH")
    )
    assert not tl.same_scan(
        carrier, _scan("2024-05-01T10:20:37-07:00", "Arrived at USPS Facility", number="1Z998")
    )
    # Two exact instants an hour apart are two scans, whatever their wall clocks say.
    assert not tl.same_scan(carrier, _scan("2024-05-01T10:20:37-06:00", "Arrived at USPS Facility"))
    assert not tl.same_scan(carrier, _scan("2024-05-02", "Arrived at USPS Facility"))

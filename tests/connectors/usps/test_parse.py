"""USPS Tracking v3 parsing, on fixtures written from the documented ``TrackingDetails`` format."""

from __future__ import annotations

from typing import Any

import pytest
from connector_helpers import Load

from shiptrack.couriers.connectors.protocol import (
    CourierResponseInvalid,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.connectors.usps.parse import event_datetime, parse_tracking


def _result(load: Load, name: str) -> TrackingResult:
    body = load(name)
    result = parse_tracking(body["trackingNumber"], body)
    assert isinstance(result, TrackingResult)
    return result


def test_delivered(usps_fixture: Load) -> None:
    result = _result(usps_fixture, "delivered")
    assert result.courier_code == "us-post"
    assert result.source_code == "usps-tracking"
    assert result.service == "Priority Mail®"
    assert result.signed_by == "M OKAFOR"
    assert (result.origin_country_code, result.destination_country_code) == ("US", "US")
    assert result.recipient_post_code == "97214"
    assert result.recipient_city == "PORTLAND"
    assert result.estimated_delivery == "2025-03-07"  # a midnight timestamp is a date
    codes = [(e.carrier_status_code, e.status_code) for e in result.events]
    assert codes == [
        ("GX", "data_order_created"),
        ("03", "transit_handover"),
        ("T1", None),
        ("07", None),
        ("OF", "delivery_out_for_delivery"),
        ("01", "delivery_delivered"),
    ]
    assert [e.order for e in result.events] == [1, 2, 3, 4, 5, 6]
    delivered = result.events[-1]
    assert delivered.occurrence_datetime == "2025-03-07T14:41:00-08:00"
    assert delivered.status == "Delivered, Left with Individual"
    assert delivered.location == "PORTLAND, OR 97214"
    assert delivered.courier_code == "us-post"
    assert delivered.source_code == "usps-tracking"
    assert delivered.tracking_number == "9405511206213300000014"
    # "-5:00" (the OpenAPI example's spelling) is normalised.
    assert result.events[0].occurrence_datetime == "2025-03-03T16:02:00-05:00"
    assert result.events[2].location == "GREENSBORO NC DISTRIBUTION CENTER"


def test_in_transit_times_and_window(usps_fixture: Load) -> None:
    result = _result(usps_fixture, "in_transit")
    times = [e.occurrence_datetime for e in result.events]
    assert times == [
        "2025-06-10T15:11:00-05:00",
        # eventTimestamp carries a bogus "Z": it is local time; the offset follows from GMT.
        "2025-06-10T20:02:00-05:00",
        # neither GMTOffset nor GMTTimestamp: local time without offset, never "Z".
        "2025-06-10T23:40:00",
    ]
    assert result.service == "USPS Ground Advantage™"
    assert result.estimated_delivery_from == "2025-06-12T10:30:00"
    assert result.estimated_delivery_to == "2025-06-12T14:30:00"
    assert result.estimated_delivery == "2025-06-12T14:30:00"
    assert result.signed_by is None
    assert [e.status_code for e in result.events] == ["transit_handover", None, None]


def test_exception_attempt_then_pickup(usps_fixture: Load) -> None:
    result = _result(usps_fixture, "exception")
    assert [e.status_code for e in result.events] == [
        "delivery_out_for_delivery",
        "delivery_attempted",
        "delivery_available_for_pickup",
    ]
    assert result.service == "Priority Mail"


def test_returned_with_linked_return_receipt(usps_fixture: Load) -> None:
    result = _result(usps_fixture, "returned")
    assert [e.status_code for e in result.events] == [
        "transit_handover",
        "exception_return",
        "exception_return",
    ]
    assert result.events[0].occurrence_datetime == "2025-02-16"  # date only
    # The return receipt is another item; the edited label is this item's full barcode.
    assert result.linked_numbers == [LinkedTrackingNumber("9590940212345678901234", "us-post")]


def test_international_inbound(usps_fixture: Load) -> None:
    result = _result(usps_fixture, "international")
    assert (result.origin_country_code, result.destination_country_code) == ("FR", "US")
    assert [e.status_code for e in result.events] == [
        "transit_handover",
        "transit_origin_country_departure",
        "destination_arrival",
        "customs_received",
    ]
    assert result.events[0].occurrence_datetime == "2025-03-28T09:30:00+01:00"
    assert result.events[0].location == "LYON, FR"
    assert result.service == "Priority Mail International Parcels"


def test_not_found_body(usps_fixture: Load) -> None:
    outcome = parse_tracking("9400111206213300009999", usps_fixture("not_found"))
    assert isinstance(outcome, TrackingNumberNotFound)


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"trackingNumber": "X1234", "trackingEvents": {"not": "a list"}},
        {"trackingNumber": "X1234", "trackingEvents": ["nope"]},
        {"trackingNumber": "X1234", "trackingEvents": [{"eventType": "No time"}]},
        {"unexpected": True},
        {"error": {"code": "500", "message": "boom"}},
    ],
)
def test_malformed_bodies(body: Any) -> None:
    with pytest.raises(CourierResponseInvalid):
        parse_tracking("X1234", body)


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (
            {"eventTimestamp": "2024-11-22T13:58:00", "GMTOffset": "-05:00"},
            "2024-11-22T13:58:00-05:00",
        ),
        (
            {"eventTimestamp": "2024-11-22T13:58:00", "GMTOffset": "-7:00"},
            "2024-11-22T13:58:00-07:00",
        ),
        (
            {"eventTimestamp": "2024-11-22T13:58:00", "GMTTimestamp": "2024-11-22T18:58:40Z"},
            "2024-11-22T13:58:00-05:00",
        ),
        ({"eventTimestamp": "2024-11-22T13:58:00Z"}, "2024-11-22T13:58:00"),
        ({"eventTimestamp": "2024-11-22T13:58:00+05:30"}, "2024-11-22T13:58:00+05:30"),
        ({"eventTimestamp": "2024-11-22T13:58:00", "GMTOffset": "+99:00"}, "2024-11-22T13:58:00"),
        ({"GMTTimestamp": "2024-11-22T18:58:40Z"}, "2024-11-22T18:58:40Z"),
        ({"eventTimestamp": "2024-11-22"}, "2024-11-22"),
    ],
)
def test_event_datetime(event: dict[str, str], expected: str) -> None:
    assert event_datetime(event) == expected

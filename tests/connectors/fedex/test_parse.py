"""FedEx Track API parsing, on fixtures written from the documented Track API format."""

from __future__ import annotations

from typing import Any

import pytest
from connector_helpers import Load

from shiptrack.couriers.connectors.fedex.parse import logistics_datetime, parse_track_response
from shiptrack.couriers.connectors.protocol import (
    CourierError,
    CourierResponseInvalid,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
)


def _one(load: Load, name: str, number: str) -> TrackingResult:
    outcome = parse_track_response([number], load(name))[number]
    assert isinstance(outcome, TrackingResult), outcome
    return outcome


def test_delivered(fedex_fixture: Load) -> None:
    result = _one(fedex_fixture, "delivered", "794843185271")
    assert (result.courier_code, result.source_code) == ("fedex", "fedex-tracking")
    assert result.service == "FedEx Priority Overnight"
    assert result.signed_by == "K.TANAKA"
    assert (result.origin_country_code, result.destination_country_code) == ("US", "US")
    assert (result.recipient_post_code, result.recipient_city) == ("94107", "SAN FRANCISCO")
    assert result.estimated_delivery == "2025-05-09"  # midnight standard-transit end = a date
    assert result.linked_numbers == []  # a shipper reference is not a tracking number
    assert [(e.carrier_status_code, e.status_code) for e in result.events] == [
        ("OC", "data_order_created"),
        ("PU", "transit_handover"),
        ("DP", None),
        ("OD", "delivery_out_for_delivery"),
        ("DL", "delivery_delivered"),
    ]
    assert [e.occurrence_datetime for e in result.events] == [
        "2025-05-06T22:03:11-05:00",
        "2025-05-07T17:41:00-05:00",
        "2025-05-08T03:12:00-05:00",  # milliseconds dropped
        "2025-05-09T08:05:00-07:00",
        "2025-05-09T10:22:00-07:00",
    ]
    assert result.events[0].location is None
    assert result.events[-1].location == "SAN FRANCISCO, CA 94107, US"
    assert result.events[-1].status == "Delivered"


def test_in_transit_window_customs_and_offsets(fedex_fixture: Load) -> None:
    result = _one(fedex_fixture, "in_transit", "776192438701")
    assert result.service == "FedEx International Priority"  # FedEx's "descripition" typo
    assert (result.origin_country_code, result.destination_country_code) == ("CN", "DE")
    assert result.estimated_delivery == "2025-07-03"
    assert result.estimated_delivery_from == "2025-07-03T09:00:00+02:00"
    assert result.estimated_delivery_to == "2025-07-03T13:00:00+02:00"
    assert [e.status_code for e in result.events] == [
        "transit_handover",
        None,
        "customs_received",
        "customs_cleared",
    ]
    assert result.events[0].occurrence_datetime == "2025-06-30T16:00:00+08:00"


def test_delivery_exceptions_are_refined(fedex_fixture: Load) -> None:
    result = _one(fedex_fixture, "exception", "612999887766")
    assert [e.status_code for e in result.events] == [
        "delivery_exception",  # SE weather delay
        "delivery_exception",  # DEX 03 incorrect address
        "delivery_attempted",  # DEX 08 not available
        "delivery_refused",  # DEX 07 refused
    ]
    assert result.events[-1].status == "Delivery exception: Refused by recipient"
    assert result.events[-1].carrier_status_code == "DE"


def test_not_found(fedex_fixture: Load) -> None:
    outcome = parse_track_response(["123456789012"], fedex_fixture("not_found"))["123456789012"]
    assert isinstance(outcome, TrackingNumberNotFound)


def test_not_found_number_does_not_hide_the_others(fedex_fixture: Load) -> None:
    outcomes = parse_track_response(
        ["794843185271", "123456789012", "ABC", "999999999999"], fedex_fixture("batch_mixed")
    )
    assert isinstance(outcomes["794843185271"], TrackingResult)
    assert isinstance(outcomes["123456789012"], TrackingNumberNotFound)
    assert isinstance(outcomes["ABC"], TrackingNumberNotFound)
    # A number the answer forgot is an error for that number alone.
    assert isinstance(outcomes["999999999999"], CourierResponseInvalid)


def test_reused_number_takes_the_latest_shipment(fedex_fixture: Load) -> None:
    result = _one(fedex_fixture, "multi_piece", "568838414941")
    assert [e.carrier_status_code for e in result.events] == ["PU", "AR"]
    assert result.linked_numbers == []  # the MPS master number is not a second leg


def test_returned_links_the_return_number(fedex_fixture: Load) -> None:
    result = _one(fedex_fixture, "returned", "445566778899")
    assert [e.status_code for e in result.events] == ["delivery_refused", "exception_return"]
    assert result.linked_numbers == [LinkedTrackingNumber("445566778900", "fedex")]


def test_ground_economy_hand_over_to_usps(fedex_fixture: Load) -> None:
    result = _one(fedex_fixture, "smartpost", "61290982165640711296")
    assert result.linked_numbers == [LinkedTrackingNumber("9261290982165640711296", "us-post")]
    assert [e.status_code for e in result.events] == [None, None]
    assert result.service == "FedEx Ground Economy"


def test_error_body_without_output(fedex_fixture: Load) -> None:
    with pytest.raises(CourierResponseInvalid):
        parse_track_response(["794843185271"], fedex_fixture("unauthorized"))


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"output": []},
        {"output": {"completeTrackResults": {}}},
        {"output": {"completeTrackResults": ["x"]}},
    ],
)
def test_malformed_bodies(body: Any) -> None:
    with pytest.raises(CourierResponseInvalid):
        parse_track_response(["794843185271"], body)


@pytest.mark.parametrize(
    "result",
    [
        {"scanEvents": "x"},
        {"scanEvents": [{"eventType": "PU"}]},
        {"scanEvents": [{"eventType": "PU", "date": "yesterday"}]},
    ],
)
def test_malformed_result_spoils_only_its_number(result: dict[str, Any]) -> None:
    body = {
        "output": {
            "completeTrackResults": [
                {"trackingNumber": "111111111111", "trackResults": [result]},
                {
                    "trackingNumber": "222222222222",
                    "trackResults": [
                        {"scanEvents": [{"eventType": "PU", "date": "2025-01-01T10:00:00-05:00"}]}
                    ],
                },
            ]
        }
    }
    outcomes = parse_track_response(["111111111111", "222222222222"], body)
    assert isinstance(outcomes["111111111111"], CourierError)
    assert isinstance(outcomes["222222222222"], TrackingResult)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-02-02T12:01:00-07:00", "2018-02-02T12:01:00-07:00"),
        ("2018-02-02T12:01:00.000+0530", "2018-02-02T12:01:00+05:30"),
        ("2018-02-02T12:01:00", "2018-02-02T12:01:00"),
        ("2018-02-02T12:01", "2018-02-02T12:01:00"),
        ("2018-02-02T19:01:00Z", "2018-02-02T19:01:00Z"),
        ("2018-02-02", "2018-02-02"),
        ("", None),
    ],
)
def test_logistics_datetime(value: str, expected: str | None) -> None:
    assert logistics_datetime(value) == expected

"""UPS Track API parsing, on fixtures written from the documented ``TrackApiResponse`` format."""

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
from shiptrack.couriers.connectors.ups.parse import activity_datetime, parse_track


def _result(load: Load, name: str, number: str | None = None) -> TrackingResult:
    body = load(name)
    number = number or body["trackResponse"]["shipment"][0]["inquiryNumber"]
    result = parse_track(number, body)
    assert isinstance(result, TrackingResult)
    return result


def test_delivered(ups_fixture: Load) -> None:
    result = _result(ups_fixture, "delivered")
    assert (result.courier_code, result.source_code) == ("ups", "ups-tracking")
    assert result.service == "UPS Ground"
    assert result.signed_by == "RIVERA"
    assert (result.origin_country_code, result.destination_country_code) == ("US", "US")
    assert (result.recipient_post_code, result.recipient_city) == ("07652", "PARAMUS")
    assert result.estimated_delivery is None  # only the DEL date is left once delivered
    assert [(e.carrier_status_code, e.status_code) for e in result.events] == [
        ("003", "data_order_created"),
        ("038", "transit_handover"),
        ("005", None),
        ("005", None),
        ("021", "delivery_out_for_delivery"),
        ("011", "delivery_delivered"),
    ]
    times = [e.occurrence_datetime for e in result.events]
    assert times == [
        "2025-04-12T09:30:55",  # no GMT fields: local time, no offset
        "2025-04-13T18:10:00-05:00",
        "2025-04-14T04:12:00-04:00",  # offset from gmtDate/gmtTime ("81200" = 08:12:00)
        "2025-04-14T22:09:31-04:00",
        "2025-04-15T07:15:23-04:00",
        "2025-04-15T13:38:02-04:00",
    ]
    delivered = result.events[-1]
    assert delivered.status == "DELIVERED"
    assert delivered.location == "Paramus, NJ 07652, US"
    assert result.events[0].location == "US"
    assert [e.order for e in result.events] == [1, 2, 3, 4, 5, 6]


def test_in_transit_with_window_and_customs(ups_fixture: Load) -> None:
    result = _result(ups_fixture, "in_transit")
    assert result.estimated_delivery_from == "2025-06-10T10:30:00"
    assert result.estimated_delivery_to == "2025-06-10T14:30:00"
    assert result.estimated_delivery == "2025-06-10T14:30:00"
    assert (result.origin_country_code, result.destination_country_code) == ("US", "DE")
    assert [e.status_code for e in result.events] == [
        "transit_handover",
        None,
        "customs_received",
        None,
    ]
    assert [e.occurrence_datetime for e in result.events] == [
        "2025-06-06T17:05:00-04:00",
        "2025-06-07T23:30:00-04:00",
        "2025-06-08T20:10:00+02:00",
        "2025-06-08T21:45:00",
    ]
    assert result.events[-1].location == "Koeln, 50679, DE"


def test_exception_and_rescheduled_date(ups_fixture: Load) -> None:
    result = _result(ups_fixture, "exception")
    assert [e.status_code for e in result.events] == [
        "delivery_exception",  # no statusCode: the "X" type says exception
        "delivery_exception",
        "delivery_attempted",
    ]
    assert result.events[0].carrier_status_code == "X"
    # RDD wins over SDD; an end-of-day time makes the estimate a time.
    assert result.estimated_delivery == "2025-01-21T23:00:00"
    assert result.estimated_delivery_from is None


def test_returned_links_the_return_number(ups_fixture: Load) -> None:
    result = _result(ups_fixture, "returned")
    assert [e.status_code for e in result.events] == ["delivery_refused", "exception_return"]
    assert result.linked_numbers == [LinkedTrackingNumber("1Z0X118A9024011031", "ups")]


def test_mail_innovations_hand_over_to_usps(ups_fixture: Load) -> None:
    result = _result(ups_fixture, "mail_innovations")
    assert result.linked_numbers == [LinkedTrackingNumber("9274899998549654301000345", "us-post")]
    assert [e.status_code for e in result.events] == [None, "delivery_delivered"]


def test_multi_piece_picks_the_requested_package(ups_fixture: Load) -> None:
    second = _result(ups_fixture, "multi_piece", "1Z9W12060313849525")
    assert [e.status_code for e in second.events] == ["data_order_created", None]
    first = _result(ups_fixture, "multi_piece", "1Z9W12060313849516")
    assert [e.status_code for e in first.events] == ["delivery_delivered"]


@pytest.mark.parametrize("name", ["not_found", "not_found_404"])
def test_not_found(ups_fixture: Load, name: str) -> None:
    assert isinstance(parse_track("1Z0000000000000000", ups_fixture(name)), TrackingNumberNotFound)


@pytest.mark.parametrize(
    "body",
    [
        "nope",
        {"trackResponse": []},
        {"trackResponse": {"shipment": [{"package": "x"}]}},
        {"trackResponse": {"shipment": [{"package": [{"activity": [{"status": {}}]}]}]}},
        {"trackResponse": {"shipment": [{"inquiryNumber": "1Z"}]}},
        {"response": {"errors": [{"code": "10500", "message": "General failure"}]}},
    ],
)
def test_malformed_bodies(body: Any) -> None:
    with pytest.raises(CourierResponseInvalid):
        parse_track("1Z5R89390357567127", body)


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        (
            {"date": "20210210", "time": "071356", "gmtOffset": "-05:00"},
            "2021-02-10T07:13:56-05:00",
        ),
        (
            {"date": "20210210", "time": "071356", "gmtDate": "20210210", "gmtTime": "121356"},
            "2021-02-10T07:13:56-05:00",
        ),
        ({"date": "20210210", "time": "071356"}, "2021-02-10T07:13:56"),
        ({"date": "20210210", "time": ""}, "2021-02-10"),
        ({"gmtDate": "20210210", "gmtTime": "74700"}, "2021-02-10T07:47:00Z"),
        ({"date": "20210210", "time": "0713", "gmtOffset": "+05:30"}, "2021-02-10T07:13:00+05:30"),
    ],
)
def test_activity_datetime(activity: dict[str, str], expected: str) -> None:
    assert activity_datetime(activity) == expected

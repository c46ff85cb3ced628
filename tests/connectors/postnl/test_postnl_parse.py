"""PostNL ShippingStatus answers (the OpenAPI document's own examples) → connector types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shiptrack.couriers.connectors.postnl.client import error_detail
from shiptrack.couriers.connectors.postnl.parse import as_list, parse_status, timestamp
from shiptrack.couriers.connectors.protocol import (
    CourierResponseInvalid,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "postnl"


def _load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def test_complete_status_of_one_parcel() -> None:
    result = parse_status("3SDEVC288882229", _load("complete_single"))

    assert isinstance(result, TrackingResult)
    assert [e.carrier_status_code for e in result.events] == ["J05", "J01", "B01", "A01"]
    assert [e.status_code for e in result.events] == [
        "delivery_out_for_delivery",
        None,
        "transit_handover",
        "data_order_created",
    ]
    assert result.events[0].occurrence_datetime == "2022-11-08T10:13:20"  # local, no offset
    assert [e.order for e in result.events] == [4, 3, 2, 1]
    assert result.estimated_delivery == "2022-11-08"
    assert (result.estimated_delivery_from, result.estimated_delivery_to) == (
        "2022-11-08T14:50:00",
        "2022-11-08T16:50:00",
    )
    assert result.destination_country_code == "NL"
    assert result.recipient_post_code == "3571ZZ"
    assert result.linked_numbers == []


def test_current_status_without_events_uses_the_status() -> None:
    result = parse_status("3SDEVC288882229", _load("current_single"))

    assert isinstance(result, TrackingResult)
    (event,) = result.events
    assert (event.carrier_status_code, event.status_code) == ("7", "delivery_out_for_delivery")


def test_multi_collo_reads_the_asked_parcel_and_links_the_main_barcode() -> None:
    result = parse_status("3SDEVC5672025", _load("multicollo"))

    assert isinstance(result, TrackingResult)
    assert LinkedTrackingNumber("3SDEVC7755088", "nl-post") in result.linked_numbers
    assert all(e.tracking_number == "3SDEVC5672025" for e in result.events)
    assert len(result.events) == 1  # "Event" is a single object there


def test_no_shipment_found_is_not_found() -> None:
    assert isinstance(parse_status("3SDEVC0", _load("no_shipment")), TrackingNumberNotFound)


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"CompleteStatus": {}},
        {"CompleteStatus": {"Shipment": {"Event": [{"Code": "J05", "TimeStamp": "gisteren"}]}}},
        {"CompleteStatus": {"Shipment": [1]}},
    ],
)
def test_broken_answers_are_invalid(body: object) -> None:
    assert isinstance(parse_status("3SDEVC0", body), CourierResponseInvalid)


def test_values() -> None:
    assert timestamp("08-11-2022 00:10:11.081") == "2022-11-08T00:10:11"
    assert timestamp({}) is None
    assert as_list({}) == []
    assert as_list({"a": 1}) == [{"a": 1}]
    fault = {"fault": {"faultstring": "no barcode supplied in path"}}
    assert error_detail(fault, "x") == "no barcode supplied in path"
    assert error_detail({"message": "Too many requests"}, "x") == "Too many requests"
    assert error_detail(None, "plain") == "plain"

"""Royal Mail Tracking API v2 answers (the Swagger's example, its errors) → connector types."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shiptrack.couriers.connectors.protocol import (
    CourierResponseInvalid,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.connectors.royalmail.parse import error_text, is_not_found, parse_events

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "royalmail"


def test_swagger_example() -> None:
    body = json.loads((FIXTURES / "events.json").read_text())

    result = parse_events("FQ087430672GB", body)

    assert isinstance(result, TrackingResult)
    (event,) = result.events
    assert event.carrier_status_code == "EVNMI"
    assert event.status_code is None  # "Forwarded - Mis-sort": an In Transit scan
    assert event.occurrence_datetime == "2016-10-20T10:04:00+01:00"
    assert event.location == "Stafford DO"
    assert result.signed_by == "Simon"
    assert result.estimated_delivery == "2017-02-20"
    assert result.estimated_delivery_from == "2017-02-20T08:00:00+01:00"
    assert result.estimated_delivery_to == "2017-02-20T11:00:00+01:00"
    assert (result.origin_country_code, result.destination_country_code) == ("GB", "GB")
    assert result.service == "Special Delivery Guaranteed"
    assert result.courier_code == "gb-post"


def test_offsets_without_colon_and_unknown_codes() -> None:
    delivered = {"eventCode": "DELIVERED", "eventName": "Delivered"}
    leaving = {"eventCode": "EVHOE", "eventName": "Item leaving the UK"}
    delivered["eventDateTime"] = "2023-05-02T12:00:00+0000"
    leaving["eventDateTime"] = "2023-04-28T09:10:00+0100"
    body = {"mailPieces": {"carrierShortName": "RM", "events": [delivered, leaving]}}

    result = parse_events("RR000000164GB", body)

    assert isinstance(result, TrackingResult)
    delivered, leaving = result.events
    assert delivered.occurrence_datetime == "2023-05-02T12:00:00+00:00"
    assert delivered.status_code == "delivery_delivered"  # normaliser, from the text
    assert delivered.rule_id.startswith("en.")
    assert leaving.status_code == "transit_origin_country_departure"


def test_per_item_404_in_a_mail_piece_is_not_found() -> None:
    error = {"errorCode": "E2001", "errorDescription": "Tracking number not found"}
    body = {"mailPieces": {"status": "404", "error": error}}
    assert isinstance(parse_events("RR000000164GB", body), TrackingNumberNotFound)


@pytest.mark.parametrize(
    "body",
    [[], {"mailPieces": []}, {"mailPieces": {"events": [{"eventCode": "EVKSP"}]}}],
)
def test_broken_answers_are_invalid(body: object) -> None:
    assert isinstance(parse_events("RR000000164GB", body), CourierResponseInvalid)


def test_error_bodies() -> None:
    unknown = {
        "httpCode": "404",
        "errors": [
            {"errorCode": "E1142", "errorDescription": "Barcode reference isn't recognised"}
        ],
    }
    terms = {"httpCode": "400", "errors": [{"errorCode": "E0004", "errorDescription": "Terms"}]}
    assert is_not_found(unknown)
    assert not is_not_found(terms)
    assert not is_not_found(None)
    assert error_text(unknown) == "E1142: Barcode reference isn't recognised"
    assert error_text({"httpCode": "429", "moreInformation": "Rate limit"}) == "Rate limit"

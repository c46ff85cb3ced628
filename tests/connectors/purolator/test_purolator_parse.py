"""Purolator TrackingService answers (documentation sample, a real journey) → connector types."""

from __future__ import annotations

from pathlib import Path

import pytest

from shiptrack.couriers.connectors.protocol import (
    CourierAuthError,
    CourierResponseInvalid,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.connectors.purolator.client import request_body
from shiptrack.couriers.connectors.purolator.parse import parse_answer, scan_time

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "purolator"
ENVELOPE = (
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
    '<TrackPackagesByPinResponse xmlns="http://purolator.com/pws/datatypes/v1" '
    'xmlns:i="http://www.w3.org/2001/XMLSchema-instance">{}</TrackPackagesByPinResponse>'
    "</s:Body></s:Envelope>"
)


def _scan(kind: str, time: str, text: str, details: str = "", xsi: str = "") -> str:
    typed = f' i:type="{xsi}"' if xsi else ""
    return (
        f"<Scan{typed}><ScanType>{kind}</ScanType><PIN><Value>333343150996</Value></PIN>"
        "<Depot><Name>OTTAWA, ON</Name></Depot><ScanDate>2022-01-28</ScanDate>"
        f"<ScanTime>{time}</ScanTime><Description>{text}</Description><Comment/>"
        f"<ScanDetails>{details}</ScanDetails></Scan>"
    )


def test_documentation_sample() -> None:
    outcomes = parse_answer(["M123"], (FIXTURES / "track_by_pin.xml").read_bytes())

    result = outcomes["M123"]
    assert isinstance(result, TrackingResult)
    (event,) = result.events
    assert event.occurrence_datetime == "2004-01-13T17:23:00"  # local, no zone
    assert event.location == "MONTREAL SORT CTR/CTR TRIE, PQ"
    assert event.carrier_status_code == "Other"
    assert result.linked_numbers == []  # "New Tracking Number Assigned -" names none


def test_a_real_delivered_journey() -> None:
    scans = (
        _scan("Delivery", "130115", "Shipment delivered",
              "<DeliverySignature>DUPONT</DeliverySignature><ProductTypeText>Regular"
              "</ProductTypeText>", "DeliveryScan")
        + _scan("OnDelivery", "83704", "On vehicle for delivery", xsi="OnDeliveryScan")
        + _scan("Other", "10922", "Arrived at sort facility")
        + _scan("Other", "000500", "New Tracking Number Assigned - 333343150997")
    )  # fmt: skip
    info = (
        "<TrackingInformationList><TrackingInformation><PIN><Value>333343150996</Value></PIN>"
        f"<Scans>{scans}</Scans></TrackingInformation></TrackingInformationList>"
    )

    result = parse_answer(["333343150996"], ENVELOPE.format(info).encode())["333343150996"]

    assert isinstance(result, TrackingResult)
    assert [e.status_code for e in result.events] == [
        "delivery_delivered",
        "delivery_out_for_delivery",
        None,  # "Arrived at sort facility": the normaliser's plain transit scan
        None,
    ]
    assert result.events[1].occurrence_datetime == "2022-01-28T08:37:04"  # "83704"
    assert result.events[0].rule_id == "table:purolator:Delivery"
    assert result.events[2].rule_id.startswith("en.")
    assert result.signed_by == "DUPONT"
    assert result.service == "Regular"
    assert result.linked_numbers == [LinkedTrackingNumber("333343150997", "purolator")]


def test_pins_without_scans_or_left_out() -> None:
    info = (
        "<TrackingInformationList><TrackingInformation><PIN><Value>320595463938</Value></PIN>"
        "<Scans/></TrackingInformation></TrackingInformationList>"
    )
    outcomes = parse_answer(["320595463938", "331426749957"], ENVELOPE.format(info).encode())

    assert isinstance(outcomes["320595463938"], TrackingNumberNotFound)
    assert isinstance(outcomes["331426749957"], CourierResponseInvalid)

    errors = (
        "<ResponseInformation><Errors><Error><Code>1100</Code><Description>PIN not found"
        "</Description></Error></Errors></ResponseInformation>"
    )
    outcome = parse_answer(["331426749957"], ENVELOPE.format(errors).encode())["331426749957"]
    assert isinstance(outcome, TrackingNumberNotFound)


def test_soap_faults() -> None:
    fault = (
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>'
        "<faultcode>s:Client</faultcode><faultstring>{}</faultstring></s:Fault></s:Body>"
        "</s:Envelope>"
    )
    bad = parse_answer(["1"], fault.format("Server was unable to read request.").encode())
    auth = parse_answer(["1"], fault.format("Authentication failed").encode())
    assert isinstance(bad["1"], CourierResponseInvalid)
    assert isinstance(auth["1"], CourierAuthError)


@pytest.mark.parametrize("body", [b"<s:Envelope", b"<Envelope/>", b"{}"])
def test_broken_answers_are_invalid(body: bytes) -> None:
    assert isinstance(parse_answer(["1"], body)["1"], CourierResponseInvalid)


def test_scan_times_and_the_request() -> None:
    assert scan_time("2022-01-28", "") == "2022-01-28"
    assert scan_time("2022-01-28", "7") == "2022-01-28T00:00:07"
    assert scan_time("2022-01-28", "1234567") is None
    body = request_body(["320595463938", "A<B"], "fr").decode()
    assert "<v1:Value>320595463938</v1:Value>" in body
    assert "A&lt;B" in body
    assert "<v1:Language>fr</v1:Language>" in body

"""Pure parsing of DHL Unified answers, on fixture files written from DHL's documented format."""

from __future__ import annotations

import pytest
from connector_helpers import Load, as_result

from shiptrack.couriers.connectors.dhl.parse import (
    classify,
    logistics_datetime,
    parse_shipments,
    problem_detail,
)
from shiptrack.couriers.connectors.protocol import (
    CourierResponseInvalid,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
)


def test_express_delivered(dhl_fixture: Load) -> None:
    result = as_result(parse_shipments("1234567890", dhl_fixture("express_delivered.json")))

    assert result.courier_code == "dhl-express"
    assert result.source_code == "dhl-tracking"
    assert [e.status_code for e in result.events] == [
        "delivery_delivered",
        "delivery_out_for_delivery",
        None,
        "customs_cleared",
        None,
        None,
        None,
        "transit_handover",
        "data_order_created",
    ]
    assert [e.carrier_status_code for e in result.events][:3] == ["OK", "WC", "AR"]
    assert result.events[-1].carrier_status_code == "pre-transit"
    newest, oldest = result.events[0], result.events[-1]
    assert newest.occurrence_datetime == "2024-05-03T14:12:00-04:00"
    assert oldest.occurrence_datetime == "2024-05-01T10:20:00+02:00"
    assert newest.status == "Delivered - Signed for by: M. RIVERA"
    assert newest.location == "NEW YORK, NY - USA"
    assert (newest.order, oldest.order) == (9, 1)
    assert all(
        e.courier_code == "dhl-express" and e.source_code == "dhl-tracking" for e in result.events
    )
    assert result.origin_country_code == "DE"
    assert result.destination_country_code == "US"
    assert result.estimated_delivery == "2024-05-03T23:59:00-04:00"
    assert result.estimated_delivery_from == "2024-05-03T09:00:00-04:00"
    assert result.estimated_delivery_to == "2024-05-03T18:00:00-04:00"
    assert result.service == "DHL EXPRESS WORLDWIDE"
    assert result.signed_by == "M. RIVERA"
    assert result.recipient_post_code == "10001"
    assert result.recipient_city == "New York"
    # the piece id is a second number; the customer reference is not
    assert result.linked_numbers == [LinkedTrackingNumber("JD014600003814561230", "dhl-express")]


def test_parcel_de_in_transit_keeps_local_times_without_offset(dhl_fixture: Load) -> None:
    result = as_result(
        parse_shipments("00340434161094015063", dhl_fixture("parcel_de_in_transit.json"))
    )

    assert result.courier_code == "dhl"
    assert [e.status_code for e in result.events] == [
        "delivery_out_for_delivery",
        None,
        None,
        "transit_handover",
        "data_order_created",
    ]
    assert result.events[0].occurrence_datetime == "2024-06-11T07:45:00"
    assert result.events[1].location == "Köln"
    assert result.estimated_delivery is None
    assert result.estimated_delivery_from == "2024-06-11T13:20:00"
    assert result.estimated_delivery_to == "2024-06-11T15:20:00"
    assert result.service == "DHL Paket"
    assert result.signed_by is None
    assert result.linked_numbers == []
    assert result.recipient_post_code == "53113"


def test_express_exception(dhl_fixture: Load) -> None:
    result = as_result(parse_shipments("9876543210", dhl_fixture("express_exception.json")))

    assert [e.status_code for e in result.events] == [
        "customs_exception",
        "customs_exception",
        "customs_received",
        "transit_handover",
    ]
    assert result.events[-1].occurrence_datetime == "2024-03-12T11:04:00+08:00"
    assert (result.origin_country_code, result.destination_country_code) == ("CN", "CH")


def test_multi_piece_links_pieces_and_housebill_not_account_numbers(dhl_fixture: Load) -> None:
    result = as_result(parse_shipments("5550001110", dhl_fixture("express_multi_piece.json")))

    assert [ln.tracking_number for ln in result.linked_numbers] == [
        "3Y1234567890",
        "JD014600006281230701",
        "JD014600006281230702",
        "JD014600006281230703",
    ]
    assert {ln.courier_code for ln in result.linked_numbers} == {"dhl-express"}
    assert result.estimated_delivery == "2024-09-05T12:00:00+02:00"
    assert result.recipient_city == "Lyon"


def test_returned_to_sender(dhl_fixture: Load) -> None:
    result = as_result(
        parse_shipments("00340434161094022115", dhl_fixture("parcel_de_returned.json"))
    )

    assert [e.status_code for e in result.events] == [
        "exception_return",
        "exception_return",
        "delivery_available_for_pickup",
        "delivery_attempted",
        "delivery_out_for_delivery",
        "transit_handover",
    ]
    assert result.linked_numbers == [LinkedTrackingNumber("00340434161094099871", "dhl")]


def test_ecommerce_handover_to_a_national_post(dhl_fixture: Load) -> None:
    result = as_result(parse_shipments("NLDHL0007712345", dhl_fixture("ecommerce_handover.json")))

    assert result.courier_code == "dhl-global-mail"
    assert result.linked_numbers == [LinkedTrackingNumber("CD123456785BE", "be-post")]
    assert result.events[0].status_code == "delivery_delivered"
    assert result.events[0].location == "Brussels, BE"
    assert result.events[-1].status_code == "data_order_created"


def test_not_found_body_and_empty_shipments(dhl_fixture: Load) -> None:
    assert problem_detail(dhl_fixture("not_found.json")) == (
        "No result found: No shipment with given tracking number found."
    )
    assert isinstance(parse_shipments("1", {"shipments": []}), TrackingNumberNotFound)
    assert isinstance(parse_shipments("1", {}), TrackingNumberNotFound)


def test_asked_piece_id_links_the_shipment_id(dhl_fixture: Load) -> None:
    body = dhl_fixture("express_multi_piece.json")
    result = as_result(parse_shipments("JD014600006281230702", body))

    numbers = [ln.tracking_number for ln in result.linked_numbers]
    assert numbers[0] == "5550001110"
    assert "JD014600006281230702" not in numbers


def test_picks_the_shipment_of_the_hinted_service(dhl_fixture: Load) -> None:
    express = dhl_fixture("express_delivered.json")["shipments"][0]
    parcel = {**dhl_fixture("parcel_de_in_transit.json")["shipments"][0], "id": "1234567890"}
    body = {"shipments": [express, parcel]}

    assert as_result(parse_shipments("1234567890", body)).courier_code == "dhl-express"
    hinted = parse_shipments("1234567890", body, service_hint="parcel-de")
    assert as_result(hinted).courier_code == "dhl"


def test_only_a_status_becomes_one_event() -> None:
    body = {
        "shipments": [
            {
                "id": "1",
                "service": "express",
                "status": {
                    "timestamp": "2024-01-02T03:04:05+01:00",
                    "statusCode": "transit",
                    "status": "WC",
                    "description": "With delivery courier",
                },
            }
        ]
    }

    result = as_result(parse_shipments("1", body))
    assert [(e.status_code, e.order) for e in result.events] == [("delivery_out_for_delivery", 1)]


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"shipments": "nope"},
        {"shipments": [{"id": "1", "events": "nope"}]},
        {"shipments": [{"id": "1", "events": [{"timestamp": "yesterday"}]}]},
        {"shipments": [{"id": "1", "events": [{"statusCode": "transit"}]}]},
        {"shipments": [{"id": "1", "details": []}]},
    ],
)
def test_malformed_bodies_are_invalid(body: object) -> None:
    assert isinstance(parse_shipments("1", body), CourierResponseInvalid)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-08-03T00:00:00+02:00", "2018-08-03T00:00:00+02:00"),
        ("2024-05-01T10:20:00", "2024-05-01T10:20:00"),
        ("2024-05-01T10:20", "2024-05-01T10:20:00"),
        ("2018-03-02T07:53:47Z", "2018-03-02T07:53:47Z"),
        ("2024-05-01T10:20:00.123+0200", "2024-05-01T10:20:00+02:00"),
        ("2024-05-01", "2024-05-01"),
        ("2024-13-01T10:00:00", None),
        ("tomorrow", None),
        (None, None),
    ],
)
def test_logistics_datetime(value: object, expected: str | None) -> None:
    assert logistics_datetime(value) == expected


@pytest.mark.parametrize(
    ("service", "status_code", "code", "text", "expected"),
    [
        ("express", "transit", "WC", "With delivery courier", "delivery_out_for_delivery"),
        ("express", "transit", "DF", "Customs status updated", None),  # the code is exact
        ("express", "transit", "ZZ", "Delivered", "delivery_delivered"),  # unknown code
        ("parcel-de", "transit", None, "Die Sendung wurde zugestellt.", "delivery_delivered"),
        (
            "parcel-de",
            "failure",
            None,
            "Die Sendung konnte nicht zugestellt werden.",
            "delivery_attempted",
        ),
        (
            "parcel-de",
            "transit",
            None,
            "Der Empfänger hat die Annahme der Sendung verweigert.",
            "delivery_refused",
        ),
        (
            "parcel-de",
            "transit",
            None,
            "Die Sendung wurde vom Empfänger abgeholt.",
            "delivery_delivered",
        ),
        ("parcel-de", "failure", None, "Sonstiges", "delivery_exception"),
        ("parcel-pl", "delivered", None, "przesyłka doręczona", "delivery_delivered"),
        ("ecommerce", "unknown", None, None, None),
        ("ecommerce", None, None, None, None),
    ],
)
def test_classify(
    service: str, status_code: str | None, code: str | None, text: str | None, expected: str | None
) -> None:
    assert classify(service, status_code, code, text) == expected

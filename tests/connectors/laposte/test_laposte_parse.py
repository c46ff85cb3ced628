"""Pure parsing of La Poste Suivi v2 answers, on fixture files written from its documentation."""

from __future__ import annotations

from typing import Any

import pytest
from connector_helpers import Load, as_result

from shiptrack.couriers.connectors.laposte.parse import (
    courier_code_of,
    logistics_datetime,
    parse_answer,
    parse_item,
)
from shiptrack.couriers.connectors.protocol import (
    CourierResponseInvalid,
    CourierUnavailable,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
)


def test_colissimo_delivered(laposte_fixture: Load) -> None:
    outcomes = parse_answer(["6A18765432109"], laposte_fixture("colissimo_delivered.json"))
    result = as_result(outcomes["6A18765432109"])

    assert result.courier_code == "colissimo"
    assert result.source_code == "laposte-tracking"
    assert [e.carrier_status_code for e in result.events] == [
        "DI1",
        "MD2",
        "ET1",
        "ET1",
        "PC1",
        "DR1",
    ]
    assert [e.status_code for e in result.events] == [
        "delivery_delivered",
        "delivery_out_for_delivery",
        None,
        None,
        "transit_handover",
        "data_order_created",
    ]
    assert result.events[0].occurrence_datetime == "2023-03-22T11:48:00+01:00"
    assert result.events[0].status == "Votre colis est livré."
    assert [e.order for e in result.events] == [6, 5, 4, 3, 2, 1]
    assert {e.courier_code for e in result.events} == {"colissimo"}
    assert (result.origin_country_code, result.destination_country_code) == ("FR", "FR")
    assert result.service == "Colissimo"
    assert result.signed_by is None
    assert result.linked_numbers == []


def test_letter_in_transit_with_an_eta_window(laposte_fixture: Load) -> None:
    result = as_result(parse_item("1K36275770836", laposte_fixture("lettre_in_transit.json")))

    assert result.courier_code == "fr-post"
    assert [e.status_code for e in result.events] == [None, "transit_handover"]
    assert result.estimated_delivery == "2024-10-30T00:00:00+01:00"
    assert result.estimated_delivery_from == "2024-10-30T09:00:00+01:00"
    assert result.estimated_delivery_to == "2024-10-30T13:00:00+01:00"
    assert result.service == "Lettre suivie"


def test_chronopost_customs_exception(laposte_fixture: Load) -> None:
    result = as_result(parse_item("XY746876977FR", laposte_fixture("chronopost_exception.json")))

    assert result.courier_code == "chronopost"
    assert [e.status_code for e in result.events] == [
        "delivery_exception",
        "customs_exception",
        "customs_received",
        None,
        "transit_handover",
    ]
    # the offset of the place where each scan happened, as La Poste gives it
    assert result.events[0].occurrence_datetime == "2024-02-09T15:31:00-05:00"
    assert result.events[-1].occurrence_datetime == "2024-02-05T18:10:00+01:00"
    assert result.destination_country_code == "US"


def test_single_not_found(laposte_fixture: Load) -> None:
    outcome = parse_answer(["6A00000000001"], laposte_fixture("not_found.json"))["6A00000000001"]

    assert isinstance(outcome, TrackingNumberNotFound)
    assert "104" in str(outcome)


def test_multi_answer_mixes_found_unknown_and_unavailable(laposte_fixture: Load) -> None:
    numbers = ["6A11111111111", "6A22222222222", "6A33333333333", "rr123456785fr"]
    outcomes = parse_answer(numbers, laposte_fixture("multi_207.json"))

    available = as_result(outcomes["6A11111111111"])
    assert available.events[0].status_code == "delivery_available_for_pickup"
    assert isinstance(outcomes["6A22222222222"], TrackingNumberNotFound)
    assert isinstance(outcomes["6A33333333333"], CourierUnavailable)
    letter = as_result(outcomes["rr123456785fr"])  # matched by id whatever the case
    assert letter.tracking_number == "rr123456785fr"
    assert letter.events[0].status_code == "destination_arrival"
    assert letter.destination_country_code == "DE"
    assert letter.linked_numbers == []  # the same number, not a second one


def test_multi_answer_matched_by_id_not_position(laposte_fixture: Load) -> None:
    numbers = ["RR123456785FR", "6A33333333333", "6A22222222222", "6A11111111111"]
    outcomes = parse_answer(numbers, laposte_fixture("multi_207.json"))

    assert as_result(outcomes["RR123456785FR"]).courier_code == "fr-post"
    assert as_result(outcomes["6A11111111111"]).courier_code == "colissimo"


def test_a_number_missing_from_the_answer_is_invalid(laposte_fixture: Load) -> None:
    outcomes = parse_answer(["6A11111111111", "6A99999999999"], laposte_fixture("multi_207.json"))

    assert isinstance(outcomes["6A11111111111"], TrackingResult)
    assert isinstance(outcomes["6A99999999999"], CourierResponseInvalid)


def test_returned_to_sender_links_the_partner_number(laposte_fixture: Load) -> None:
    result = as_result(parse_item("CB123456789FR", laposte_fixture("colissimo_returned.json")))

    assert [e.status_code for e in result.events] == [
        "exception_return",
        "exception_return",
        "delivery_available_for_pickup",
        "delivery_attempted",
        "destination_arrival",
        "transit_handover",
    ]
    assert result.linked_numbers == [LinkedTrackingNumber("00340434161094011111", "de-post")]
    assert result.service == "Colissimo International"


@pytest.mark.parametrize(
    ("shipment", "expected"),
    [
        ({"holder": 4, "product": "Lettre"}, "colissimo"),
        ({"holder": 3}, "chronopost"),
        ({"holder": 1, "product": "Colissimo"}, "fr-post"),
        ({"product": "Chronopost 13"}, "chronopost"),
        ({"product": "Colissimo Expert"}, "colissimo"),
        ({"product": "Lettre recommandée"}, "fr-post"),
        ({}, "fr-post"),
    ],
)
def test_courier_code_of(shipment: dict[str, Any], expected: str) -> None:
    assert courier_code_of(shipment) == expected


@pytest.mark.parametrize(
    "body",
    [
        "nope",
        [1, 2],
        {"returnCode": 999},
        {"returnCode": 200},
        {"returnCode": 200, "shipment": {"idShip": "6A1", "event": "nope"}},
        {"returnCode": 200, "shipment": {"idShip": "6A1", "event": [{"code": "DI1"}]}},
        {"returnCode": 200, "shipment": {"idShip": "6A1", "event": [], "contextData": []}},
    ],
)
def test_malformed_answers_are_invalid(body: object) -> None:
    assert isinstance(parse_answer(["6A1"], body)["6A1"], CourierResponseInvalid)


def test_unknown_event_codes_are_kept_without_a_status_code() -> None:
    item = {
        "returnCode": 200,
        "shipment": {
            "idShip": "6A1",
            "event": [
                {"code": "ZZ9", "label": "Nouvel événement", "date": "2024-01-01T10:00:00+01:00"}
            ],
        },
    }

    event = as_result(parse_item("6A1", item)).events[0]
    assert (event.carrier_status_code, event.status_code) == ("ZZ9", None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-03-21T10:23:00+01:00", "2023-03-21T10:23:00+01:00"),
        ("2023-03-21T10:23:00+0100", "2023-03-21T10:23:00+01:00"),
        ("2023-03-21T10:23:00", "2023-03-21T10:23:00"),
        ("2023-03-21", "2023-03-21"),
        ("21/03/2023", None),
    ],
)
def test_logistics_datetime(value: str, expected: str | None) -> None:
    assert logistics_datetime(value) == expected

"""Pure parsing of InPost, Bring, PostNord and Australia Post answers, on fixture files built
from each carrier's documented examples (sources in ``tests/connectors/fixtures/<carrier>/``)."""

from __future__ import annotations

from typing import Any

import pytest
from connector_helpers import as_result, fixture_loader

from shiptrack.couriers.connectors.auspost.parse import parse_answer as auspost_answer
from shiptrack.couriers.connectors.auspost.parse import read_description
from shiptrack.couriers.connectors.bring.parse import classify_event
from shiptrack.couriers.connectors.bring.parse import parse_tracking as bring_tracking
from shiptrack.couriers.connectors.inpost.parse import parse_tracking as inpost_tracking
from shiptrack.couriers.connectors.postnord.parse import classify_event as postnord_event
from shiptrack.couriers.connectors.postnord.parse import courier_code_of
from shiptrack.couriers.connectors.postnord.parse import parse_tracking as postnord_tracking
from shiptrack.couriers.connectors.protocol import (
    CourierResponseInvalid,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
)

inpost = fixture_loader("inpost")
bring = fixture_loader("bring")
postnord = fixture_loader("postnord")
auspost = fixture_loader("auspost")

# --- InPost -------------------------------------------------------------------------------


def test_inpost_documented_example() -> None:
    number = "612345678901234567890123"
    result = as_result(inpost_tracking(number, inpost("tracking_doc_example.json")))

    assert (result.courier_code, result.source_code) == ("inpost-pl", "inpost-tracking")
    assert [e.carrier_status_code for e in result.events] == ["dispatched_by_sender", "confirmed"]
    assert [e.status_code for e in result.events] == ["transit_handover", "data_order_created"]
    assert [e.status for e in result.events] == [
        "Parcel shipped at the parcel machine.",
        "Prepared by the Sender.",
    ]
    # Offsets kept, milliseconds dropped.
    assert [e.occurrence_datetime for e in result.events] == [
        "2015-09-17T11:28:00+02:00",
        "2015-09-17T10:28:00+02:00",
    ]
    assert [e.order for e in result.events] == [2, 1]
    assert [e.rule_id for e in result.events] == [
        "table:inpost-pl:dispatched_by_sender",
        "table:inpost-pl:confirmed",
    ]
    assert result.service == "inpost_locker_standard"
    assert result.linked_numbers == []


def test_inpost_new_status_names_go_to_the_normaliser() -> None:
    body: dict[str, Any] = inpost("tracking_doc_example.json")
    body["tracking_details"][0]["status"] = "delivered_to_recipient_in_person"
    body["tracking_details"][1]["status"] = "other"

    result = as_result(inpost_tracking("612345678901234567890123", body))

    assert result.events[0].status == "delivered to recipient in person"
    assert result.events[0].status_code == "delivery_delivered"
    assert not result.events[0].rule_id.startswith("table:")
    assert result.events[1].status == "Other status."
    assert result.events[1].status_code is None


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"tracking_details": {"status": "delivered"}},
        {"tracking_details": [{"status": "delivered", "datetime": "yesterday"}]},
        {"tracking_details": [{"datetime": "2015-09-17T11:28:00.000+02:00"}]},
    ],
)
def test_inpost_broken_answers_are_invalid(body: object) -> None:
    assert isinstance(inpost_tracking("612345678901234567890123", body), CourierResponseInvalid)


# --- Bring --------------------------------------------------------------------------------


def test_bring_documented_sample() -> None:
    body = bring("testpackage_at_pickup_point.json")
    result = as_result(bring_tracking("TESTPACKAGEATPICKUPPOINT", body))

    assert (result.courier_code, result.source_code) == ("no-post", "bring-tracking")
    assert [e.carrier_status_code for e in result.events] == ["READY_FOR_PICKUP", "IN_TRANSIT"]
    assert [e.status_code for e in result.events] == ["delivery_available_for_pickup", None]
    assert [e.occurrence_datetime for e in result.events] == [
        "2010-10-01T08:30:25+02:00",
        "2010-09-30T08:27:08+02:00",
    ]
    assert result.events[0].location == "2341 LØTEN, NO"
    assert result.events[0].status == "Sendingen er ankommet postkontor"
    assert result.service == "KLIMANØYTRAL SERVICEPAKKE"
    assert (result.recipient_post_code, result.recipient_city) == ("1407", "VINTERBRO")
    assert result.origin_country_code == "NO"
    assert result.signed_by is None  # no delivery yet
    # The consignment of a tracked package names the same parcel: not followed.
    assert result.linked_numbers == []


def test_bring_delivery_signatory_estimate_and_relabelled_number() -> None:
    body = bring("testpackage_at_pickup_point.json")
    consignment = body["consignmentSet"][0]
    package = consignment["packageSet"][0]
    package["previousPackageNumber"] = "370722150000000017"
    package["dateOfEstimatedDelivery"] = "02.10.2010"
    delivered = dict(package["eventSet"][0], status="DELIVERED", description="Sendingen er levert")
    delivered.update(dateIso="2010-10-02T14:01:00+02:00", recipientSignature={"name": "KARI"})
    package["eventSet"].insert(0, delivered)

    result = as_result(bring_tracking("SHIPMENTNUMBER", body))

    assert result.events[0].status_code == "delivery_delivered"
    assert result.signed_by == "KARI"
    assert result.estimated_delivery == "2010-10-02"
    assert result.linked_numbers == [LinkedTrackingNumber("370722150000000017", "no-post")]


@pytest.mark.parametrize(
    ("status", "text", "expected"),
    [
        ("DELIVERED", "Sendingen er utlevert", "delivery_delivered"),
        ("CUSTOMS", "Released by customs", "customs_cleared"),
        ("CUSTOMS", "Sendingen er hos tollvesenet", "customs_received"),
        ("INTERNATIONAL", "Arrived in destination country", "destination_arrival"),
        ("INTERNATIONAL", "zzz", None),
        ("RETURN", "Sendingen returneres", "exception_return"),
    ],
)
def test_bring_statuses_and_texts(status: str, text: str, expected: str | None) -> None:
    assert classify_event(status, text, "bring")[0] == expected


def test_bring_unknown_number_and_broken_answers() -> None:
    assert isinstance(bring_tracking("X", bring("not_found.json")), TrackingNumberNotFound)
    assert isinstance(bring_tracking("X", {"consignmentSet": []}), TrackingNumberNotFound)
    assert isinstance(bring_tracking("X", {"consignmentSet": {}}), CourierResponseInvalid)
    broken = bring("testpackage_at_pickup_point.json")
    broken["consignmentSet"][0]["packageSet"][0]["eventSet"][0]["dateIso"] = "01.10.2010"
    assert isinstance(bring_tracking("SHIPMENTNUMBER", broken), CourierResponseInvalid)


# --- PostNord -----------------------------------------------------------------------------


def test_postnord_captured_delivery() -> None:
    result = as_result(postnord_tracking("00370712345678901234", postnord("v5_delivered.json")))

    assert (result.courier_code, result.source_code) == ("postnord", "postnord-tracking")
    assert [e.carrier_status_code for e in result.events] == ["21", "z08", "1", "31", "68"]
    assert [e.status_code for e in result.events] == [
        "delivery_delivered",
        None,
        "delivery_available_for_pickup",
        None,
        "data_order_created",
    ]
    assert [e.order for e in result.events] == [5, 4, 3, 2, 1]
    # Nordic local times, no offset: kept local, never labelled UTC.
    assert result.events[0].occurrence_datetime == "2024-08-02T15:07:00"
    assert result.events[3].location == "SEGELTORP PAKETTERMINAL, SE"  # city within the name
    assert result.service == "PostNord MyPack Collect/Box"
    assert result.origin_country_code == "DK"  # consignor "DNK"
    assert result.estimated_delivery == "2024-08-02T15:07:00"


def test_postnord_signatory_and_courier_by_country() -> None:
    body = postnord("v5_delivered.json")
    body["TrackingInformationResponse"]["shipments"][0]["items"][0]["acceptor"] = {
        "name": "ANNA SVENSSON",
        "signatureReference": "abc",
    }
    body["TrackingInformationResponse"]["shipments"][0]["items"][0]["itemId"] = "UA123456785SE"

    result = as_result(postnord_tracking("UA123456785SE", body))

    assert result.signed_by == "ANNA SVENSSON"
    assert result.courier_code == "se-post"
    assert courier_code_of("RR123456785DK") == "dk-post"


@pytest.mark.parametrize(
    ("code", "status", "text", "expected"),
    [
        ("21", "OTHER", "whatever", "delivery_delivered"),  # a known code wins
        ("99", "RETURNED", "Försändelsen är på väg", "exception_return"),  # precise status
        ("99", "EN_ROUTE", "Försändelsen har levererats", "delivery_delivered"),  # Swedish text
        ("99", "EN_ROUTE", "Lähetys on toimitettu", "delivery_delivered"),  # Finnish text
        ("99", "DELIVERY_IMPOSSIBLE", "zzz", "delivery_exception"),  # text says nothing
    ],
)
def test_postnord_codes_statuses_and_texts(
    code: str, status: str, text: str, expected: str | None
) -> None:
    assert postnord_event(code, status, text, "se-post")[0] == expected


def test_postnord_not_found_and_faults() -> None:
    invalid = postnord_tracking("gfrgrg", postnord("invalid_identifier.json"))
    empty = postnord_tracking("UA000000005SE", postnord("empty.json"))
    locale = postnord("invalid_identifier.json")
    locale["TrackingInformationResponse"]["compositeFault"]["faults"][0]["faultCode"] = (
        "invalidLocale"
    )

    assert isinstance(invalid, TrackingNumberNotFound)
    assert "Identifier must be a valid" in str(invalid)
    assert isinstance(empty, TrackingNumberNotFound)
    assert isinstance(postnord_tracking("X", locale), CourierResponseInvalid)
    assert isinstance(postnord_tracking("X", {"shipments": []}), CourierResponseInvalid)


# --- Australia Post -----------------------------------------------------------------------


def test_auspost_documented_article_and_consignment() -> None:
    numbers = ["LX123456789US", "ET123456789AU", "7XX1000634011427"]
    outcomes = auspost_answer(numbers, auspost("track_items.json"))

    article = as_result(outcomes["LX123456789US"])
    assert (article.courier_code, article.source_code) == ("au-post", "auspost-tracking")
    assert [e.status_code for e in article.events] == [
        "delivery_delivered",
        "delivery_out_for_delivery",
        None,
        "destination_arrival",
        "customs_cleared",
        "transit_handover",
    ]
    assert article.events[0].occurrence_datetime == "2021-01-21T11:04:27+11:00"
    assert article.events[0].location == "KEW VIC"
    assert article.events[0].rule_id == "table:au-post:text:delivered"
    assert article.service == "International"
    consignment = as_result(outcomes["ET123456789AU"])
    assert [e.status_code for e in consignment.events] == [
        None,
        "transit_handover",
        "data_order_created",
    ]
    assert consignment.service == "International Express"
    # An id the answer left out is the carrier's fault, not "not found".
    assert isinstance(outcomes["7XX1000634011427"], CourierResponseInvalid)


def test_auspost_unknown_texts_go_to_the_normaliser_then_the_article_status() -> None:
    body = auspost("track_items.json")
    events = body["tracking_results"][0]["trackable_items"][0]["events"]
    events[0]["description"] = "Zorgle blep"  # nothing reads it: the article status does
    events[1]["description"] = "Item out for delivery"  # the normaliser reads it

    result = as_result(auspost_answer(["LX123456789US"], body)["LX123456789US"])

    assert result.events[0].status_code == "delivery_delivered"
    assert result.events[0].rule_id == "table:au-post:status:Delivered"
    assert result.events[1].status_code == "delivery_out_for_delivery"
    assert read_description("Zorgle blep") == (None, "unmatched")


def test_auspost_not_found_and_broken_answers() -> None:
    missing = auspost_answer(["7XX1000"], auspost("invalid_id.json"))["7XX1000"]
    assert isinstance(missing, TrackingNumberNotFound)
    assert "ESB-10001" in str(missing)
    broken = auspost("track_items.json")
    broken["tracking_results"][0]["trackable_items"][0]["events"][0]["date"] = "21/01/2021"
    assert isinstance(
        auspost_answer(["LX123456789US"], broken)["LX123456789US"], CourierResponseInvalid
    )
    assert isinstance(auspost_answer(["X"], {"tracking_results": {}})["X"], CourierResponseInvalid)

"""Pure parsing of PostNL ShippingStatus v2 answers into shiptrack's connector types.

``GET /shipment/v2/status/barcode/{barcode}?detail=true`` answers
``{"CompleteStatus": {"Shipment": …}}``: ``Shipment`` is an object for one parcel and an array
for a multi-collo shipment, ``Event`` an array or a single object, and empty values come as
``{}`` (an XML-to-JSON artefact), never as null. An unknown barcode is HTTP 200 with
``{"CompleteStatus": {}, "Warnings": [{"Code": "2", "Message": "No shipment found"}]}``.
Nothing here does I/O.

Decisions:

* ``TimeStamp`` is ``dd-MM-yyyy HH:mm:ss`` (sometimes with milliseconds) in Dutch local time
  with no offset: it stays a local time (PostNL does not document the zone, so none is made
  up); events are newest first and ``order`` counts from the oldest.
* ``Expectation.ETAFrom``/``ETATo`` is the delivery window and ``DeliveryDate`` the planned day.
* In a multi-collo answer the asked barcode's own shipment is read; the other parcels'
  barcodes and a different ``MainBarcode`` are linked numbers of PostNL.
* Receiver address (``AddressType`` 01) gives the destination country, post code and city;
  sender address (02) the origin country.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from shiptrack.couriers.connectors.fallback import decide
from shiptrack.couriers.connectors.parsing import (
    country_code,
    json_object,
    logistics_datetime,
    normalised_number,
    string_value,
    text_value,
)
from shiptrack.couriers.connectors.postnl.statuses import (
    EVENT_CODES,
    NOT_FOUND_WARNINGS,
    STATUS_CODES,
)
from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    CourierResponseInvalid,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
    TrackOutcome,
)

SOURCE_CODE = "postnl-tracking"
COURIER_CODE = "nl-post"
_STAMP = re.compile(r"^(\d{2})-(\d{2})-(\d{4}) (\d{2}:\d{2}:\d{2})(?:\.\d+)?$")


def as_list(value: object) -> list[Any]:
    """PostNL's one-or-many values: an object alone, a list as is, ``{}``/null as nothing."""
    if value is None or value == {}:
        return []
    return value if isinstance(value, list) else [value]


def timestamp(value: object) -> str | None:
    """``08-11-2022 10:13:20`` → ``2022-11-08T10:13:20`` (local, no offset); None if unreadable."""
    text = string_value(value)
    match = _STAMP.match(text) if text else None
    if match is None:
        return logistics_datetime(text)
    day, month, year, clock = match.groups()
    return logistics_datetime(f"{year}-{month}-{day}T{clock}")


def warning_codes(body: Mapping[str, Any]) -> set[str]:
    return {
        text_value(w.get("Code")) or ""
        for w in as_list(body.get("Warnings"))
        if isinstance(w, Mapping)
    }


def parse_status(number: str, body: object) -> TrackOutcome:
    """The outcome of one status answer (HTTP 200)."""
    try:
        answer = json_object(body, "PostNL answer")
        status = answer.get("CompleteStatus", answer.get("CurrentStatus"))
        shipments = as_list(json_object(status or {}, "CompleteStatus").get("Shipment"))
        if not shipments:
            if warning_codes(answer) & NOT_FOUND_WARNINGS:
                return TrackingNumberNotFound("PostNL: no shipment found")
            return CourierResponseInvalid("PostNL answer without a shipment or a warning")
        return _result(number, [json_object(s, "Shipment") for s in shipments])
    except CourierResponseInvalid as exc:
        return exc


def _own(number: str, shipments: list[dict[str, Any]]) -> dict[str, Any]:
    wanted = normalised_number(number)
    for shipment in shipments:
        if normalised_number(string_value(shipment.get("Barcode"))) == wanted:
            return shipment
    return shipments[0]


def _result(number: str, shipments: list[dict[str, Any]]) -> TrackingResult:
    shipment = _own(number, shipments)
    raw_events = as_list(shipment.get("Event"))
    total = len(raw_events)
    events = [_event(number, raw, total - i) for i, raw in enumerate(raw_events)]
    if not events:
        events = _status_events(number, shipment)
    expectation = shipment.get("Expectation")
    expectation = expectation if isinstance(expectation, Mapping) else {}
    receiver, sender = _address(shipment, "01"), _address(shipment, "02")
    return TrackingResult(
        tracking_number=number,
        courier_code=COURIER_CODE,
        source_code=SOURCE_CODE,
        events=events,
        origin_country_code=country_code(sender.get("CountryCode")),
        destination_country_code=country_code(receiver.get("CountryCode")),
        estimated_delivery=logistics_datetime(shipment.get("DeliveryDate")),
        estimated_delivery_from=logistics_datetime(expectation.get("ETAFrom")),
        estimated_delivery_to=logistics_datetime(expectation.get("ETATo")),
        service=string_value(shipment.get("ProductDescription")),
        linked_numbers=_linked(number, shipment, shipments),
        recipient_post_code=string_value(receiver.get("Zipcode")),
        recipient_city=string_value(receiver.get("City")),
    )


def _event(number: str, raw: object, order: int) -> CourierEvent:
    event = json_object(raw, "an Event")
    when = timestamp(event.get("TimeStamp"))
    if when is None:
        raise CourierResponseInvalid(f"Event TimeStamp {event.get('TimeStamp')!r} is unreadable")
    code = string_value(event.get("Code"))
    return _coded(
        number,
        when,
        code,
        string_value(event.get("Description")),
        EVENT_CODES,
        order,
        location=string_value(event.get("LocationCode")),
    )


def _status_events(number: str, shipment: Mapping[str, Any]) -> list[CourierEvent]:
    """Without events (``detail=false``), the current and old statuses, newest first."""
    statuses = [shipment.get("Status"), *as_list(shipment.get("OldStatus"))]
    found = [s for s in statuses if isinstance(s, Mapping) and timestamp(s.get("TimeStamp"))]
    total = len(found)
    return [
        _coded(
            number,
            timestamp(s.get("TimeStamp")) or "",
            text_value(s.get("StatusCode")),
            string_value(s.get("StatusDescription")),
            STATUS_CODES,
            total - i,
        )
        for i, s in enumerate(found)
    ]


def _coded(
    number: str,
    when: str,
    code: str | None,
    text: str | None,
    table: Mapping[str, str | None],
    order: int,
    *,
    location: str | None = None,
) -> CourierEvent:
    status_code, rule_id = decide(
        code in table,
        table.get(code or ""),
        text=text,
        courier_code=COURIER_CODE,
        carrier_code=code,
    )
    return CourierEvent(
        tracking_number=number,
        occurrence_datetime=when,
        status=text,
        status_code=status_code,
        location=location,
        courier_code=COURIER_CODE,
        source_code=SOURCE_CODE,
        carrier_status_code=code,
        order=order,
        rule_id=rule_id,
    )


def _address(shipment: Mapping[str, Any], kind: str) -> Mapping[str, Any]:
    for address in as_list(shipment.get("Address")):
        if isinstance(address, Mapping) and text_value(address.get("AddressType")) == kind:
            return address
    return {}


def _linked(
    number: str, shipment: Mapping[str, Any], shipments: list[dict[str, Any]]
) -> list[LinkedTrackingNumber]:
    seen = {normalised_number(number)}
    linked = []
    others = [s.get("Barcode") for s in shipments]
    for value in (shipment.get("MainBarcode"), *others):
        other = string_value(value)
        if other and normalised_number(other) not in seen:
            seen.add(normalised_number(other))
            linked.append(LinkedTrackingNumber(other, COURIER_CODE))
    return linked

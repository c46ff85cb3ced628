"""Pure parsing of PostNord Track & Trace answers into shiptrack's connector types.

``findByIdentifier`` (v5) and ``id/{id}/public`` (v7) answer the same envelope:
``{"TrackingInformationResponse": {"compositeFault"?, "shipments": [ShipmentDto]}}``; a
shipment holds ``items[]``, each item its ``events[]``. Nothing here does I/O.

Decisions:

* An empty ``shipments`` list, or an ``invalidIdentifier`` fault, is "not found"; any other
  fault is an invalid answer.
* The id may be a shipment id or an item id: an item id answers that item's events, a
  shipment id the events of every item (each once). PostNord lists them oldest first;
  they are sorted by time (``order`` counts from the oldest) and given newest first.
* ``eventTime`` has no offset (Nordic local time): kept local, never labelled UTC; an offset
  or ``Z``, when PostNord sends one, is kept as given.
* Status: the event code's entry when ``EVENT_CODES`` has one; else a precise item status
  (``DELIVERED``, ``RETURNED``…) stands, and a coarse one (``EN_ROUTE``…) lets the status
  normaliser read ``eventDescription`` first (see ``statuses``).
* ``acceptor.name`` is the signatory; ``estimatedTimeOfArrival`` (item, else shipment) the
  estimate; countries come from consignor and consignee (alpha-3 or alpha-2). PostNord gives
  no second carrier's number; its shipment and item ids name the same parcel and are not
  followed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shiptrack.couriers.connectors.fallback import decide, table_rule
from shiptrack.couriers.connectors.parsing import (
    json_list,
    json_object,
    logistics_datetime,
    normalised_number,
    string_value,
    text_value,
    unique_objects,
)
from shiptrack.couriers.connectors.postnord.statuses import (
    COUNTRY_COURIER_CODES,
    DEFAULT_COURIER_CODE,
    EVENT_CODES,
    ITEM_STATUSES,
    READ_TEXT_FIRST,
)
from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    CourierResponseInvalid,
    TrackingNumberNotFound,
    TrackingResult,
    TrackOutcome,
)
from shiptrack.couriers.countries import to_alpha2

SOURCE_CODE = "postnord-tracking"
NOT_FOUND_FAULTS = frozenset({"invalidIdentifier"})


def parse_tracking(number: str, body: object) -> TrackOutcome:
    """The outcome for ``number`` from a decoded Track & Trace answer."""
    try:
        envelope = json_object(
            json_object(body, "PostNord answer").get("TrackingInformationResponse"),
            "TrackingInformationResponse",
        )
        faults = _faults(envelope.get("compositeFault"))
        if faults:
            codes = {code for code, _ in faults}
            text = "; ".join(f"{code}: {explanation}" for code, explanation in faults)[:200]
            if codes <= NOT_FOUND_FAULTS:
                return TrackingNumberNotFound(f"PostNord {text}")
            return CourierResponseInvalid(f"PostNord fault {text}")
        shipments = json_list(envelope.get("shipments"), "shipments")
        if not shipments:
            return TrackingNumberNotFound("PostNord: no shipment with this id")
        return _result(number, json_object(shipments[0], "a shipment"))
    except CourierResponseInvalid as exc:
        return CourierResponseInvalid(f"PostNord answer breaks the documented format: {exc}")


def fault_text(body: object) -> str:
    """A short text from an error body (problem+json ``detail`` or ``compositeFault``)."""
    if not isinstance(body, Mapping):
        return ""
    if isinstance(body.get("detail"), str):
        return body["detail"][:200]
    try:
        faults = _faults(body.get("compositeFault"))
    except CourierResponseInvalid:
        return ""
    return "; ".join(f"{code}: {explanation}" for code, explanation in faults)[:200]


def courier_code_of(number: str) -> str:
    """PostNord's network by the item id's S10 country suffix, else ``postnord``."""
    suffix = normalised_number(number)[-2:]
    return COUNTRY_COURIER_CODES.get(suffix, DEFAULT_COURIER_CODE)


def _faults(composite: object) -> list[tuple[str, str]]:
    if composite is None:
        return []
    faults = json_list(json_object(composite, "compositeFault").get("faults"), "faults")
    return [
        (
            text_value(fault.get("faultCode")) or "fault",
            text_value(fault.get("explanationText")) or "",
        )
        for fault in (json_object(f, "a fault") for f in faults)
    ]


def _result(number: str, shipment: Mapping[str, Any]) -> TrackingResult:
    items = [json_object(i, "an item") for i in json_list(shipment.get("items"), "items")]
    wanted = normalised_number(number)
    chosen = [i for i in items if normalised_number(i.get("itemId")) == wanted] or items
    courier = courier_code_of(number)
    raw_events = unique_objects(
        (raw for item in chosen for raw in json_list(item.get("events"), "events")),
        ("eventTime", "eventCode", "eventDescription"),
        "an event",
    )
    raw_events.sort(key=lambda raw: str(raw.get("eventTime") or ""))  # local times: stable
    events = [_event(number, courier, raw, order=i) for i, raw in enumerate(raw_events, 1)]
    events.reverse()  # newest first, as the other carriers list them
    first = chosen[0] if chosen else {}
    acceptor = first.get("acceptor")
    service = shipment.get("service")
    return TrackingResult(
        tracking_number=number,
        courier_code=courier,
        source_code=SOURCE_CODE,
        events=events,
        origin_country_code=_party_country(shipment.get("consignor")),
        destination_country_code=_party_country(shipment.get("consignee")),
        estimated_delivery=logistics_datetime(first.get("estimatedTimeOfArrival"))
        or logistics_datetime(shipment.get("estimatedTimeOfArrival")),
        service=string_value(service.get("name")) if isinstance(service, Mapping) else None,
        signed_by=string_value(acceptor.get("name")) if isinstance(acceptor, Mapping) else None,
    )


def _event(number: str, courier: str, raw: Mapping[str, Any], *, order: int) -> CourierEvent:
    when = logistics_datetime(raw.get("eventTime"))
    if when is None:
        raise CourierResponseInvalid(f"eventTime {raw.get('eventTime')!r} is not a date-time")
    code = text_value(raw.get("eventCode"))
    status = string_value(raw.get("status"))
    text = string_value(raw.get("eventDescription"))
    status_code, rule_id = classify_event(code, status, text, courier)
    location = raw.get("location")
    return CourierEvent(
        tracking_number=number,
        occurrence_datetime=when,
        status=text,
        status_code=status_code,
        location=_location(location) if isinstance(location, Mapping) else None,
        courier_code=courier,
        source_code=SOURCE_CODE,
        carrier_status_code=code,
        order=order,
        rule_id=rule_id,
    )


def classify_event(
    code: str | None, status: str | None, text: str | None, courier: str
) -> tuple[str | None, str]:
    """``(statusCode, rule id)`` of one event: its code, a precise status, else the text."""
    if code in EVENT_CODES:
        return EVENT_CODES[code], table_rule(courier, code)  # type: ignore[index]
    coded = status in ITEM_STATUSES
    status_rule = table_rule(courier, f"status:{status}")
    if coded and status not in READ_TEXT_FIRST:
        return ITEM_STATUSES[status], status_rule  # type: ignore[index]
    result, rule = decide(False, None, text=text, courier_code=courier, carrier_code=code)
    if result is None and coded:
        return ITEM_STATUSES[status], status_rule  # type: ignore[index]
    return result, rule


def _location(location: Mapping[str, Any]) -> str | None:
    name = string_value(location.get("displayName")) or string_value(location.get("name"))
    city = string_value(location.get("city"))
    country = to_alpha2(string_value(location.get("countryCode")) or "")
    parts = [name] if name else []
    if city and (not name or city.upper() not in name.upper()):
        parts.append(city)
    if country:
        parts.append(country)
    return ", ".join(parts) or None


def _party_country(party: object) -> str | None:
    if not isinstance(party, Mapping):
        return None
    address = party.get("address")
    code = address.get("countryCode") if isinstance(address, Mapping) else None
    return to_alpha2(code) if isinstance(code, str) else None

"""Pure parsing of Bring Tracking API v2 answers into shiptrack's connector types.

``GET /tracking/api/v2/tracking.json?q=<number>`` answers ``{"apiVersion": "2",
"consignmentSet": [consignment]}``; a consignment holds ``packageSet[]``, each package its
``eventSet[]`` (newest first). An unknown number is a consignment with only ``error{code,
message}``. Nothing here does I/O.

Decisions:

* ``q`` may be a consignment (shipment) number, a package number or a reference. A package
  number answers that package's events; any other number answers the events of every package
  of the consignment (one package: its events; several: all, each once).
* ``dateIso`` carries the local offset (``2010-10-01T08:30:25+02:00``): kept as given.
* Statuses come from Bring's table; ``INTERNATIONAL``, ``CUSTOMS``, ``DEVIATION`` and
  ``UNKNOWN`` say too little, so the status normaliser reads the description first
  (``READ_TEXT_FIRST``) and the table's entry stands when the text says nothing known.
* ``recipientSignature.name`` of the delivery is the signatory; ``dateOfEstimatedDelivery``
  the estimate; ``previousPackageNumber``/``previousConsignmentId`` (the number before a
  re-labelling) are linked numbers. The consignment of a tracked package is not: following it
  would bring the same events again under another number.
* The origin country is the country of the oldest scan that names one (Bring's public answer
  has no sender country); the destination is the recipient address's country.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from shiptrack.couriers.connectors.bring.statuses import (
    BRAND_COURIER_CODES,
    DEFAULT_COURIER_CODE,
    EVENT_STATUSES,
    READ_TEXT_FIRST,
)
from shiptrack.couriers.connectors.fallback import decide, table_rule
from shiptrack.couriers.connectors.parsing import (
    country_code,
    json_list,
    json_object,
    logistics_datetime,
    normalised_number,
    string_value,
    text_value,
    unique_objects,
)
from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    CourierResponseInvalid,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
    TrackOutcome,
)

SOURCE_CODE = "bring-tracking"


def parse_tracking(number: str, body: object) -> TrackOutcome:
    """The outcome for ``number`` from a decoded ``tracking.json`` answer."""
    try:
        consignments = json_list(json_object(body, "Bring answer").get("consignmentSet"), "set")
        if not consignments:
            return TrackingNumberNotFound("Bring: empty consignmentSet")
        consignment = json_object(consignments[0], "a consignment")
        error = consignment.get("error")
        if isinstance(error, Mapping):
            code, message = text_value(error.get("code")), string_value(error.get("message"))
            return TrackingNumberNotFound(f"Bring {code or ''}: {message or 'not found'}"[:200])
        return _result(number, consignment)
    except CourierResponseInvalid as exc:
        return CourierResponseInvalid(f"Bring answer breaks the documented format: {exc}")


def courier_code_of(package: Mapping[str, Any]) -> str:
    """Ship24 courier code of a package's ``brand`` (Posten or Bring)."""
    brand = (string_value(package.get("brand")) or "").upper()
    return BRAND_COURIER_CODES.get(brand, DEFAULT_COURIER_CODE)


def _result(number: str, consignment: Mapping[str, Any]) -> TrackingResult:
    packages = [json_object(p, "a package") for p in json_list(consignment.get("packageSet"), "")]
    wanted = normalised_number(number)
    chosen = [p for p in packages if normalised_number(p.get("packageNumber")) == wanted]
    chosen = chosen or packages
    first = chosen[0] if chosen else {}
    courier = courier_code_of(first)
    raw_events = _unique(e for p in chosen for e in json_list(p.get("eventSet"), "eventSet"))
    total = len(raw_events)
    events = [_event(number, courier, raw, order=total - i) for i, raw in enumerate(raw_events)]
    signed = next((_signatory(raw) for raw in raw_events if raw.get("status") == "DELIVERED"), None)
    address = first.get("recipientAddress")
    address = address if isinstance(address, Mapping) else {}
    return TrackingResult(
        tracking_number=number,
        courier_code=courier,
        source_code=SOURCE_CODE,
        events=events,
        origin_country_code=next(
            (
                country_code(raw.get("countryCode"))
                for raw in reversed(raw_events)
                if country_code(raw.get("countryCode"))
            ),
            None,
        ),
        destination_country_code=country_code(address.get("countryCode")),
        estimated_delivery=_date(first.get("dateOfEstimatedDelivery")),
        service=string_value(first.get("productName")),
        signed_by=signed,
        linked_numbers=_linked(number, consignment, chosen, courier),
        recipient_post_code=string_value(address.get("postalCode")),
        recipient_city=string_value(address.get("city")),
    )


def _unique(raw_events: Any) -> list[Mapping[str, Any]]:
    unique = unique_objects(raw_events, ("dateIso", "status", "description"), "an event")
    unique.sort(key=_instant, reverse=True)  # stable: one package keeps Bring's order
    return unique


def _instant(event: Mapping[str, Any]) -> dt.datetime:
    """When an event happened, for ordering several packages' events (newest first)."""
    try:
        when = dt.datetime.fromisoformat(str(event.get("dateIso")))
    except ValueError:
        value = event.get("dateIso")
        raise CourierResponseInvalid(f"dateIso {value!r} is not a date-time") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _event(number: str, courier: str, raw: Mapping[str, Any], *, order: int) -> CourierEvent:
    when = logistics_datetime(raw.get("dateIso"))
    if when is None:
        raise CourierResponseInvalid(f"dateIso {raw.get('dateIso')!r} is not a date-time")
    status = string_value(raw.get("status"))
    text = string_value(raw.get("description"))
    status_code, rule_id = classify_event(status, text, courier)
    return CourierEvent(
        tracking_number=number,
        occurrence_datetime=when,
        status=text,
        status_code=status_code,
        location=_location(raw),
        courier_code=courier,
        source_code=SOURCE_CODE,
        carrier_status_code=status,
        order=order,
        rule_id=rule_id,
    )


def classify_event(status: str | None, text: str | None, courier: str) -> tuple[str | None, str]:
    """``(statusCode, rule id)`` of one event from Bring's ``status`` and its description."""
    known = status in EVENT_STATUSES
    if known and status not in READ_TEXT_FIRST:
        return EVENT_STATUSES[status], table_rule(courier, status)  # type: ignore[index]
    code, rule = decide(False, None, text=text, courier_code=courier, carrier_code=status)
    if code is None and known:
        return EVENT_STATUSES[status], table_rule(courier, status)  # type: ignore[index]
    return code, rule


def _location(raw: Mapping[str, Any]) -> str | None:
    city = string_value(raw.get("city"))
    postal = text_value(raw.get("postalCode"))
    country = country_code(raw.get("countryCode"))
    place = " ".join(part for part in (postal, city) if part)
    return ", ".join(part for part in (place, country) if part) or None


def _signatory(raw: Mapping[str, Any]) -> str | None:
    signature = raw.get("recipientSignature")
    return string_value(signature.get("name")) if isinstance(signature, Mapping) else None


def _date(value: object) -> str | None:
    """``dateOfEstimatedDelivery``: ISO (with or without time) or Bring's ``dd.MM.yyyy``."""
    text = string_value(value)
    if text and len(text) == 10 and text[2] == "." and text[5] == ".":
        text = f"{text[6:]}-{text[3:5]}-{text[:2]}"
    return logistics_datetime(text)


def _linked(
    number: str,
    consignment: Mapping[str, Any],
    packages: list[Mapping[str, Any]],
    courier: str,
) -> list[LinkedTrackingNumber]:
    candidates = [string_value(consignment.get("previousConsignmentId"))]
    candidates += [string_value(p.get("previousPackageNumber")) for p in packages]
    seen = {normalised_number(number)}
    linked: list[LinkedTrackingNumber] = []
    for candidate in candidates:
        if candidate and normalised_number(candidate) not in seen:
            seen.add(normalised_number(candidate))
            linked.append(LinkedTrackingNumber(candidate, courier))
    return linked

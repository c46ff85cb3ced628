"""Pure parsing of La Poste Suivi v2 answers into shiptrack's connector types.

``GET /suivi/v2/idships/{id1,id2,…}`` answers one JSON object (one id) or an array of them
(several ids, HTTP 207), each with its own ``returnCode``: one answer may mix found and unknown
numbers, so every number gets its own outcome. Nothing here does I/O.

Decisions:

* La Poste dates carry their offset (``2023-03-21T10:23:00+01:00``): kept as given, never
  converted to UTC.
* ``shipment.event`` is anti-chronological; ``order`` counts from the oldest (lower = older).
* The operator (``holder``: Courrier, Chronopost, Colissimo) is the courier code of every
  event; a partner's reference (``contextData.partner.reference``) is a linked number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shiptrack.couriers.connectors.fallback import decide
from shiptrack.couriers.connectors.laposte.statuses import (
    DEFAULT_COURIER_CODE,
    EVENT_CODES,
    HOLDER_COURIER_CODES,
    PARTNER_COURIER_CODES,
    PRODUCT_COURIER_CODES,
    RETURN_CODES,
)
from shiptrack.couriers.connectors.parsing import (
    country_code,
    logistics_datetime,
    normalised_number,
    string_value,
)
from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    CourierResponseInvalid,
    CourierUnavailable,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
    TrackOutcome,
)

SOURCE_CODE = "laposte-tracking"


class _Invalid(Exception):
    """The body breaks the documented format (becomes CourierResponseInvalid)."""


def parse_answer(numbers: Sequence[str], body: Any) -> dict[str, TrackOutcome]:
    """One outcome per asked number from a decoded answer (object or array of objects)."""
    if isinstance(body, Mapping):
        items: list[Any] = [body]
    elif isinstance(body, list):
        items = body
    else:
        error = CourierResponseInvalid("La Poste answer is neither an object nor an array")
        return dict.fromkeys(numbers, error)
    if not all(isinstance(item, Mapping) for item in items):
        error = CourierResponseInvalid("La Poste answer holds a non-object item")
        return dict.fromkeys(numbers, error)
    by_id = {normalised_number(_item_id(item)): item for item in items if _item_id(item)}
    outcomes: dict[str, TrackOutcome] = {}
    for index, number in enumerate(numbers):
        item = by_id.get(normalised_number(number))
        if item is None and len(items) == len(numbers) and not _item_id(items[index]):
            item = items[index]  # no id in the item: trust the position
        if item is None:
            outcomes[number] = CourierResponseInvalid("La Poste gave no answer for this number")
        else:
            outcomes[number] = parse_item(number, item)
    return outcomes


def parse_item(number: str, item: Mapping[str, Any]) -> TrackOutcome:
    """The outcome of one unitary answer ``{returnCode, returnMessage?, shipment?}``."""
    code = item.get("returnCode")
    if code is None and isinstance(item.get("shipment"), Mapping):
        code = 200
    if isinstance(code, str) and code.isdigit():
        code = int(code)
    kind = RETURN_CODES.get(code) if isinstance(code, int) else None
    message = string_value(item.get("returnMessage")) or f"returnCode {code}"
    if kind == "not_found":
        return TrackingNumberNotFound(f"La Poste {code}: {message}"[:200])
    if kind == "unavailable":
        return CourierUnavailable(f"La Poste {code}: {message}"[:200])
    if kind != "found":
        return CourierResponseInvalid(f"unexpected La Poste returnCode {code!r}")
    shipment = item.get("shipment")
    if not isinstance(shipment, Mapping):
        return CourierResponseInvalid(f"La Poste returnCode {code} without a shipment")
    try:
        return _result(number, shipment)
    except _Invalid as exc:
        return CourierResponseInvalid(f"La Poste shipment breaks the documented format: {exc}")


def courier_code_of(shipment: Mapping[str, Any]) -> str:
    """Ship24 courier code of the operator: ``holder``, else the product's name."""
    holder = shipment.get("holder")
    if isinstance(holder, int | float) and int(holder) in HOLDER_COURIER_CODES:
        return HOLDER_COURIER_CODES[int(holder)]
    product = (string_value(shipment.get("product")) or "").lower()
    for word, courier in PRODUCT_COURIER_CODES:
        if word in product:
            return courier
    return DEFAULT_COURIER_CODE


def _result(number: str, shipment: Mapping[str, Any]) -> TrackingResult:
    courier = courier_code_of(shipment)
    raw_events = shipment.get("event")
    if raw_events is None:
        raw_events = []
    if not isinstance(raw_events, list):
        raise _Invalid("'event' is not a list")
    total = len(raw_events)
    events = [_event(number, courier, raw, order=total - i) for i, raw in enumerate(raw_events)]
    context = shipment.get("contextData")
    if context is None:
        context = {}
    if not isinstance(context, Mapping):
        raise _Invalid("'contextData' is not an object")
    return TrackingResult(
        tracking_number=number,
        courier_code=courier,
        source_code=SOURCE_CODE,
        events=events,
        origin_country_code=country_code(context.get("originCountry")),
        destination_country_code=country_code(context.get("arrivalCountry")),
        estimated_delivery=logistics_datetime(shipment.get("estimDate")),
        estimated_delivery_from=logistics_datetime(shipment.get("estimHourMin")),
        estimated_delivery_to=logistics_datetime(shipment.get("estimHourMax")),
        service=string_value(shipment.get("product")),
        linked_numbers=_linked(number, shipment, context, courier),
    )


def _event(number: str, courier: str, raw: object, *, order: int) -> CourierEvent:
    if not isinstance(raw, Mapping):
        raise _Invalid("an event is not an object")
    when = logistics_datetime(raw.get("date"))
    if when is None:
        raise _Invalid(f"event date {raw.get('date')!r} is not a date-time")
    code = string_value(raw.get("code"))
    label = string_value(raw.get("label"))
    status_code, rule_id = decide(
        code in EVENT_CODES,
        EVENT_CODES.get(code) if code else None,
        text=label,
        courier_code=courier,
        carrier_code=code,
    )
    return CourierEvent(
        tracking_number=number,
        occurrence_datetime=when,
        status=label,
        status_code=status_code,
        location=None,
        courier_code=courier,
        source_code=SOURCE_CODE,
        carrier_status_code=code,
        order=order,
        rule_id=rule_id,
    )


def _linked(
    number: str, shipment: Mapping[str, Any], context: Mapping[str, Any], courier: str
) -> list[LinkedTrackingNumber]:
    linked: list[LinkedTrackingNumber] = []
    own_id = string_value(shipment.get("idShip"))
    if own_id and normalised_number(own_id) != normalised_number(number):
        linked.append(LinkedTrackingNumber(own_id, courier))
    partner = context.get("partner")
    if isinstance(partner, Mapping):
        reference = string_value(partner.get("reference"))
        if reference and normalised_number(reference) not in {
            normalised_number(number),
            normalised_number(own_id),
        }:
            linked.append(LinkedTrackingNumber(reference, _partner_courier(partner)))
    return linked


def _partner_courier(partner: Mapping[str, Any]) -> str | None:
    words = " ".join(string_value(partner.get(k)) or "" for k in ("name", "network")).lower()
    return next((code for word, code in PARTNER_COURIER_CODES if word in words), None)


def _item_id(item: Mapping[str, Any]) -> str | None:
    shipment = item.get("shipment")
    if isinstance(shipment, Mapping) and string_value(shipment.get("idShip")):
        return string_value(shipment.get("idShip"))
    return string_value(item.get("idShip"))

"""FedEx Track API JSON (``POST /track/v1/trackingnumbers``) → one outcome per number.

Pure functions. The answer is ``{"transactionId", "output": {"completeTrackResults": [...]}}``
with one ``completeTrackResult`` per requested number; each holds ``trackResults``, usually
one, several when FedEx reused the number over the years (distinct
``trackingNumberUniqueId``s: the most recent shipment is used). A number FedEx does not know
is a ``trackResult`` carrying ``error: {"code": "TRACKING.TRACKINGNUMBER.NOTFOUND"}`` inside a
200, so one unknown number never hides the others' results.

``scanEvents`` are newest first and their ``date`` is the local time with its offset
(``2018-02-02T12:01:00-07:00``): kept as it is. Estimated delivery dates given as a midnight
(``…T00:00:00-06:00``) are dates and are reported as such.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from shiptrack.couriers.connectors.fallback import decide
from shiptrack.couriers.connectors.fedex.statuses import EVENT_TYPES, status_code_for
from shiptrack.couriers.connectors.parsing import json_list, json_object, text_value
from shiptrack.couriers.connectors.protocol import (
    CourierError,
    CourierEvent,
    CourierResponseInvalid,
    CourierUnavailable,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
)

SOURCE_CODE = "fedex-tracking"
COURIER_CODE = "fedex"

_ISO = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(?P<zone>Z|[+-]\d{2}:?\d{2})?)?$"
)

#: Package identifier types that are another tracking number of the same parcel → its courier.
LINK_TYPES: dict[str, str] = {
    # FedEx Ground Economy (SmartPost) hands the last mile to USPS.
    "PARTNER_CARRIER_NUMBER": "us-post",
    "RETURNED_TO_SHIPPER_TRACKING_NUMBER": COURIER_CODE,
    "REROUTE_TRACKING_NUMBER": COURIER_CODE,
    "OUTBOUND_LINK_TO_RETURN": COURIER_CODE,
    "COD_RETURN_TRACKING_NUMBER": COURIER_CODE,
}


def _obj(value: object, where: str) -> dict[str, Any]:
    return json_object(value, f"FedEx {where}")


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object, where: str) -> list[Any]:
    return json_list(value, f"FedEx {where}")


def logistics_datetime(value: str | None, *, midnight_is_date: bool = False) -> str | None:
    """A FedEx ISO date-time as a logistics date-time (offset kept, fractions dropped)."""
    match = _ISO.match((value or "").strip())
    if match is None:
        return None
    if match["time"] is None:
        return match["date"]
    clock = match["time"] if len(match["time"]) == 8 else match["time"] + ":00"
    if midnight_is_date and clock == "00:00:00":
        return match["date"]
    zone = match["zone"] or ""
    if zone and zone != "Z" and ":" not in zone:
        zone = f"{zone[:3]}:{zone[3:]}"
    return f"{match['date']}T{clock}{zone}"


def _sort_key(value: str | None) -> dt.datetime:
    """An approximate instant for choosing the most recent of reused-number results."""
    match = _ISO.match((value or "").strip())
    if match is None:
        return dt.datetime.min
    text = match["date"] + "T" + (match["time"] or "00:00")
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime.min


_Parts = tuple[str | None, str | None, str | None, str | None]


def _address_parts(address: dict[str, Any]) -> _Parts:
    country = text_value(address.get("countryCode"))
    return (
        text_value(address.get("city")),
        text_value(address.get("stateOrProvinceCode")),
        text_value(address.get("postalCode")),
        country.upper() if country else None,
    )


def _location(address: object) -> str | None:
    city, state, postal_code, country = _address_parts(_dict(address))
    state_zip = " ".join(part for part in (state, postal_code) if part)
    text = ", ".join(part for part in (city, state_zip or None, country) if part)
    return text or None


def _event_text(event: dict[str, Any]) -> str | None:
    description = text_value(event.get("eventDescription")) or text_value(
        event.get("derivedStatus")
    )
    exception = text_value(event.get("exceptionDescription"))
    if exception and description and exception.lower() != description.lower():
        return f"{description}: {exception}"
    return exception or description


def _addresses(result: dict[str, Any], *paths: tuple[str, ...]) -> dict[str, Any]:
    for path in paths:
        node: object = result
        for key in path:
            node = _dict(node).get(key)
        if isinstance(node, dict) and node:
            return node
    return {}


def _origin(result: dict[str, Any]) -> dict[str, Any]:
    return _addresses(
        result,
        ("originLocation", "locationContactAndAddress", "address"),
        ("shipperInformation", "address"),
    )


def _destination(result: dict[str, Any]) -> dict[str, Any]:
    return _addresses(
        result,
        ("recipientInformation", "address"),
        ("destinationLocation", "locationContactAndAddress", "address"),
        ("lastUpdatedDestinationAddress",),
    )


def _estimates(result: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(estimated delivery, window from, window to)."""
    dates: dict[str, str] = {}
    for entry in _list(result.get("dateAndTimes"), "dateAndTimes"):
        entry = _dict(entry)
        kind, value = text_value(entry.get("type")), text_value(entry.get("dateTime"))
        if kind and value:
            dates.setdefault(kind.upper(), value)
    window = _dict(_dict(result.get("estimatedDeliveryTimeWindow")).get("window"))
    window_from = logistics_datetime(text_value(window.get("begins")))
    window_to = logistics_datetime(text_value(window.get("ends")))
    if not (window_from and window_to):
        window_from = window_to = None
    standard = _dict(_dict(result.get("standardTransitTimeWindow")).get("window"))
    estimate = (
        logistics_datetime(dates.get("ESTIMATED_DELIVERY"), midnight_is_date=True)
        or window_to
        or logistics_datetime(dates.get("APPOINTMENT_DELIVERY"), midnight_is_date=True)
        or logistics_datetime(dates.get("COMMITMENT"), midnight_is_date=True)
        or logistics_datetime(text_value(standard.get("ends")), midnight_is_date=True)
    )
    return estimate, window_from, window_to


def _linked(number: str, result: dict[str, Any]) -> list[LinkedTrackingNumber]:
    additional = _dict(result.get("additionalTrackingInfo"))
    seen = {number.upper()}
    linked: list[LinkedTrackingNumber] = []
    for identifier in _list(additional.get("packageIdentifiers"), "packageIdentifiers"):
        identifier = _dict(identifier)
        courier = LINK_TYPES.get((text_value(identifier.get("type")) or "").upper())
        if courier is None:
            continue
        raw_values = identifier.get("values")
        values = raw_values if isinstance(raw_values, list) else [identifier.get("value")]
        for value in values:
            other = text_value(value)
            if other is None or other.upper() in seen:
                continue
            seen.add(other.upper())
            linked.append(LinkedTrackingNumber(other, courier))
    return linked


def _events(number: str, result: dict[str, Any]) -> list[CourierEvent]:
    scans = _list(result.get("scanEvents"), "scanEvents")
    events: list[CourierEvent] = []
    for index, raw in enumerate(scans):
        scan = _obj(raw, "scan event")
        when = logistics_datetime(text_value(scan.get("date")))
        if when is None:
            raise CourierResponseInvalid("FedEx scan event has no usable date")
        event_type = text_value(scan.get("eventType")) or text_value(scan.get("derivedStatusCode"))
        text = _event_text(scan)
        status_code, rule_id = decide(
            (event_type or "").strip().upper() in EVENT_TYPES,
            status_code_for(event_type, text_value(scan.get("exceptionCode"))),
            text=text,
            courier_code=COURIER_CODE,
            carrier_code=event_type.upper() if event_type else None,
        )
        events.append(
            CourierEvent(
                tracking_number=number,
                occurrence_datetime=when,
                status=text,
                status_code=status_code,
                location=_location(scan.get("scanLocation")),
                courier_code=COURIER_CODE,
                source_code=SOURCE_CODE,
                carrier_status_code=event_type.upper() if event_type else None,
                order=len(scans) - index,
                rule_id=rule_id,
            )
        )
    events.reverse()
    return events


def _result(number: str, result: dict[str, Any]) -> TrackingResult:
    origin, destination = _origin(result), _destination(result)
    delivery = _dict(result.get("deliveryDetails"))
    service = _dict(result.get("serviceDetail"))
    estimate, window_from, window_to = _estimates(result)
    destination_parts = _address_parts(destination)
    return TrackingResult(
        tracking_number=number,
        courier_code=COURIER_CODE,
        source_code=SOURCE_CODE,
        events=_events(number, result),
        origin_country_code=_address_parts(origin)[3],
        destination_country_code=destination_parts[3],
        estimated_delivery=estimate,
        estimated_delivery_from=window_from,
        estimated_delivery_to=window_to,
        service=text_value(service.get("description"))
        or text_value(service.get("descripition"))  # sic, in FedEx's own schema
        or text_value(service.get("shortDescription")),
        signed_by=text_value(delivery.get("signedByName"))
        or text_value(delivery.get("receivedByName")),
        linked_numbers=_linked(number, result),
        recipient_post_code=destination_parts[2],
        recipient_city=destination_parts[0],
    )


def _error_outcome(error: dict[str, Any]) -> CourierError:
    code = (text_value(error.get("code")) or "").upper()
    message = text_value(error.get("message")) or code
    if "NOTFOUND" in code or "INVALID" in code:
        return TrackingNumberNotFound(f"FedEx: {code}: {message}")
    if "UNAVAILABLE" in code:
        return CourierUnavailable(f"FedEx: {code}: {message}")
    return CourierResponseInvalid(f"FedEx: {code}: {message}")


def _latest(result: dict[str, Any]) -> dt.datetime:
    scans = result.get("scanEvents")
    if isinstance(scans, list) and scans and isinstance(scans[0], dict):
        return _sort_key(text_value(scans[0].get("date")))
    return dt.datetime.min


def _outcome(number: str, complete: dict[str, Any]) -> TrackingResult | CourierError:
    results = [_obj(r, "trackResult") for r in _list(complete.get("trackResults"), "trackResults")]
    usable = [r for r in results if not r.get("error")]
    if usable:
        return _result(number, max(usable, key=_latest))
    if results:
        return _error_outcome(_dict(results[0].get("error")))
    raise CourierResponseInvalid("FedEx completeTrackResult has no trackResults")


def errors_of(body: object) -> list[tuple[str, str]]:
    """(code, message) of a FedEx error body ``{"transactionId", "errors": [...]}``."""
    errors = _dict(body).get("errors")
    pairs = []
    for error in errors if isinstance(errors, list) else []:
        error = _dict(error)
        pairs.append((text_value(error.get("code")) or "", text_value(error.get("message")) or ""))
    return pairs


def error_detail(body: object) -> str:
    return "; ".join(f"{code}: {message}" for code, message in errors_of(body))


def parse_track_response(
    numbers: Sequence[str], body: object
) -> dict[str, TrackingResult | CourierError]:
    """A FedEx Track API body → one outcome for each requested number.

    Raises ``CourierResponseInvalid`` when the body as a whole breaks the documented format;
    a number the answer does not mention gets ``CourierResponseInvalid`` of its own.
    """
    data = _obj(body, "tracking answer")
    if "output" not in data:
        pairs = errors_of(data)
        if pairs and all("NOTFOUND" in code.upper() for code, _ in pairs):
            return {n: TrackingNumberNotFound(f"FedEx: {error_detail(data)}") for n in numbers}
        raise CourierResponseInvalid(f"FedEx answer without output {error_detail(data)}".strip())
    output = _obj(data["output"], "output")
    found: dict[str, dict[str, Any]] = {}
    for complete in _list(output.get("completeTrackResults"), "completeTrackResults"):
        complete = _obj(complete, "completeTrackResult")
        tracking_number = (text_value(complete.get("trackingNumber")) or "").upper()
        found.setdefault(tracking_number, complete)
    outcomes: dict[str, TrackingResult | CourierError] = {}
    for number in numbers:
        complete_result = found.get(number.replace(" ", "").upper())
        if complete_result is None:
            outcomes[number] = CourierResponseInvalid("FedEx answer omitted this number")
            continue
        try:
            outcomes[number] = _outcome(number, complete_result)
        except CourierResponseInvalid as exc:  # one broken result spoils only its number
            outcomes[number] = exc
    return outcomes

"""USPS Tracking v3 JSON (``GET /tracking/v3/tracking/{n}?expand=DETAIL``) → ``TrackingResult``.

Pure functions. The answer is one ``TrackingDetails`` object per number; its
``trackingEvents`` list is newest first. Each event carries the local wall-clock time of the
scan (``eventTimestamp``), the same instant in GMT (``GMTTimestamp``) and the local offset
(``GMTOffset``, ``-05:00``; the OpenAPI example writes ``-7:00``). Event times are kept local:
with the offset when USPS gives it (or when it follows from the GMT timestamp), without one
otherwise; a ``Z`` that some answers put on ``eventTimestamp`` is not trusted, because the
field is documented as the local time (reading it as UTC would shift every scan by hours).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from shiptrack.couriers.connectors.fallback import decide
from shiptrack.couriers.connectors.parsing import (
    MAX_OFFSET,
    format_offset,
    json_object,
    offset_from_gmt,
    text_value,
)
from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    CourierResponseInvalid,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.connectors.usps.statuses import STATUS_CODES, status_code_for

SOURCE_CODE = "usps-tracking"
COURIER_CODE = "us-post"

_ISO = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(?P<zone>Z|[+-]\d{1,2}:?\d{2})?)?$"
)
_OFFSET = re.compile(r"^(?P<sign>[+-])?(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?$")
_TAG = re.compile(r"<[^>]*>")


def _obj(value: object, where: str) -> dict[str, Any]:
    return json_object(value, f"USPS {where}")


def _split_iso(value: str | None) -> tuple[dt.date, dt.time | None, str | None] | None:
    if not value:
        return None
    match = _ISO.match(value)
    if match is None:
        return None
    try:
        date = dt.date.fromisoformat(match["date"])
        clock = dt.time.fromisoformat(match["time"]) if match["time"] else None
    except ValueError:
        return None
    return date, clock, match["zone"]


def _offset(value: str | None) -> dt.timedelta | None:
    if not value:
        return None
    match = _OFFSET.match(value.strip())
    if match is None:
        return None
    delta = dt.timedelta(hours=int(match["h"]), minutes=int(match["m"] or 0))
    if match["sign"] == "-":
        delta = -delta
    return delta if abs(delta) <= MAX_OFFSET else None


def event_datetime(event: dict[str, Any]) -> str:
    """The logistics date-time of one USPS scan (see the module docstring)."""
    local = _split_iso(text_value(event.get("eventTimestamp")))
    gmt = _split_iso(text_value(event.get("GMTTimestamp")))
    if local is not None:
        date, clock, zone = local
        if clock is None:
            return date.isoformat()
        wall = dt.datetime.combine(date, clock)
        offset = _offset(text_value(event.get("GMTOffset")))
        if offset is None and zone not in (None, "Z"):
            offset = _offset(zone)
        if offset is None and gmt is not None and gmt[1] is not None:
            offset = offset_from_gmt(wall, dt.datetime.combine(gmt[0], gmt[1]))
        text = wall.isoformat(timespec="seconds")
        return text + format_offset(offset) if offset is not None else text
    if gmt is not None:
        date, clock, _ = gmt
        if clock is None:
            return date.isoformat()
        return dt.datetime.combine(date, clock).isoformat(timespec="seconds") + "Z"
    raise CourierResponseInvalid("USPS tracking event has no usable eventTimestamp")


def _location(event: dict[str, Any]) -> str | None:
    state_zip = " ".join(
        part
        for part in (text_value(event.get("eventState")), text_value(event.get("eventZIP")))
        if part
    )
    parts = [
        text_value(event.get("eventCity")),
        state_zip or None,
        text_value(event.get("eventCountry")),
    ]
    text = ", ".join(part for part in parts if part)
    return text or None


def _service(mail_class: str | None) -> str | None:
    """``USPS Ground Advantage<SUP>&#153;</SUP>`` → ``USPS Ground Advantage™``;
    ``PRIORITY_MAIL`` (the OpenAPI enum form) → ``Priority Mail``."""
    if not mail_class:
        return None
    text = html.unescape(_TAG.sub("", mail_class)).strip()
    if re.fullmatch(r"[A-Z0-9_-]+", text) and "_" in text:
        words = [w if w == "USPS" else w.capitalize() for w in text.split("_")]
        text = " ".join(words).replace("First-class", "First-Class")
    return text or None


def _local_estimate(value: str | None) -> str | None:
    parsed = _split_iso(value)
    if parsed is None:
        return None
    date, clock, _ = parsed
    # USPS expresses an expected delivery *date* as a midnight timestamp.
    if clock is None or clock == dt.time(0, 0):
        return date.isoformat()
    return dt.datetime.combine(date, clock).isoformat(timespec="seconds")


_CLOCK = re.compile(
    r"^(?P<h>\d{1,2}):?(?P<m>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[aApP]\.?[mM]\.?)?$"
)


def _clock(value: str | None) -> dt.time | None:
    if not value:
        return None
    match = _CLOCK.match(value.strip())
    if match is None:
        return None
    hour = int(match["h"])
    if match["ampm"]:
        hour = hour % 12 + (12 if match["ampm"][0] in "pP" else 0)
    try:
        return dt.time(hour, int(match["m"]), int(match["s"] or 0))
    except ValueError:
        return None


def _estimates(body: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(estimated delivery, window from, window to) as logistics date-times."""
    window_from = window_to = None
    predicted = _split_iso(text_value(body.get("predictedDeliveryDate")))
    if predicted is not None:
        start = _clock(text_value(body.get("predictedDeliveryWindowStartTime")))
        end = _clock(text_value(body.get("predictedDeliveryWindowEndTime")))
        if start is not None and end is not None:
            window_from = dt.datetime.combine(predicted[0], start).isoformat(timespec="seconds")
            window_to = dt.datetime.combine(predicted[0], end).isoformat(timespec="seconds")
    estimate = (
        _local_estimate(text_value(body.get("expectedDeliveryTimeStamp")))
        or window_to
        or (predicted[0].isoformat() if predicted is not None else None)
        or _local_estimate(text_value(body.get("predictedDeliveryTimeStamp")))
        or _local_estimate(text_value(body.get("expectedDeliveryDate")))
        or _local_estimate(text_value(body.get("guaranteedDeliveryTimeStamp")))
    )
    return estimate, window_from, window_to


def _countries(body: dict[str, Any]) -> tuple[str | None, str | None]:
    origin = text_value(body.get("originCountry")) or text_value(body.get("originCountryCode"))
    destination = text_value(body.get("destinationCountryCode")) or text_value(
        body.get("destinationCountry")
    )
    mail_type = (text_value(body.get("mailType")) or "").upper()
    if mail_type in ("DOMESTIC_MAIL", "DM"):
        origin, destination = origin or "US", destination or "US"
    elif mail_type in ("INTERNATIONAL_INBOUND", "II"):
        destination = destination or "US"
    elif mail_type in ("INTERNATIONAL_OUTBOUND", "IO"):
        origin = origin or "US"
    return (
        origin.upper() if origin and len(origin) == 2 else None,
        destination.upper() if destination and len(destination) == 2 else None,
    )


def _linked(number: str, body: dict[str, Any]) -> list[LinkedTrackingNumber]:
    seen = {number.upper()}
    linked: list[LinkedTrackingNumber] = []
    for key in ("associatedLabel", "relatedReturnReceiptID", "editedLabelId"):
        other = text_value(body.get(key))
        if other is None:
            continue
        other = other.replace(" ", "").upper()
        # editedLabelId is often the full barcode of this same item (ZIP routing + number).
        if other in seen or number.upper() in other or other in number.upper():
            continue
        seen.add(other)
        linked.append(LinkedTrackingNumber(other, COURIER_CODE))
    return linked


#: Phrases of USPS's answers for a number it has no scan for. "A status update is not yet
#: available on your package" comes with HTTP 400 (``error.code`` "400", sub-code 150001; it is
#: Web Tools error -2147219283 of the older XML API) for every freshly labelled number.
_NOT_FOUND_PHRASES = ("not found", "could not locate", "status update is not yet available")
_NOT_FOUND_SUBCODES = frozenset({"150001"})


def is_not_found(body: object) -> bool:
    """True for USPS's "no record of that item" answers (an ``ErrorMessage`` body)."""
    if not isinstance(body, dict):
        return False
    error = body.get("error")
    if not isinstance(error, dict):
        return False
    code = (text_value(error.get("code")) or "").lower()
    message = (text_value(error.get("message")) or "").lower()
    details = error.get("errors")
    subcodes = {
        text_value(item.get("code"))
        for item in (details if isinstance(details, list) else [])
        if isinstance(item, dict)
    }
    return (
        code == "404"
        or any(phrase in message for phrase in _NOT_FOUND_PHRASES)
        or bool(subcodes & _NOT_FOUND_SUBCODES)
    )


def error_detail(body: object) -> str:
    """A short human text from a USPS error body (``ErrorMessage`` or an OAuth error)."""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            return text_value(error.get("message")) or text_value(error.get("code")) or ""
        if isinstance(error, str):
            return text_value(body.get("error_description")) or error
    return ""


def parse_tracking(number: str, body: object) -> TrackingResult | TrackingNumberNotFound:
    """One USPS ``TrackingDetails`` body → the result for ``number``."""
    data = _obj(body, "tracking answer")
    if "error" in data:
        if is_not_found(data):
            return TrackingNumberNotFound(f"USPS: {error_detail(data) or 'not found'}")
        raise CourierResponseInvalid(f"USPS error in a 200 answer: {error_detail(data)}")
    raw_events = data.get("trackingEvents", [])
    if raw_events is None:
        raw_events = []
    if not isinstance(raw_events, list):
        raise CourierResponseInvalid("USPS trackingEvents is not a list")
    if not raw_events and not text_value(data.get("trackingNumber")):
        raise CourierResponseInvalid("USPS answer has neither trackingNumber nor events")

    events: list[CourierEvent] = []
    signed_by = None
    total = len(raw_events)
    for index, raw in enumerate(raw_events):
        event = _obj(raw, "tracking event")
        code = text_value(event.get("eventCode"))
        status_code, rule_id = decide(
            bool(code) and code.strip().upper() in STATUS_CODES,  # type: ignore[union-attr]
            status_code_for(code),
            text=text_value(event.get("eventType")),
            courier_code=COURIER_CODE,
            carrier_code=code.upper() if code else None,
        )
        if signed_by is None and status_code == "delivery_delivered":
            signed_by = text_value(event.get("name"))
        events.append(
            CourierEvent(
                tracking_number=number,
                occurrence_datetime=event_datetime(event),
                status=text_value(event.get("eventType")),
                status_code=status_code,
                location=_location(event),
                courier_code=COURIER_CODE,
                source_code=SOURCE_CODE,
                carrier_status_code=code.upper() if code else None,
                order=total - index,
                rule_id=rule_id,
            )
        )
    events.reverse()

    estimate, window_from, window_to = _estimates(data)
    origin, destination = _countries(data)
    return TrackingResult(
        tracking_number=number,
        courier_code=COURIER_CODE,
        source_code=SOURCE_CODE,
        events=events,
        origin_country_code=origin,
        destination_country_code=destination,
        estimated_delivery=estimate,
        estimated_delivery_from=window_from,
        estimated_delivery_to=window_to,
        service=_service(text_value(data.get("mailClass"))),
        signed_by=signed_by,
        linked_numbers=_linked(number, data),
        recipient_post_code=text_value(data.get("destinationZIP")),
        recipient_city=text_value(data.get("destinationCity")),
    )

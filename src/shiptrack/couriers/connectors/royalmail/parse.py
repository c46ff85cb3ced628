"""Pure parsing of Royal Mail Tracking API v2 answers into shiptrack's connector types.

``GET /mailpieces/v2/{mailPieceId}/events`` answers ``{"mailPieces": {…}}`` for one item:
``summary``, ``signature``, ``estimatedDelivery`` and ``events`` (newest first). Errors come
as ``{"httpCode", "httpMessage", "errors": [{"errorCode", "errorDescription", …}]}``; an
unknown number is a 404 with ``E1142`` (``E2001`` in newer answers). Nothing here does I/O.

Decisions:

* ``eventDateTime`` carries its offset (``2016-10-20T10:04:00+01:00``, sometimes ``+0100``):
  kept as given, never converted to UTC; ``order`` counts from the oldest event.
* The estimated delivery is ``estimatedDelivery.date``; its window is the date joined to
  ``startOfEstimatedWindow``/``endOfEstimatedWindow`` (times with their offset).
* ``signature.recipientName`` is the proof of delivery (``signed_by``).
* Countries are ISO alpha-3 in the spec's example and are turned into alpha-2.
* No linked numbers: ``oneDBarcode``, ``uniqueItemId`` and ``mailPieceId`` name the same
  item (following them would fetch the same events twice), and a hand-over abroad
  (``internationalPostalProvider``) comes with a link to the partner's site, not a number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shiptrack.couriers.connectors.fallback import decide
from shiptrack.couriers.connectors.parsing import (
    json_list,
    json_object,
    logistics_datetime,
    string_value,
)
from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    CourierResponseInvalid,
    TrackingNumberNotFound,
    TrackingResult,
    TrackOutcome,
)
from shiptrack.couriers.connectors.royalmail.statuses import (
    CARRIER_COURIER_CODES,
    DEFAULT_COURIER_CODE,
    EVENT_CODES,
    NOT_FOUND_ERRORS,
)
from shiptrack.couriers.countries import to_alpha2

SOURCE_CODE = "royalmail-tracking"


def error_codes(body: object) -> list[str]:
    """The ``errorCode`` values of an error body (empty when it has none)."""
    if not isinstance(body, Mapping) or not isinstance(body.get("errors"), list):
        return []
    return [
        code
        for error in body["errors"]
        if isinstance(error, Mapping) and (code := string_value(error.get("errorCode")))
    ]


def error_text(body: object) -> str:
    """``E1142: Barcode reference … isn't recognised`` from an error body ("" without one)."""
    if not isinstance(body, Mapping):
        return ""
    for error in body.get("errors") or ():
        if isinstance(error, Mapping):
            code = string_value(error.get("errorCode")) or ""
            text = string_value(error.get("errorDescription")) or ""
            return f"{code}: {text}".strip(": ")
    return string_value(body.get("moreInformation")) or string_value(body.get("httpMessage")) or ""


def is_not_found(body: object) -> bool:
    return any(code in NOT_FOUND_ERRORS for code in error_codes(body))


def parse_events(number: str, body: object) -> TrackOutcome:
    """The outcome of one ``events`` answer (HTTP 200)."""
    try:
        piece = json_object(json_object(body, "Royal Mail answer").get("mailPieces"), "mailPieces")
        if piece.get("error") is not None or str(piece.get("status") or "200") == "404":
            error = piece.get("error")
            return TrackingNumberNotFound(f"Royal Mail: {error_text({'errors': [error]})}")
        return _result(number, piece)
    except CourierResponseInvalid as exc:
        return exc


def _result(number: str, piece: Mapping[str, Any]) -> TrackingResult:
    summary = json_object(piece.get("summary") or {}, "summary")
    short = string_value(piece.get("carrierShortName")) or ""
    courier = CARRIER_COURIER_CODES.get(short.upper(), DEFAULT_COURIER_CODE)
    raw_events = json_list(piece.get("events"), "events")
    total = len(raw_events)
    events = [_event(number, courier, raw, total - i) for i, raw in enumerate(raw_events)]
    signature = json_object(piece.get("signature") or {}, "signature")
    estimate = json_object(piece.get("estimatedDelivery") or {}, "estimatedDelivery")
    date = string_value(estimate.get("date"))
    return TrackingResult(
        tracking_number=number,
        courier_code=courier,
        source_code=SOURCE_CODE,
        events=events,
        origin_country_code=_country(summary.get("originCountryCode")),
        destination_country_code=_country(summary.get("destinationCountryCode")),
        estimated_delivery=logistics_datetime(date),
        estimated_delivery_from=_window(date, estimate.get("startOfEstimatedWindow")),
        estimated_delivery_to=_window(date, estimate.get("endOfEstimatedWindow")),
        service=string_value(summary.get("productName")),
        signed_by=string_value(signature.get("recipientName")),
    )


def _event(number: str, courier: str, raw: object, order: int) -> CourierEvent:
    event = json_object(raw, "an event")
    when = logistics_datetime(event.get("eventDateTime"))
    if when is None:
        raise CourierResponseInvalid(
            f"eventDateTime {event.get('eventDateTime')!r} is not a date-time"
        )
    code = string_value(event.get("eventCode"))
    name = string_value(event.get("eventName"))
    status_code, rule_id = decide(
        code in EVENT_CODES,
        EVENT_CODES.get(code or ""),
        text=name,
        courier_code=courier,
        carrier_code=code,
    )
    return CourierEvent(
        tracking_number=number,
        occurrence_datetime=when,
        status=name,
        status_code=status_code,
        location=string_value(event.get("locationName")),
        courier_code=courier,
        source_code=SOURCE_CODE,
        carrier_status_code=code,
        order=order,
        rule_id=rule_id,
    )


def _window(date: str | None, clock: object) -> str | None:
    text = string_value(clock)
    if not date or not text:
        return None
    return logistics_datetime(f"{date}T{text}")


def _country(value: object) -> str | None:
    text = string_value(value)
    return to_alpha2(text) if text else None

"""Pure parsing of DHL Shipment Tracking - Unified answers into shiptrack's connector types.

Input is the decoded JSON of ``GET /track/shipments`` (``{"shipments": [...]}``) or of a
problem answer (RFC 7807 ``{title, status, detail, instance}``). Nothing here does I/O, reads
settings or the clock; every function is deterministic.

Decisions:

* Times are kept exactly as DHL gives them, reduced to the logistics format (no fractional
  seconds): ``2018-08-03T00:00:00+02:00`` keeps its offset, ``2026-09-23T13:20:00`` stays local
  without offset, a ``Z`` stays ``Z``. Nothing is ever converted to UTC.
* DHL lists events newest first; ``order`` counts from the oldest (lower = older).
* The number asked for is the result's number; DHL's ``id`` (when it differs, e.g. a piece id
  was asked), ``details.pieceIds`` and tracking-like ``details.references`` become
  ``linked_numbers``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from shiptrack.couriers.connectors.dhl.statuses import (
    DESCRIPTION_RULES,
    DESTINATION_PROVIDER_COURIER_CODES,
    EXPRESS_EVENT_CODES,
    SERVICE_COURIER_CODES,
    STATUS_CODES,
    TRACKING_REFERENCE_TYPES,
)
from shiptrack.couriers.connectors.fallback import decide
from shiptrack.couriers.connectors.parsing import (
    country_code,
    logistics_datetime,
    normalised_number,
    text_value,
)
from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    CourierResponseInvalid,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
    TrackOutcome,
)

SOURCE_CODE = "dhl-tracking"
#: Courier code when DHL names no service (or one we do not know).
DEFAULT_COURIER_CODE = "dhl"

_MISSING = object()
#: A checkpoint code in ``status`` (``PU``, ``WC``…), as opposed to a human title.
_CODE = re.compile(r"^[A-Z0-9]{1,4}$")


class _Invalid(Exception):
    """The body breaks DHL's documented format (becomes CourierResponseInvalid)."""


def classify(
    service: str | None, status_code: str | None, code: str | None, text: str | None
) -> str | None:
    """The Ship24 status code of one DHL event (None for an informational scan).

    Express checkpoint code first (it is exact), then the phrase rules on the text (they refine
    DHL's five coarse values), then the ``statusCode`` enum.
    """
    if service == "express" and code is not None:
        mapped = EXPRESS_EVENT_CODES.get(code, _MISSING)
        if mapped is not _MISSING:
            return mapped  # type: ignore[return-value]
    if text:
        lowered = text.lower()
        for pattern, mapped_code in DESCRIPTION_RULES:
            if pattern.search(lowered):
                return mapped_code
    if status_code is None:
        return None
    return STATUS_CODES.get(status_code)


def _known(
    service: str | None, status_code: str | None, code: str | None, text: str | None
) -> bool:
    """Whether DHL's own vocabulary decides the event (else the status normaliser does):
    a known Express code, a description phrase, or a ``statusCode`` other than ``unknown``."""
    if service == "express" and code in EXPRESS_EVENT_CODES:
        return True
    if text and any(pattern.search(text) for pattern, _ in DESCRIPTION_RULES):
        return True
    return status_code in STATUS_CODES and status_code != "unknown"


def problem_detail(body: object) -> str:
    """A short text from an RFC 7807 problem body (``title: detail``), or ``""``."""
    if not isinstance(body, Mapping):
        return ""
    parts = [str(body[key]) for key in ("title", "detail") if body.get(key)]
    return ": ".join(parts)[:200]


def parse_shipments(number: str, body: Any, *, service_hint: str | None = None) -> TrackOutcome:
    """The outcome for ``number`` from a 200 answer of ``/track/shipments``."""
    if not isinstance(body, Mapping):
        return CourierResponseInvalid("DHL answer is not a JSON object")
    shipments = body.get("shipments")
    if shipments is None or shipments == []:
        return TrackingNumberNotFound("DHL returned no shipment")
    if not isinstance(shipments, list) or not all(isinstance(s, Mapping) for s in shipments):
        return CourierResponseInvalid("DHL 'shipments' is not a list of objects")
    shipment = _pick(number, shipments, service_hint)
    try:
        return _result(number, shipment)
    except _Invalid as exc:
        return CourierResponseInvalid(f"DHL shipment breaks the documented format: {exc}")


def _pick(
    number: str, shipments: list[Mapping[str, Any]], service_hint: str | None
) -> Mapping[str, Any]:
    """The shipment that answers ``number``: same id and hinted service, same id, else first."""
    wanted = normalised_number(number)
    same_id = [s for s in shipments if normalised_number(s.get("id")) == wanted]
    for candidates in (same_id, shipments):
        if service_hint is not None:
            for shipment in candidates:
                if shipment.get("service") == service_hint:
                    return shipment
        if candidates:
            return candidates[0]
    return shipments[0]


def _result(number: str, shipment: Mapping[str, Any]) -> TrackingResult:
    service = text_value(shipment.get("service"))
    courier = SERVICE_COURIER_CODES.get(service or "", DEFAULT_COURIER_CODE)
    details = _obj(shipment.get("details"), "details")
    raw_events = shipment.get("events")
    if raw_events is None:
        raw_events = []
    if not isinstance(raw_events, list):
        raise _Invalid("'events' is not a list")
    if not raw_events and isinstance(shipment.get("status"), Mapping):
        raw_events = [shipment["status"]]  # some services give only the latest status
    total = len(raw_events)
    events = [
        _event(number, courier, service, _obj(raw, f"events[{i}]"), order=total - i)
        for i, raw in enumerate(raw_events)
    ]
    frame = _obj(shipment.get("estimatedDeliveryTimeFrame"), "estimatedDeliveryTimeFrame")
    destination = _address(shipment.get("destination"))
    product = _obj(details.get("product"), "details.product")
    return TrackingResult(
        tracking_number=number,
        courier_code=courier,
        source_code=SOURCE_CODE,
        events=events,
        origin_country_code=country_code(_address(shipment.get("origin")).get("countryCode")),
        destination_country_code=country_code(destination.get("countryCode")),
        estimated_delivery=logistics_datetime(shipment.get("estimatedTimeOfDelivery")),
        estimated_delivery_from=logistics_datetime(frame.get("estimatedFrom")),
        estimated_delivery_to=logistics_datetime(frame.get("estimatedThrough")),
        service=text_value(product.get("productName")) or _service_name(service),
        signed_by=_signed_by(details),
        linked_numbers=_linked(number, shipment, details, courier),
        recipient_post_code=text_value(destination.get("postalCode")),
        recipient_city=text_value(destination.get("addressLocality")),
    )


def _event(
    number: str, courier: str, service: str | None, raw: Mapping[str, Any], *, order: int
) -> CourierEvent:
    when = logistics_datetime(raw.get("timestamp"))
    if when is None:
        raise _Invalid(f"event timestamp {raw.get('timestamp')!r} is not a date-time")
    status_field = text_value(raw.get("status"))
    code = status_field if status_field and _CODE.match(status_field) else None
    text = text_value(raw.get("description")) or (status_field if code is None else None)
    status_code = text_value(raw.get("statusCode"))
    carrier_code = code or text_value(raw.get("statusDetailed")) or status_code
    ship24_code, rule_id = decide(
        _known(service, status_code, code, text),
        classify(service, status_code, code, text),
        text=text,
        courier_code=courier,
        carrier_code=carrier_code,
    )
    return CourierEvent(
        tracking_number=number,
        occurrence_datetime=when,
        status=text or status_field or text_value(raw.get("statusDetailed")) or status_code,
        status_code=ship24_code,
        rule_id=rule_id,
        location=_location(raw.get("location")),
        courier_code=courier,
        source_code=SOURCE_CODE,
        carrier_status_code=carrier_code,
        order=order,
    )


def _linked(
    number: str, shipment: Mapping[str, Any], details: Mapping[str, Any], courier: str
) -> list[LinkedTrackingNumber]:
    provider = _obj(details.get("provider"), "details.provider")
    provider_name = text_value(provider.get("destinationProvider")) or ""
    handover = DESTINATION_PROVIDER_COURIER_CODES.get(provider_name)
    found: dict[str, LinkedTrackingNumber] = {}

    def add(value: object, courier_code: str | None) -> None:
        text = text_value(value)
        if (
            text
            and normalised_number(text) != normalised_number(number)
            and normalised_number(text) not in found
        ):
            found[normalised_number(text)] = LinkedTrackingNumber(text, courier_code)

    add(shipment.get("id"), courier)
    references = details.get("references") or []
    if isinstance(references, Mapping):  # seen as a single object in the wild
        references = [references]
    if not isinstance(references, list):
        raise _Invalid("'details.references' is not a list")
    for ref in references:
        if not isinstance(ref, Mapping) or ref.get("type") not in TRACKING_REFERENCE_TYPES:
            continue
        if ref.get("@scope") in ("secret", "sensitive"):
            continue
        local = ref.get("type") == "local-tracking-number"
        add(ref.get("number"), (handover or None) if local else courier)
    pieces = details.get("pieceIds") or []
    if not isinstance(pieces, list):
        raise _Invalid("'details.pieceIds' is not a list")
    for piece in pieces:
        add(piece, courier)
    return list(found.values())


def _signed_by(details: Mapping[str, Any]) -> str | None:
    pod = _obj(details.get("proofOfDelivery"), "details.proofOfDelivery")
    signed = pod.get("signed")
    if not isinstance(signed, Mapping):
        return None
    if name := text_value(signed.get("name")):
        return name
    full = " ".join(
        p for p in (text_value(signed.get("givenName")), text_value(signed.get("familyName"))) if p
    )
    return full or text_value(signed.get("organizationName"))


def _location(place: object) -> str | None:
    address = _address(place)
    locality = text_value(address.get("addressLocality"))
    country = text_value(address.get("countryCode"))
    postal = text_value(address.get("postalCode"))
    parts = [p for p in (postal, locality) if p]
    text = " ".join(parts)
    if country and not text.upper().endswith(country.upper()):
        text = f"{text}, {country}" if text else country
    if not text and isinstance(place, Mapping):
        point = place.get("servicePoint")
        if isinstance(point, Mapping):
            return text_value(point.get("label"))
    return text or None


def _address(place: object) -> Mapping[str, Any]:
    if isinstance(place, Mapping) and isinstance(place.get("address"), Mapping):
        return place["address"]  # type: ignore[no-any-return]
    return {}


def _service_name(service: str | None) -> str | None:
    return f"DHL {service}" if service else None


def _obj(value: object, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _Invalid(f"'{where}' is not an object")
    return value

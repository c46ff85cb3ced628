"""A fake Bring Tracking API v2 server for tests and demos (127.0.0.1 only).

``GET /tracking/api/v2/tracking.json?q=…&lang=…`` with ``X-Mybring-API-Uid`` and
``X-Mybring-API-Key``, answered from a journey source in Bring's documented shape (one
consignment, one package, ``eventSet`` newest first with ``dateIso`` offsets). An unknown
number is a 200 answer whose consignment holds only ``error{code, message}`` (the shape
Bring's clients read; Bring publishes no code list). Gateway errors are Bring's plain-text
answers: 401 for a wrong key, 429 with ``Retry-After``, 503. Tests flip
``app[FAKE_STATE].faults`` to inject failures.

Rendering (``render_tracking``) is the inverse of ``parse``: each event's Ship24 status code
picks a Bring status (the event's own ``carrier_status_code`` when it agrees); border
crossings are ``INTERNATIONAL`` and customs steps ``CUSTOMS``, whose descriptions the
connector reads, and codes Bring has no status for are ``UNKNOWN`` with the journey's text.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from shiptrack.couriers.connectors.bring.statuses import BRAND_COURIER_CODES, EVENT_STATUSES
from shiptrack.couriers.connectors.fakesource import (
    FAKE_STATE,
    Fault,
    JourneySource,
    carrier_code_for,
    fake_app,
    fault_for,
    look_up,
    malformed_response,
    new_state,
    ordered_events,
    retry_after_headers,
    split_location,
)
from shiptrack.couriers.connectors.fakespec import FakeSpec, keyword_app, s10_format
from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    TrackingNumberNotFound,
    TrackingResult,
)

__all__ = ["EXPRESSIBLE", "FAKE", "FAKE_STATE", "create_app", "render_tracking"]

#: The fake checks ``(X-Mybring-API-Uid, X-Mybring-API-Key)`` with ``credentials_match``.
DEFAULT_UID = "fake-mybring-user@example.com"
#: The Ship24 codes Bring's statuses can say (``shiptrack.couriers.fakes`` drops the others).
EXPRESSIBLE = frozenset(code for code in EVENT_STATUSES.values() if code)
_PREFERRED: dict[str | None, str] = {
    None: "IN_TRANSIT",
    "transit_handover": "HANDED_IN",
    "transit_origin_country_departure": "INTERNATIONAL",
    "destination_arrival": "INTERNATIONAL",
    "customs_cleared": "CUSTOMS",
    "customs_exception": "CUSTOMS",
    "customs_rejected": "CUSTOMS",
    "exception_return": "RETURN",
}
_BRAND_OF_COURIER = {courier: brand for brand, courier in BRAND_COURIER_CODES.items()}
_TEXT = {
    401: "401 - Unathorized. The Tracking API no longer supports unauthenticated requests.",
    429: "429 - Too many requests.",
    503: "503 - Service unavailable.",
}


def create_app(
    source: JourneySource, *, api_key: str, api_uid: str = DEFAULT_UID
) -> web.Application:
    """The fake Bring app; ``app[FAKE_STATE]`` holds the fault switch and request log."""
    state = new_state(source, client_id=api_uid, client_secret=api_key, token_lifetime=0)
    return fake_app(state, web.get("/tracking/api/v2/tracking.json", _track))


async def _track(request: web.Request) -> web.Response:
    state = request.app[FAKE_STATE]
    uid = request.headers.get("X-Mybring-API-Uid")
    if not state.credentials_match(uid, request.headers.get("X-Mybring-API-Key")):
        return _text(401)
    number = request.query.get("q", "").strip()
    fault = state.record_track([number])
    if fault is not None:
        return _fault(fault)
    outcome = look_up(state.source, number)
    if isinstance(outcome, TrackingNumberNotFound):
        error = {"code": "NOT_FOUND", "message": f"No shipment found for {number}"}
        return _json({"apiVersion": "2", "consignmentSet": [{"error": error}]})
    if not isinstance(outcome, TrackingResult):
        return _fault(fault_for(outcome))
    return _json(render_tracking(outcome))


def render_tracking(result: TrackingResult) -> dict[str, Any]:
    """A journey as Bring's ``tracking.json`` answer (one consignment, one package)."""
    events = [_event(event, result) for event in reversed(ordered_events(result.events))]
    package: dict[str, Any] = {
        "statusDescription": events[0]["description"] if events else "",
        "packageNumber": result.tracking_number,
        "previousPackageNumber": "",
        "productName": result.service or "PAKKE I POSTKASSEN",
        "productCode": "3584",
        "brand": _BRAND_OF_COURIER.get(result.courier_code, "BRING"),
        "recipientAddress": {
            "addressLine1": "",
            "postalCode": result.recipient_post_code or "",
            "city": result.recipient_city or "",
            "countryCode": result.destination_country_code or "",
            "country": "",
        },
        "eventSet": events,
    }
    if result.estimated_delivery:
        package["dateOfEstimatedDelivery"] = result.estimated_delivery
    consignment = {
        "consignmentId": f"SHIPMENT{result.tracking_number}",
        "previousConsignmentId": "",
        "packageSet": [package],
    }
    return {"apiVersion": "2", "consignmentSet": [consignment]}


def _event(event: CourierEvent, result: TrackingResult) -> dict[str, Any]:
    try:
        status = carrier_code_for(event, EVENT_STATUSES, _PREFERRED)
    except KeyError:
        status = "UNKNOWN"
    place = split_location(event.location)
    signed = result.signed_by if status == "DELIVERED" else None
    time = event.occurrence_datetime
    return {
        "description": event.status or "",
        "status": status,
        "recipientSignature": {"name": signed or ""},
        "unitId": "",
        "unitType": "BRING",
        "postalCode": place.postal_code or "",
        "city": place.city or "",
        "countryCode": place.country or "",
        "country": "",
        "dateIso": time,
        "displayDate": f"{time[8:10]}.{time[5:7]}.{time[:4]}",
        "displayTime": time[11:16],
        "consignmentEvent": False,
    }


def _fault(fault: Fault) -> web.Response:
    if fault.malformed:
        return malformed_response()
    return _text(fault.status, headers=retry_after_headers(fault))


def _text(status: int, *, headers: dict[str, str] | None = None) -> web.Response:
    text = _TEXT.get(status, f"{status} - Internal server error.")
    return web.Response(status=status, text=text, headers=headers)


def _json(body: object) -> web.Response:
    return web.Response(body=orjson.dumps(body), content_type="application/json")


# --- the fake's declaration ------------------------------------------------------------

_recognise, _make = s10_format("NO", "no-post")

#: This carrier's fake for ``shiptrack fake-couriers`` (``couriers/connectors/fakespec.py``).
FAKE = FakeSpec(
    name="bring",
    order=6,
    courier_codes=frozenset({"bring", "no-post"}),
    recognise=_recognise,
    make=_make,
    serials=10**7,
    offsets=True,
    expressible=EXPRESSIBLE,
    credentials={"api_key": "fake-bring-api-key", "api_uid": "fake-mybring-user@example.com"},
    create_app=keyword_app(create_app),
)

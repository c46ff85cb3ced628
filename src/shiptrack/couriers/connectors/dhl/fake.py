"""A fake DHL Shipment Tracking - Unified server for tests and demos (127.0.0.1 only).

``GET /track/shipments?trackingNumber=…`` with the ``DHL-API-Key`` header, answered from a
journey source in DHL's documented shape; errors are RFC 7807 problem bodies
(``application/problem+json``) as DHL sends them: 401 for a wrong key, 404 "No result found",
429 with ``Retry-After``, 503. Tests flip ``app[FAKE_STATE].faults`` to inject failures.

Rendering a journey (``render_shipment``) is the inverse of ``parse``: the Ship24 status code
of each event picks the ``statusCode`` enum value, and for DHL Express the checkpoint code in
``status`` (the event's own ``carrier_status_code`` when it agrees), so Express journeys come
back through the connector with the same status codes. Other services carry only the enum and
the event text, exactly like the real API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from aiohttp import web

from shiptrack.couriers.connectors.dhl.statuses import (
    COURIER_SERVICE_HINTS,
    DESTINATION_PROVIDER_COURIER_CODES,
    EXPRESS_EVENT_CODES,
)
from shiptrack.couriers.connectors.dhl.statuses import (
    EXPRESS_EVENT_CODES as _EXPRESS_EVENT_CODES,
)
from shiptrack.couriers.connectors.fakesource import (
    FAKE_STATE,
    Fault,
    JourneySource,
    call_failure,
    carrier_code_for,
    fake_app,
    look_up,
    malformed_response,
    new_state,
    ordered_events,
    retry_after_headers,
)
from shiptrack.couriers.connectors.fakespec import FakeSpec, api_key_app, says
from shiptrack.couriers.connectors.protocol import CourierError, CourierEvent, TrackingResult
from shiptrack.couriers.detection.checkdigits import mod7_check

__all__ = ["FAKE", "FAKE_STATE", "create_app", "render_shipment"]

#: The fake checks the key with ``FakeState.credentials_match(API_KEY_ID, header)``.
API_KEY_ID = "dhl-api-key"

#: Ship24 courier code of a journey → the ``service`` the fake reports: the one the connector
#: hints for that code, and DHL Paket for the two codes that send no hint.
SERVICE_OF_COURIER: dict[str, str] = {
    **COURIER_SERVICE_HINTS,
    "dhl": "parcel-de",
    "dhl-packet": "parcel-de",
}
#: Representative Express checkpoint code per Ship24 code (None = informational scan).
EXPRESS_PREFERRED: dict[str | None, str] = {
    None: "PL",
    "transit_handover": "PU",
    "delivery_out_for_delivery": "WC",
    "delivery_delivered": "OK",
    "delivery_attempted": "NH",
    "delivery_available_for_pickup": "CC",
    "delivery_exception": "OH",
    "customs_received": "IC",
    "customs_cleared": "CR",
    "customs_exception": "CD",
}
_FAILURE_CODES = frozenset(
    {
        "delivery_attempted",
        "delivery_exception",
        "delivery_refused",
        "customs_rejected",
        "exception_return",
        "exception_lost",
        "exception_discarded",
    }
)
_PROVIDER_OF_COURIER = {v: k for k, v in DESTINATION_PROVIDER_COURIER_CODES.items()}


def create_app(source: JourneySource, *, api_key: str) -> web.Application:
    """The fake DHL app; ``app[FAKE_STATE]`` holds the fault switch and request log."""
    state = new_state(source, client_id=API_KEY_ID, client_secret=api_key, token_lifetime=0)
    return fake_app(state, web.get("/track/shipments", _track))


async def _track(request: web.Request) -> web.Response:
    state = request.app[FAKE_STATE]
    if not state.credentials_match(API_KEY_ID, request.headers.get("DHL-API-Key")):
        return _problem(401, "Unauthorized", "Unauthorized for given resource.")
    number = request.query.get("trackingNumber", "").strip()
    fault = state.record_track([number] if number else [])
    if fault is not None:
        return _fault(fault)
    if not number:
        return _problem(400, "Bad Request", "Query parameter 'trackingNumber' is required.")
    outcome = look_up(state.source, number)
    failure = call_failure([outcome])
    if failure is not None:
        return _fault(failure)
    if isinstance(outcome, CourierError):  # not found
        return _problem(
            404,
            "No result found",
            "No shipment with given tracking number found.",
            instance=f"/shipments?trackingNumber={number}",
        )
    wanted = request.query.get("service")
    shipment = render_shipment(outcome)
    if wanted and shipment["service"] != wanted:
        return _problem(
            404,
            "No result found",
            "No shipment with given tracking number found.",
            instance=f"/shipments?trackingNumber={number}&service={wanted}",
        )
    body = {"url": f"/shipments?trackingNumber={number}&offset=0&limit=5", "shipments": [shipment]}
    return web.Response(body=orjson.dumps(body), content_type="application/json")


def render_shipment(result: TrackingResult) -> dict[str, Any]:
    """A journey in DHL's ``supermodelIoLogisticsTrackingShipment`` shape (events newest first)."""
    service = SERVICE_OF_COURIER.get(result.courier_code, "express")
    events = [_event(event, service) for event in reversed(ordered_events(result.events))]
    shipment: dict[str, Any] = {"id": result.tracking_number, "service": service}
    if result.origin_country_code:
        shipment["origin"] = {"address": {"countryCode": result.origin_country_code}}
    destination = {
        k: v
        for k, v in (
            ("countryCode", result.destination_country_code),
            ("postalCode", result.recipient_post_code),
            ("addressLocality", result.recipient_city),
        )
        if v
    }
    if destination:
        shipment["destination"] = {"address": destination}
    if events:
        shipment["status"] = {k: v for k, v in events[0].items() if k != "pieceIds"}
    if result.estimated_delivery:
        shipment["estimatedTimeOfDelivery"] = result.estimated_delivery
    if result.estimated_delivery_from or result.estimated_delivery_to:
        frame = {
            "estimatedFrom": result.estimated_delivery_from,
            "estimatedThrough": result.estimated_delivery_to,
        }
        shipment["estimatedDeliveryTimeFrame"] = {k: v for k, v in frame.items() if v}
    shipment["details"] = _details(result)
    shipment["events"] = events
    return shipment


def _event(event: CourierEvent, service: str) -> dict[str, Any]:
    rendered: dict[str, Any] = {"timestamp": event.occurrence_datetime}
    if event.location:
        rendered["location"] = {"address": {"addressLocality": event.location}}
    rendered["statusCode"] = _status_enum(event.status_code)
    if service == "express":
        try:
            rendered["status"] = carrier_code_for(event, EXPRESS_EVENT_CODES, EXPRESS_PREFERRED)
        except KeyError:  # no Express code says this (e.g. destination_arrival): text only
            pass
    elif event.status:
        rendered["status"] = event.status
    if event.status:
        rendered["description"] = event.status
    return rendered


def _status_enum(status_code: str | None) -> str:
    if status_code is None:
        return "transit"
    if status_code.startswith("data_"):
        return "pre-transit"
    if status_code == "delivery_delivered":
        return "delivered"
    return "failure" if status_code in _FAILURE_CODES else "transit"


def _details(result: TrackingResult) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if result.service:
        details["product"] = {"productName": result.service}
    pieces = [
        ln.tracking_number for ln in result.linked_numbers if ln.courier_code == result.courier_code
    ]
    handovers = [ln for ln in result.linked_numbers if ln.courier_code != result.courier_code]
    details["totalNumberOfPieces"] = 1 + len(pieces)
    if pieces:
        details["pieceIds"] = pieces
    if handovers:
        details["references"] = [
            {"number": ln.tracking_number, "type": "local-tracking-number"} for ln in handovers
        ]
        provider = next(
            (
                _PROVIDER_OF_COURIER[ln.courier_code]
                for ln in handovers
                if ln.courier_code in _PROVIDER_OF_COURIER
            ),
            None,
        )
        if provider:
            details["provider"] = {"destinationProvider": provider}
    details["proofOfDeliverySignedAvailable"] = result.signed_by is not None
    if result.signed_by:
        details["proofOfDelivery"] = {"signed": {"@type": "Person", "name": result.signed_by}}
    return details


def _fault(fault: Fault) -> web.Response:
    if fault.malformed:
        return malformed_response()
    headers = retry_after_headers(fault)
    titles = {
        401: ("Unauthorized", "Unauthorized for given resource."),
        429: ("Too many requests", "Too many requests. Please try again later."),
        503: ("Service Unavailable", "The service is temporarily unavailable."),
    }
    title, detail = titles.get(fault.status, ("Internal Server Error", "Unexpected error."))
    return _problem(fault.status, title, detail, headers=headers)


def _problem(
    status: int,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    body: dict[str, Any] = {"title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    return web.Response(
        status=status,
        body=orjson.dumps(body),
        headers=headers,
        content_type="application/problem+json",
    )


# --- the fake's declaration ------------------------------------------------------------


def _recognise(number: str) -> tuple[str, int] | None:
    """DHL Express waybill, 10 digits, mod 7; selector: the digit before the check."""
    if len(number) == 10 and number.isdigit() and mod7_check(number[:9]) == int(number[9]):
        return "dhl-express", int(number[8])
    return None


def _make(serial: int, selector: int) -> str:
    """``1`` + 7-digit serial + selector + check (10)."""
    body = f"1{serial:07d}{selector}"
    return f"{body}{mod7_check(body)}"


#: This carrier's fake for ``shiptrack fake-couriers`` (``couriers/connectors/fakespec.py``).
FAKE = FakeSpec(
    name="dhl",
    order=3,
    courier_codes=frozenset({"dhl", "dhl-express", "dhl-global-mail", "de-post", "dhl-packet"}),
    recognise=_recognise,
    make=_make,
    serials=10**7,
    offsets=False,
    # Its statusCode enum says "pre-transit" for any data event: "order created".
    expressible=says(_EXPRESS_EVENT_CODES, {"pre-transit": "data_order_created"}),
    credentials={"api_key": "fake-dhl-api-key"},
    create_app=api_key_app(create_app),
)

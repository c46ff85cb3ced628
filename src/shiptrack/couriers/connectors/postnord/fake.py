"""A fake PostNord Track & Trace server for tests and demos (127.0.0.1 only).

``GET /rest/shipment/v5/trackandtrace/findByIdentifier.json?apikey=…&id=…&locale=…``,
answered from a journey source in PostNord's documented envelope: one shipment, one item,
events oldest first with local ``eventTime`` (no offset). An unknown id answers HTTP 200 with
``"shipments": []``; an id PostNord would not accept, the ``invalidIdentifier`` fault. Gateway
errors: 403 for a wrong key, 429 with ``Retry-After``, 503 (problem+json bodies). Tests flip
``app[FAKE_STATE].faults`` to inject failures.

Rendering (``render_tracking``) is the inverse of ``parse``: an event gets the event code
PostNord is known to send for its Ship24 code (``68``, ``1``, ``21``, ``31``…) or, for the
rest, an opaque code of its own, the ``ItemStatus`` of its kind and the journey's text as
``eventDescription``, which the connector's status normaliser reads for coarse statuses.
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from aiohttp import web

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
from shiptrack.couriers.connectors.postnord.statuses import EVENT_CODES, ITEM_STATUSES
from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    TrackingNumberNotFound,
    TrackingResult,
)

__all__ = ["EXPRESSIBLE", "FAKE", "FAKE_STATE", "create_app", "render_tracking"]

#: The fake checks the key with ``FakeState.credentials_match(API_KEY_ID, apikey)``.
API_KEY_ID = "postnord-apikey"
#: The Ship24 codes PostNord's codes and statuses can say (``shiptrack.couriers.fakes``
#: drops the others).
EXPRESSIBLE = frozenset(
    code for table in (EVENT_CODES, ITEM_STATUSES) for code in table.values() if code
)
_ID = re.compile(r"^[A-Za-z0-9]{6,35}$")
_STATUS_OF_CODE: dict[str | None, str] = {
    None: "EN_ROUTE",
    "data_order_created": "INFORMED",
    "delivery_available_for_pickup": "AVAILABLE_FOR_DELIVERY",
    "delivery_delivered": "DELIVERED",
    "delivery_attempted": "DELIVERY_IMPOSSIBLE",
    "delivery_exception": "DELIVERY_IMPOSSIBLE",
    "delivery_refused": "DELIVERY_REFUSED",
    "exception_return": "RETURNED",
    "customs_exception": "STOPPED",
}
#: Opaque event codes for Ship24 codes with no known PostNord code (PostNord's are opaque too).
_OWN_CODES: dict[str | None, str] = {
    "transit_handover": "P10",
    "transit_origin_country_departure": "P20",
    "destination_arrival": "P21",
    "customs_received": "P30",
    "customs_cleared": "P31",
    "customs_exception": "P32",
    "delivery_out_for_delivery": "P40",
    "delivery_attempted": "P41",
}
_PROBLEMS = {
    403: "Forbidden",
    429: "Too Many Requests",
    503: "Service Unavailable",
}


def create_app(source: JourneySource, *, api_key: str) -> web.Application:
    """The fake PostNord app; ``app[FAKE_STATE]`` holds the fault switch and request log."""
    state = new_state(source, client_id=API_KEY_ID, client_secret=api_key, token_lifetime=0)
    path = "/rest/shipment/v5/trackandtrace/findByIdentifier.json"
    return fake_app(state, web.get(path, _track))


async def _track(request: web.Request) -> web.Response:
    state = request.app[FAKE_STATE]
    if not state.credentials_match(API_KEY_ID, request.query.get("apikey")):
        return _problem(403)
    number = request.query.get("id", "").strip()
    if not number:
        return _problem(400, "Required parameter 'id' is not present.")
    fault = state.record_track([number])
    if fault is not None:
        return _fault(fault)
    if not _ID.match(number):
        return _json(_envelope([], number))
    outcome = look_up(state.source, number)
    if isinstance(outcome, TrackingNumberNotFound):
        return _json(_envelope([]))
    if not isinstance(outcome, TrackingResult):
        return _fault(fault_for(outcome))
    return _json(render_tracking(outcome))


def render_tracking(result: TrackingResult) -> dict[str, Any]:
    """A journey as PostNord's ``TrackingInformationResponse`` (one shipment, one item)."""
    events = [_event(event) for event in ordered_events(result.events)]
    status = events[-1]["status"] if events else "CREATED"
    item: dict[str, Any] = {
        "itemId": result.tracking_number,
        "status": status,
        "eventStatus": status,
        "events": events,
    }
    if result.signed_by:
        item["acceptor"] = {"name": result.signed_by, "signatureReference": ""}
    shipment: dict[str, Any] = {
        "shipmentId": result.tracking_number,
        "status": status,
        "service": {"code": "19", "name": result.service or "PostNord MyPack Collect"},
        "consignor": {"address": {"countryCode": result.origin_country_code or ""}},
        "consignee": {"address": {"countryCode": result.destination_country_code or ""}},
        "items": [item],
    }
    if result.estimated_delivery:
        shipment["estimatedTimeOfArrival"] = result.estimated_delivery
        item["estimatedTimeOfArrival"] = result.estimated_delivery
    return _envelope([shipment])


def _event(event: CourierEvent) -> dict[str, Any]:
    try:
        code = carrier_code_for(event, EVENT_CODES)
    except KeyError:
        code = _OWN_CODES.get(event.status_code, "P99")
    status = _STATUS_OF_CODE.get(event.status_code, "EN_ROUTE")
    place = split_location(event.location)
    return {
        "eventTime": event.occurrence_datetime[:19],
        "eventCode": code,
        "status": status if status in ITEM_STATUSES else "OTHER",
        "eventDescription": event.status or "",
        "location": {
            "displayName": place.city or "PostNord",
            "name": place.city or "PostNord",
            "countryCode": place.country or "",
            "postcode": place.postal_code or "",
            "city": place.city or "",
            "locationType": "HUB",
        },
    }


def _envelope(shipments: list[dict[str, Any]], invalid: str | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"shipments": shipments}
    if invalid is not None:
        fault = {
            "faultCode": "invalidIdentifier",
            "explanationText": "Identifier must be a valid ItemId or ShipmentId",
            "paramValues": [{"param": "identifier", "value": invalid}],
        }
        response["compositeFault"] = {"faults": [fault]}
    return {"TrackingInformationResponse": response}


def _fault(fault: Fault) -> web.Response:
    if fault.malformed:
        return malformed_response()
    return _problem(fault.status, headers=retry_after_headers(fault))


def _problem(
    status: int, detail: str | None = None, *, headers: dict[str, str] | None = None
) -> web.Response:
    title = _PROBLEMS.get(status, "Bad Request" if status == 400 else "Internal Server Error")
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail or title}
    return web.Response(
        status=status,
        body=orjson.dumps(body),
        headers=headers,
        content_type="application/problem+json",
    )


def _json(body: object) -> web.Response:
    return web.Response(body=orjson.dumps(body), content_type="application/json")


# --- the fake's declaration ------------------------------------------------------------

_recognise, _make = s10_format("SE", "se-post")

#: This carrier's fake for ``shiptrack fake-couriers`` (``couriers/connectors/fakespec.py``).
FAKE = FakeSpec(
    name="postnord",
    order=7,
    courier_codes=frozenset({"postnord", "se-post", "dk-post"}),
    recognise=_recognise,
    make=_make,
    serials=10**7,
    offsets=False,
    expressible=EXPRESSIBLE,
    credentials={"api_key": "fake-postnord-api-key"},
    create_app=keyword_app(create_app),
)

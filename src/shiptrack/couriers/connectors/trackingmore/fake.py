"""A fake TrackingMore API v4 (127.0.0.1 only).

``POST /v4/trackings/create``, ``POST /v4/trackings/batch`` (up to 40 creates), ``GET
/v4/trackings/get`` (up to 40 numbers), ``DELETE /v4/trackings/delete/{id}``,
``POST /v4/couriers/detect`` and ``GET /v4/couriers/all`` with the ``Tracking-Api-Key``
header, in TrackingMore's ``{"meta", "data"}`` envelope (``4101`` already exists, ``4102`` does
not exist, 401 for a wrong key). Each endpoint keeps TrackingMore's documented limit per
second (create 3, the others 10): past it, ``429`` with meta code 429 and the documented
advice to wait 120 s. Its webhook (``render_webhook``) carries ``signature``.

Events (``origin_info.trackinfo``) come newest first; each journey event's Ship24 code picks
the sub-status that says it in TrackingMore's words (``transit001`` when none does).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from aiohttp import web

from shiptrack.couriers.connectors.aggregator_fake import (
    UPSTREAM_FAKE,
    FakeRegistration,
    UpstreamFakeState,
    admit,
    enforced_limits,
    json_response,
    meta_fault,
    polled,
    upstream_app,
)
from shiptrack.couriers.connectors.fakesource import (
    JourneySource,
    carrier_code_for,
    look_up,
    ordered_events,
)
from shiptrack.couriers.connectors.protocol import CourierError, TrackingResult
from shiptrack.couriers.connectors.trackingmore.settings import TrackingMoreSettings
from shiptrack.couriers.connectors.trackingmore.statuses import PREFERRED_SUBSTATUS, SUBSTATUSES
from shiptrack.couriers.connectors.upstream_terms import hmac_base64

__all__ = ["create_app", "render_tracking", "render_webhook"]

#: Numbers per batch create or get (TrackingMore's documented maximum, card §3).
BATCH_LIMIT = 40


def create_app(
    source: JourneySource,
    *,
    api_key: str,
    webhook_secret: str,
    limits: Mapping[str, float] | None = None,
) -> web.Application:
    """The fake; ``limits``: calls a second per endpoint (default TrackingMore's documented
    ones, ``TrackingMoreSettings.documented_limits``; ``{}`` for none)."""
    state = UpstreamFakeState(source, api_key, webhook_secret)
    state.rates = enforced_limits(TrackingMoreSettings.documented_limits, limits)
    return upstream_app(
        state,
        render_webhook,
        web.post("/v4/trackings/create", _create),
        web.post("/v4/trackings/batch", _batch),
        web.get("/v4/trackings/get", _get),
        web.delete("/v4/trackings/delete/{id}", _delete),
        web.post("/v4/couriers/detect", _detect),
        web.get("/v4/couriers/all", _couriers),
    )


def _meta(status: int, code: int, message: str, data: Any = None) -> web.Response:
    return json_response({"meta": {"code": code, "message": message}, "data": data}, status=status)


def _ok(data: Any) -> web.Response:
    return _meta(200, 200, "Request response is successful", data)


def _guard(request: web.Request, call: str, endpoint: str) -> web.Response | None:
    key = request.headers.get("Tracking-Api-Key")
    return admit(
        request,
        call,
        key,
        lambda: _meta(401, 401, "Invalid API key."),
        meta_fault,
        endpoint=endpoint,
        throttle=_throttle,
    )


def _throttle(limit: int, reset: int) -> web.Response:
    """TrackingMore's 429: no ``Retry-After``; its article says to wait 120 s."""
    message = f"Request too frequent (at most {limit} a second): please retry after 120 seconds."
    return _meta(429, 429, message, [])


async def _create(request: web.Request) -> web.Response:
    refused = _guard(request, "register", "create")
    if refused is not None:
        return refused
    state = request.app[UPSTREAM_FAKE]
    body = await request.json()
    number = body.get("tracking_number") if isinstance(body, dict) else None
    courier = body.get("courier_code") if isinstance(body, dict) else None
    if not isinstance(number, str) or not number or not courier:
        return _meta(400, 4110, "tracking_number or courier_code is invalid.")
    registration, created = state.register(number, str(courier))
    if not created:
        return _meta(400, 4101, "Tracking already exists.")
    return _ok(render_tracking(registration, look_up(state.source, number)))


async def _batch(request: web.Request) -> web.Response:
    """Up to 40 creates: ``data: {"success": [...], "error": [...]}``; a number already
    tracked is an error item ``4101`` (without its id), more than 40 is ``4103``."""
    refused = _guard(request, "register", "batch")
    if refused is not None:
        return refused
    state = request.app[UPSTREAM_FAKE]
    body = await request.json()
    if not isinstance(body, list) or not body:
        return _meta(400, 400, "Request type error.")
    if len(body) > BATCH_LIMIT:
        return _meta(400, 4103, "The maximum quantity is 40 shipments per call.")
    success: list[dict[str, Any]] = []
    error: list[dict[str, Any]] = []
    for item in body:
        item = item if isinstance(item, dict) else {}
        number, courier = item.get("tracking_number"), item.get("courier_code")
        head = {"tracking_number": number, "courier_code": courier}
        if not isinstance(number, str) or not number or not courier:
            error.append({**head, "errorCode": 4110, "errorMessage": "Invalid tracking_number."})
            continue
        registration, created = state.register(number, str(courier))
        if created:
            success.append({"id": registration.id, **head})
        else:
            error.append(
                {**head, "errorCode": 4101, "errorMessage": "Tracking No. already exists."}
            )
    return _ok({"success": success, "error": error})


async def _get(request: web.Request) -> web.Response:
    refused = _guard(request, "poll", "get")
    if refused is not None:
        return refused
    state = request.app[UPSTREAM_FAKE]
    wanted = [n for n in request.query.get("tracking_numbers", "").split(",") if n]
    if len(wanted) > BATCH_LIMIT:
        return _meta(400, 4103, "The maximum quantity is 40 shipments per call.")
    answers, failure = polled(state, wanted)
    if failure is not None:
        return meta_fault(failure)
    found = [render_tracking(registration, outcome) for registration, outcome in answers]
    return _ok(found)


async def _delete(request: web.Request) -> web.Response:
    refused = _guard(request, "stop", "delete")
    if refused is not None:
        return refused
    state = request.app[UPSTREAM_FAKE]
    registration = state.registrations.get(request.match_info["id"])
    if registration is None or not registration.active:
        return _meta(400, 4102, "Tracking does not exist.")
    state.stop(registration)
    return _ok({"id": registration.id, "tracking_number": registration.number})


async def _detect(request: web.Request) -> web.Response:
    refused = _guard(request, "register", "detect")
    return refused or _ok([{"courier_code": "usps", "courier_name": "USPS"}])


async def _couriers(request: web.Request) -> web.Response:
    refused = _guard(request, "probe", "couriers")
    return refused or _ok([{"courier_code": "usps", "courier_name": "USPS"}])


def render_tracking(
    registration: FakeRegistration, outcome: TrackingResult | CourierError
) -> dict[str, Any]:
    """TrackingMore's tracking object for a journey."""
    trackinfo = []
    if isinstance(outcome, TrackingResult):
        for event in reversed(ordered_events(outcome.events)):
            sub = carrier_code_for(event, SUBSTATUSES, PREFERRED_SUBSTATUS, degrade=True)
            trackinfo.append(
                {
                    "checkpoint_date": event.occurrence_datetime,
                    "tracking_detail": event.status,
                    "location": event.location,
                    "checkpoint_delivery_status": sub.rstrip("0123456789"),
                    "checkpoint_delivery_substatus": sub,
                }
            )
    latest = trackinfo[0]["checkpoint_delivery_substatus"] if trackinfo else "pending001"
    return {
        "id": registration.id,
        "tracking_number": registration.number,
        "courier_code": registration.courier,
        "delivery_status": latest.rstrip("0123456789"),
        "substatus": latest,
        "origin_info": {"courier_code": registration.courier, "trackinfo": trackinfo},
    }


def render_webhook(state: UpstreamFakeState, numbers: list[str]) -> tuple[dict[str, str], bytes]:
    """TrackingMore's v4 webhook for the first of ``numbers``."""
    registration = state.find(numbers[0])
    assert registration is not None, "the fake pushes only numbers registered with it"
    data = render_tracking(registration, look_up(state.source, registration.number))
    body = orjson.dumps({"meta": {"code": 200, "message": "Success"}, "data": data})
    return {"signature": hmac_base64(state.webhook_secret.encode(), body)}, body

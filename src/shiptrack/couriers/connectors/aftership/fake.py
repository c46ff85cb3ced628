"""A fake AfterShip Tracking API 2025-01 (127.0.0.1 only).

``POST/GET /tracking/2025-01/trackings`` (the list by ``tracking_numbers``, up to 50, counted
as a poll), ``GET/DELETE /tracking/2025-01/trackings/{id}`` and
``GET /tracking/2025-01/couriers`` with the ``as-api-key`` header, answers in AfterShip's
``{"meta", "data"}`` envelope (``4003`` already exists, ``4004`` does not exist, 401 for a
wrong key). Each endpoint keeps AfterShip's documented limit per second (create 20, list 6,
get one 5): past it, ``429`` ``TOO_MANY_REQUEST`` with ``X-RateLimit-Limit/Remaining/Reset``
(a Unix time). Its webhook (``render_webhook``) carries ``aftership-hmac-sha256``.

Checkpoints come oldest first; each journey event's Ship24 code picks the sub-status that
says it in AfterShip's words (``statuses.SUBTAGS``; ``InTransit_001`` when none does).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any

import orjson
from aiohttp import web

from shiptrack.couriers.connectors.aftership.settings import AfterShipSettings
from shiptrack.couriers.connectors.aftership.statuses import PREFERRED_SUBTAG, SUBTAGS
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
    call_failure,
    carrier_code_for,
    look_up,
    ordered_events,
)
from shiptrack.couriers.connectors.protocol import CourierError, TrackingResult
from shiptrack.couriers.connectors.upstream_terms import hmac_base64

__all__ = ["create_app", "render_tracking", "render_webhook"]

P = "/tracking/2025-01"
#: At most this many numbers in ``tracking_numbers`` of a list call (AfterShip's documented
#: limit, reference card ``apis/aftership.md`` §3).
LIST_LIMIT = 50


def create_app(
    source: JourneySource,
    *,
    api_key: str,
    webhook_secret: str,
    limits: Mapping[str, float] | None = None,
) -> web.Application:
    """The fake; ``limits``: calls a second per endpoint (default AfterShip's documented
    ones, ``AfterShipSettings.documented_limits``; ``{}`` for none)."""
    state = UpstreamFakeState(source, api_key, webhook_secret)
    state.rates = enforced_limits(AfterShipSettings.documented_limits, limits)
    return upstream_app(
        state,
        render_webhook,
        web.post(f"{P}/trackings", _create),
        web.get(f"{P}/trackings", _list),
        web.get(f"{P}/trackings/{{id}}", _get),
        web.delete(f"{P}/trackings/{{id}}", _delete),
        web.get(f"{P}/couriers", _couriers),
    )


def _meta(status: int, code: int, message: str, data: Any = None) -> web.Response:
    body = {"meta": {"code": code, "message": message, "type": "Error"}, "data": data or {}}
    return json_response(body, status=status)


def _ok(data: Any, status: int = 200) -> web.Response:
    return json_response(
        {"meta": {"code": status, "message": "", "type": "OK"}, "data": data}, status
    )


def _guard(request: web.Request, call: str, endpoint: str) -> web.Response | None:
    key = request.headers.get("as-api-key")
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
    """AfterShip's 429: ``TOO_MANY_REQUEST`` with its ``X-RateLimit-*`` headers (the reset a
    Unix time; reference card §3)."""
    response = _meta(429, 429, "You have exceeded the API call rate limit.")
    response.headers.update(
        {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": str(reset),
        }
    )
    return response


def _active(request: web.Request) -> FakeRegistration | None:
    registration = request.app[UPSTREAM_FAKE].registrations.get(request.match_info["id"])
    return registration if registration is not None and registration.active else None


async def _create(request: web.Request) -> web.Response:
    refused = _guard(request, "register", "create")
    if refused is not None:
        return refused
    state = request.app[UPSTREAM_FAKE]
    body = await request.json()
    number = body.get("tracking_number") if isinstance(body, dict) else None
    if not isinstance(number, str) or not number:
        return _meta(400, 4005, "tracking_number is invalid.")
    registration, created = state.register(number, str(body.get("slug") or ""))
    if not created:
        return _meta(400, 4003, "Tracking already exists.")
    return _ok(render_tracking(registration, look_up(state.source, number)), 201)


async def _list(request: web.Request) -> web.Response:
    refused = _guard(request, "poll", "list")
    if refused is not None:
        return refused
    state = request.app[UPSTREAM_FAKE]
    wanted = [n for n in request.query.get("tracking_numbers", "").split(",") if n]
    if len(wanted) > LIST_LIMIT:
        return _meta(400, 400, f"tracking_numbers: up to {LIST_LIMIT} values.")
    answers, failure = polled(state, wanted)
    if failure is not None:
        return meta_fault(failure)
    found = [render_tracking(registration, outcome) for registration, outcome in answers]
    return _ok({"pagination": {"total": len(found), "has_next_page": False}, "trackings": found})


async def _get(request: web.Request) -> web.Response:
    refused = _guard(request, "poll", "get")
    if refused is not None:
        return refused
    registration = _active(request)
    if registration is None:
        return _meta(404, 4004, "Tracking does not exist.")
    outcome = look_up(request.app[UPSTREAM_FAKE].source, registration.number)
    failure = call_failure([outcome])
    if failure is not None:
        return meta_fault(failure)
    return _ok(render_tracking(registration, outcome))


async def _delete(request: web.Request) -> web.Response:
    refused = _guard(request, "stop", "delete")
    if refused is not None:
        return refused
    registration = _active(request)
    if registration is None:
        return _meta(404, 4004, "Tracking does not exist.")
    request.app[UPSTREAM_FAKE].stop(registration)
    return _ok({"id": registration.id, "tracking_number": registration.number})


async def _couriers(request: web.Request) -> web.Response:
    refused = _guard(request, "probe", "couriers")
    return refused or _ok({"total": 1, "couriers": [{"slug": "usps", "name": "USPS"}]})


def render_tracking(
    registration: FakeRegistration, outcome: TrackingResult | CourierError
) -> dict[str, Any]:
    """AfterShip's tracking object for a journey."""
    checkpoints = []
    if isinstance(outcome, TrackingResult):
        for event in ordered_events(outcome.events):
            subtag = carrier_code_for(event, SUBTAGS, PREFERRED_SUBTAG, degrade=True)
            checkpoints.append(
                {
                    "checkpoint_time": event.occurrence_datetime,
                    "message": event.status,
                    "location": event.location,
                    "tag": subtag.split("_")[0],
                    "subtag": subtag,
                    "raw_tag": event.carrier_status_code,
                }
            )
    latest = checkpoints[-1]["subtag"] if checkpoints else "Pending_001"
    return {
        "id": registration.id,
        "tracking_number": registration.number,
        "slug": registration.courier or "usps",
        "active": registration.active,
        "tag": latest.split("_")[0],
        "subtag": latest,
        "checkpoints": checkpoints,
    }


def render_webhook(state: UpstreamFakeState, numbers: list[str]) -> tuple[dict[str, str], bytes]:
    """AfterShip's ``tracking_update`` webhook for the first of ``numbers``."""
    registration = state.find(numbers[0])
    assert registration is not None, "the fake pushes only numbers registered with it"
    body = orjson.dumps(
        {
            "ts": int(time.time()),
            "event": "tracking_update",
            "event_id": str(uuid.uuid4()),
            "is_tracking_first_tag": False,
            "msg": render_tracking(registration, look_up(state.source, registration.number)),
        }
    )
    return {"aftership-hmac-sha256": hmac_base64(state.webhook_secret.encode(), body)}, body

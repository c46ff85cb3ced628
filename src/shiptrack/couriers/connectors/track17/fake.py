"""A fake 17TRACK Tracking API v2.2 (127.0.0.1 only).

``POST /track/v2.2/{register,gettrackinfo,deletetrack,getquota}`` with the ``17token`` header,
JSON arrays in, ``{"code": 0, "data": {"accepted", "rejected"}}`` out, with 17TRACK's item
error codes (``-18019901`` already registered, ``-18019902`` not registered); a wrong key is
an HTTP 401. Its push (``render_webhook``) is ``{"event": "TRACKING_UPDATED", "data": ...}``
signed in the ``sign`` header as 17TRACK does. It allows 3 requests a second per key, every
endpoint together (17TRACK's documented limit): past it, HTTP ``429`` (the card documents the
status only; the body here is 17TRACK's ``{"code", "data"}`` envelope with ``errors``).

Each journey event becomes a 17TRACK event whose ``sub_status`` says its Ship24 code in
17TRACK's words (``statuses.SUB_STATUSES``; a code 17TRACK has no word for becomes
``InTransit_Other``) and whose ``stage`` is the milestone key when one fits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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
    upstream_app,
)
from shiptrack.couriers.connectors.fakesource import (
    Fault,
    JourneySource,
    call_failure,
    carrier_code_for,
    inverse_table,
    look_up,
    ordered_events,
    retry_after_headers,
)
from shiptrack.couriers.connectors.protocol import CourierError, TrackingResult
from shiptrack.couriers.connectors.track17.client import sign
from shiptrack.couriers.connectors.track17.settings import Track17Settings
from shiptrack.couriers.connectors.track17.statuses import (
    ALREADY_REGISTERED,
    NOT_REGISTERED,
    PREFERRED_SUB_STATUS,
    STAGES,
    SUB_STATUSES,
)

__all__ = ["create_app", "render_track_info", "render_webhook"]

_STAGE_OF = {code: stages[0] for code, stages in inverse_table(STAGES).items()}


def create_app(
    source: JourneySource,
    *,
    api_key: str,
    webhook_secret: str = "",
    limits: Mapping[str, float] | None = None,
) -> web.Application:
    """The fake; it signs pushes with ``api_key`` (17TRACK's scheme: no separate secret).
    ``limits``: ``{"all": calls a second}`` (default 17TRACK's documented 3; ``{}`` for none)."""
    state = UpstreamFakeState(source, api_key, webhook_secret or api_key)
    state.rates = enforced_limits(Track17Settings.documented_limits, limits)
    return upstream_app(
        state,
        render_webhook,
        web.post("/track/v2.2/register", _register),
        web.post("/track/v2.2/gettrackinfo", _gettrackinfo),
        web.post("/track/v2.2/deletetrack", _deletetrack),
        web.post("/track/v2.2/getquota", _getquota),
    )


def _rejected(number: str, code: int, message: str) -> dict[str, Any]:
    return {"number": number, "error": {"code": code, "message": message}}


def _answer(accepted: list[Any], rejected: list[Any]) -> web.Response:
    return json_response({"code": 0, "data": {"accepted": accepted, "rejected": rejected}})


async def _items(request: web.Request, call: str) -> list[dict[str, Any]] | web.Response:
    refused = admit(
        request,
        call,
        request.headers.get("17token"),
        lambda: json_response({"code": -18010002, "data": {"errors": []}}, status=401),
        _fault,
        endpoint="all",
        throttle=_throttle,
    )
    if refused is not None:
        return refused
    body = await request.json()
    if not isinstance(body, list) or len(body) > 40:
        return json_response({"code": -18010014, "data": {}}, status=200)
    return [item for item in body if isinstance(item, dict)]


def _throttle(limit: int, reset: int) -> web.Response:
    """17TRACK's 429 ("too frequent"): no wait is documented, the client keeps its own."""
    error = {"code": 429, "message": f"Too many requests: at most {limit} a second."}
    return json_response({"code": 429, "data": {"errors": [error]}}, status=429)


def _fault(fault: Fault) -> web.Response:
    if fault.malformed:
        return web.Response(body=b'{"code": 0, "data": {', content_type="application/json")
    body = orjson.dumps({"code": -18010003, "data": {}})
    return web.Response(
        status=fault.status,
        body=body,
        headers=retry_after_headers(fault),
        content_type="application/json",
    )


async def _register(request: web.Request) -> web.Response:
    items = await _items(request, "register")
    if isinstance(items, web.Response):
        return items
    state = request.app[UPSTREAM_FAKE]
    accepted, rejected = [], []
    for item in items:
        number = str(item.get("number", ""))
        _, created = state.register(number, str(item.get("carrier") or ""))
        if created:
            accepted.append({"origin": 1, "number": number, "carrier": item.get("carrier") or 0})
        else:
            rejected.append(_rejected(number, ALREADY_REGISTERED, "The number is registered."))
    return _answer(accepted, rejected)


def _registered(
    state: UpstreamFakeState, items: list[dict[str, Any]], rejected: list[dict[str, Any]]
) -> Iterator[tuple[dict[str, Any], str, FakeRegistration]]:
    """The items whose number is registered and active; the others go to ``rejected``."""
    for item in items:
        number = str(item.get("number", ""))
        registration = state.find(number)
        if registration is None or not registration.active:
            rejected.append(_rejected(number, NOT_REGISTERED, "The number is not registered."))
            continue
        yield item, number, registration


async def _gettrackinfo(request: web.Request) -> web.Response:
    items = await _items(request, "poll")
    if isinstance(items, web.Response):
        return items
    state = request.app[UPSTREAM_FAKE]
    accepted: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    for _item, number, _registration in _registered(state, items, rejected):
        outcome = look_up(state.source, number)
        failure = call_failure([outcome])
        if failure is not None:
            return _fault(failure)
        accepted.append(render_track_info(number, outcome))
    return _answer(accepted, rejected)


async def _deletetrack(request: web.Request) -> web.Response:
    items = await _items(request, "stop")
    if isinstance(items, web.Response):
        return items
    state = request.app[UPSTREAM_FAKE]
    accepted: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    for item, number, registration in _registered(state, items, rejected):
        state.stop(registration)
        accepted.append({"number": number, "carrier": item.get("carrier") or 0})
    return _answer(accepted, rejected)


async def _getquota(request: web.Request) -> web.Response:
    items = await _items(request, "probe")
    if isinstance(items, web.Response):
        return items
    quota = {"quota_total": 100, "quota_used": 0, "quota_remain": 100, "today_used": 0}
    return json_response({"code": 0, "data": quota})


def render_track_info(number: str, outcome: TrackingResult | CourierError) -> dict[str, Any]:
    """A gettrackinfo ``accepted[]`` item (and a push's ``data``) for a journey."""
    events = []
    if isinstance(outcome, TrackingResult):
        for event in reversed(ordered_events(outcome.events)):
            sub_status = carrier_code_for(event, SUB_STATUSES, PREFERRED_SUB_STATUS, degrade=True)
            events.append(
                {
                    "time_iso": event.occurrence_datetime,
                    "time_utc": None,
                    "description": event.status,
                    "location": event.location,
                    "stage": _STAGE_OF.get(SUB_STATUSES[sub_status]),
                    "sub_status": sub_status,
                }
            )
    latest = events[0]["sub_status"] if events else "NotFound_Other"
    return {
        "number": number,
        "carrier": 0,
        "param": None,
        "tag": None,
        "track_info": {
            "latest_status": {"status": latest.split("_")[0], "sub_status": latest},
            "latest_event": events[0] if events else None,
            "tracking": {
                "providers": [
                    {"provider": {"key": 0, "name": "fake"}, "service_type": None, "events": events}
                ]
            },
        },
    }


def render_webhook(state: UpstreamFakeState, numbers: list[str]) -> tuple[dict[str, str], bytes]:
    """17TRACK's push for the first of ``numbers`` (17TRACK pushes one number a message)."""
    number = numbers[0]
    data = render_track_info(number, look_up(state.source, number))
    body = orjson.dumps({"event": "TRACKING_UPDATED", "data": data})
    return {"sign": sign(body, state.api_key.encode())}, body

"""A fake Ship24 Tracking API (127.0.0.1 only), as shiptrack's upstream sees it.

``POST /public/v1/trackers`` (idempotent per number: the same tracker comes back),
``POST /public/v1/trackers/bulk`` (up to 100, each ``created`` or ``existing``),
``POST /public/v1/trackers/track`` (create-tracker-and-get-tracking-results: the tracker
created or found as ``POST /trackers`` does, answered 201 with its results in the results'
shape; 400 ``tracker_conflict`` when its courier list overlaps the asked one without being
equal),
``GET /public/v1/trackers/{trackerId}/results``, ``PATCH /public/v1/trackers/{trackerId}``
(``isSubscribed: false`` stops it), ``GET /public/v1/trackers`` (the check), all with
``Authorization: Bearer <api key>``; errors in Ship24's envelope. Each endpoint keeps
Ship24's documented limit per second (create 10, track 10, bulk 3, results 10, update 10):
past it, ``429`` with Ship24's plain-text body, ``RateLimit-*``, ``X-RateLimit-*`` and
``Retry-After``. The tracker list pages through the fake account's pre-loaded trackers and
those created since, under Ship24's rate limit (``fake_account.py``; ``app[SHIP24_ACCOUNT]``).
Its webhook (``render_webhook``) carries ``Authorization: Bearer <webhook secret>``.

Events are rendered from the journey with their Ship24 ``statusCode`` as they are (Ship24's
own vocabulary), newest first, with ``order``.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
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
    upstream_app,
)
from shiptrack.couriers.connectors.fakesource import (
    Fault,
    JourneySource,
    call_failure,
    look_up,
    ordered_events,
    retry_after_headers,
)
from shiptrack.couriers.connectors.protocol import CourierError, TrackingResult
from shiptrack.couriers.connectors.ship24.fake_account import (
    TOO_MANY_REQUESTS,
    FakeAccount,
    list_trackers,
)
from shiptrack.couriers.connectors.ship24.settings import Ship24Settings

__all__ = ["SHIP24_ACCOUNT", "create_app", "render_tracking", "render_webhook"]

SHIP24_ACCOUNT = web.AppKey("shiptrack_ship24_account", FakeAccount)
#: Trackers per bulk create (Ship24's documented maximum).
BULK_LIMIT = 100
#: Calls per second per endpoint (spec ``ship24-api.md`` §3.1; the list's is the account's).
LIMITS = {k: v for k, v in Ship24Settings.documented_limits.items() if k != "list"}


def create_app(
    source: JourneySource,
    *,
    api_key: str,
    webhook_secret: str,
    account: FakeAccount | None = None,
    limits: Mapping[str, float] | None = None,
) -> web.Application:
    """The fake; ``account`` holds the trackers it lists (none pre-loaded by default);
    ``limits``: calls a second per endpoint (default Ship24's documented ones, ``LIMITS``;
    ``{}`` for none; the list's, ``"list"``, is the account's)."""
    state = UpstreamFakeState(source, api_key, webhook_secret)
    chosen = None if limits is None else {k: v for k, v in limits.items() if k != "list"}
    state.rates = enforced_limits(LIMITS, chosen)
    if account is None:
        account = FakeAccount()
        if limits is not None:
            account.rate_limit = int(limits.get("list", 0))
    app = upstream_app(
        state,
        render_webhook,
        web.post("/public/v1/trackers", _create),
        web.post("/public/v1/trackers/bulk", _bulk),
        web.post("/public/v1/trackers/track", _track),
        web.get("/public/v1/trackers", _list),
        web.get("/public/v1/trackers/{tracker_id}/results", _results),
        web.patch("/public/v1/trackers/{tracker_id}", _update),
    )
    app[SHIP24_ACCOUNT] = account
    return app


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    body = orjson.dumps({"errors": [{"code": code, "message": message}], "data": None})
    return web.Response(status=status, body=body, headers=headers, content_type="application/json")


def _guard(request: web.Request, call: str, endpoint: str = "") -> web.Response | None:
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    return admit(
        request,
        call,
        key if scheme == "Bearer" else None,
        lambda: _error(401, "access_denied", "Invalid API key."),
        _fault,
        endpoint=endpoint,
        throttle=_throttle if endpoint else None,
    )


def _throttle(limit: int, reset: int) -> web.Response:
    """Ship24's 429: the plain-text body and the ``RateLimit-*``, ``X-RateLimit-*`` and
    ``Retry-After`` headers (spec §6.3)."""
    wait = str(max(1, reset - int(time.time())))
    headers = {
        "RateLimit-Limit": str(limit),
        "RateLimit-Remaining": "0",
        "RateLimit-Reset": wait,
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(reset),
        "Retry-After": wait,
    }
    return web.Response(
        status=429, body=TOO_MANY_REQUESTS, headers=headers, content_type="text/plain"
    )


def _fault(fault: Fault) -> web.Response:
    if fault.malformed:
        return web.Response(body=b'{"data": [1,', content_type="application/json")
    code = {429: "too_many_requests", 401: "access_denied"}.get(fault.status, "internal_error")
    return _error(fault.status, code, "Injected fault.", retry_after_headers(fault))


def _tracker(registration: FakeRegistration) -> dict[str, Any]:
    return {
        "trackerId": registration.id,
        "trackingNumber": registration.number,
        "shipmentReference": None,
        "clientTrackerId": None,
        "isSubscribed": registration.active,
        "isTracked": registration.active,
        "createdAt": "2026-01-01T00:00:00.000Z",
        "courierCode": _known_codes(registration),
    }


def _known_codes(registration: FakeRegistration) -> list[str]:
    """The tracker's ``courierCode`` list."""
    if registration.codes:
        return list(registration.codes)
    return [registration.courier] if registration.courier else []


def _invalid(number: object) -> bool:
    return not isinstance(number, str) or not 5 <= len(number) <= 50


async def _create(request: web.Request) -> web.Response:
    asked = await _asked(request, "create")
    if isinstance(asked, web.Response):
        return asked
    registration = _registered(request, *asked)
    return json_response({"data": {"tracker": _tracker(registration)}}, status=201)


async def _asked(request: web.Request, endpoint: str) -> tuple[str, list[str]] | web.Response:
    """The number and courier codes a create or track call asks for, or its refusal (the
    endpoint's limit, an invalid number)."""
    refused = _guard(request, "register", endpoint)
    if refused is not None:
        return refused
    body = await request.json()
    number = body.get("trackingNumber") if isinstance(body, dict) else None
    if _invalid(number):
        return _error(400, "validation_error", "The trackingNumber provided seems invalid.")
    return number, _codes(body)


def _registered(request: web.Request, number: str, codes: list[str]) -> FakeRegistration:
    """The account's tracker of ``number``, created (with ``codes``) when it had none."""
    registration, created = request.app[UPSTREAM_FAKE].register(number, codes[0] if codes else "")
    if created and len(codes) > 1:
        registration.codes = tuple(codes)
    return registration


def _codes(body: dict[str, Any]) -> list[str]:
    """The ``courierCode`` asked: a string or a list of them (none: ``[]``)."""
    codes = body.get("courierCode") or []
    return [codes] if isinstance(codes, str) else [c for c in codes if isinstance(c, str)]


async def _track(request: web.Request) -> web.Response:
    """Create the tracker if needed (idempotent, as ``POST /trackers``) and answer its
    tracking results in the results' shape, 201 (Ship24 answers 201 live; its document says
    200). 400 ``tracker_conflict`` when the tracker of that number has a courier list that
    overlaps the one asked without being equal (spec §3.3, this call only)."""
    asked = await _asked(request, "track")
    if isinstance(asked, web.Response):
        return asked
    number, codes = asked
    state = request.app[UPSTREAM_FAKE]
    existing = state.find(number)
    if existing is not None and existing.active and codes:
        known = set(_known_codes(existing))
        if known & set(codes) and known != set(codes):
            return _error(
                400,
                "tracker_conflict",
                "A tracker already exists on this tracking number with conflicting courier codes.",
            )
    registration = _registered(request, number, codes)
    outcome = look_up(state.source, registration.number)
    failure = call_failure([outcome])
    if failure is not None:
        return _fault(failure)
    tracking = render_tracking(registration, outcome)
    return json_response({"data": {"trackings": [tracking]}}, status=201)


async def _bulk(request: web.Request) -> web.Response:
    """Up to 100 creates, each ``created``, ``existing`` or ``error``; 201 when all were
    created or existed, 207 when some failed, 400 for a request over the limit."""
    refused = _guard(request, "register", "bulk")
    if refused is not None:
        return refused
    body = await request.json()
    if not isinstance(body, list) or not 1 <= len(body) <= BULK_LIMIT:
        error = {"code": "validation_error", "message": f"from 1 to {BULK_LIMIT} trackers"}
        return json_response(
            {"status": "error", "summary": None, "data": None, "errors": [error]}, 400
        )
    state = request.app[UPSTREAM_FAKE]
    items: list[dict[str, Any]] = []
    for given in body:
        given = given if isinstance(given, dict) else {}
        number = given.get("trackingNumber")
        if _invalid(number):
            error = {"code": "validation_error", "message": "trackingNumber seems invalid."}
            items.append(
                {"itemStatus": "error", "inputData": given, "tracker": None, "errors": [error]}
            )
            continue
        codes = _codes(given)
        registration, created = state.register(number, codes[0] if codes else "")
        if created and len(codes) > 1:
            registration.codes = tuple(codes)
        status = "created" if created else "existing"
        items.append(
            {
                "itemStatus": status,
                "inputData": given,
                "tracker": _tracker(registration),
                "errors": None,
            }
        )
    counts = {s: sum(i["itemStatus"] == s for i in items) for s in ("created", "existing", "error")}
    summary = {
        "totalInputs": len(items),
        "totalCreated": counts["created"],
        "totalExisting": counts["existing"],
        "totalErrors": counts["error"],
    }
    partial = counts["error"] > 0
    answer = {"status": "partial" if partial else "success", "summary": summary, "data": items}
    return json_response(answer, status=207 if partial else 201)


async def _list(request: web.Request) -> web.Response:
    refused = _guard(request, "probe")
    if refused is not None:
        return refused
    state = request.app[UPSTREAM_FAKE]
    return list_trackers(
        request,
        request.app[SHIP24_ACCOUNT],
        lambda: [_tracker(r) for r in state.registrations.values()],
    )


async def _update(request: web.Request) -> web.Response:
    refused = _guard(request, "stop", "update")
    if refused is not None:
        return refused
    state = request.app[UPSTREAM_FAKE]
    registration = state.registrations.get(request.match_info["tracker_id"])
    if registration is None:
        return _error(404, "tracker_not_found", "Tracker not found.")
    body = await request.json()
    if isinstance(body, dict) and body.get("isSubscribed") is False and registration.active:
        state.stop(registration)
    return json_response({"data": {"tracker": _tracker(registration)}})


async def _results(request: web.Request) -> web.Response:
    refused = _guard(request, "poll", "results")
    if refused is not None:
        return refused
    state = request.app[UPSTREAM_FAKE]
    registration = state.registrations.get(request.match_info["tracker_id"])
    if registration is None:
        registration = _listed(request.app[SHIP24_ACCOUNT], request.match_info["tracker_id"])
    if registration is None:
        return _error(404, "tracker_not_found", "Tracker not found.")
    outcome = look_up(state.source, registration.number)
    failure = call_failure([outcome])
    if failure is not None:
        return _fault(failure)
    tracking = render_tracking(registration, outcome)
    return json_response({"data": {"trackings": [tracking]}})


def _listed(account: FakeAccount, tracker_id: str) -> FakeRegistration | None:
    """A pre-loaded tracker of the account, as a registration (its results are served too)."""
    for tracker in account.trackers:
        if tracker["trackerId"] == tracker_id:
            codes = tracker.get("courierCode") or []
            return FakeRegistration(
                tracker_id,
                tracker["trackingNumber"],
                codes[0] if codes else "",
                tracker["isSubscribed"],
            )
    return None


def render_tracking(
    registration: FakeRegistration, outcome: TrackingResult | CourierError
) -> dict[str, Any]:
    """Ship24's ``tracking`` object for a journey (no events when it is unknown yet)."""
    events: list[dict[str, Any]] = []
    shipment_id = str(uuid.uuid5(uuid.NAMESPACE_URL, registration.number))
    shipment: dict[str, Any] = {
        "shipmentId": shipment_id,
        "statusMilestone": "pending",
        "trackingNumbers": [{"tn": registration.number}],
        "delivery": {},
    }
    if isinstance(outcome, TrackingResult):
        ordered = ordered_events(outcome.events)
        for index, event in enumerate(ordered, start=1):
            events.append(
                {
                    # The shipment's id with the event's position as its last digits:
                    # the same for the same event on every answer, one hash per answer.
                    "eventId": f"{shipment_id[:-4]}{index:04x}",
                    "trackingNumber": registration.number,
                    "eventTrackingNumber": event.tracking_number,
                    "status": event.status,
                    "occurrenceDatetime": event.occurrence_datetime,
                    "order": index,
                    "location": event.location,
                    "sourceCode": event.source_code,
                    "courierCode": event.courier_code or outcome.courier_code,
                    "statusCode": event.status_code,
                }
            )
        events.reverse()
        shipment.update(
            originCountryCode=outcome.origin_country_code,
            destinationCountryCode=outcome.destination_country_code,
            delivery={
                "estimatedDeliveryDate": outcome.estimated_delivery,
                "service": outcome.service,
                "signedBy": outcome.signed_by,
            },
        )
    return {"tracker": _tracker(registration), "shipment": shipment, "events": events}


def render_webhook(state: UpstreamFakeState, numbers: list[str]) -> tuple[dict[str, str], bytes]:
    """Ship24's webhook body for ``numbers`` (their active registrations) and its header."""
    trackings = []
    for number in numbers:
        registration = state.find(number)
        if registration is None:
            continue
        tracking = render_tracking(registration, look_up(state.source, number))
        tracking["metadata"] = {
            "generatedAt": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "messageId": str(uuid.uuid4()),
            "topic": "tracking/events",
        }
        trackings.append(tracking)
    body = orjson.dumps({"trackings": trackings})
    return {"Authorization": f"Bearer {state.webhook_secret}"}, body

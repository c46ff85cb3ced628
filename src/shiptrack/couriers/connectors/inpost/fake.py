"""A fake InPost ShipX tracking server for tests and demos (127.0.0.1 only).

``GET /v1/tracking/{tracking_number}`` with ``Authorization: Bearer <token>``, answered from a
journey source in ShipX's documented shape (``tracking_details`` newest first). Errors use the
ShipX body ``{status, error, message, details}``: 401 ``token_invalid`` for a wrong token, 404
``resource_not_found`` for an unknown parcel, 429 with ``Retry-After``, 503. Tests flip
``app[FAKE_STATE].faults`` to inject failures.

Rendering (``render_tracking``) is the inverse of ``parse``: each event's Ship24 status code
picks a ShipX status name (the event's own ``carrier_status_code`` when it agrees). ShipX has
no names for customs or for crossing a border, and events carry no text, so those events come
back as a plain "Sent from the Sorting Facility." scan, exactly as the real API would lose them.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from shiptrack.couriers.connectors.fakesource import (
    FAKE_STATE,
    Fault,
    JourneySource,
    bearer_token,
    carrier_code_for,
    fake_app,
    fault_for,
    look_up,
    malformed_response,
    new_state,
    ordered_events,
    retry_after_headers,
)
from shiptrack.couriers.connectors.fakespec import FakeSpec, keyword_app
from shiptrack.couriers.connectors.inpost.statuses import STATUS_NAMES
from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    TrackingNumberNotFound,
    TrackingResult,
)

__all__ = ["EXPRESSIBLE", "FAKE", "FAKE_STATE", "TABLE", "create_app", "render_tracking"]

#: The fake checks the token with ``FakeState.credentials_match(API_KEY_ID, token)``.
API_KEY_ID = "shipx-token"
#: Status name → Ship24 code, the table the fake inverts.
TABLE: dict[str, str | None] = {name: code for name, (code, _) in STATUS_NAMES.items()}
#: The Ship24 codes ShipX status names can say (``shiptrack.couriers.fakes`` drops the others).
EXPRESSIBLE = frozenset(code for code in TABLE.values() if code)
_PREFERRED: dict[str | None, str] = {
    None: "sent_from_sorting_center",
    "data_order_created": "confirmed",
    "transit_handover": "dispatched_by_sender",
    "delivery_available_for_pickup": "ready_to_pickup",
    "delivery_attempted": "pickup_reminder_sent_address",
    "delivery_exception": "undelivered",
    "exception_return": "returned_to_sender",
}
_ERRORS = {
    401: ("token_invalid", "Token is missing or invalid."),
    404: ("resource_not_found", "Resource you are looking for are not found"),
    429: ("too_many_requests", "Too many requests."),
    503: ("service_unavailable", "Service temporarily unavailable."),
}


def create_app(source: JourneySource, *, api_key: str) -> web.Application:
    """The fake InPost app; ``app[FAKE_STATE]`` holds the fault switch and request log."""
    state = new_state(source, client_id=API_KEY_ID, client_secret=api_key, token_lifetime=0)
    return fake_app(state, web.get("/v1/tracking/{number}", _track))


async def _track(request: web.Request) -> web.Response:
    state = request.app[FAKE_STATE]
    if not state.credentials_match(API_KEY_ID, bearer_token(request)):
        return _error(401)
    number = request.match_info["number"].strip()
    fault = state.record_track([number])
    if fault is not None:
        return _fault(fault)
    outcome = look_up(state.source, number)
    if isinstance(outcome, TrackingNumberNotFound):
        return _error(404)
    if not isinstance(outcome, TrackingResult):
        return _fault(fault_for(outcome))
    return _json(200, render_tracking(outcome))


def render_tracking(result: TrackingResult) -> dict[str, Any]:
    """A journey as ShipX's tracking resource."""
    events = ordered_events(result.events)
    details = [_detail(event) for event in reversed(events)]
    first = events[0].occurrence_datetime if events else None
    last = events[-1].occurrence_datetime if events else None
    return {
        "tracking_number": result.tracking_number,
        "type": result.service or "inpost_locker_standard",
        "service": result.service or "inpost_locker_standard",
        "status": details[0]["status"] if details else "created",
        "custom_attributes": None,
        "tracking_details": details,
        "expected_flow": [],
        "created_at": first,
        "updated_at": last,
    }


def _detail(event: CourierEvent) -> dict[str, Any]:
    name = carrier_code_for(event, TABLE, _PREFERRED, degrade=True)
    return {
        "status": name,
        "origin_status": None,
        "agency": None,
        "location": event.location,
        "datetime": event.occurrence_datetime,
    }


def _fault(fault: Fault) -> web.Response:
    if fault.malformed:
        return malformed_response()
    return _error(fault.status, headers=retry_after_headers(fault))


def _error(status: int, *, headers: dict[str, str] | None = None) -> web.Response:
    error, message = _ERRORS.get(status, ("internal_server_error", "Internal server error."))
    body = {"status": status, "error": error, "message": message, "details": {}}
    return web.Response(
        status=status, body=orjson.dumps(body), headers=headers, content_type="application/json"
    )


def _json(status: int, body: object) -> web.Response:
    return web.Response(status=status, body=orjson.dumps(body), content_type="application/json")


# --- the fake's declaration ------------------------------------------------------------


def _recognise(number: str) -> tuple[str, int] | None:
    """24 digits (no check digit); selector: the last digit."""
    if len(number) == 24 and number.isdigit():
        return "inpost-pl", int(number[-1])
    return None


def _make(serial: int, selector: int) -> str:
    """``60`` + 21-digit serial + selector (24)."""
    return f"60{serial:021d}{selector}"


#: This carrier's fake for ``shiptrack fake-couriers`` (``couriers/connectors/fakespec.py``).
FAKE = FakeSpec(
    name="inpost",
    order=5,
    courier_codes=frozenset({"inpost-pl"}),
    recognise=_recognise,
    make=_make,
    serials=10**21,
    offsets=True,
    expressible=EXPRESSIBLE,
    credentials={"api_key": "fake-inpost-shipx-token"},
    create_app=keyword_app(create_app),
)

"""A fake Australia Post "Track items" server for tests and demos (127.0.0.1 only).

``GET /shipping/v1/track?tracking_ids=…`` (also under ``/test``) with HTTP Basic credentials and
``Account-Number``, answered from a journey source in Australia Post's documented shape: one
``tracking_results`` entry per id, an article with its events newest first (free-text
``description``, ISO ``date`` with offset, optional ``location``), or ``errors`` ``ESB-10001``
for an id it does not know. Request-level errors use ``{"errors": [{code, name, message}]}``:
401 for wrong credentials, 403 ``41001`` for a wrong account, 400 ``51101`` for more than 10
ids, 429 ``API_002`` with ``Retry-After``, 503. Tests flip ``app[FAKE_STATE].faults``.

Rendering (``render_result``) keeps each event's text, place and time: the connector's status
normaliser reads them back. The article's ``status`` is Australia Post's word for the journey's
last Ship24 code (``Delivered``, ``Awaiting collection``…), ``In transit`` otherwise.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson
from aiohttp import web

from shiptrack.couriers.connectors.auspost.statuses import ITEM_STATUSES
from shiptrack.couriers.connectors.fakesource import (
    FAKE_STATE,
    Fault,
    JourneySource,
    call_failure,
    fake_app,
    look_up,
    malformed_response,
    new_state,
    ordered_events,
    retry_after_headers,
)
from shiptrack.couriers.connectors.fakespec import FakeSpec, keyword_app, s10_format
from shiptrack.couriers.connectors.protocol import CourierError, TrackingResult

__all__ = ["EXPRESSIBLE", "FAKE", "FAKE_STATE", "create_app", "render_result"]

DEFAULT_ACCOUNT = "0123456789"
MAX_IDS = 10
#: The Ship24 codes Australia Post's words can say: its article statuses, and the data
#: event of its documented sample ("Shipping information received by Australia Post").
#: ``shiptrack.couriers.fakes`` drops the others.
EXPRESSIBLE = frozenset({"data_order_created", *(code for code in ITEM_STATUSES.values() if code)})
_WORD_OF_CODE: dict[str | None, str] = {}
for _word, _code in ITEM_STATUSES.items():
    _WORD_OF_CODE.setdefault(_code, _word)
_WORD_OF_CODE[None] = "In transit"
_ERRORS = {
    401: ("401", "UNAUTHORISED", "Invalid API key or password."),
    403: ("41001", "CUSTOMER_NOT_FOUND", "The account number is not valid."),
    429: ("API_002", "TOO_MANY_REQUESTS", "Too many requests."),
    503: ("503", "SERVICE_UNAVAILABLE", "Service temporarily unavailable."),
}


def create_app(
    source: JourneySource, *, api_key: str, password: str, account_number: str = DEFAULT_ACCOUNT
) -> web.Application:
    """The fake Australia Post app; ``app[FAKE_STATE]`` holds the fault switch and log."""
    state = new_state(source, client_id=api_key, client_secret=password, token_lifetime=0)
    app = fake_app(
        state,
        web.get("/shipping/v1/track", _track),
        web.get("/test/shipping/v1/track", _track),
    )
    app[_ACCOUNT] = account_number
    return app


_ACCOUNT = web.AppKey("auspost_account", str)


async def _track(request: web.Request) -> web.Response:
    state = request.app[FAKE_STATE]
    key, password = _basic(request.headers.get("Authorization", ""))
    if not state.credentials_match(key, password):
        return _error(401)
    if request.headers.get("Account-Number") != request.app[_ACCOUNT]:
        return _error(403)
    ids = [part.strip() for part in request.query.get("tracking_ids", "").split(",")]
    ids = [number for number in ids if number]
    fault = state.record_track(ids)
    if fault is not None:
        return _fault(fault)
    if not ids or len(ids) > MAX_IDS:
        return _error(
            400,
            (
                "51101",
                "TOO_MANY_AP_TRACKING_IDS",
                "The request must contain 10 "
                "or less AP article ids, consignment ids, or barcode ids.",
            ),
        )
    outcomes = {number: look_up(state.source, number) for number in ids}
    failure = call_failure(outcomes.values())
    if failure is not None:
        return _fault(failure)
    results = [_result(number, outcome) for number, outcome in outcomes.items()]
    return _json(200, {"tracking_results": results})


def _result(number: str, outcome: TrackingResult | CourierError) -> dict[str, Any]:
    if isinstance(outcome, TrackingResult):
        return render_result(outcome)
    return {"tracking_id": number, "errors": [{"code": "ESB-10001", "name": "Invalid tracking ID"}]}


def render_result(result: TrackingResult) -> dict[str, Any]:
    """A journey as one ``tracking_results`` entry (one article)."""
    events = ordered_events(result.events)
    last = events[-1].status_code if events else None
    status = _WORD_OF_CODE.get(last, "In transit")
    rendered = []
    for event in reversed(events):
        entry = {"description": event.status or "", "date": event.occurrence_datetime}
        if event.location:
            entry["location"] = event.location
        rendered.append(entry)
    article = {
        "article_id": result.tracking_number,
        "product_type": result.service or "Parcel Post",
        "status": status,
        "events": rendered,
    }
    return {
        "tracking_id": result.tracking_number,
        "status": status,
        "trackable_items": [article],
    }


def _basic(header: str) -> tuple[str | None, str | None]:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    key, sep, password = decoded.partition(":")
    return (key, password) if sep else (None, None)


def _fault(fault: Fault) -> web.Response:
    if fault.malformed:
        return malformed_response()
    return _error(fault.status, headers=retry_after_headers(fault))


def _error(
    status: int,
    error: tuple[str, str, str] | None = None,
    *,
    headers: dict[str, str] | None = None,
) -> web.Response:
    code, name, message = error or _ERRORS.get(status, ("500", "INTERNAL_ERROR", "Error."))
    body = {"errors": [{"code": code, "name": name, "message": message}]}
    return web.Response(
        status=status, body=orjson.dumps(body), headers=headers, content_type="application/json"
    )


def _json(status: int, body: object) -> web.Response:
    return web.Response(status=status, body=orjson.dumps(body), content_type="application/json")


# --- the fake's declaration ------------------------------------------------------------

_recognise, _make = s10_format("AU", "au-post")

#: This carrier's fake for ``shiptrack fake-couriers`` (``couriers/connectors/fakespec.py``).
FAKE = FakeSpec(
    name="auspost",
    order=8,
    courier_codes=frozenset({"au-post"}),
    recognise=_recognise,
    make=_make,
    serials=10**7,
    offsets=True,
    expressible=EXPRESSIBLE,
    credentials={
        "api_key": "fake-auspost-api-key",
        "password": "fake-auspost-password",
        "account_number": "0123456789",
    },
    create_app=keyword_app(create_app),
)

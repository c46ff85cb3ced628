"""A fake Royal Mail Tracking API v2 server for tests and demos (127.0.0.1 only).

``GET /mailpieces/v2/{mailPieceId}/events`` with ``X-IBM-Client-Id``, ``X-IBM-Client-Secret``
and ``X-Accept-RMG-Terms: yes``, answered from a journey source in the shape of Royal Mail's
Swagger (``{"mailPieces": {…}}``, events newest first, times with their offset). An unknown
number is the documented 404 ``E1142``; a missing terms header the 400 ``E0004``; wrong
credentials a 401, 429 with ``Retry-After``, 503, all with the gateway's
``{httpCode, httpMessage, moreInformation}`` body. Tests flip ``app[FAKE_STATE].faults``.

Rendering (``render_events``) is the inverse of ``parse``: each event's Ship24 status code picks
a Royal Mail event code (the event's own ``carrier_status_code`` when it agrees). Royal Mail has
no code for "arrived in the destination country", a customs delay, a refusal or a loss: those
come back as the nearest code Royal Mail would send.
"""

from __future__ import annotations

import re
from typing import Any

import orjson
import pycountry
from aiohttp import web

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
from shiptrack.couriers.connectors.fakespec import FakeSpec, keyword_app
from shiptrack.couriers.connectors.protocol import CourierError, TrackingResult
from shiptrack.couriers.connectors.royalmail.statuses import EVENT_CODES
from shiptrack.couriers.detection.checkdigits import s10_check

__all__ = ["FAKE", "FAKE_STATE", "create_app", "render_events"]

# --- what ``shiptrack fake-couriers`` needs (``shiptrack.couriers.fakes``) -------------------

#: Courier codes of the numbers this fake knows, and of the connector it stands in for.
COURIER_CODES = frozenset({"gb-post"})
#: Royal Mail sends a UTC offset with every event.
OFFSETS = True
SERIALS = 10**7
#: The Ship24 codes Royal Mail's own codes can say.
EXPRESSIBLE = frozenset(code for code in EVENT_CODES.values() if code)
CREDENTIALS = {
    "client_id": "fake-royalmail-client-id",
    "client_secret": "fake-royalmail-client-secret",
}
_S10_GB = re.compile(r"^[A-Z]{2}\d{9}GB$")


def recognise(number: str) -> tuple[str, int] | None:
    """A Royal Mail S10 number (``..`` + 8 digits + check + ``GB``): courier, selector digit."""
    if _S10_GB.match(number) and s10_check(number[2:10]) == int(number[10]):
        return "gb-post", int(number[9])
    return None


def make_number(serial: int, selector: int) -> str:
    """``RR`` + 7-digit serial + selector + S10 check digit + ``GB``."""
    digits = f"{serial:07d}{selector}"
    return f"RR{digits}{s10_check(digits)}GB"


_PREFERRED: dict[str | None, str] = {
    None: "EVIMC",
    "data_order_created": "EVAIE",
    "transit_handover": "EVDAV",
    "delivery_delivered": "EVKSP",
    "delivery_attempted": "EVKAA",
    "exception_return": "EVBRA",
    "delivery_exception": "EVHAP",
}
#: Ship24 codes Royal Mail has no event code for → the nearest code it would send.
_NEAREST: dict[str, str] = {
    "destination_arrival": "EVIMC",
    "customs_exception": "EVJIC",
    "delivery_refused": "EVNRT",
    "exception_lost": "EVHAP",
    "exception_discarded": "EVSGD",
    "data_order_cancelled": "EVZDM",
    "data_delivery_proposed": "EVZDM",
    "data_delivery_decided": "EVZDM",
}


def create_app(source: JourneySource, *, client_id: str, client_secret: str) -> web.Application:
    """The fake Royal Mail app; ``app[FAKE_STATE]`` holds the fault switch and request log."""
    state = new_state(source, client_id=client_id, client_secret=client_secret, token_lifetime=0)
    return fake_app(state, web.get("/mailpieces/v2/{id}/events", _events))


async def _events(request: web.Request) -> web.Response:
    state = request.app[FAKE_STATE]
    headers = request.headers
    if not state.credentials_match(
        headers.get("X-IBM-Client-Id"), headers.get("X-IBM-Client-Secret")
    ):
        return _gateway(401, "Unauthorized", "Invalid client id or secret.")
    number = request.match_info["id"].strip()
    fault = state.record_track([number])
    if fault is not None:
        return _fault(fault)
    if headers.get("X-Accept-RMG-Terms", "").lower() != "yes":
        return _error(400, "E0004", "Royal Mail Terms and Conditions have not been accepted")
    outcome = look_up(state.source, number)
    failure = call_failure([outcome])
    if failure is not None:
        return _fault(failure)
    if isinstance(outcome, CourierError):
        return _error(404, "E1142", f"Barcode reference {number} isn't recognised")
    return _json(200, render_events(outcome))


def render_events(result: TrackingResult) -> dict[str, Any]:
    """A journey as Royal Mail's ``events`` answer."""
    events = ordered_events(result.events)
    coded = [(event, _code(event.status_code, event.carrier_status_code)) for event in events]
    rendered = [
        {
            "eventCode": code,
            "eventName": event.status or code,
            "eventDateTime": event.occurrence_datetime,
            **({"locationName": event.location} if event.location else {}),
        }
        for event, code in reversed(coded)
    ]
    summary: dict[str, Any] = {
        "uniqueItemId": result.tracking_number,
        "oneDBarcode": result.tracking_number,
        "productName": result.service,
        "destinationCountryCode": _alpha3(result.destination_country_code),
        "originCountryCode": _alpha3(result.origin_country_code),
    }
    if rendered:
        summary.update(
            lastEventCode=rendered[0]["eventCode"],
            lastEventName=rendered[0]["eventName"],
            lastEventDateTime=rendered[0]["eventDateTime"],
        )
    piece: dict[str, Any] = {
        "mailPieceId": result.tracking_number,
        "carrierShortName": "RM",
        "carrierFullName": "Royal Mail Group Ltd",
        "summary": {k: v for k, v in summary.items() if v is not None},
        "events": rendered,
    }
    if result.signed_by:
        when = next(
            (
                e["eventDateTime"]
                for e in rendered
                if EVENT_CODES.get(e["eventCode"]) == "delivery_delivered"
            ),
            None,
        )
        piece["signature"] = {"recipientName": result.signed_by, "signatureDateTime": when}
    estimate = _estimate(result)
    if estimate:
        piece["estimatedDelivery"] = estimate
    return {"mailPieces": piece}


def _estimate(result: TrackingResult) -> dict[str, str]:
    """``estimatedDelivery``: a date, and a window as times of that date (with offsets)."""
    estimate: dict[str, str] = {}
    if result.estimated_delivery:
        estimate["date"] = result.estimated_delivery[:10]
    for key, value in (
        ("startOfEstimatedWindow", result.estimated_delivery_from),
        ("endOfEstimatedWindow", result.estimated_delivery_to),
    ):
        if value and "T" in value:
            estimate.setdefault("date", value[:10])
            estimate[key] = value.split("T", 1)[1]
    return estimate


def _code(status_code: str | None, own: str | None) -> str:
    if own in EVENT_CODES and EVENT_CODES[own] == status_code:
        return own
    if status_code in _PREFERRED:
        return _PREFERRED[status_code]
    if status_code in _NEAREST:
        return _NEAREST[status_code]
    return next(code for code, mapped in EVENT_CODES.items() if mapped == status_code)


def _alpha3(country: str | None) -> str | None:
    found = pycountry.countries.get(alpha_2=country) if country else None
    return found.alpha_3 if found is not None else country


def _fault(fault: Fault) -> web.Response:
    if fault.malformed:
        return malformed_response()
    names = {
        401: ("Unauthorized", "Invalid client id or secret."),
        429: (
            "Too Many Requests",
            "The rate limit has been exceeded for the plan or operation being used",
        ),
        503: ("Service Unavailable", "Service temporarily unavailable"),
    }
    message, more = names.get(fault.status, ("Internal Server Error", "E0009: try again later"))
    return _gateway(fault.status, message, more, headers=retry_after_headers(fault))


def _gateway(
    status: int, message: str, more: str, *, headers: dict[str, str] | None = None
) -> web.Response:
    body = {"httpCode": str(status), "httpMessage": message, "moreInformation": more}
    return _json(status, body, headers=headers)


def _error(status: int, code: str, description: str) -> web.Response:
    body = {
        "httpCode": str(status),
        "httpMessage": "Not Found" if status == 404 else "Bad Request",
        "errors": [{"errorCode": code, "errorDescription": description}],
    }
    return _json(status, body)


def _json(status: int, body: object, *, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        status=status, body=orjson.dumps(body), headers=headers, content_type="application/json"
    )


# --- the fake's declaration ------------------------------------------------------------

#: This carrier's fake for ``shiptrack fake-couriers`` (``couriers/connectors/fakespec.py``).
FAKE = FakeSpec(
    name="royalmail",
    order=11,
    courier_codes=COURIER_CODES,
    recognise=recognise,
    make=make_number,
    serials=SERIALS,
    offsets=OFFSETS,
    expressible=EXPRESSIBLE,
    credentials=CREDENTIALS,
    create_app=keyword_app(create_app),
)

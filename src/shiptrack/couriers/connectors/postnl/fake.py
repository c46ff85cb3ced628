"""A fake PostNL ShippingStatus v2 server for tests and demos (127.0.0.1 only).

``GET /shipment/v2/status/barcode/{barcode}?detail=true&language=…`` with the ``apikey`` header,
answered from a journey source in the shape of PostNL's OpenAPI examples
(``{"CompleteStatus": {"Shipment": {…}}}``, events newest first, ``dd-MM-yyyy HH:mm:ss`` local
times, ``{}`` for empty values). An unknown barcode is the documented 200 with warning code 2;
gateway errors use PostNL's ``{message, http_status_code}`` body: 401 for a wrong key, 429
with ``Retry-After``, 500/503. Tests flip ``app[FAKE_STATE].faults`` to inject failures.

Rendering (``render_status``) is the inverse of ``parse``: each event's Ship24 status code picks
a PostNL event code (the event's own ``carrier_status_code`` when it agrees). PostNL's answer
has no UTC offset, so a journey time's offset is dropped, as the real API would send it.
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
    call_failure,
    carrier_code_for,
    fake_app,
    look_up,
    malformed_response,
    new_state,
    ordered_events,
    retry_after_headers,
)
from shiptrack.couriers.connectors.fakespec import FakeSpec, keyword_app
from shiptrack.couriers.connectors.postnl.statuses import EVENT_CODES, EVENT_TABLE, STATUS_CODES
from shiptrack.couriers.connectors.protocol import CourierError, CourierEvent, TrackingResult

__all__ = ["FAKE", "FAKE_STATE", "create_app", "render_status"]

# --- what ``shiptrack fake-couriers`` needs (``shiptrack.couriers.fakes``) -------------------

#: Courier codes of the numbers this fake knows, and of the connector it stands in for.
COURIER_CODES = frozenset({"nl-post"})
#: PostNL's timestamps have no UTC offset.
OFFSETS = False
SERIALS = 10**8
#: The Ship24 codes PostNL's own codes can say.
EXPRESSIBLE = frozenset(
    code for table in (EVENT_CODES, STATUS_CODES) for code in table.values() if code
)
CREDENTIALS = {"api_key": "fake-postnl-api-key"}
#: The fake's customer code in its 3S barcodes (PostNL's documentation uses ``DEVC``).
CUSTOMER_CODE = "SHPT"
_3S = re.compile(r"^3S[A-Z]{4}\d{9}$")


def recognise(number: str) -> tuple[str, int] | None:
    """A 15-character 3S barcode (no check digit): courier, selector (the last digit)."""
    return ("nl-post", int(number[-1])) if _3S.match(number) else None


def make_number(serial: int, selector: int) -> str:
    """``3S`` + customer code + 8-digit serial + selector."""
    return f"3S{CUSTOMER_CODE}{serial:08d}{selector}"


API_KEY_ID = "postnl-apikey"
_PREFERRED: dict[str | None, str] = {
    None: "J01",
    "data_order_created": "A01",
    "transit_handover": "B01",
    "destination_arrival": "A76",
    "customs_received": "X60",
    "customs_cleared": "X04",
    "customs_exception": "X63",
    "delivery_out_for_delivery": "J05",
    "delivery_attempted": "Y02",
    "delivery_available_for_pickup": "I08",
    "delivery_delivered": "I01",
    "exception_return": "H20",
    "delivery_exception": "Y04",
}
_PHASES = {"1": "Collection", "2": "Sorting", "3": "Distribution", "4": "Delivered"}
_PHASE_OF_STATUS = {
    **dict.fromkeys(("1", "2", "3", "4", "13", "14", "15", "18", "19"), "1"),
    **dict.fromkeys(("5", "6", "16", "21"), "2"),
    **dict.fromkeys(("7", "8", "9", "17", "20"), "3"),
    **dict.fromkeys(("11", "12", "22", "23"), "4"),
}


def create_app(source: JourneySource, *, api_key: str) -> web.Application:
    """The fake PostNL app; ``app[FAKE_STATE]`` holds the fault switch and request log."""
    state = new_state(source, client_id=API_KEY_ID, client_secret=api_key, token_lifetime=0)
    return fake_app(state, web.get("/shipment/v2/status/barcode/{barcode}", _status))


async def _status(request: web.Request) -> web.Response:
    state = request.app[FAKE_STATE]
    if not state.credentials_match(API_KEY_ID, request.headers.get("apikey")):
        return _gateway(401, "Failed to resolve API Key variable 'request.header.apikey'")
    number = request.match_info["barcode"].strip()
    fault = state.record_track([number])
    if fault is not None:
        return _fault(fault)
    outcome = look_up(state.source, number)
    failure = call_failure([outcome])
    if failure is not None:
        return _fault(failure)
    if isinstance(outcome, CourierError):
        body = {"CompleteStatus": {}, "Warnings": [{"Message": "No shipment found", "Code": "2"}]}
        return _json(200, body)
    return _json(200, render_status(outcome))


def render_status(result: TrackingResult) -> dict[str, Any]:
    """A journey as PostNL's ``CompleteStatus`` answer for one parcel."""
    coded = [(event, _code(event)) for event in ordered_events(result.events)]
    shipment: dict[str, Any] = {
        "MainBarcode": result.tracking_number,
        "Barcode": result.tracking_number,
        "ProductDescription": result.service or {},
        "Reference": {},
        "Address": [
            {"AddressType": kind, "CountryCode": country}
            for kind, country in (
                ("01", result.destination_country_code),
                ("02", result.origin_country_code),
            )
            if country
        ],
        "Event": [
            {
                "Code": code,
                "Description": event.status or code,
                "LocationCode": event.location or {},
                "RouteCode": {},
                "TimeStamp": _stamp(event.occurrence_datetime),
            }
            for event, code in reversed(coded)
        ],
    }
    if result.estimated_delivery:
        shipment["DeliveryDate"] = result.estimated_delivery[:10]
    if result.estimated_delivery_from or result.estimated_delivery_to:
        shipment["Expectation"] = {
            "ETAFrom": result.estimated_delivery_from or {},
            "ETATo": result.estimated_delivery_to or {},
        }
    statuses = [_status_of(event, code) for event, code in reversed(coded)]
    if statuses:
        shipment["Status"] = statuses[0]
        shipment["OldStatus"] = statuses[1:]
    return {"CompleteStatus": {"Shipment": shipment}}


def _code(event: CourierEvent) -> str:
    return carrier_code_for(event, EVENT_CODES, _PREFERRED, degrade=True)


def _status_of(event: CourierEvent, code: str) -> dict[str, str]:
    option = str(int(EVENT_TABLE[code][0])) if code in EVENT_TABLE else "99"
    if option not in STATUS_CODES:
        option = "99"
    phase = _PHASE_OF_STATUS.get(option, "99")
    return {
        "TimeStamp": _stamp(event.occurrence_datetime),
        "StatusCode": option,
        "StatusDescription": event.status or option,
        "PhaseCode": phase,
        "PhaseDescription": _PHASES.get(phase, "Not applicable"),
    }


def _stamp(when: str) -> str:
    """``2022-11-08T10:13:20…`` → ``08-11-2022 10:13:20`` (any offset dropped)."""
    date, _, clock = when.partition("T")
    year, month, day = date.split("-")
    return f"{day}-{month}-{year} {(clock or '00:00:00')[:8]}"


def _fault(fault: Fault) -> web.Response:
    if fault.malformed:
        return malformed_response()
    messages = {
        401: "Failed to resolve API Key variable 'request.header.apikey'",
        429: "Too many requests. Rate limit exceeded!",
        503: "Service unavailable",
    }
    message = messages.get(fault.status, "Internal server error")
    return _gateway(fault.status, message, headers=retry_after_headers(fault))


def _gateway(status: int, message: str, *, headers: dict[str, str] | None = None) -> web.Response:
    return _json(status, {"message": message, "http_status_code": status}, headers=headers)


def _json(status: int, body: object, *, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        status=status, body=orjson.dumps(body), headers=headers, content_type="application/json"
    )


# --- the fake's declaration ------------------------------------------------------------

#: This carrier's fake for ``shiptrack fake-couriers`` (``couriers/connectors/fakespec.py``).
FAKE = FakeSpec(
    name="postnl",
    order=10,
    courier_codes=COURIER_CODES,
    recognise=recognise,
    make=make_number,
    serials=SERIALS,
    offsets=OFFSETS,
    expressible=EXPRESSIBLE,
    credentials=CREDENTIALS,
    create_app=keyword_app(create_app),
)

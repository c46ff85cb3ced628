"""A fake USPS API on 127.0.0.1: OAuth 2 token endpoint and Tracking v3, fed by a journey source.

Routes (as documented by USPS, paths relative to the origin the connector's ``base_url`` names):

- ``POST /oauth2/v3/token``: client credentials in the form (or JSON) body; ``401
  {"error": "invalid_client", ...}`` for wrong ones; tokens live ``token_lifetime`` seconds.
- ``GET /tracking/v3/tracking/{trackingNumber}?expand=DETAIL``: ``TrackingDetails`` JSON
  (``expand=SUMMARY`` or none: ``TrackingSummary``); 401 with ``WWW-Authenticate`` for a
  missing/expired token; 404 ``ErrorMessage`` for an unknown number.

Faults come from the journey source (a ``CourierError``) or ``app[FAKE_STATE].faults``.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from shiptrack.couriers.connectors.fakesource import (
    FAKE_STATE,
    FakeState,
    Fault,
    JourneySource,
    LogisticsTime,
    bearer_token,
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
from shiptrack.couriers.connectors.fakespec import FakeSpec, oauth_app, says
from shiptrack.couriers.connectors.parsing import format_offset
from shiptrack.couriers.connectors.protocol import (
    CourierError,
    CourierEvent,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.connectors.usps.statuses import STATUS_CODES
from shiptrack.couriers.connectors.usps.statuses import STATUS_CODES as _STATUS_CODES
from shiptrack.couriers.detection.checkdigits import gs1_mod10_check

#: The code the fake reports for each Ship24 code (the common scan, not a rare variant).
PREFERRED_CODES: dict[str | None, str] = {
    None: "10",
    "data_order_created": "GX",
    "transit_handover": "03",
    "delivery_out_for_delivery": "OF",
    "delivery_delivered": "01",
    "delivery_attempted": "02",
    "delivery_available_for_pickup": "16",
    "delivery_refused": "04",
    "exception_return": "09",
}

_CATEGORY = {
    "data_order_created": "Pre-Shipment",
    "delivery_out_for_delivery": "Out for Delivery",
    "delivery_delivered": "Delivered",
    "delivery_attempted": "Delivery Attempt",
    "delivery_available_for_pickup": "Available for Pickup",
    "exception_return": "Alert",
    "delivery_refused": "Alert",
}


def _error_body(status: int, message: str, detail: str = "") -> dict[str, Any]:
    return {
        "apiVersion": "/tracking/v3",
        "error": {
            "code": str(status),
            "message": message,
            "errors": [
                {
                    "status": str(status),
                    "code": f"{status:04d}",
                    "title": message,
                    "detail": detail or message,
                }
            ],
        },
    }


def _fault_response(fault: Fault) -> web.Response:
    if fault.malformed:
        return malformed_response()
    headers = retry_after_headers(fault)
    if fault.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="https://api.usps.com"'
    messages = {
        401: "Unauthorized",
        403: "Forbidden",
        429: "Too Many Requests",
        503: "Service Unavailable",
    }
    message = messages.get(fault.status, "Internal Server Error")
    return web.json_response(
        _error_body(fault.status, message), status=fault.status, headers=headers
    )


def _event_times(value: str) -> dict[str, str]:
    moment = LogisticsTime.parse(value)
    local = moment.local
    if local is None:
        return {"eventTimestamp": moment.date.isoformat()}
    if moment.utc:
        return {"GMTTimestamp": local.isoformat(timespec="seconds") + "Z"}
    fields = {"eventTimestamp": local.isoformat(timespec="seconds")}
    instant = moment.instant
    if moment.offset is not None and instant is not None:
        fields["GMTOffset"] = format_offset(moment.offset)
        fields["GMTTimestamp"] = instant.strftime("%Y-%m-%dT%H:%M:%SZ")
    return fields


def _event(event: CourierEvent, signed_by: str | None) -> dict[str, Any]:
    where = split_location(event.location)
    code = carrier_code_for(event, STATUS_CODES, PREFERRED_CODES, degrade=True)
    delivered = STATUS_CODES.get(code) == "delivery_delivered"
    return {
        "eventType": event.status or "",
        **_event_times(event.occurrence_datetime),
        "eventCountry": where.country,
        "eventCity": where.city,
        "eventState": where.state,
        "eventZIP": where.postal_code,
        "firm": None,
        "name": signed_by if delivered else None,
        "authorizedAgent": "false",
        "eventCode": code,
    }


def _estimates(result: TrackingResult) -> dict[str, str]:
    fields: dict[str, str] = {}
    if result.estimated_delivery:
        moment = LogisticsTime.parse(result.estimated_delivery)
        local = moment.local
        fields["expectedDeliveryTimeStamp"] = (
            local.isoformat(timespec="seconds") if local else f"{moment.date}T00:00:00"
        )
    if result.estimated_delivery_from and result.estimated_delivery_to:
        start = LogisticsTime.parse(result.estimated_delivery_from)
        end = LogisticsTime.parse(result.estimated_delivery_to)
        if start.time is not None and end.time is not None:
            fields["predictedDeliveryDate"] = start.date.isoformat()
            fields["predictedDeliveryWindowStartTime"] = start.time.strftime("%H:%M")
            fields["predictedDeliveryWindowEndTime"] = end.time.strftime("%H:%M")
    return fields


def render_details(number: str, result: TrackingResult) -> dict[str, Any]:
    """A journey's state as USPS ``TrackingDetails`` JSON (events newest first)."""
    events = [_event(e, result.signed_by) for e in reversed(ordered_events(result.events))]
    latest = events[0] if events else None
    latest_status = STATUS_CODES.get(latest["eventCode"]) if latest else None
    domestic = result.origin_country_code in (None, "US") and (
        result.destination_country_code in (None, "US")
    )
    body: dict[str, Any] = {
        "trackingNumber": number,
        "mailClass": result.service,
        "mailType": "DOMESTIC_MAIL"
        if domestic
        else (
            "INTERNATIONAL_INBOUND"
            if result.destination_country_code == "US"
            else "INTERNATIONAL_OUTBOUND"
        ),
        "originCountry": result.origin_country_code,
        "destinationCountryCode": result.destination_country_code,
        "destinationCity": result.recipient_city,
        "destinationZIP": result.recipient_post_code,
        "status": latest["eventType"] if latest else "Label Created, not yet in system",
        "statusCategory": _CATEGORY.get(latest_status or "", "In Transit")
        if latest
        else "Pre-Shipment",
        "statusSummary": latest["eventType"] if latest else "",
        "tableCode": "T",
        "emailEnabled": "true",
        **_estimates(result),
        "trackingEvents": events,
    }
    linked = [link.tracking_number for link in result.linked_numbers]
    for key, value in zip(("associatedLabel", "relatedReturnReceiptID"), linked, strict=False):
        body[key] = value
    return {key: value for key, value in body.items() if value is not None}


def render_summary(number: str, result: TrackingResult) -> dict[str, Any]:
    details = render_details(number, result)
    summaries = [
        ", ".join(
            part
            for part in (e["eventType"], e.get("eventTimestamp", ""), e.get("eventCity") or "")
            if part
        )
        for e in details["trackingEvents"]
    ]
    return {"trackingNumber": number, "eventSummaries": summaries}


async def _token(request: web.Request) -> web.Response:
    state = request.app[FAKE_STATE]
    state.token_requests += 1
    if request.content_type == "application/json":
        try:
            form: dict[str, Any] = await request.json()
        except json.JSONDecodeError:
            form = {}
    else:
        form = dict(await request.post())
    if form.get("grant_type") != "client_credentials":
        return web.json_response(
            {
                "error": "unsupported_grant_type",
                "error_description": "grant_type must be client_credentials",
            },
            status=400,
        )
    if not state.credentials_match(form.get("client_id"), form.get("client_secret")):
        return web.json_response(
            {
                "error": "invalid_client",
                "error_description": "Client authentication failed.",
                "error_uri": "https://datatracker.ietf.org/doc/html/rfc6749#page-45",
            },
            status=401,
        )
    token, expires_in = state.tokens.issue()
    return web.json_response(
        {
            "access_token": token,
            "token_type": "Bearer",
            "issued_at": 0,
            "expires_in": expires_in,
            "status": "approved",
            "scope": "tracking",
            "issuer": "api.usps.com",
            "client_id": state.client_id,
            "application_name": "shiptrack-fake",
        }
    )


def _outcome_response(
    number: str, outcome: TrackingResult | CourierError, expand: str
) -> web.Response:
    if isinstance(outcome, TrackingNumberNotFound):
        return web.json_response(
            _error_body(
                404, "Resource Not Found", f"The tracking number {number} could not be located."
            ),
            status=404,
        )
    if isinstance(outcome, CourierError):
        return _fault_response(fault_for(outcome))
    if expand.upper() == "DETAIL":
        return web.json_response(render_details(number, outcome))
    return web.json_response(render_summary(number, outcome))


async def _tracking(request: web.Request) -> web.Response:
    state: FakeState = request.app[FAKE_STATE]
    if not state.tokens.valid(bearer_token(request)):
        return _fault_response(Fault(401))
    number = request.match_info["tracking_number"]
    fault = state.record_track([number])
    if fault is not None:
        return _fault_response(fault)
    outcome = look_up(state.source, number)
    return _outcome_response(number, outcome, request.query.get("expand", "SUMMARY"))


def create_app(
    source: JourneySource, *, client_id: str, client_secret: str, token_lifetime: float = 3600
) -> web.Application:
    """The fake USPS API; ``app[FAKE_STATE]`` exposes faults, tokens and request counts."""
    state = new_state(
        source, client_id=client_id, client_secret=client_secret, token_lifetime=token_lifetime
    )
    return fake_app(
        state,
        web.post("/oauth2/v3/token", _token),
        web.get("/tracking/v3/tracking/{tracking_number}", _tracking),
    )


# --- the fake's declaration ------------------------------------------------------------


def _recognise(number: str) -> tuple[str, int] | None:
    """IMpb ``9[1-5]`` + 20/24/28 digits, GS1 mod 10; selector: the digit before the check."""
    if (
        len(number) in (22, 26, 30)
        and number.isdigit()
        and number[0] == "9"
        and "1" <= number[1] <= "5"
        and gs1_mod10_check(number[:-1]) == int(number[-1])
    ):
        return "us-post", int(number[-2])
    return None


def _make(serial: int, selector: int) -> str:
    """``94001`` + 15-digit serial + selector + check (22 digits)."""
    body = f"94001{serial:015d}{selector}"
    return f"{body}{gs1_mod10_check(body)}"


#: This carrier's fake for ``shiptrack fake-couriers`` (``couriers/connectors/fakespec.py``).
FAKE = FakeSpec(
    name="usps",
    order=0,
    courier_codes=frozenset({"us-post"}),
    recognise=_recognise,
    make=_make,
    serials=10**15,
    offsets=True,
    expressible=says(_STATUS_CODES),
    credentials={
        "client_id": "fake-usps-consumer-key",
        "client_secret": "fake-usps-consumer-secret",
    },
    create_app=oauth_app(create_app),
)

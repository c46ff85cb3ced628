"""A fake FedEx API on 127.0.0.1: OAuth token and Track API (batches of up to 30), fed by journeys.

Routes (as documented by FedEx):

- ``POST /oauth/token``: form ``grant_type=client_credentials``, ``client_id``,
  ``client_secret``; wrong ones → ``401 {"transactionId", "errors": [{"code":
  "NOT.AUTHORIZED.ERROR", ...}]}``.
- ``POST /track/v1/trackingnumbers``: JSON ``{"includeDetailedScans", "trackingInfo": [...]}``
  with ``Authorization: Bearer``; more than 30 numbers → 400; an unknown number → its own
  ``TRACKING.TRACKINGNUMBER.NOTFOUND`` error inside the 200, the others answered normally.

Faults come from the journey source (a ``CourierError`` for any number of the batch fails the
whole request, as one HTTP answer can only have one status) or ``app[FAKE_STATE].faults``.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from aiohttp import web

from shiptrack.couriers.connectors.fakesource import (
    FAKE_STATE,
    FakeState,
    Fault,
    JourneySource,
    LogisticsTime,
    bearer_token,
    call_failure,
    carrier_code_for,
    fake_app,
    look_up,
    malformed_response,
    new_state,
    ordered_events,
    retry_after_headers,
    split_location,
)
from shiptrack.couriers.connectors.fakespec import FakeSpec, oauth_app, says
from shiptrack.couriers.connectors.fedex.parse import COURIER_CODE, LINK_TYPES
from shiptrack.couriers.connectors.fedex.statuses import EVENT_TYPES
from shiptrack.couriers.connectors.fedex.statuses import (
    EVENT_TYPES as _EVENT_TYPES,
)
from shiptrack.couriers.connectors.protocol import (
    CourierError,
    CourierEvent,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.detection.checkdigits import (
    fedex_mod11_check,
    gs1_mod10_check,
)

MAX_NUMBERS = 30

#: The event type the fake reports for each Ship24 code.
PREFERRED_CODES: dict[str | None, str] = {
    None: "IT",
    "data_order_created": "OC",
    "transit_handover": "PU",
    "delivery_out_for_delivery": "OD",
    "delivery_delivered": "DL",
    "delivery_available_for_pickup": "HP",
    "delivery_exception": "DE",
    "exception_return": "RS",
    "data_delivery_decided": "HA",
}
#: Ship24 codes a fake shows as a ``DE`` scan with a DEX exception code.
_EXCEPTION_FOR = {"delivery_attempted": "08", "delivery_refused": "07"}

_FAULTS = {
    401: ("NOT.AUTHORIZED.ERROR", "Access token expired. Please modify your request."),
    403: ("FORBIDDEN.ERROR", "We could not authorize your credentials."),
    429: ("TOO.MANY.REQUESTS.ERROR", "We have received too many requests in a short duration."),
    500: ("INTERNAL.SERVER.ERROR", "We encountered an unexpected error."),
    503: ("SERVICE.UNAVAILABLE.ERROR", "The service is currently unavailable."),
}


def _errors(code: str, message: str) -> dict[str, Any]:
    return {"transactionId": str(uuid.uuid4()), "errors": [{"code": code, "message": message}]}


def _fault_response(fault: Fault) -> web.Response:
    if fault.malformed:
        return malformed_response()
    headers = retry_after_headers(fault)
    code, message = _FAULTS.get(fault.status, _FAULTS[500])
    return web.json_response(_errors(code, message), status=fault.status, headers=headers)


def _address(location: str | None) -> dict[str, Any]:
    where = split_location(location)
    return {
        "streetLines": [""],
        "city": where.city or "",
        "stateOrProvinceCode": where.state or "",
        "postalCode": where.postal_code or "",
        "countryCode": where.country or "",
        "residential": False,
    }


def _scan(event: CourierEvent) -> dict[str, Any]:
    exception_code = _EXCEPTION_FOR.get(event.status_code) if event.status_code else None
    if exception_code is not None:
        event_type = "DE"
    else:
        event_type = carrier_code_for(event, EVENT_TYPES, PREFERRED_CODES, degrade=True)
    moment = LogisticsTime.parse(event.occurrence_datetime)
    return {
        "date": event.occurrence_datetime if moment.time is not None else moment.date.isoformat(),
        "eventType": event_type,
        "eventDescription": event.status or "",
        "exceptionCode": exception_code or "",
        "exceptionDescription": "",
        "scanLocation": _address(event.location),
        "locationType": "FEDEX_FACILITY",
        "derivedStatusCode": event_type,
        "derivedStatus": event.status or "",
    }


def _estimates(result: TrackingResult) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if result.estimated_delivery:
        eta = result.estimated_delivery
        if LogisticsTime.parse(eta).time is None:
            eta = f"{eta}T00:00:00"
        fields["dateAndTimes"] = [{"type": "ESTIMATED_DELIVERY", "dateTime": eta}]
    if result.estimated_delivery_from and result.estimated_delivery_to:
        fields["estimatedDeliveryTimeWindow"] = {
            "type": "ESTIMATED_DELIVERY",
            "window": {
                "begins": result.estimated_delivery_from,
                "ends": result.estimated_delivery_to,
            },
        }
    return fields


#: Linked number's courier → the package identifier type a fake lists it under.
_IDENTIFIER_FOR = {courier: kind for kind, courier in reversed(LINK_TYPES.items())}


def _identifiers(result: TrackingResult) -> list[dict[str, Any]]:
    identifiers = []
    for link in result.linked_numbers:
        kind = _IDENTIFIER_FOR.get(link.courier_code or COURIER_CODE, _IDENTIFIER_FOR[COURIER_CODE])
        identifiers.append(
            {
                "type": kind,
                "values": [link.tracking_number],
                "trackingNumberUniqueId": "",
                "carrierCode": "",
            }
        )
    return identifiers


def render_track_result(number: str, result: TrackingResult) -> dict[str, Any]:
    """A journey's state as one FedEx ``trackResult`` (scan events newest first)."""
    scans = [_scan(e) for e in reversed(ordered_events(result.events))]
    recipient = {
        "city": result.recipient_city,
        "postalCode": result.recipient_post_code,
        "countryCode": result.destination_country_code,
    }
    track_result: dict[str, Any] = {
        "trackingNumberInfo": {
            "trackingNumber": number,
            "carrierCode": "FDXE",
            "trackingNumberUniqueId": f"12029~{number}~FDEG",
        },
        "additionalTrackingInfo": {
            "nickname": "",
            "hasAssociatedShipments": False,
            "packageIdentifiers": _identifiers(result),
        },
        "shipperInformation": {
            "contact": {},
            "address": {"countryCode": result.origin_country_code},
        },
        "recipientInformation": {
            "contact": {},
            "address": {k: v for k, v in recipient.items() if v},
        },
        "scanEvents": scans,
        "packageDetails": {"count": "1", "sequenceNumber": "1"},
        **_estimates(result),
    }
    if scans:
        latest = scans[0]
        track_result["latestStatusDetail"] = {
            "code": latest["eventType"],
            "derivedCode": latest["eventType"],
            "statusByLocale": latest["eventDescription"],
            "description": latest["eventDescription"],
            "scanLocation": latest["scanLocation"],
        }
    if result.service:
        track_result["serviceDetail"] = {
            "type": "FEDEX_GROUND",
            "description": result.service,
            "shortDescription": "FG",
        }
    if result.signed_by:
        track_result["deliveryDetails"] = {
            "receivedByName": result.signed_by,
            "deliveryAttempts": "0",
        }
    return track_result


def render_complete_result(
    number: str, outcome: TrackingResult | TrackingNumberNotFound
) -> dict[str, Any]:
    if isinstance(outcome, TrackingNumberNotFound):
        track_result: dict[str, Any] = {
            "trackingNumberInfo": {
                "trackingNumber": number,
                "trackingNumberUniqueId": "",
                "carrierCode": "",
            },
            "error": {
                "code": "TRACKING.TRACKINGNUMBER.NOTFOUND",
                "message": "Tracking number cannot be found. Please correct the tracking "
                "number and try again.",
            },
        }
    else:
        track_result = render_track_result(number, outcome)
    return {"trackingNumber": number, "trackResults": [track_result]}


async def _token(request: web.Request) -> web.Response:
    state = request.app[FAKE_STATE]
    state.token_requests += 1
    form = await request.post()
    if form.get("grant_type") != "client_credentials":
        return web.json_response(
            _errors("BAD.REQUEST.ERROR", "The given grant_type is not supported."), status=400
        )
    if not state.credentials_match(form.get("client_id"), form.get("client_secret")):
        return web.json_response(
            _errors(
                "NOT.AUTHORIZED.ERROR",
                "The given client credentials were not valid. "
                "Please modify your request and try again.",
            ),
            status=401,
        )
    token, expires_in = state.tokens.issue()
    return web.json_response(
        {"access_token": token, "token_type": "bearer", "expires_in": expires_in, "scope": "CXS"}
    )


def _requested_numbers(body: object) -> list[str] | None:
    if not isinstance(body, dict) or not isinstance(body.get("trackingInfo"), list):
        return None
    numbers = []
    for info in body["trackingInfo"]:
        number_info = info.get("trackingNumberInfo") if isinstance(info, dict) else None
        number = number_info.get("trackingNumber") if isinstance(number_info, dict) else None
        if not isinstance(number, str) or not number:
            return None
        numbers.append(number)
    return numbers


async def _track(request: web.Request) -> web.Response:
    state: FakeState = request.app[FAKE_STATE]
    if not state.tokens.valid(bearer_token(request)):
        return _fault_response(Fault(401))
    try:
        numbers = _requested_numbers(await request.json())
    except json.JSONDecodeError:
        numbers = None
    if not numbers:
        return web.json_response(
            _errors("TRACKING.TRACKINGNUMBER.EMPTY", "Please provide tracking number."), status=400
        )
    if len(numbers) > MAX_NUMBERS:
        return web.json_response(
            _errors(
                "TRACKING.TRACKINGINFO.LIMITEXCEEDED",
                f"A maximum of {MAX_NUMBERS} tracking numbers is allowed per request.",
            ),
            status=400,
        )
    fault = state.record_track(numbers)
    if fault is not None:
        return _fault_response(fault)
    outcomes = {number: look_up(state.source, number) for number in numbers}
    failure = call_failure(outcomes.values())
    if failure is not None:
        return _fault_response(failure)
    results = []
    for number, outcome in outcomes.items():
        assert not isinstance(outcome, CourierError) or isinstance(outcome, TrackingNumberNotFound)
        results.append(render_complete_result(number, outcome))
    return web.json_response(
        {
            "transactionId": str(uuid.uuid4()),
            "output": {"completeTrackResults": results},
        }
    )


def create_app(
    source: JourneySource, *, client_id: str, client_secret: str, token_lifetime: float = 3600
) -> web.Application:
    """The fake FedEx API; ``app[FAKE_STATE]`` exposes faults, tokens and request counts."""
    state = new_state(
        source, client_id=client_id, client_secret=client_secret, token_lifetime=token_lifetime
    )
    return fake_app(
        state, web.post("/oauth/token", _token), web.post("/track/v1/trackingnumbers", _track)
    )


# --- the fake's declaration ------------------------------------------------------------


def _recognise(number: str) -> tuple[str, int] | None:
    """12 digits (FedEx mod 11) or 15 digits (GS1 mod 10); selector before the check."""
    if not number.isdigit():
        return None
    if len(number) == 12 and fedex_mod11_check(number[:11]) == int(number[11]):
        return "fedex", int(number[10])
    if len(number) == 15 and gs1_mod10_check(number[:14]) == int(number[14]):
        return "fedex", int(number[13])
    return None


def _make(serial: int, selector: int) -> str:
    """``7`` + 9-digit serial + selector + check (12)."""
    body = f"7{serial:09d}{selector}"
    return f"{body}{fedex_mod11_check(body)}"


#: This carrier's fake for ``shiptrack fake-couriers`` (``couriers/connectors/fakespec.py``).
FAKE = FakeSpec(
    name="fedex",
    order=2,
    courier_codes=frozenset({"fedex"}),
    recognise=_recognise,
    make=_make,
    serials=10**9,
    offsets=True,
    # A DE scan with a DEX code says "attempted" or "refused".
    expressible=says(_EVENT_TYPES, {"DE08": "delivery_attempted", "DE07": "delivery_refused"}),
    credentials={"client_id": "fake-fedex-api-key", "client_secret": "fake-fedex-secret-key"},
    create_app=oauth_app(create_app),
)

"""A fake UPS API on 127.0.0.1: OAuth client-credentials token and Track API, fed by journeys.

Routes (as documented by UPS):

- ``POST /security/v1/oauth/token``: HTTP Basic client credentials, form
  ``grant_type=client_credentials``; wrong credentials → ``401 {"response": {"errors":
  [{"code": "250002", "message": "Invalid Authentication Information."}]}}``; the answer's
  fields are strings, as UPS sends them (``"expires_in": "14399"``).
- ``GET /api/track/v1/details/{inquiryNumber}``: needs ``Authorization: Bearer``, ``transId``
  and ``transactionSrc``; an unknown number → 200 with a shipment warning and no package.

Faults come from the journey source (a ``CourierError``) or ``app[FAKE_STATE].faults``.
"""

from __future__ import annotations

import base64
import binascii
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
from shiptrack.couriers.connectors.fakespec import FakeSpec, oauth_app, says, selector_digit
from shiptrack.couriers.connectors.parsing import format_offset
from shiptrack.couriers.connectors.protocol import (
    CourierError,
    CourierEvent,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.connectors.ups.statuses import STATUS_CODES
from shiptrack.couriers.connectors.ups.statuses import (
    STATUS_CODES as _STATUS_CODES,
)
from shiptrack.couriers.connectors.ups.statuses import (
    STATUS_TYPES as _STATUS_TYPES,
)
from shiptrack.couriers.detection.checkdigits import ups_check

#: The three-digit status code the fake reports for each Ship24 code.
PREFERRED_CODES: dict[str | None, str] = {
    None: "005",
    "data_order_created": "003",
    "data_order_cancelled": "007",
    "transit_handover": "038",
    "delivery_out_for_delivery": "021",
    "delivery_delivered": "011",
    "delivery_attempted": "022",
    "delivery_available_for_pickup": "040",
    "delivery_exception": "013",
    "delivery_refused": "064",
    "exception_return": "035",
    "exception_lost": "068",
    "customs_received": "012",
    "customs_cleared": "014",
    "customs_exception": "058",
    "data_delivery_decided": "054",
}

#: Status type and two-letter scan code that go with each Ship24 code.
_TYPE_AND_SCAN: dict[str | None, tuple[str, str]] = {
    None: ("I", "AR"),
    "data_order_created": ("M", "MP"),
    "data_order_cancelled": ("MV", "MV"),
    "transit_handover": ("P", "OR"),
    "delivery_out_for_delivery": ("O", "OT"),
    "delivery_delivered": ("D", "KB"),
    "exception_return": ("RS", "RS"),
    "customs_received": ("I", "IP"),
    "customs_cleared": ("I", "SR"),
}

_ERROR_CODES = {401: "250002", 403: "250003", 429: "10429", 500: "10500", 503: "10503"}
_ERROR_TEXTS = {
    401: "Invalid Authentication Information.",
    403: "Blocked Merchant",
    429: "Too Many Requests",
    503: "Resource is not available",
}


def _errors(status: int, message: str) -> dict[str, Any]:
    return {
        "response": {
            "errors": [{"code": _ERROR_CODES.get(status, str(status)), "message": message}]
        }
    }


def _fault_response(fault: Fault) -> web.Response:
    if fault.malformed:
        return malformed_response()
    headers = retry_after_headers(fault)
    message = _ERROR_TEXTS.get(fault.status, "Internal server error")
    return web.json_response(_errors(fault.status, message), status=fault.status, headers=headers)


def _times(value: str) -> dict[str, str]:
    moment = LogisticsTime.parse(value)
    local = moment.local
    if local is None:
        return {"date": moment.date.strftime("%Y%m%d"), "time": ""}
    if moment.utc:
        return {"gmtDate": local.strftime("%Y%m%d"), "gmtTime": local.strftime("%H%M%S")}
    fields = {"date": local.strftime("%Y%m%d"), "time": local.strftime("%H%M%S")}
    instant = moment.instant
    if moment.offset is not None and instant is not None:
        fields["gmtOffset"] = format_offset(moment.offset)
        fields["gmtDate"] = instant.strftime("%Y%m%d")
        fields["gmtTime"] = str(int(instant.strftime("%H%M%S")))  # UPS drops leading zeros
    return fields


def _address(location: str | None) -> dict[str, str]:
    where = split_location(location)
    address = {
        "city": where.city,
        "stateProvince": where.state,
        "postalCode": where.postal_code,
        "countryCode": where.country,
        "country": where.country,
    }
    return {key: value for key, value in address.items() if value}


def _status(event: CourierEvent) -> dict[str, str]:
    code = carrier_code_for(event, STATUS_CODES, PREFERRED_CODES, degrade=True)
    status_type, scan = _TYPE_AND_SCAN.get(STATUS_CODES[code], ("X", "X1"))
    return {
        "type": status_type,
        "description": f"{event.status or ''} ",  # UPS pads its descriptions
        "code": scan,
        "statusCode": code,
        "simplifiedTextDescription": "",
    }


def _activity(event: CourierEvent) -> dict[str, Any]:
    activity: dict[str, Any] = {"status": _status(event), **_times(event.occurrence_datetime)}
    address = _address(event.location)
    if address:
        activity["location"] = {"address": address, "slic": "8566"}
    return activity


def _delivery(result: TrackingResult) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if result.estimated_delivery_from and result.estimated_delivery_to:
        start = LogisticsTime.parse(result.estimated_delivery_from)
        end = LogisticsTime.parse(result.estimated_delivery_to)
        if start.time is not None and end.time is not None:
            fields["deliveryDate"] = [{"type": "SDD", "date": end.date.strftime("%Y%m%d")}]
            fields["deliveryTime"] = {
                "type": "EDW",
                "startTime": start.time.strftime("%H%M%S"),
                "endTime": end.time.strftime("%H%M%S"),
            }
            return fields
    if result.estimated_delivery:
        eta = LogisticsTime.parse(result.estimated_delivery)
        fields["deliveryDate"] = [{"type": "SDD", "date": eta.date.strftime("%Y%m%d")}]
        if eta.time is not None:
            fields["deliveryTime"] = {"type": "CMT", "endTime": eta.time.strftime("%H%M%S")}
    return fields


def render_package(number: str, result: TrackingResult) -> dict[str, Any]:
    """A journey's state as one UPS ``package`` (activities newest first)."""
    activities = [_activity(e) for e in reversed(ordered_events(result.events))]
    package: dict[str, Any] = {
        "trackingNumber": number,
        "activity": activities,
        "packageCount": 1,
        **_delivery(result),
    }
    if activities:
        package["currentStatus"] = dict(activities[0]["status"])
    addresses = []
    if result.origin_country_code:
        addresses.append(
            {
                "type": "ORIGIN",
                "address": {
                    "countryCode": result.origin_country_code,
                    "country": result.origin_country_code,
                },
            }
        )
    if result.destination_country_code or result.recipient_post_code or result.recipient_city:
        destination = {
            "countryCode": result.destination_country_code,
            "country": result.destination_country_code,
            "postalCode": result.recipient_post_code,
            "city": result.recipient_city,
        }
        addresses.append(
            {"type": "DESTINATION", "address": {k: v for k, v in destination.items() if v}}
        )
    if addresses:
        package["packageAddress"] = addresses
    if result.service:
        package["service"] = {"code": "003", "description": result.service, "levelCode": "003"}
    if result.signed_by:
        package["deliveryInformation"] = {"receivedBy": result.signed_by, "location": "Front Door"}
    if result.linked_numbers:
        package["alternateTrackingNumber"] = [
            {
                "number": link.tracking_number,
                "type": "USPS_PIC" if link.courier_code == "us-post" else "",
            }
            for link in result.linked_numbers
        ]
    return package


def render_response(
    number: str, outcome: TrackingResult | TrackingNumberNotFound
) -> dict[str, Any]:
    """The Track API body for one inquiry number."""
    if isinstance(outcome, TrackingNumberNotFound):
        shipment: dict[str, Any] = {
            "inquiryNumber": number,
            "warnings": [{"code": "TW0001", "message": "Tracking Information Not Found"}],
        }
    else:
        shipment = {
            "inquiryNumber": number,
            "package": [render_package(number, outcome)],
            "userRelation": [],
        }
    return {"trackResponse": {"shipment": [shipment]}}


def _basic_credentials(request: web.Request) -> tuple[str | None, str | None]:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


async def _token(request: web.Request) -> web.Response:
    state = request.app[FAKE_STATE]
    state.token_requests += 1
    form = await request.post()
    if form.get("grant_type") != "client_credentials":
        return web.json_response(_errors(400, "Invalid grant_type"), status=400)
    if not state.credentials_match(*_basic_credentials(request)):
        return _fault_response(Fault(401))
    token, expires_in = state.tokens.issue()
    return web.json_response(
        {
            "token_type": "Bearer",
            "issued_at": "0",
            "client_id": state.client_id,
            "access_token": token,
            "scope": "",
            "expires_in": str(expires_in),
            "refresh_count": "0",
            "status": "approved",
        }
    )


async def _details(request: web.Request) -> web.Response:
    state: FakeState = request.app[FAKE_STATE]
    if not state.tokens.valid(bearer_token(request)):
        return _fault_response(Fault(401))
    if not request.headers.get("transId") or not request.headers.get("transactionSrc"):
        return web.json_response(_errors(400, "Missing transId or transactionSrc"), status=400)
    number = request.match_info["inquiry_number"]
    fault = state.record_track([number])
    if fault is not None:
        return _fault_response(fault)
    outcome = look_up(state.source, number)
    if isinstance(outcome, CourierError) and not isinstance(outcome, TrackingNumberNotFound):
        return _fault_response(fault_for(outcome))
    return web.json_response(render_response(number, outcome))


def create_app(
    source: JourneySource, *, client_id: str, client_secret: str, token_lifetime: float = 3600
) -> web.Application:
    """The fake UPS API; ``app[FAKE_STATE]`` exposes faults, tokens and request counts."""
    state = new_state(
        source, client_id=client_id, client_secret=client_secret, token_lifetime=token_lifetime
    )
    return fake_app(
        state,
        web.post("/security/v1/oauth/token", _token),
        web.get("/api/track/v1/details/{inquiry_number}", _details),
    )


# --- the fake's declaration ------------------------------------------------------------


_SHIPPER = "SHPTRK03"  # shipper account (6) + service code 03 (UPS Ground)


def _recognise(number: str) -> tuple[str, int] | None:
    """``1Z`` + 15 characters, UPS mod 10; selector: the character before the check."""
    if (
        len(number) == 18
        and number.startswith("1Z")
        and number.isalnum()
        and number.isascii()
        and number[17].isdigit()
        and ups_check(number[2:17]) == int(number[17])
    ):
        return "ups", selector_digit(number[16])
    return None


def _make(serial: int, selector: int) -> str:
    """``1ZSHPTRK03`` + 6-digit serial + selector + check (18)."""
    body = f"{_SHIPPER}{serial:06d}{selector}"
    return f"1Z{body}{ups_check(body)}"


#: This carrier's fake for ``shiptrack fake-couriers`` (``couriers/connectors/fakespec.py``).
FAKE = FakeSpec(
    name="ups",
    order=1,
    courier_codes=frozenset({"ups"}),
    recognise=_recognise,
    make=_make,
    serials=10**6,
    offsets=True,
    expressible=says(_STATUS_CODES, _STATUS_TYPES),
    credentials={"client_id": "fake-ups-client-id", "client_secret": "fake-ups-client-secret"},
    create_app=oauth_app(create_app),
)

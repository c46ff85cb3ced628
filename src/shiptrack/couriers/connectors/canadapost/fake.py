"""A fake Canada Post tracking server (VIS track v2, XML) for tests and demos (127.0.0.1 only).

``GET /vis/track/pin/{pin}/detail`` and ``/vis/track/dnc/{dnc}/detail`` with HTTP Basic
authorization and ``Accept: application/vnd.cpc.track-v2+xml`` (anything else: 406 as Canada
Post refuses ``*/*``), answered from a journey source as ``<tracking-detail>`` per ``track.xsd``
(events newest first, date, time and time-zone abbreviation apart). An unknown number is the
documented ``<messages>`` ``004`` "No Pin History" (HTTP 404); wrong credentials ``E002`` (401);
429 "Rejected by SLM Monitor" with ``Retry-After``; 503. Tests flip ``app[FAKE_STATE].faults``.

Rendering (``render_detail``) is the inverse of ``parse``: each event's Ship24 status code picks
an event identifier; a journey time's UTC offset becomes the Canadian zone abbreviation of that
offset, and times elsewhere (no Canadian abbreviation) go out with an empty zone, as Canada
Post sends foreign scans. Events Canada Post's known codes cannot say (customs, returns,
refusals, losses) go out with a code of karrio's "delivery failed" group or a plain processing
scan and the journey's text, which the status normaliser reads.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from aiohttp import web

from shiptrack.couriers.connectors.canadapost.client import ACCEPT
from shiptrack.couriers.connectors.canadapost.statuses import EVENT_CODES, TIME_ZONES
from shiptrack.couriers.connectors.fakesource import (
    FAKE_STATE,
    Fault,
    JourneySource,
    LogisticsTime,
    call_failure,
    carrier_code_for,
    fake_app,
    format_offset,
    look_up,
    new_state,
    ordered_events,
    retry_after_headers,
)
from shiptrack.couriers.connectors.fakespec import FakeSpec, keyword_app
from shiptrack.couriers.connectors.keypair import basic_credentials
from shiptrack.couriers.connectors.protocol import CourierError, CourierEvent, TrackingResult
from shiptrack.couriers.detection.checkdigits import gs1_mod10_check

__all__ = ["FAKE", "FAKE_STATE", "create_app", "render_detail"]

# --- what ``shiptrack fake-couriers`` needs (``shiptrack.couriers.fakes``) -------------------

#: Courier codes of the numbers this fake knows, and of the connector it stands in for.
COURIER_CODES = frozenset({"ca-post"})
#: Canadian scans carry a zone abbreviation (an offset); foreign ones do not.
OFFSETS = True
SERIALS = 10**13
#: The Ship24 codes Canada Post's known codes can say.
EXPRESSIBLE = frozenset(code for code in EVENT_CODES.values() if code)
CREDENTIALS = {"client_id": "fake-canadapost-user", "client_secret": "fake-canadapost-password"}


def recognise(number: str) -> tuple[str, int] | None:
    """A 16-digit PIN with its mod 10 (3,1) check digit: courier, selector (15th digit)."""
    if len(number) == 16 and number.isdigit() and gs1_mod10_check(number[:15]) == int(number[15]):
        return "ca-post", int(number[14])
    return None


def make_number(serial: int, selector: int) -> str:
    """``7`` + 13-digit serial + selector + check digit."""
    body = f"7{serial:013d}{selector}"
    return f"{body}{gs1_mod10_check(body)}"


TRACK_NS = "http://www.canadapost.ca/ws/track"
MESSAGES_NS = "http://www.canadapost.ca/ws/messages"
_PREFERRED: dict[str | None, str] = {
    None: "0170",
    "data_order_created": "3000",
    "transit_handover": "2300",
    "transit_origin_country_departure": "8901",
    "destination_arrival": "4310",
    "delivery_out_for_delivery": "0174",
    "delivery_attempted": "1479",
    "delivery_available_for_pickup": "1701",
    "delivery_delivered": "1496",
    "delivery_exception": "0173",
}
#: A code of karrio's "delivery failed" group: its text decides (see ``statuses``).
_TEXT_DECIDES = "1415"
_ZONE_OF_OFFSET = {
    "-02:30": "NDT",
    "-03:00": "ADT",
    "-03:30": "NST",
    "-04:00": "EDT",
    "-05:00": "EST",
    "-06:00": "CST",
    "-07:00": "MST",
    "-08:00": "PST",
    "-09:00": "AKST",
    "-10:00": "HST",
}
assert all(TIME_ZONES[zone] == offset for offset, zone in _ZONE_OF_OFFSET.items())


def create_app(source: JourneySource, *, client_id: str, client_secret: str) -> web.Application:
    """The fake Canada Post app; ``app[FAKE_STATE]`` holds the fault switch and request log."""
    state = new_state(source, client_id=client_id, client_secret=client_secret, token_lifetime=0)
    return fake_app(state, web.get("/vis/track/{kind:pin|dnc}/{number}/detail", _detail))


async def _detail(request: web.Request) -> web.Response:
    state = request.app[FAKE_STATE]
    if not state.credentials_match(*basic_credentials(request.headers.get("Authorization"))):
        return _messages(401, "E002", "AAA Authentication Failure")
    if request.headers.get("Accept") != ACCEPT:
        return _messages(406, "9999", "Unsupported media type in Accept header")
    number = request.match_info["number"].strip()
    fault = state.record_track([number])
    if fault is not None:
        return _fault(fault)
    outcome = look_up(state.source, number)
    failure = call_failure([outcome])
    if failure is not None:
        return _fault(failure)
    if isinstance(outcome, CourierError):
        return _messages(404, "004", "No Pin History")
    return _xml(200, render_detail(outcome))


def render_detail(result: TrackingResult) -> ET.Element:
    """A journey as Canada Post's ``<tracking-detail>``."""
    root = ET.Element("tracking-detail", xmlns=TRACK_NS)
    _add(root, "pin", result.tracking_number)
    _add(root, "destination-postal-id", result.recipient_post_code or "")
    if result.estimated_delivery:
        _add(root, "expected-delivery-date", result.estimated_delivery[:10])
    _add(root, "service-name", result.service or "Expedited Parcels")
    significant = ET.SubElement(root, "significant-events")
    events = ordered_events(result.events)
    signed_at = max(
        (i for i, e in enumerate(events) if e.status_code == "delivery_delivered"), default=None
    )
    for index in reversed(range(len(events))):
        event = events[index]
        occurrence = ET.SubElement(significant, "occurrence")
        _add(occurrence, "event-identifier", _code(event))
        date, clock, zone = _split(event.occurrence_datetime)
        _add(occurrence, "event-date", date)
        _add(occurrence, "event-time", clock)
        _add(occurrence, "event-time-zone", zone)
        _add(occurrence, "event-description", event.status or "")
        signer = result.signed_by if index == signed_at else None
        _add(occurrence, "signatory-name", signer or "")
        site, _, rest = (event.location or "").partition(",")
        province = rest.strip()[:2] if len(rest.strip()) == 2 or rest.strip()[2:3] == " " else ""
        _add(occurrence, "event-site", site.strip())
        _add(occurrence, "event-province", province)
    return root


def _code(event: CourierEvent) -> str:
    table = {code.zfill(4): status for code, status in EVENT_CODES.items()}
    try:
        return carrier_code_for(event, table, _PREFERRED)
    except KeyError:
        customs = (event.status_code or "").startswith("customs")
        return _PREFERRED[None] if customs else _TEXT_DECIDES


def _split(when: str) -> tuple[str, str, str]:
    """A logistics date-time → Canada Post's date, time and zone abbreviation."""
    parts = LogisticsTime.parse(when)
    clock = parts.time.strftime("%H:%M:%S") if parts.time else "00:00:00"
    zone = _ZONE_OF_OFFSET.get(format_offset(parts.offset), "") if parts.offset is not None else ""
    return parts.date.isoformat(), clock, zone


def _add(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, name).text = value


def _fault(fault: Fault) -> web.Response:
    if fault.malformed:
        body = f'<tracking-detail xmlns="{TRACK_NS}"><pin>'.encode()
        return web.Response(body=body, content_type="application/xml")
    if fault.status == 401:
        return _messages(401, "E002", "AAA Authentication Failure")
    if fault.status == 429:
        return _messages(429, "Server", "Rejected by SLM Monitor", retry_after_headers(fault))
    return _messages(fault.status, "Server", "Service unavailable", retry_after_headers(fault))


def _messages(
    status: int, code: str, description: str, headers: dict[str, str] | None = None
) -> web.Response:
    root = ET.Element("messages", xmlns=MESSAGES_NS)
    message = ET.SubElement(root, "message")
    _add(message, "code", code)
    _add(message, "description", description)
    return _xml(status, root, headers)


def _xml(status: int, root: ET.Element, headers: dict[str, str] | None = None) -> web.Response:
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return web.Response(status=status, body=body, headers=headers, content_type="application/xml")


# --- the fake's declaration ------------------------------------------------------------

#: This carrier's fake for ``shiptrack fake-couriers`` (``couriers/connectors/fakespec.py``).
FAKE = FakeSpec(
    name="canadapost",
    order=9,
    courier_codes=COURIER_CODES,
    recognise=recognise,
    make=make_number,
    serials=SERIALS,
    offsets=OFFSETS,
    expressible=EXPRESSIBLE,
    credentials=CREDENTIALS,
    create_app=keyword_app(create_app),
)

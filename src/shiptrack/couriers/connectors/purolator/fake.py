"""A fake Purolator TrackingService (SOAP 1.1) for tests and demos (127.0.0.1 only).

``POST /PWS/V1/Tracking/TrackingService.asmx`` with ``SOAPAction: …/TrackPackagesByPin``, HTTP
Basic authorization and a ``TrackPackagesByPinRequest`` envelope, answered from a journey
source as ``TrackPackagesByPinResponse`` per Purolator's ``TrackingService.xsd`` (scans newest
first, ``ScanTime`` as ``HHMMSS``, typed scans with ``xsi:type``). An unknown PIN gets a
``TrackingInformation`` with no scans; wrong credentials a 401; an unknown SOAP action or a
body that is not an envelope a SOAP fault (500); injected 429 and 503 come with
``Retry-After``. Tests flip ``app[FAKE_STATE].faults``.

Rendering (``render_information``) is the inverse of ``parse``: a Ship24 status code picks the
typed scan that says it (``Delivery``, ``OnDelivery``, ``ProofOfPickUp``,
``InternationalOutbound``, ``Undeliverable`` for attempts and refusals) and everything else is
an ``Other`` scan whose description — the journey's text — the status normaliser reads. The
journey time's offset is dropped (Purolator sends none).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from aiohttp import web

from shiptrack.couriers.connectors.fakesource import (
    FAKE_STATE,
    Fault,
    JourneySource,
    LogisticsTime,
    call_failure,
    fake_app,
    look_up,
    new_state,
    ordered_events,
    retry_after_headers,
)
from shiptrack.couriers.connectors.fakespec import FakeSpec, keyword_app
from shiptrack.couriers.connectors.keypair import basic_credentials
from shiptrack.couriers.connectors.protocol import CourierError, CourierEvent, TrackingResult
from shiptrack.couriers.connectors.purolator.client import DATATYPES_NS, PATH, SOAP_ACTION
from shiptrack.couriers.connectors.purolator.statuses import SCAN_TYPES
from shiptrack.couriers.connectors.xmlbody import descendants, parse_xml, text
from shiptrack.couriers.detection.checkdigits import luhn_check

__all__ = ["FAKE", "FAKE_STATE", "create_app", "render_information"]

# --- what ``shiptrack fake-couriers`` needs (``shiptrack.couriers.fakes``) -------------------

#: Courier codes of the numbers this fake knows, and of the connector it stands in for.
COURIER_CODES = frozenset({"purolator"})
#: Purolator's scan times have no zone.
OFFSETS = False
SERIALS = 10**9
#: The Ship24 codes Purolator's typed scans can say, and "order created", which the status
#: normaliser reads from an Other scan's "Shipment information received".
EXPRESSIBLE = frozenset(code for code in SCAN_TYPES.values() if code) | {"data_order_created"}
CREDENTIALS = {"client_id": "fake-purolator-activation-key", "client_secret": "fake-purolator-pw"}


def recognise(number: str) -> tuple[str, int] | None:
    """A 12-digit PIN (first digit 0–5) with its Luhn check digit: courier, selector."""
    if (
        len(number) == 12
        and number.isdigit()
        and number[0] <= "5"
        and luhn_check(number[:11]) == int(number[11])
    ):
        return "purolator", int(number[10])
    return None


def make_number(serial: int, selector: int) -> str:
    """``3`` + 9-digit serial + selector + Luhn check digit."""
    body = f"3{serial:09d}{selector}"
    return f"{body}{luhn_check(body)}"


SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_SCAN_TYPE_OF_STATUS = {
    "delivery_delivered": "Delivery",
    "delivery_out_for_delivery": "OnDelivery",
    "transit_handover": "ProofOfPickUp",
    "transit_origin_country_departure": "InternationalOutbound",
    "delivery_attempted": "Undeliverable",
    "delivery_refused": "Undeliverable",
}
_XSI_TYPE = {
    "Delivery": "DeliveryScan",
    "OnDelivery": "OnDeliveryScan",
    "ProofOfPickUp": "ProofOfPickUpScan",
    "InternationalOutbound": "InternationalOutboundScan",
    "Undeliverable": "UndeliverableScan",
}

ET.register_namespace("s", SOAP_NS)
ET.register_namespace("i", XSI_NS)


def create_app(source: JourneySource, *, client_id: str, client_secret: str) -> web.Application:
    """The fake Purolator app; ``app[FAKE_STATE]`` holds the fault switch and request log."""
    state = new_state(source, client_id=client_id, client_secret=client_secret, token_lifetime=0)
    return fake_app(state, web.post(PATH, _track))


async def _track(request: web.Request) -> web.Response:
    state = request.app[FAKE_STATE]
    if not state.credentials_match(*basic_credentials(request.headers.get("Authorization"))):
        return web.Response(status=401, text="401 - Unauthorized: Access is denied.")
    if request.headers.get("SOAPAction", "").strip('"') != SOAP_ACTION:
        return _soap_fault("Server did not recognize the value of HTTP Header SOAPAction.")
    try:
        envelope = parse_xml(await request.read())
    except CourierError:
        return _soap_fault("Server was unable to read request.")
    numbers = [text(value) or "" for value in descendants(envelope, "Value")]
    fault = state.record_track(numbers)
    if fault is not None:
        return _fault(fault)
    outcomes = {number: look_up(state.source, number) for number in numbers}
    failure = call_failure(outcomes.values())
    if failure is not None:
        return _fault(failure)
    response = ET.Element(f"{{{DATATYPES_NS}}}TrackPackagesByPinResponse")
    info = ET.SubElement(response, _dt("ResponseInformation"))
    ET.SubElement(info, _dt("Errors"))
    listing = ET.SubElement(response, _dt("TrackingInformationList"))
    for number, outcome in outcomes.items():
        if isinstance(outcome, CourierError):
            outcome = TrackingResult(number, "purolator", "sandbox")
        listing.append(render_information(outcome, number))
    return _envelope(200, response)


def render_information(result: TrackingResult, pin: str) -> ET.Element:
    """A journey as the ``TrackingInformation`` of ``pin`` (no scans: Purolator does not know
    it)."""
    info = ET.Element(_dt("TrackingInformation"))
    _pin(info, pin)
    scans = ET.SubElement(info, _dt("Scans"))
    for event in reversed(ordered_events(result.events)):
        scans.append(_scan(result, event, pin))
    return info


def _scan(result: TrackingResult, event: CourierEvent, pin: str) -> ET.Element:
    kind = _SCAN_TYPE_OF_STATUS.get(event.status_code or "", "Other")
    scan = ET.Element(_dt("Scan"))
    if kind in _XSI_TYPE:
        scan.set(f"{{{XSI_NS}}}type", _XSI_TYPE[kind])
    _add(scan, "ScanType", kind)
    _pin(scan, pin)
    depot = ET.SubElement(scan, _dt("Depot"))
    _add(depot, "Name", event.location or "PUROLATOR")
    when = LogisticsTime.parse(event.occurrence_datetime)
    _add(scan, "ScanDate", when.date.isoformat())
    _add(scan, "ScanTime", when.time.strftime("%H%M%S") if when.time else "")
    _add(scan, "Description", event.status or kind)
    _add(scan, "Comment", "")
    _add(scan, "SummaryScanIndicator", "false")
    details = ET.SubElement(scan, _dt("ScanDetails"))
    if kind == "Delivery":
        _add(details, "DeliverySignature", result.signed_by or "")
        _add(details, "ProductTypeText", result.service or "")
    elif kind == "ProofOfPickUp":
        _add(details, "CommitedDeliveryDate", (result.estimated_delivery or "")[:10])
        _add(details, "ProductTypeText", result.service or "")
    return scan


def _dt(name: str) -> str:
    return f"{{{DATATYPES_NS}}}{name}"


def _add(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, _dt(name)).text = value


def _pin(parent: ET.Element, number: str) -> None:
    _add(ET.SubElement(parent, _dt("PIN")), "Value", number)


def _fault(fault: Fault) -> web.Response:
    if fault.malformed:
        body = f'<s:Envelope xmlns:s="{SOAP_NS}"><s:Body><TrackPackagesByPinResponse'.encode()
        return web.Response(body=body, content_type="text/xml")
    if fault.status == 401:
        return web.Response(status=401, text="401 - Unauthorized: Access is denied.")
    return web.Response(
        status=fault.status,
        text="Service Unavailable" if fault.status == 503 else "Too Many Requests",
        headers=retry_after_headers(fault),
    )


def _soap_fault(reason: str) -> web.Response:
    fault = ET.Element(f"{{{SOAP_NS}}}Fault")
    ET.SubElement(fault, "faultcode").text = "soap:Client"
    ET.SubElement(fault, "faultstring").text = reason
    return _envelope(500, fault)


def _envelope(status: int, content: ET.Element) -> web.Response:
    envelope = ET.Element(f"{{{SOAP_NS}}}Envelope")
    ET.SubElement(envelope, f"{{{SOAP_NS}}}Body").append(content)
    body = ET.tostring(envelope, encoding="utf-8", xml_declaration=True)
    return web.Response(status=status, body=body, content_type="text/xml", charset="utf-8")


# --- the fake's declaration ------------------------------------------------------------

#: This carrier's fake for ``shiptrack fake-couriers`` (``couriers/connectors/fakespec.py``).
FAKE = FakeSpec(
    name="purolator",
    order=12,
    courier_codes=COURIER_CODES,
    recognise=recognise,
    make=make_number,
    serials=SERIALS,
    offsets=OFFSETS,
    expressible=EXPRESSIBLE,
    credentials=CREDENTIALS,
    create_app=keyword_app(create_app),
)

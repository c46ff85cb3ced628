"""Pure parsing of Purolator TrackingService (SOAP) answers into shiptrack's connector types.

``TrackPackagesByPin`` answers ``TrackPackagesByPinResponse`` (inside the SOAP body) with a
call-wide ``ResponseInformation`` (``Errors/Error{Code, Description}``) and one
``TrackingInformation`` per PIN: ``PIN/Value``, ``Scans/Scan*`` (newest first) and its own
``ResponseInformation``. Nothing here does I/O.

Decisions:

* A PIN answered with no scans is not found (yet), whatever message comes with it; a PIN the
  answer leaves out is not found when an error says so, else the answer is invalid.
* ``ScanDate`` + ``ScanTime`` (``HHMMSS``, leading zeros sometimes dropped) is a local time
  with no zone: it stays local, never labelled UTC.
* ``Depot/Name`` ("MONTREAL SORT CTR/CTR TRIE, PQ") is the location.
* ``DeliveryScan``'s ``ScanDetails/DeliverySignature`` is the proof of delivery (``signed_by``),
  ``ProofOfPickUpScan``'s ``CommitedDeliveryDate`` the estimated delivery.
* "New Tracking Number Assigned - <PIN>" names a linked Purolator PIN.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from shiptrack.couriers.connectors.fallback import decide
from shiptrack.couriers.connectors.parsing import logistics_datetime, normalised_number
from shiptrack.couriers.connectors.protocol import (
    CourierAuthError,
    CourierEvent,
    CourierResponseInvalid,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
    TrackOutcome,
)
from shiptrack.couriers.connectors.purolator.statuses import (
    NEW_PIN_TEXT,
    NOT_FOUND_WORDS,
    SCAN_TYPES,
)
from shiptrack.couriers.connectors.xmlbody import (
    child,
    children,
    descendants,
    parse_xml,
    text,
)

SOURCE_CODE = "purolator-tracking"
COURIER_CODE = "purolator"
_NEW_PIN = re.compile(r"new tracking number assigned\s*-\s*([A-Z0-9]{9,20})", re.IGNORECASE)


def errors(info: ET.Element | None) -> list[str]:
    """``"Code: Description"`` of each ``Errors/Error`` of a ``ResponseInformation``."""
    return [
        f"{text(e, 'Code') or ''}: {text(e, 'Description') or ''}".strip(": ")
        for e in children(child(info, "Errors"), "Error")
    ]


def parse_answer(numbers: Sequence[str], body: bytes) -> dict[str, TrackOutcome]:
    """One outcome per asked PIN from a SOAP answer body."""
    try:
        root = parse_xml(body)
    except CourierResponseInvalid as exc:
        return dict.fromkeys(numbers, exc)
    fault = next(descendants(root, "Fault"), None)
    if fault is not None:
        reason = text(fault, "faultstring") or "SOAP fault"
        error = CourierResponseInvalid(f"Purolator SOAP fault: {reason}"[:200])
        if "auth" in reason.lower():
            error = CourierAuthError(f"Purolator: {reason}"[:200])
        return dict.fromkeys(numbers, error)
    response = next(descendants(root, "TrackPackagesByPinResponse"), None)
    if response is None:
        return dict.fromkeys(numbers, CourierResponseInvalid("no TrackPackagesByPinResponse"))
    call_errors = errors(child(response, "ResponseInformation"))
    by_pin = {
        normalised_number(text(info, "PIN", "Value")): info
        for info in children(child(response, "TrackingInformationList"), "TrackingInformation")
    }
    outcomes: dict[str, TrackOutcome] = {}
    for number in numbers:
        info = by_pin.get(normalised_number(number))
        outcomes[number] = (
            _missing(number, call_errors) if info is None else _information(number, info)
        )
    return outcomes


def _missing(number: str, call_errors: list[str]) -> TrackOutcome:
    detail = "; ".join(call_errors)
    if any(word in detail.lower() for word in NOT_FOUND_WORDS):
        return TrackingNumberNotFound(f"Purolator: {detail}"[:200])
    return CourierResponseInvalid(f"Purolator gave no answer for {number}: {detail}"[:200])


def _information(number: str, info: ET.Element) -> TrackOutcome:
    scans = list(children(child(info, "Scans"), "Scan"))
    if not scans:
        detail = "; ".join(errors(child(info, "ResponseInformation"))) or "no scans"
        return TrackingNumberNotFound(f"Purolator: {detail}"[:200])
    try:
        total = len(scans)
        events = [_event(number, scan, total - i) for i, scan in enumerate(scans)]
    except CourierResponseInvalid as exc:
        return exc
    return TrackingResult(
        tracking_number=number,
        courier_code=COURIER_CODE,
        source_code=SOURCE_CODE,
        events=events,
        estimated_delivery=_first(scans, "CommitedDeliveryDate"),
        service=_first(scans, "ProductTypeText"),
        signed_by=_first(scans, "DeliverySignature"),
        linked_numbers=_linked(number, events),
    )


def scan_time(date: str | None, clock: str | None) -> str | None:
    """``2004-01-13`` + ``172300`` (or ``83704``) → ``2004-01-13T17:23:00``; None if unreadable."""
    digits = (clock or "").strip()
    if not digits:
        return logistics_datetime(date)
    if not digits.isdigit() or len(digits) > 6:
        return None
    digits = digits.zfill(6)
    return logistics_datetime(f"{date}T{digits[:2]}:{digits[2:4]}:{digits[4:]}")


def _event(number: str, scan: ET.Element, order: int) -> CourierEvent:
    when = scan_time(text(scan, "ScanDate"), text(scan, "ScanTime"))
    if when is None:
        raise CourierResponseInvalid(
            f"Purolator scan time {text(scan, 'ScanDate')!r} {text(scan, 'ScanTime')!r}"
        )
    kind = text(scan, "ScanType")
    description = text(scan, "Description")
    status_code, rule_id = decide(
        kind in SCAN_TYPES,
        SCAN_TYPES.get(kind or ""),
        text=description,
        courier_code=COURIER_CODE,
        carrier_code=kind,
    )
    return CourierEvent(
        tracking_number=number,
        occurrence_datetime=when,
        status=description,
        status_code=status_code,
        location=text(scan, "Depot", "Name"),
        courier_code=COURIER_CODE,
        source_code=SOURCE_CODE,
        carrier_status_code=kind,
        order=order,
        rule_id=rule_id,
    )


def _first(scans: list[ET.Element], detail: str) -> str | None:
    """The first (newest) non-empty ``ScanDetails/<detail>`` among the scans."""
    for scan in scans:
        value = text(scan, "ScanDetails", detail)
        if value:
            return value
    return None


def _linked(number: str, events: list[CourierEvent]) -> list[LinkedTrackingNumber]:
    seen = {normalised_number(number)}
    linked = []
    for event in events:
        if NEW_PIN_TEXT not in (event.status or "").lower():
            continue
        match = _NEW_PIN.search(event.status or "")
        if match and normalised_number(match[1]) not in seen:
            seen.add(normalised_number(match[1]))
            linked.append(LinkedTrackingNumber(match[1], COURIER_CODE))
    return linked

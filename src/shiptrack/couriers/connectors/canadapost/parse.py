"""Pure parsing of Canada Post tracking answers (VIS track v2, XML) into connector types.

``GET /vis/track/pin/{pin}/detail`` (or ``/dnc/{dnc}/detail``) answers ``<tracking-detail>`` in
namespace ``http://www.canadapost.ca/ws/track`` (``track.xsd``), or ``<messages>``
(``messages.xsd``) for an error: ``004`` "No Pin History" is an unknown number, ``E002`` and
``AA00x`` refused credentials, "Rejected by SLM Monitor" the key's throttle. Nothing here
does I/O.

Decisions:

* ``event-date`` + ``event-time`` is a local time; a known ``event-time-zone`` abbreviation
  (``EST``, ``PDT``…) gives its offset, kept as given. Foreign scans (empty zone, ``ISRAEL``)
  and unknown abbreviations stay local, never labelled UTC. Archived items send ``00:00:00``
  with no zone for every scan: those are dates only.
* Events are newest first; ``order`` counts from the oldest.
* ``changed-expected-date`` (a revised estimate) wins over ``expected-delivery-date``.
* ``signatory-name`` of a scan is the proof of delivery (``signed_by``: the newest one).
* ``original-pin``, ``return-pin`` and, for a notice-card (DNC) query, the item's ``pin`` are
  linked Canada Post numbers.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from shiptrack.couriers.connectors.canadapost.statuses import (
    AUTH_MESSAGES,
    EVENT_CODES,
    NOT_FOUND_MESSAGES,
    THROTTLED_TEXT,
    TIME_ZONES,
)
from shiptrack.couriers.connectors.fallback import decide
from shiptrack.couriers.connectors.parsing import logistics_datetime, normalised_number
from shiptrack.couriers.connectors.protocol import (
    CourierAuthError,
    CourierError,
    CourierEvent,
    CourierRateLimited,
    CourierResponseInvalid,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
    TrackOutcome,
)
from shiptrack.couriers.connectors.xmlbody import child, children, local_name, parse_xml, text

SOURCE_CODE = "canadapost-tracking"
COURIER_CODE = "ca-post"


def messages_error(root: ET.Element) -> CourierError:
    """The typed error of a ``<messages>`` answer."""
    found = [
        (text(m, "code") or "", text(m, "description") or "") for m in children(root, "message")
    ]
    detail = "; ".join(f"{code} {description}".strip() for code, description in found)
    message = f"Canada Post: {detail or 'error without a message'}"[:200]
    codes = {code for code, _ in found}
    if codes & NOT_FOUND_MESSAGES:
        return TrackingNumberNotFound(message)
    if codes & AUTH_MESSAGES:
        return CourierAuthError(message)
    if THROTTLED_TEXT in detail.lower():
        return CourierRateLimited(message, retry_after=60.0)
    return CourierResponseInvalid(message)


def parse_answer(number: str, body: bytes) -> TrackOutcome:
    """The outcome of one answer body (any HTTP status)."""
    try:
        root = parse_xml(body)
    except CourierResponseInvalid as exc:
        return exc
    if local_name(root) == "messages":
        return messages_error(root)
    if local_name(root) != "tracking-detail":
        return CourierResponseInvalid(f"unexpected Canada Post answer <{local_name(root)}>")
    try:
        return _result(number, root)
    except CourierResponseInvalid as exc:
        return exc


def _result(number: str, root: ET.Element) -> TrackingResult:
    occurrences = list(children(child(root, "significant-events"), "occurrence"))
    total = len(occurrences)
    events = [_event(number, raw, total - i) for i, raw in enumerate(occurrences)]
    expected = text(root, "changed-expected-date") or text(root, "expected-delivery-date")
    signed = next((name for raw in occurrences if (name := text(raw, "signatory-name"))), None)
    return TrackingResult(
        tracking_number=number,
        courier_code=COURIER_CODE,
        source_code=SOURCE_CODE,
        events=events,
        estimated_delivery=logistics_datetime(expected),
        service=text(root, "service-name"),
        signed_by=signed,
        linked_numbers=_linked(number, root),
        recipient_post_code=text(root, "destination-postal-id"),
    )


def _event(number: str, raw: ET.Element, order: int) -> CourierEvent:
    when = event_time(
        text(raw, "event-date"), text(raw, "event-time"), text(raw, "event-time-zone")
    )
    if when is None:
        raise CourierResponseInvalid(
            f"occurrence without a readable date: {text(raw, 'event-date')!r}"
        )
    code = text(raw, "event-identifier")
    description = text(raw, "event-description")
    key = (code or "").lstrip("0") or "0"
    status_code, rule_id = decide(
        code is not None and key in EVENT_CODES,
        EVENT_CODES.get(key),
        text=description,
        courier_code=COURIER_CODE,
        carrier_code=code,
    )
    place = ", ".join(p for p in (text(raw, "event-site"), text(raw, "event-province")) if p)
    return CourierEvent(
        tracking_number=number,
        occurrence_datetime=when,
        status=description,
        status_code=status_code,
        location=place or text(raw, "event-retail-name"),
        courier_code=COURIER_CODE,
        source_code=SOURCE_CODE,
        carrier_status_code=code,
        order=order,
        rule_id=rule_id,
    )


def zone_offset(zone: str | None) -> str | None:
    """``EST`` → ``-05:00``; an abbreviation followed by noise (``CSTNO``) counts; else None."""
    name = (zone or "").strip().upper()
    if name in TIME_ZONES:
        return TIME_ZONES[name]
    prefixes = [abbr for abbr in TIME_ZONES if name.startswith(abbr)]
    return TIME_ZONES[max(prefixes, key=len)] if prefixes else None


def event_time(date: str | None, clock: str | None, zone: str | None) -> str | None:
    """A scan's logistics date-time from its three fields (see the module's decisions)."""
    day = logistics_datetime(date)
    if day is None or len(day) != 10:
        return None
    offset = zone_offset(zone)
    if not clock or (clock == "00:00:00" and offset is None):
        return day
    return logistics_datetime(f"{day}T{clock}{offset or ''}")


def _linked(number: str, root: ET.Element) -> list[LinkedTrackingNumber]:
    seen = {normalised_number(number)}
    linked = []
    for field in ("pin", "original-pin", "return-pin"):
        other = text(root, field)
        if other and normalised_number(other) not in seen:
            seen.add(normalised_number(other))
            linked.append(LinkedTrackingNumber(other, COURIER_CODE))
    return linked

"""Pure parsing of InPost ShipX tracking answers into shiptrack's connector types.

``GET /v1/tracking/{tracking_number}`` answers one object: ``tracking_number``, ``service``,
``status`` (current status name) and ``tracking_details[]``, newest first, each with a
status ``name``, InPost's internal ``origin_status`` symbol, an optional ``location`` and a
``datetime`` with its offset (``2015-09-17T11:28:00.000+02:00``). Nothing here does I/O.

Decisions:

* Events carry no text: the event's text is InPost's English title of its status name
  (``statuses.STATUS_NAMES``); a name InPost added since is kept, its text being the name
  read by the status normaliser.
* Times keep their offsets (milliseconds dropped); ``order`` counts from the oldest.
* ShipX gives no delivery estimate, signatory or second number for a parcel.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shiptrack.couriers.connectors.fallback import decide
from shiptrack.couriers.connectors.inpost.statuses import (
    COURIER_CODE,
    STATUS_NAMES,
    UNMAPPED_NAMES,
)
from shiptrack.couriers.connectors.parsing import (
    json_list,
    logistics_datetime,
    normalised_number,
    string_value,
)
from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    CourierResponseInvalid,
    LinkedTrackingNumber,
    TrackingResult,
    TrackOutcome,
)

SOURCE_CODE = "inpost-tracking"


def parse_tracking(number: str, body: object) -> TrackOutcome:
    """The outcome for ``number`` from a decoded ``/v1/tracking`` answer."""
    if not isinstance(body, Mapping):
        return CourierResponseInvalid("InPost answer is not an object")
    try:
        raw_events = json_list(body.get("tracking_details"), "InPost 'tracking_details'")
        total = len(raw_events)
        events = [_event(number, raw, order=total - i) for i, raw in enumerate(raw_events)]
    except CourierResponseInvalid as exc:
        return CourierResponseInvalid(f"InPost answer breaks the documented format: {exc}")
    linked: list[LinkedTrackingNumber] = []
    own = string_value(body.get("tracking_number"))
    if own and normalised_number(own) != normalised_number(number):
        linked.append(LinkedTrackingNumber(own, COURIER_CODE))
    return TrackingResult(
        tracking_number=number,
        courier_code=COURIER_CODE,
        source_code=SOURCE_CODE,
        events=events,
        service=string_value(body.get("service")) or string_value(body.get("type")),
        linked_numbers=linked,
    )


def status_text(name: str) -> str:
    """The text of an event with status ``name``: InPost's title, else the name itself."""
    known = STATUS_NAMES.get(name)
    if known is not None:
        return known[1]
    return UNMAPPED_NAMES.get(name, name.replace("_", " "))


def _event(number: str, raw: object, *, order: int) -> CourierEvent:
    if not isinstance(raw, Mapping):
        raise CourierResponseInvalid("a tracking detail is not an object")
    name = string_value(raw.get("status"))
    if name is None:
        raise CourierResponseInvalid("a tracking detail has no status")
    when = logistics_datetime(raw.get("datetime"))
    if when is None:
        raise CourierResponseInvalid(f"datetime {raw.get('datetime')!r} is not a date-time")
    text = status_text(name)
    known = STATUS_NAMES.get(name)
    status_code, rule_id = decide(
        known is not None,
        known[0] if known else None,
        text=text,
        courier_code=COURIER_CODE,
        carrier_code=name,
    )
    return CourierEvent(
        tracking_number=number,
        occurrence_datetime=when,
        status=text,
        status_code=status_code,
        location=_location(raw),
        courier_code=COURIER_CODE,
        source_code=SOURCE_CODE,
        carrier_status_code=name,
        order=order,
        rule_id=rule_id,
    )


def _location(raw: Mapping[str, Any]) -> str | None:
    location = raw.get("location")
    if isinstance(location, Mapping):
        return string_value(location.get("name")) or string_value(location.get("city"))
    return string_value(location) or string_value(raw.get("agency"))

"""What a tracking page shows, built from the tracker's stored results (the same JSON the
API answers, read through the trackers service) in one language.

Carriers' texts (event status, location, signed-by) pass through untouched; only Ship24's
milestones and status codes are translated. Recipient data is never shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shiptrack.couriers.catalogue import get_courier, tracking_page_url
from shiptrack.pages import dates

#: The steps of the progress bar; the other milestones sit on one of them.
STEPS = ("info_received", "in_transit", "out_for_delivery", "delivered")
_STEP_OF = {
    "pending": -1,
    "info_received": 0,
    "in_transit": 1,
    "out_for_delivery": 2,
    "failed_attempt": 2,
    "available_for_pickup": 2,
    "delivered": 3,
    "exception": -1,
}


@dataclass(frozen=True, slots=True)
class Step:
    label: str
    state: str  # "done", "current" or "todo"


@dataclass(frozen=True, slots=True)
class Carrier:
    code: str
    name: str
    tracking_number: str
    url: str | None


@dataclass(frozen=True, slots=True)
class Event:
    #: The carrier's local time as it gave it (the ``<time datetime>``), and as shown.
    at: str
    when: str
    status: str | None
    status_label: str | None
    location: str | None
    carrier: str | None
    #: Set on the first event of a carrier that took the parcel over from another.
    handover_to: str | None = None


@dataclass(slots=True)
class Page:
    tracking_number: str
    milestone: str
    milestone_label: str
    state: str  # "not_found", "exception" or "normal"
    steps: list[Step] = field(default_factory=list)
    eta: str | None = None
    service: str | None = None
    signed_by: str | None = None
    carriers: list[Carrier] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def _eta(delivery: dict[str, Any], lang: str) -> str | None:
    window = delivery.get("courierEstimatedDeliveryDate") or {}
    start, end = window.get("from"), window.get("to")
    if not start and not end:
        start = delivery.get("estimatedDeliveryDate")
    return dates.window(start, end, lang)


def _courier_name(code: str | None) -> str | None:
    if code is None:
        return None
    courier = get_courier(code)
    return courier.name if courier is not None else code


def build(tracking: dict[str, Any], texts: dict[str, Any], lang: str) -> Page:
    """The page of one tracking (``{"tracker":…,"shipment":…,"events":[…]}``) in ``lang``
    (times as the carrier gave them, written the language's way: ``dates.local``)."""
    shipment = tracking["shipment"]
    milestone = shipment.get("statusMilestone") or "pending"
    events = tracking.get("events") or []
    state = "normal"
    if milestone == "exception":
        state = "exception"
    elif not events:
        state = "not_found"
    milestones = texts["milestones"]
    current = _STEP_OF.get(milestone, -1)
    steps = [
        Step(
            milestones[milestone] if index == current else milestones[step],
            "done" if index < current else "current" if index == current else "todo",
        )
        for index, step in enumerate(STEPS)
    ]
    delivery = shipment.get("delivery") or {}
    page = Page(
        tracking_number=tracking["tracker"]["trackingNumber"],
        milestone=milestone,
        milestone_label=milestones.get(milestone, milestone),
        state=state,
        steps=steps,
        eta=_eta(delivery, lang),
        service=delivery.get("service"),
        signed_by=delivery.get("signedBy"),
    )
    seen: dict[str, Carrier] = {}
    previous: str | None = None
    chronological: list[Event] = []
    for event in reversed(events):
        code = event.get("courierCode")
        handover = None
        if code is not None and code not in seen:
            number = event.get("eventTrackingNumber") or page.tracking_number
            name = _courier_name(code) or code
            seen[code] = Carrier(code, name, number, tracking_page_url(code, number))
            if previous is not None:
                handover = name
        if code is not None:
            previous = code
        status_code = event.get("statusCode")
        chronological.append(
            Event(
                at=event["occurrenceDatetime"],
                when=dates.local(event["occurrenceDatetime"], lang),
                status=event.get("status"),
                status_label=texts["statusCodes"].get(status_code) if status_code else None,
                location=event.get("location"),
                carrier=_courier_name(code),
                handover_to=handover,
            )
        )
    page.events = chronological[::-1]
    page.carriers = list(seen.values())
    return page

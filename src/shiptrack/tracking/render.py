"""Ship24's ``shipment``, ``events`` and ``statistics`` objects from a shipment's timeline.

The engine renders them when a shipment changes and stores the bytes
(``shipments.tracking_json``); the results endpoints splice them after the tracker.
"""

from __future__ import annotations

from typing import Any

import orjson

from shiptrack.status.taxonomy import category_of
from shiptrack.tracking.timeline import ShipmentSummary, TimelineEvent

#: Keys of ``shipments.details`` (what couriers said besides events).
DETAIL_KEYS = (
    "estimatedDeliveryDate",
    "estimatedFrom",
    "estimatedTo",
    "service",
    "signedBy",
    "postCode",
    "city",
)


def event_dict(
    event: TimelineEvent, *, tracker_number: str, milestone: str, position: int
) -> dict[str, Any]:
    """One REST event; ``order`` is its place in the timeline (1 = oldest), ``sequence`` its
    place in the discovery order (shiptrack's additive field)."""
    return {
        "eventId": event.event_id,
        "trackingNumber": tracker_number,
        "eventTrackingNumber": event.tracking_number,
        "status": event.status,
        "occurrenceDatetime": event.occurrence_datetime,
        "order": position,
        "location": event.location,
        "sourceCode": event.source_code,
        "courierCode": event.courier_code,
        "statusCode": event.status_code,
        "statusCategory": category_of(event.status_code),
        "statusMilestone": milestone,
        "sequence": event.sequence,
    }


def shipment_dict(
    *,
    shipment_id: str,
    summary: ShipmentSummary[TimelineEvent],
    origin: str | None,
    destination: str | None,
    tracking_numbers: list[str],
    details: dict[str, Any],
) -> dict[str, Any]:
    window = None
    if details.get("estimatedFrom") or details.get("estimatedTo"):
        window = {"from": details.get("estimatedFrom"), "to": details.get("estimatedTo")}
    recipient = None
    if details.get("postCode") or details.get("city"):
        recipient = {
            "name": None,
            "address": None,
            "postCode": details.get("postCode"),
            "city": details.get("city"),
            "subdivision": None,
        }
    return {
        "shipmentId": shipment_id,
        "statusCode": summary.status_code,
        "statusCategory": summary.status_category,
        "statusMilestone": summary.status_milestone,
        "originCountryCode": origin,
        "destinationCountryCode": destination,
        "delivery": {
            "estimatedDeliveryDate": details.get("estimatedDeliveryDate")
            or details.get("estimatedTo"),
            "courierEstimatedDeliveryDate": window,
            "service": details.get("service"),
            "signedBy": details.get("signedBy"),
        },
        "trackingNumbers": [{"tn": n} for n in tracking_numbers],
        "recipient": recipient,
    }


def events_newest_first(
    summary: ShipmentSummary[TimelineEvent], tracker_number: str
) -> list[dict[str, Any]]:
    rendered = [
        event_dict(e, tracker_number=tracker_number, milestone=m, position=n)
        for n, (e, m) in enumerate(zip(summary.events, summary.milestones, strict=True), 1)
    ]
    rendered.reverse()
    return rendered


def tracking_members(
    shipment: dict[str, Any], events: list[dict[str, Any]], statistics: dict[str, Any]
) -> bytes:
    """The ``"shipment":…,"events":…,"statistics":…`` members, as stored."""
    body = orjson.dumps({"shipment": shipment, "events": events, "statistics": statistics})
    return body[1:-1]

"""The wire shapes, rendered in one place: Ship24's ``tracker``, ``shipment``, ``events`` and
``statistics`` objects, for the API and for webhooks.

The engine renders shipment, events and statistics when a shipment changes and stores the
bytes (``shipments.tracking_json``); the results endpoints splice them after the tracker
(:func:`tracker_dict`, ``trackers/presenter.py``), and the webhook body
(``webhooks/delivery/payload.py``) carries the webhook tracker (:func:`webhook_tracker_of`) and the
webhook form of each new event (:func:`webhook_event`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from shiptrack.clock import format_stored_timestamp, format_timestamp
from shiptrack.status import logistics_time
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


# --- shipments without data -----------------------------------------------------------------

_STATISTICS_EMPTY = {
    "timestamps": {
        "infoReceivedDatetime": None,
        "inTransitDatetime": None,
        "outForDeliveryDatetime": None,
        "failedAttemptDatetime": None,
        "availableForPickupDatetime": None,
        "exceptionDatetime": None,
        "deliveredDatetime": None,
    }
}


def _pending_parts() -> tuple[bytes, bytes, bytes]:
    """The members of a shipment with no data yet, cut where its id and tracking number go."""
    body = orjson.dumps(
        {
            "shipment": {
                "shipmentId": "\x00",
                "statusCode": None,
                "statusCategory": None,
                "statusMilestone": "pending",
                "originCountryCode": None,
                "destinationCountryCode": None,
                "delivery": {
                    "estimatedDeliveryDate": None,
                    "courierEstimatedDeliveryDate": None,
                    "service": None,
                    "signedBy": None,
                },
                "trackingNumbers": [{"tn": "\x00"}],
                "recipient": None,
            },
            "events": [],
            "statistics": _STATISTICS_EMPTY,
        }
    )
    head, middle, tail = body[1:-1].split(orjson.dumps("\x00"))
    return head, middle, tail


_PENDING = _pending_parts()


def pending_tracking_members(shipment_id: str, tracking_number: str) -> bytes:
    """The ``shipment``/``events``/``statistics`` members of a shipment with no data yet."""
    head, middle, tail = _PENDING
    return head + orjson.dumps(shipment_id) + middle + orjson.dumps(tracking_number) + tail


# --- trackers -------------------------------------------------------------------------------


def tracker_dict(row: Any) -> dict[str, Any]:
    """The REST tracker object, keys in Ship24's order."""
    return {
        "trackerId": row.id,
        "trackingNumber": row.tracking_number,
        "shipmentReference": row.shipment_reference,
        "courierCode": list(row.courier_codes),
        "clientTrackerId": row.client_tracker_id,
        "isSubscribed": bool(row.is_subscribed),
        "isTracked": bool(row.is_tracked),
        "createdAt": format_timestamp(row.created_at),
    }


def stored_tracker_json(
    tracker_id: str,
    tracking_number: str,
    shipment_reference: str | None,
    courier_codes: str | bytes | list[str],
    client_tracker_id: str | None,
    is_subscribed: object,
    is_tracked: object,
    created_at: dt.datetime | str,
) -> bytes:
    """:func:`tracker_dict` as JSON, from the columns as the database driver reads them (the
    results read's hot path: no typed row first). ``courier_codes`` may be the stored JSON
    text, spliced as it is; ``created_at`` SQLite's text or a ``datetime``."""
    return orjson.dumps(
        {
            "trackerId": tracker_id,
            "trackingNumber": tracking_number,
            "shipmentReference": shipment_reference,
            "courierCode": orjson.Fragment(courier_codes)
            if isinstance(courier_codes, str | bytes)
            else list(courier_codes),
            "clientTrackerId": client_tracker_id,
            "isSubscribed": bool(is_subscribed),
            "isTracked": bool(is_tracked),
            "createdAt": format_stored_timestamp(created_at),
        }
    )


def webhook_tracker_of(row: Any) -> dict[str, Any]:
    """The webhook tracker (§4.2: no ``isTracked``, no ``courierCode``) of a tracker row."""
    return {
        "trackerId": row.id,
        "trackingNumber": row.tracking_number,
        "shipmentReference": row.shipment_reference,
        "clientTrackerId": row.client_tracker_id,
        "isSubscribed": row.is_subscribed,
        "createdAt": format_timestamp(row.created_at),
    }


def webhook_update(
    tracker: Any,
    shipment: dict[str, Any],
    events: list[dict[str, Any]],
    statistics: dict[str, Any],
    new_event_ids: list[str],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A tracking update's webhook parts (``updates.TrackingUpdate``): the ``trackings[]``
    item without its events (webhook tracker, shipment, statistics) and the rendered events
    of ``new_event_ids``, in that order."""
    by_id = {e["eventId"]: e for e in events}
    tracking = {
        "tracker": webhook_tracker_of(tracker),
        "shipment": shipment,
        "statistics": statistics,
    }
    return tracking, [by_id[event_id] for event_id in new_event_ids]


def webhook_tracker(tracker: dict[str, Any]) -> dict[str, Any]:
    """The webhook tracker (§4.2) from a tracker object that may carry REST-only keys."""
    return {
        "trackerId": tracker["trackerId"],
        "trackingNumber": tracker["trackingNumber"],
        "shipmentReference": tracker.get("shipmentReference"),
        "clientTrackerId": tracker.get("clientTrackerId"),
        "isSubscribed": tracker.get("isSubscribed", True),
        "createdAt": tracker["createdAt"],
    }


# --- webhook events ---------------------------------------------------------------------------

#: Keys of a webhook event, in the order of Ship24's example.
_REST_KEYS = (
    "eventId",
    "trackingNumber",
    "eventTrackingNumber",
    "status",
    "occurrenceDatetime",
    "order",
    "location",
    "sourceCode",
    "courierCode",
    "statusCode",
    "statusCategory",
    "statusMilestone",
)


def deprecated_time_fields(occurrence: str | None) -> tuple[bool, str | None, str | None]:
    """``hasNoTime``, ``utcOffset`` and ``datetime`` for an ``occurrenceDatetime``.

    ``datetime`` is a UTC timestamp: the exact instant when the value carries an offset or
    ``Z``, otherwise the wall clock read as UTC (Ship24's example: ``2025-03-04T17:12:57`` →
    ``2025-03-04T17:12:57.000Z``, ``utcOffset`` null). A date-only value has ``hasNoTime``.
    """
    if not occurrence:
        return False, None, None
    try:
        parsed = logistics_time.parse(occurrence)
    except ValueError:
        return False, None, None
    offset = None
    if parsed.kind == "offset" and parsed.instant is not None:
        minutes = round((parsed.wall - parsed.instant.replace(tzinfo=None)).total_seconds() / 60)
        sign = "-" if minutes < 0 else "+"
        offset = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    instant = parsed.instant or parsed.wall.replace(tzinfo=dt.UTC)
    return parsed.kind == "date", offset, format_timestamp(instant)


def webhook_event(event: dict[str, Any]) -> dict[str, Any]:
    """A REST event (with ``sequence``) in its webhook form."""
    out = {key: event.get(key) for key in _REST_KEYS}
    has_no_time, utc_offset, instant = deprecated_time_fields(event.get("occurrenceDatetime"))
    out["hasNoTime"] = has_no_time
    out["utcOffset"] = utc_offset
    out["datetime"] = instant
    out["sequence"] = event.get("sequence")
    return out

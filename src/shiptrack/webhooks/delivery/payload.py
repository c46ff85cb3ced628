"""The webhook body, exactly as Ship24 sends it (spec Part B §7), assembled as bytes.

``{"trackings":[{"metadata":…,"tracker":…,"shipment":…,"events":[…],"statistics":…}]}``

- ``metadata``: ``generatedAt`` (when the message was written), ``messageId`` (the message's
  id, stable across retries and resends), ``topic`` (``tracking/events``).
- ``tracker``: the webhook tracker (§4.2: no ``isTracked``, no ``courierCode``).
- ``shipment``/``statistics``: the shipment's state when the message was written.
- ``events``: only the events new since the previous message, newest first, each with the
  deprecated webhook-only fields ``hasNoTime``, ``utcOffset`` and ``datetime`` (§4.5) and
  shiptrack's additive ``sequence``.

The tracker and event objects themselves are rendered by ``tracking/render.py``, the one
module that renders every wire shape for the API and for webhooks; this module assembles
them into a message.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import orjson

from shiptrack.clock import format_timestamp
from shiptrack.tracking.render import deprecated_time_fields, webhook_event, webhook_tracker

__all__ = [
    "TOPIC_EVENTS",
    "TrackingRenderer",
    "deprecated_time_fields",
    "events_of",
    "metadata",
    "sample_body",
    "webhook_event",
    "webhook_tracker",
]

TOPIC_EVENTS = "tracking/events"


def metadata(message_id: str, generated_at: dt.datetime, topic: str = TOPIC_EVENTS) -> bytes:
    return orjson.dumps(
        {"generatedAt": format_timestamp(generated_at), "messageId": message_id, "topic": topic}
    )


class TrackingRenderer:
    """Renders messages for one tracking update: the tracker, shipment and statistics are
    serialised once and spliced into each message (one per event when not grouping)."""

    __slots__ = ("_shipment", "_statistics", "_tracker")

    def __init__(self, tracking: dict[str, Any]) -> None:
        self._tracker = orjson.dumps(webhook_tracker(tracking["tracker"]))
        self._shipment = orjson.dumps(tracking["shipment"])
        self._statistics = orjson.dumps(tracking["statistics"])

    def body(
        self, message_id: str, generated_at: dt.datetime, events: Sequence[dict[str, Any]]
    ) -> bytes:
        """``{"trackings":[one tracking]}`` with ``events`` (webhook form, newest first)."""
        return b"".join(
            (
                b'{"trackings":[{"metadata":',
                metadata(message_id, generated_at),
                b',"tracker":',
                self._tracker,
                b',"shipment":',
                self._shipment,
                b',"events":',
                orjson.dumps(list(events)),
                b',"statistics":',
                self._statistics,
                b"}]}",
            )
        )


def events_of(body: bytes) -> list[dict[str, Any]]:
    """The events held by a stored body (used when a grouped message takes more events)."""
    return list(orjson.loads(body)["trackings"][0]["events"])


def sample_body(now: dt.datetime, message_id: str | None = None) -> tuple[str, bytes]:
    """A realistic message for ``test-send``: Ship24's example delivery, with fresh ids."""
    message_id = message_id or str(uuid.uuid4())
    tracking = {
        "tracker": {
            "trackerId": "00000000-0000-4000-8000-000000000000",
            "trackingNumber": "SHIP24_SAMPLE_DELIVERED_000",
            "shipmentReference": "test-send",
            "clientTrackerId": None,
            "isSubscribed": True,
            "createdAt": format_timestamp(now),
        },
        "shipment": {
            "shipmentId": "00000000-0000-4000-8000-000000000001",
            "statusCode": "delivery_delivered",
            "statusCategory": "delivery",
            "statusMilestone": "delivered",
            "originCountryCode": "US",
            "destinationCountryCode": "US",
            "delivery": {
                "estimatedDeliveryDate": None,
                "courierEstimatedDeliveryDate": None,
                "service": None,
                "signedBy": None,
            },
            "trackingNumbers": [{"tn": "SHIP24_SAMPLE_DELIVERED_000"}],
            "recipient": None,
        },
        "statistics": {
            "timestamps": {
                "infoReceivedDatetime": None,
                "inTransitDatetime": None,
                "outForDeliveryDatetime": None,
                "failedAttemptDatetime": None,
                "availableForPickupDatetime": None,
                "exceptionDatetime": None,
                "deliveredDatetime": now.strftime("%Y-%m-%dT%H:%M:%S"),
            }
        },
    }
    event = {
        "eventId": str(uuid.uuid4()),
        "trackingNumber": "SHIP24_SAMPLE_DELIVERED_000",
        "eventTrackingNumber": "SHIP24_SAMPLE_DELIVERED_000",
        "status": "Delivered (shiptrack test message)",
        "occurrenceDatetime": now.strftime("%Y-%m-%dT%H:%M:%S"),
        "order": None,
        "location": None,
        "sourceCode": "shiptrack-test",
        "courierCode": None,
        "statusCode": "delivery_delivered",
        "statusCategory": "delivery",
        "statusMilestone": "delivered",
        "sequence": 1,
    }
    return message_id, TrackingRenderer(tracking).body(message_id, now, [webhook_event(event)])

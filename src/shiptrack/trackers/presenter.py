"""Tracker endpoint bodies (Ship24 Part B §4), assembled straight to JSON bytes from the wire
shapes of ``tracking/render.py``.

A tracking is ``{"tracker":…,"shipment":…,"events":[…],"statistics":…}``. The engine stores
the ``shipment``/``events``/``statistics`` members pre-rendered per shipment
(``shipments.tracking_json``); here they are spliced after the tracker, so serving results
costs one row read and no per-event work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from shiptrack.clock import format_timestamp
from shiptrack.tracking import render


def tracking_bytes(row: Any) -> bytes:
    """One tracking for a row holding tracker columns and ``tracking_json`` (may be None)."""
    members = row.tracking_json or render.pending_tracking_members(
        row.shipment_id, row.tracking_number
    )
    return b'{"tracker":' + orjson.dumps(render.tracker_dict(row)) + b"," + bytes(members) + b"}"


def trackings_body(rows: Iterable[Any]) -> bytes:
    """``{"data":{"trackings":[…]}}`` for result rows."""
    return b'{"data":{"trackings":[' + b",".join(tracking_bytes(r) for r in rows) + b"]}}"


def stored_results_body(raw: Sequence[Any]) -> bytes:
    """:func:`trackings_body` of one tracker read as the driver gives it
    (``repository.stored_results_by_id``): the results read's hot path, with no typed row
    and no ``datetime`` in between."""
    tracker_id, number, reference, codes, client_id, subscribed, tracked, created = raw[:8]
    shipment_id, members = raw[8], raw[9]
    tracker = render.stored_tracker_json(
        tracker_id, number, reference, codes, client_id, subscribed, tracked, created
    )
    if members is None:
        members = render.pending_tracking_members(shipment_id, number)
    return b'{"data":{"trackings":[{"tracker":' + tracker + b"," + bytes(members) + b"}]}}"


def tracker_body(row: Any) -> bytes:
    return orjson.dumps({"data": {"tracker": render.tracker_dict(row)}})


def trackers_body(rows: Iterable[Any]) -> bytes:
    return orjson.dumps({"data": {"trackers": [render.tracker_dict(r) for r in rows]}})


def _timestamp(value: dt.datetime | None) -> str | None:
    return format_timestamp(value) if value is not None else None


def diagnostics_body(
    tracker: Any,
    stored: Iterable[Any],
    routing: dict[str, Any] | None = None,
    number_problems: Iterable[tuple[str, str]] = (),
) -> bytes:
    """``{"data": {"tracker": …, "events": […]}}``: raw carrier words next to the decision.

    ``number_problems`` are ``(sourceCode, why)`` of the sources that can never track the
    number (``ConnectorSet.number_problems``).

    Sections are keys under ``data`` so later views (sources asked, courier detection) add
    keys without changing these.
    """
    return orjson.dumps(
        {
            "data": {
                "tracker": {
                    "trackerId": tracker.id,
                    "trackingNumber": tracker.tracking_number,
                    "shipmentId": tracker.shipment_id,
                },
                "checks": {
                    "isTracked": tracker.is_tracked,
                    "checkCount": tracker.check_count,
                    "errorCount": tracker.error_count,
                    "lastCheckedAt": _timestamp(tracker.last_checked_at),
                    "nextCheckAt": _timestamp(tracker.next_check_at),
                    "stopReason": tracker.stop_reason,
                },
                "routing": routing,
                "numberProblems": [
                    {"sourceCode": source, "message": message}
                    for source, message in number_problems
                ],
                "events": [
                    {
                        "eventId": e.id,
                        "sequence": e.sequence,
                        "trackingNumber": e.event_tracking_number,
                        "courierCode": e.courier_code,
                        "sourceCode": e.source_code,
                        "occurrenceDatetime": e.occurrence_datetime,
                        "status": e.status,
                        "carrierStatusCode": e.carrier_status_code,
                        "statusCode": e.status_code,
                        "ruleId": e.rule_id,
                        "discoveredAt": format_timestamp(e.discovered_at),
                    }
                    for e in stored
                ],
            }
        }
    )

"""17TRACK Tracking API v2.2 answers and pushes → shiptrack's values: pure functions.

Envelope: ``{"code": 0, "data": {"accepted": [...], "rejected": [...]}}``; a track-info item
is ``{number, carrier, param, tag, track_info}`` (reference card ``apis/17track.md`` §4–5).
Events are read from every provider of ``track_info.tracking.providers`` (origin post and
last mile), newest first as 17TRACK lists them; each keeps its ``description`` and its code
(``sub_status``, else ``stage``).
"""

from __future__ import annotations

from typing import Any

from shiptrack.couriers.connectors.aggregator_events import upstream_event
from shiptrack.couriers.connectors.parsing import (
    country_code,
    json_list,
    json_object,
    logistics_datetime,
    string_value,
    text_value,
)
from shiptrack.couriers.connectors.protocol import (
    CourierError,
    CourierResponseInvalid,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.connectors.track17.statuses import EVENT_CODES
from shiptrack.couriers.connectors.upstream_terms import PushMessage

SOURCE_CODE = "17track"


def envelope(body: object) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(accepted, rejected)`` of an answer; a request-level error raises."""
    answer = json_object(body, "answer")
    code = answer.get("code")
    if code != 0:
        raise CourierResponseInvalid(f"17TRACK refused the request: code {code}")
    data = json_object(answer.get("data"), "data")
    accepted = [json_object(i, "accepted[]") for i in json_list(data.get("accepted"), "accepted")]
    rejected = [json_object(i, "rejected[]") for i in json_list(data.get("rejected"), "rejected")]
    return accepted, rejected


def rejection(item: dict[str, Any]) -> tuple[str, int | None, str]:
    """``(number, error code, message)`` of a ``rejected[]`` item."""
    error = item.get("error") if isinstance(item.get("error"), dict) else {}
    code = error.get("code")
    return (
        text_value(item.get("number")) or "",
        code if isinstance(code, int) else None,
        text_value(error.get("message")) or "",
    )


def parse_track_info(item: dict[str, Any], courier_code: str = "") -> TrackingResult | CourierError:
    """One accepted gettrackinfo item (or a push's ``data``)."""
    number = text_value(item.get("number"))
    if number is None:
        raise CourierResponseInvalid("track info without a number")
    info = item.get("track_info")
    info = info if isinstance(info, dict) else {}
    tracking = info.get("tracking") if isinstance(info.get("tracking"), dict) else {}
    raw_events: list[dict[str, Any]] = []
    service = None
    for provider in json_list(tracking.get("providers"), "tracking.providers"):
        provider = json_object(provider, "provider")
        service = service or text_value(provider.get("service_type"))
        raw_events += [json_object(e, "event") for e in json_list(provider.get("events"), "events")]
    events = []
    for index, raw in enumerate(raw_events):
        code = string_value(raw.get("sub_status")) or string_value(raw.get("stage"))
        event = upstream_event(
            number=number,
            when=raw.get("time_iso") or raw.get("time_utc"),
            text=raw.get("description"),
            location=raw.get("location"),
            code=code,
            table=EVENT_CODES,
            table_name=SOURCE_CODE,
            courier_code=courier_code,
            source_code=SOURCE_CODE,
            order=len(raw_events) - index,
        )
        if event is not None:
            events.append(event)
    if not events:
        return TrackingNumberNotFound(f"17TRACK: no events yet for {number}")
    shipping = info.get("shipping_info") if isinstance(info.get("shipping_info"), dict) else {}
    shipper = shipping.get("shipper_address") or {}
    recipient = shipping.get("recipient_address") or {}
    metrics = info.get("time_metrics") if isinstance(info.get("time_metrics"), dict) else {}
    estimate = metrics.get("estimated_delivery_date") or {}
    return TrackingResult(
        tracking_number=number,
        courier_code=courier_code,
        source_code=SOURCE_CODE,
        events=events,
        origin_country_code=country_code(shipper.get("country"))
        if isinstance(shipper, dict)
        else None,
        destination_country_code=country_code(recipient.get("country"))
        if isinstance(recipient, dict)
        else None,
        estimated_delivery_from=logistics_datetime(estimate.get("from"))
        if isinstance(estimate, dict)
        else None,
        estimated_delivery_to=logistics_datetime(estimate.get("to"))
        if isinstance(estimate, dict)
        else None,
        service=service,
        recipient_post_code=text_value(recipient.get("postal_code"))
        if isinstance(recipient, dict)
        else None,
    )


def parse_webhook(body: object) -> PushMessage:
    """``{"event": "TRACKING_UPDATED" | "TRACKING_STOPPED", "data": {...}}``."""
    push = json_object(body, "push")
    data = json_object(push.get("data"), "push.data")
    event = push.get("event")
    message = PushMessage(key=None)
    if event == "TRACKING_STOPPED":
        number = text_value(data.get("number"))
        if number:
            message.stopped.append(number)
    elif event == "TRACKING_UPDATED":
        result = parse_track_info(data)
        if isinstance(result, TrackingResult):
            message.results.append(result)
    else:
        raise CourierResponseInvalid(f"unknown push event {event!r}")
    return message

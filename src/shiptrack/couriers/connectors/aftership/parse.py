"""AfterShip Tracking API (2025-01) answers and webhooks → shiptrack's values: pure functions.

Envelope ``{"meta": {"code", "message", "type"}, "data": ...}``; since 2024-04 ``data`` is
the tracking object itself for get/create (reference card ``apis/aftership.md`` §5). Each
checkpoint keeps its ``message`` and its code (``subtag``, else ``tag``); checkpoints come
oldest first. Countries are ISO alpha-3 (``*_country_region``).
"""

from __future__ import annotations

import pycountry

from shiptrack.couriers.connectors.aftership.statuses import EVENT_CODES
from shiptrack.couriers.connectors.aggregator_events import upstream_event
from shiptrack.couriers.connectors.parsing import (
    json_list,
    json_object,
    logistics_datetime,
    string_value,
    text_value,
)
from shiptrack.couriers.connectors.protocol import (
    CourierResponseInvalid,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.connectors.upstream_terms import PushMessage

SOURCE_CODE = "aftership"


def alpha2(value: object) -> str | None:
    text = string_value(value)
    if text is None:
        return None
    country = pycountry.countries.get(alpha_3=text.upper()) if len(text) == 3 else None
    return country.alpha_2 if country is not None else None


def parse_tracking(
    number: str, tracking: object, courier_code: str = ""
) -> TrackingResult | TrackingNumberNotFound:
    body = json_object(tracking, "tracking")
    checkpoints = json_list(body.get("checkpoints"), "checkpoints")
    events = []
    for index, raw in enumerate(checkpoints, start=1):
        item = json_object(raw, "checkpoint")
        event = upstream_event(
            number=number,
            when=item.get("checkpoint_time"),
            text=item.get("message"),
            location=item.get("location") or item.get("city"),
            code=string_value(item.get("subtag")) or string_value(item.get("tag")),
            table=EVENT_CODES,
            table_name=SOURCE_CODE,
            courier_code=courier_code,
            source_code=SOURCE_CODE,
            order=index,
        )
        if event is not None:
            events.append(event)
    if not events:
        return TrackingNumberNotFound(f"AfterShip: no checkpoints yet for {number}")
    return TrackingResult(
        tracking_number=number,
        courier_code=courier_code,
        source_code=SOURCE_CODE,
        events=events,
        origin_country_code=alpha2(body.get("origin_country_region")),
        destination_country_code=alpha2(body.get("destination_country_region")),
        estimated_delivery=logistics_datetime(body.get("expected_delivery")),
        service=text_value(body.get("shipment_type")),
        signed_by=text_value(body.get("signed_by")),
    )


def tracking_id(data: object) -> str:
    value = string_value(json_object(data, "data").get("id"))
    if value is None:
        raise CourierResponseInvalid("the tracking has no id")
    return value


def parse_webhook(body: object) -> PushMessage:
    """``{"ts", "event", "event_id", "msg": <tracking>}``, keyed by ``event_id``."""
    push = json_object(body, "webhook")
    tracking = json_object(push.get("msg"), "webhook.msg")
    number = text_value(tracking.get("tracking_number"))
    if number is None:
        raise CourierResponseInvalid("msg.tracking_number is missing")
    event_id = string_value(push.get("event_id"))
    message = PushMessage(key=f"aftership:{event_id}" if event_id else None)
    result = parse_tracking(number, tracking)
    if isinstance(result, TrackingResult):
        message.results.append(result)
    return message

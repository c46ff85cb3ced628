"""TrackingMore API v4 answers and webhooks → shiptrack's values: pure functions.

Envelope ``{"meta": {"code", "message"}, "data": ...}`` (``data`` an object for create, a list
for get). A tracking's events are ``origin_info.trackinfo`` and ``destination_info.trackinfo``
(origin and last-mile carrier), newest first; each keeps its ``tracking_detail`` and its code
(``checkpoint_delivery_substatus``, else ``checkpoint_delivery_status``). Reference card
``apis/trackingmore.md`` §4–6.
"""

from __future__ import annotations

from typing import Any

from shiptrack.couriers.connectors.aggregator_events import upstream_event
from shiptrack.couriers.connectors.parsing import (
    country_code,
    json_list,
    json_object,
    string_value,
    text_value,
)
from shiptrack.couriers.connectors.protocol import (
    CourierError,
    CourierResponseInvalid,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.connectors.trackingmore.statuses import ALREADY_EXISTS, EVENT_CODES
from shiptrack.couriers.connectors.upstream_terms import PushMessage, meta_envelope

SOURCE_CODE = "trackingmore"


def parse_tracking(
    tracking: object, courier_code: str = ""
) -> TrackingResult | TrackingNumberNotFound:
    body = json_object(tracking, "tracking")
    number = text_value(body.get("tracking_number"))
    if number is None:
        raise CourierResponseInvalid("tracking without tracking_number")
    raw: list[dict[str, Any]] = []
    for part in ("destination_info", "origin_info"):
        info = body.get(part)
        if isinstance(info, dict):
            raw += [
                json_object(e, "trackinfo[]") for e in json_list(info.get("trackinfo"), "trackinfo")
            ]
    events = []
    for index, item in enumerate(raw):
        code = string_value(item.get("checkpoint_delivery_substatus")) or string_value(
            item.get("checkpoint_delivery_status")
        )
        event = upstream_event(
            number=number,
            when=item.get("checkpoint_date"),
            text=item.get("tracking_detail"),
            location=item.get("location"),
            code=code,
            table=EVENT_CODES,
            table_name=SOURCE_CODE,
            courier_code=courier_code,
            source_code=SOURCE_CODE,
            order=len(raw) - index,
        )
        if event is not None:
            events.append(event)
    if not events:
        return TrackingNumberNotFound(f"TrackingMore: no events yet for {number}")
    return TrackingResult(
        tracking_number=number,
        courier_code=courier_code,
        source_code=SOURCE_CODE,
        events=events,
        origin_country_code=country_code(body.get("origin_country")),
        destination_country_code=country_code(body.get("destination_country")),
        signed_by=text_value(body.get("signed_by")),
    )


def batch_outcomes(data: object) -> tuple[dict[str, str | CourierError], list[str]]:
    """A batch create's ``data`` (``{"success": [...], "error": [...]}``): each number's
    tracking id or refusal, and the numbers TrackingMore already tracked (``4101``, whose id
    an error item may lack)."""
    body = json_object(data, "data")
    out: dict[str, str | CourierError] = {}
    existing: list[str] = []
    for raw in json_list(body.get("success"), "data.success"):
        item = json_object(raw, "success[]")
        number = text_value(item.get("tracking_number"))
        tracking_id = string_value(item.get("id"))
        if number is not None:
            out[number] = tracking_id or CourierResponseInvalid("the tracking has no id")
    for raw in json_list(body.get("error"), "data.error"):
        item = json_object(raw, "error[]")
        number = text_value(item.get("tracking_number"))
        code = text_value(item.get("errorCode"))
        if number is None:
            continue
        if code == str(ALREADY_EXISTS):
            existing.append(number)
        else:
            message = text_value(item.get("errorMessage")) or ""
            out[number] = CourierResponseInvalid(f"TrackingMore {code}: {message}")
    return out, existing


def parse_webhook(body: object) -> PushMessage:
    """``{"meta": ..., "data": <tracking>}`` (no message id: the body's hash keys it)."""
    _, _, data = meta_envelope(body)
    message = PushMessage(key=None)
    result = parse_tracking(data)
    if isinstance(result, TrackingResult):
        message.results.append(result)
    return message

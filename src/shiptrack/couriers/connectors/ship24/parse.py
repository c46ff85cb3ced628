"""Ship24's ``tracking`` objects (results and webhooks) → ``TrackingResult``: pure functions.

A ``tracking`` is ``{tracker, shipment, events, statistics}`` (``ship24-tracking-api.yaml``,
``components/schemas/tracking``). Each event keeps Ship24's text (``status``) and its
``statusCode`` (as the carrier code, identity-mapped); its ``courierCode`` is Ship24's, and
the event's ``sourceCode`` becomes ``ship24`` (where shiptrack got it).
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
from shiptrack.couriers.connectors.ship24.statuses import STATUS_CODES
from shiptrack.couriers.connectors.upstream_terms import PushMessage

SOURCE_CODE = "ship24"


def parse_tracking(number: str, tracking: object) -> TrackingResult | TrackingNumberNotFound:
    """One ``tracking`` object for ``number``; not found while Ship24 has no event yet."""
    body = json_object(tracking, "tracking")
    shipment = json_object(body.get("shipment") or {}, "tracking.shipment")
    raw_events = json_list(body.get("events"), "tracking.events")
    courier = ""
    events = []
    for index, raw in enumerate(raw_events):
        item = json_object(raw, "event")
        said = string_value(item.get("courierCode"))
        courier = said or courier
        event = upstream_event(
            number=string_value(item.get("trackingNumber")) or number,
            when=item.get("occurrenceDatetime"),
            text=item.get("status"),
            location=item.get("location"),
            code=string_value(item.get("statusCode")),
            table=STATUS_CODES,
            table_name=SOURCE_CODE,
            courier_code=said or "",
            source_code=SOURCE_CODE,
            order=_order(item.get("order"), len(raw_events) - index),
        )
        if event is not None:
            events.append(event)
    if not events:
        return TrackingNumberNotFound(f"Ship24: no events yet for {number}")
    delivery = shipment.get("delivery") if isinstance(shipment.get("delivery"), dict) else {}
    window = delivery.get("courierEstimatedDeliveryDate")
    window = window if isinstance(window, dict) else {}
    recipient = shipment.get("recipient") if isinstance(shipment.get("recipient"), dict) else {}
    return TrackingResult(
        tracking_number=number,
        courier_code=courier,
        source_code=SOURCE_CODE,
        events=events,
        origin_country_code=country_code(shipment.get("originCountryCode")),
        destination_country_code=country_code(shipment.get("destinationCountryCode")),
        estimated_delivery=logistics_datetime(delivery.get("estimatedDeliveryDate")),
        estimated_delivery_from=logistics_datetime(window.get("from")),
        estimated_delivery_to=logistics_datetime(window.get("to")),
        service=text_value(delivery.get("service")),
        signed_by=text_value(delivery.get("signedBy")),
        recipient_post_code=text_value(recipient.get("postCode")),
        recipient_city=text_value(recipient.get("city")),
    )


def _order(value: object, fallback: int) -> int:
    """Ship24's ``order`` when it gives one; else the position (events come newest first)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else fallback


def bulk_outcomes(body: object) -> dict[str, str | CourierError]:
    """A bulk create's answer (``bulk-create-trackers-response``: ``data[]`` of
    ``{itemStatus, inputData, tracker, errors}``): each number's trackerId — ``created`` and
    ``existing`` alike — or the refusal of an ``error`` item."""
    items = json_list(json_object(body, "answer").get("data"), "data")
    out: dict[str, str | CourierError] = {}
    for raw in items:
        item = json_object(raw, "data[]")
        given = item.get("inputData") if isinstance(item.get("inputData"), dict) else {}
        tracker = item.get("tracker") if isinstance(item.get("tracker"), dict) else {}
        number = text_value(given.get("trackingNumber")) or text_value(
            tracker.get("trackingNumber")
        )
        if number is None:
            continue
        found = string_value(tracker.get("trackerId"))
        if item.get("itemStatus") in ("created", "existing") and found:
            out[number] = found
        else:
            out[number] = CourierResponseInvalid(f"Ship24 refused it: {error_message(item)}")
    return out


def results_tracking(body: object) -> object:
    """The first ``data.trackings[]`` of a results answer (None when there is none)."""
    data = json_object(json_object(body, "answer").get("data"), "data")
    trackings = json_list(data.get("trackings"), "data.trackings")
    return trackings[0] if trackings else None


def error_message(body: object) -> str:
    """``errors[0].code: message`` of Ship24's error envelope ("" without one)."""
    if isinstance(body, dict) and isinstance(body.get("errors"), list) and body["errors"]:
        first = body["errors"][0]
        if isinstance(first, dict):
            return f"{first.get('code')}: {first.get('message')}"
    return ""


def parse_webhook(body: Any) -> PushMessage:
    """A webhook body ``{"trackings": [...]}``: each tracking's results, keyed by the
    messages' ``metadata.messageId``."""
    trackings = json_list(json_object(body, "webhook").get("trackings"), "trackings")
    message = PushMessage(key=None)
    ids = []
    for raw in trackings:
        tracking = json_object(raw, "tracking")
        tracker = json_object(tracking.get("tracker"), "tracking.tracker")
        number = string_value(tracker.get("trackingNumber"))
        if number is None:
            raise CourierResponseInvalid("tracking.tracker.trackingNumber is missing")
        metadata = tracking.get("metadata")
        if isinstance(metadata, dict) and string_value(metadata.get("messageId")):
            ids.append(str(metadata["messageId"]))
        result = parse_tracking(number, tracking)
        if isinstance(result, TrackingResult):
            message.results.append(result)
    if ids and len(ids) == len(trackings):
        message.key = "ship24:" + ",".join(sorted(ids))
        if len(message.key) > 100:
            message.key = None  # the body's hash is the key instead
    return message

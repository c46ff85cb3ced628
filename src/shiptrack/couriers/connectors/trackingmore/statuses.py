"""TrackingMore's delivery statuses → Ship24's codes (data).

``delivery_status`` (9 values, TrackingMore's "Tracking Status Glossary") and sub-statuses
(``checkpoint_delivery_substatus``; reference card ``apis/trackingmore.md`` §6). A
checkpoint's sub-status decides, its ``checkpoint_delivery_status`` when it has none; other
values (``created`` has been seen) go to the status normaliser with the checkpoint's text.
"""

from __future__ import annotations

from typing import Final

#: ``delivery_status`` → Ship24 status code. ``pickup`` is "out for delivery or at a local
#: point", not "picked up".
STATUSES: Final[dict[str, str | None]] = {
    "pending": None,
    "notfound": None,
    "inforeceived": "data_order_created",
    "transit": None,
    "pickup": "delivery_out_for_delivery",
    "undelivered": "delivery_attempted",
    "delivered": "delivery_delivered",
    "exception": "delivery_exception",
    "expired": None,
}

#: Sub-status → Ship24 status code.
SUBSTATUSES: Final[dict[str, str | None]] = {
    "inforeceived001": "data_order_created",
    "notfound002": None,
    "pending001": None,
    "pending002": None,
    "pending003": None,
    "pending004": None,
    "pending005": None,
    "transit001": None,
    "transit002": None,
    "transit003": None,
    "transit004": "destination_arrival",
    "transit005": "customs_cleared",
    "transit006": "transit_origin_country_departure",
    "transit007": None,
    "pickup001": "delivery_out_for_delivery",
    "pickup002": "delivery_available_for_pickup",
    "pickup003": "delivery_out_for_delivery",
    "delivered001": "delivery_delivered",
    "delivered002": "delivery_delivered",
    "delivered003": "delivery_delivered",
    "delivered004": "delivery_delivered",
    "undelivered001": "delivery_attempted",
    "undelivered002": "delivery_attempted",
    "undelivered003": "delivery_attempted",
    "undelivered004": "delivery_attempted",
    "exception004": "delivery_exception",
    "exception005": "delivery_exception",
    "exception006": "customs_exception",
    "exception007": "exception_lost",
    "exception008": "data_order_cancelled",
    "exception009": "delivery_refused",
    "exception010": "exception_return",
    "exception011": "exception_return",
    "expired001": None,
}

EVENT_CODES: Final[dict[str, str | None]] = {**STATUSES, **SUBSTATUSES}

#: Ship24 code → the sub-status the fake sends (else the first that maps to it).
PREFERRED_SUBSTATUS: Final[dict[str | None, str]] = {None: "transit001"}

#: Ship24 courier code → TrackingMore courier code, for the codes the reference card names;
#: any other courier is asked of TrackingMore's detection (``/v4/couriers/detect``).
COURIERS: Final[dict[str, str]] = {"us-post": "usps", "dhl": "dhl", "dhl-express": "dhl"}

#: ``meta.code`` values the connector acts on (SDK README "Response Code").
ALREADY_EXISTS = 4101
DOES_NOT_EXIST = 4102

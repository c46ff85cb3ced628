"""AfterShip's delivery statuses → Ship24's codes (data).

Tags (9, ``TagV1``, doc "Delivery Statuses" 2025-01) and sub-statuses (``subtag``, doc
"delivery-sub-statuses"; reference card ``apis/aftership.md`` §6). A checkpoint's ``subtag``
decides, its ``tag`` when it has none. Sub-statuses AfterShip adds later (``Exception_014``…)
go to the status normaliser with the checkpoint's message.
"""

from __future__ import annotations

from typing import Final

#: Tag → Ship24 status code (None: says nothing Ship24 has a code for).
TAGS: Final[dict[str, str | None]] = {
    "Pending": None,
    "InfoReceived": "data_order_created",
    "InTransit": None,
    "OutForDelivery": "delivery_out_for_delivery",
    "AttemptFail": "delivery_attempted",
    "Delivered": "delivery_delivered",
    "AvailableForPickup": "delivery_available_for_pickup",
    "Exception": "delivery_exception",
    "Expired": None,
}

#: Sub-status → Ship24 status code.
SUBTAGS: Final[dict[str, str | None]] = {
    "Delivered_001": "delivery_delivered",
    "Delivered_002": "delivery_delivered",
    "Delivered_003": "delivery_delivered",
    "Delivered_004": "delivery_delivered",
    "Delivered_005": "delivery_delivered",
    "AvailableForPickup_001": "delivery_available_for_pickup",
    "Exception_001": "delivery_exception",
    "Exception_002": "delivery_exception",
    "Exception_003": "delivery_refused",
    "Exception_004": "customs_exception",
    "Exception_005": "delivery_exception",
    "Exception_006": "delivery_exception",
    "Exception_007": "delivery_exception",
    "Exception_008": "delivery_exception",
    "Exception_009": "delivery_exception",
    "Exception_010": "exception_return",
    "Exception_011": "exception_return",
    "Exception_012": "delivery_exception",
    "Exception_013": "exception_lost",
    "Exception_016": "delivery_exception",
    "Exception_017": "delivery_exception",
    "Exception_018": "customs_exception",
    "AttemptFail_001": "delivery_attempted",
    "AttemptFail_002": "delivery_attempted",
    "AttemptFail_003": "delivery_attempted",
    "InTransit_001": None,
    "InTransit_002": "transit_handover",
    "InTransit_003": None,
    "InTransit_004": "destination_arrival",
    "InTransit_005": "customs_cleared",
    "InTransit_006": "customs_received",
    "InTransit_007": None,
    "InTransit_008": None,
    "InTransit_009": None,
    "InfoReceived_001": "data_order_created",
    "OutForDelivery_001": "delivery_out_for_delivery",
    "OutForDelivery_003": "delivery_out_for_delivery",
    "OutForDelivery_004": "data_delivery_decided",
    "Pending_001": None,
    "Pending_002": None,
    "Pending_003": None,
    "Pending_004": None,
    "Pending_005": None,
    "Pending_006": None,
    "Expired_001": None,
}

EVENT_CODES: Final[dict[str, str | None]] = {**TAGS, **SUBTAGS}

#: Ship24 code → the sub-status the fake sends (else the first that maps to it).
PREFERRED_SUBTAG: Final[dict[str | None, str]] = {None: "InTransit_001"}

#: Ship24 courier code → AfterShip slug, for the slugs the reference card names.
SLUGS: Final[dict[str, str]] = {"us-post": "usps"}

#: ``meta.code`` values the connector acts on (SDK README "Error List").
ALREADY_EXISTS = 4003
DOES_NOT_EXIST = 4004

"""Bring Tracking API v2 event statuses → Ship24 (plain tables, no logic).

``EVENT_STATUSES`` is Bring's published list of ``eventSet[].status`` values (Bring developer
site, ``content/api/tracking/index.md``, repository ``bring/developer-site`` @fdc2931398; the
same list in Event Cast), plus ``ARRIVED_COLLECTION`` and ``ARRIVED_DELIVERY``, removed on
2022-06-23 but still found in older data. ``None`` marks an informational status (kept, no
Ship24 code). A status outside the table goes to the status normaliser with the event's
description (Norwegian, Swedish, Danish or English, after ``lang``).
"""

from __future__ import annotations

from typing import Final

EVENT_STATUSES: Final[dict[str, str | None]] = {
    "PRE_NOTIFIED": "data_order_created",  # EDI for the package received by Bring
    "HANDED_IN": "transit_handover",  # handed in to Bring
    "COLLECTED": "transit_handover",  # collected at the pickup address
    "IN_TRANSIT": None,  # in transit
    "TERMINAL": None,  # arrived at an inbound/outbound terminal
    "INTERNATIONAL": None,  # left the origin country or arrived in the destination country
    "CUSTOMS": "customs_received",  # in customs clearance
    "TRANSPORT_TO_RECIPIENT": "delivery_out_for_delivery",  # loaded for delivery
    "NOTIFICATION_SENT": None,  # SMS/push/mail notification sent
    "READY_FOR_PICKUP": "delivery_available_for_pickup",  # arrived at the pickup point
    "ATTEMPTED_DELIVERY": "delivery_attempted",  # delivery attempted at the door
    "DELIVERY_ORDERED": "data_delivery_decided",  # home delivery ordered by the customer
    "DELIVERY_CHANGED": "data_delivery_decided",  # delivery date changed by the customer
    "DELIVERY_CANCELLED": None,  # home delivery cancelled by the customer
    "DEVIATION": "delivery_exception",  # production deviation, probable delay
    "RETURN": "exception_return",  # on its way back to the sender
    "DELIVERED": "delivery_delivered",  # delivered
    "DELIVERED_SENDER": "exception_return",  # returned to (delivered at) the sender
    "UNKNOWN": None,  # unknown/undefined
    "ARRIVED_COLLECTION": "delivery_available_for_pickup",  # removed 2022-06-23
    "ARRIVED_DELIVERY": None,  # removed 2022-06-23: arrived at the delivery terminal
}

#: Statuses whose meaning Bring leaves to the description: the status normaliser reads the
#: text and the table's entry is used only when the text says nothing it knows
#: (``INTERNATIONAL`` is departure or arrival, ``CUSTOMS`` any customs step, ``DEVIATION``
#: any trouble).
READ_TEXT_FIRST: Final = frozenset({"INTERNATIONAL", "CUSTOMS", "DEVIATION", "UNKNOWN"})

#: ``brand`` → Ship24 courier code (Posten's own parcels and Bring's).
BRAND_COURIER_CODES: Final[dict[str, str]] = {"POSTEN": "no-post", "BRING": "bring"}
DEFAULT_COURIER_CODE: Final = "bring"

"""Australia Post "Track items" vocabulary → Ship24 (plain tables, no logic).

Australia Post publishes no code table: events carry only a free-text ``description``, read by
the status normaliser. What is coded is the article's ``status`` string; ``ITEM_STATUSES``
holds every value seen in Australia Post's documented answers or listed by karrio's connector
(``modules/connectors/australiapost/karrio/providers/australiapost/units.py``
``TrackingStatus`` @deea10f8; reference card ``shared/reference/apis/australiapost.md`` §3). It
names the newest event when its description says nothing known. ``DESCRIPTION_PHRASES`` holds
the descriptions its documentation shows, read before the normaliser.
"""

from __future__ import annotations

from typing import Final

ITEM_STATUSES: Final[dict[str, str | None]] = {
    "Delivered": "delivery_delivered",
    "Delivered in Full": "delivery_delivered",
    "In transit": None,
    "Awaiting collection": "delivery_available_for_pickup",
    "Ready for Pickup": "delivery_available_for_pickup",
    "On Board for Delivery": "delivery_out_for_delivery",
    "Possible delay": None,
    "Held by courier": "delivery_exception",
    "To be Re-Delivered": "delivery_attempted",
    "Unsuccessful Delivery": "delivery_attempted",
    "Cannot be delivered": "delivery_exception",
    "Article damaged": "delivery_exception",
    "Cancelled": "data_order_cancelled",
    "Unknown": None,
}

#: The beginnings of Australia Post's own event descriptions, as its documented answers write
#: them (reference example in karrio's ``tests/australiapost/test_tracking.py`` @deea10f8 and
#: the phrases quoted in ``shared/reference/apis/australiapost.md`` §3), lower case. The first
#: phrase an event's description starts with names the event (``None``: a plain scan); other
#: descriptions go to the status normaliser.
DESCRIPTION_PHRASES: Final[tuple[tuple[str, str | None], ...]] = (
    ("shipping information received by australia post", "data_order_created"),
    ("received item from sender", "transit_handover"),
    ("received by australia post", "transit_handover"),
    ("cleared and awaiting international departure", "customs_cleared"),
    ("processed by air carrier", None),
    ("arrived awaiting clearance", "destination_arrival"),
    ("item is in customs", "customs_received"),
    ("in transit to next facility", None),
    ("item processed at facility", None),
    ("onboard for delivery", "delivery_out_for_delivery"),
    ("on board for delivery", "delivery_out_for_delivery"),
    ("awaiting collection", "delivery_available_for_pickup"),
    ("delivered", "delivery_delivered"),
)

#: Per-id error codes that mean Australia Post does not know the id (``ESB-10001`` "Invalid
#: tracking ID"); other per-id codes are kept in the message and treated the same way.
NOT_FOUND_CODES: Final = frozenset({"ESB-10001"})
#: Request-level error codes (karrio ``schemas/error_response.json`` and tests).
AUTH_ERROR_CODES: Final = frozenset({"41001"})  # CUSTOMER_NOT_FOUND: wrong Account-Number
RATE_LIMIT_CODES: Final = frozenset({"API_002"})  # Too many requests
COURIER_CODE: Final = "au-post"

"""PostNord Track & Trace vocabulary → Ship24 (plain tables, no logic).

PostNord publishes no event-code table. What is coded:

* ``ITEM_STATUSES``: the ``ItemStatus`` enum of PostNord's own OpenAPI 3.0.1 for "Track & Trace
  API v7" (``status``/``eventStatus`` of items and of each event; the shipment's ``status``
  uses the same names plus ``SPLIT``). Coarse: ``EN_ROUTE`` covers every step between
  hand-over and delivery.
* ``EVENT_CODES``: the ``eventCode`` values seen in a captured v5 answer with their
  descriptions (``proninyaroslav/libretrack`` ``test/model/postnord/postnord_parser_test.dart``
  @018a2166; reference card ``shared/reference/apis/postnord.md`` §3-4).

The connector reads an event's code first; for any other code, statuses in ``READ_TEXT_FIRST``
let the status normaliser read the description (in the ``locale`` asked: English, Swedish,
Norwegian, Danish or Finnish) and fall back to the item status when the text says nothing it
knows; the other statuses are precise enough to stand on their own.
"""

from __future__ import annotations

from typing import Final

EVENT_CODES: Final[dict[str, str | None]] = {
    "68": "data_order_created",  # notification from the shipper: an item is being prepared
    "31": None,  # the shipment item is under transportation
    "1": "delivery_available_for_pickup",  # delivered to a service point
    "z08": None,  # e-mail notification sent to the recipient
    "21": "delivery_delivered",  # the shipment item has been delivered
}

ITEM_STATUSES: Final[dict[str, str | None]] = {
    "CREATED": "data_order_created",
    "INFORMED": "data_order_created",
    "EN_ROUTE": None,
    "DELAYED": None,
    "EXPECTED_DELAY": None,
    "AVAILABLE_FOR_DELIVERY": "delivery_available_for_pickup",
    "AVAILABLE_FOR_DELIVERY_PAR_LOC": "delivery_available_for_pickup",
    "DELIVERED": "delivery_delivered",
    "DELIVERY_IMPOSSIBLE": "delivery_exception",
    "DELIVERY_REFUSED": "delivery_refused",
    "RETURNED": "exception_return",
    "STOPPED": "delivery_exception",
    "OTHER": None,
    "SPLIT": None,
}

#: Item statuses too coarse to name the event: the description is read first.
READ_TEXT_FIRST: Final = frozenset(
    {"EN_ROUTE", "DELAYED", "EXPECTED_DELAY", "DELIVERY_IMPOSSIBLE", "STOPPED", "OTHER", "SPLIT"}
)

#: The S10 country suffix of an item id → Ship24 courier code of PostNord's network there.
COUNTRY_COURIER_CODES: Final[dict[str, str]] = {
    "SE": "se-post",
    "DK": "dk-post",
    "NO": "postnord-no",
    "FI": "postnord-fi",
}
DEFAULT_COURIER_CODE: Final = "postnord"

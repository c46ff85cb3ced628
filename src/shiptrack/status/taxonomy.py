"""Ship24's normalised status taxonomy: milestones, categories and status codes.

Every event carries an optional ``statusCode`` (what this scan means) whose category is the
prefix before the first underscore, and a ``statusMilestone`` (the shipment's overall state at
the time of the event). See docs/api.md and the Ship24 status page.
"""

from __future__ import annotations

from typing import Final

#: The eight milestones, in the rough order a journey passes through them.
MILESTONES: Final = (
    "pending",
    "info_received",
    "in_transit",
    "out_for_delivery",
    "failed_attempt",
    "available_for_pickup",
    "delivered",
    "exception",
)

#: The six categories.
CATEGORIES: Final = ("data", "transit", "destination", "customs", "delivery", "exception")

#: The twenty status codes, each with its meaning.
STATUS_CODES: Final[dict[str, str]] = {
    "data_order_created": "delivery order electronically declared in the courier's system",
    "data_order_cancelled": "delivery order cancelled in the courier's system",
    "data_delivery_proposed": "delivery methods or time slots proposed to the receiver",
    "data_delivery_decided": "final delivery method or time slot decided",
    "transit_handover": "picked up or received by the carrier",
    "transit_origin_country_departure": "departed the origin country",
    "destination_arrival": "arrived in the destination country",
    "customs_received": "received by or presented to customs",
    "customs_exception": "exception or delay in customs clearance",
    "customs_rejected": "rejected by customs",
    "customs_cleared": "cleared by customs",
    "delivery_available_for_pickup": "available at a pickup point or post office",
    "delivery_out_for_delivery": "delivery in progress",
    "delivery_attempted": "delivery attempted, unsuccessful",
    "delivery_exception": "issue during or preventing delivery, usually solvable",
    "delivery_refused": "refused by the recipient",
    "delivery_delivered": "delivered",
    "exception_return": "undeliverable; will be or is being returned",
    "exception_lost": "lost by the carrier",
    "exception_discarded": "destroyed by the carrier",
}

#: Status codes that move the shipment to a given milestone. Codes absent from this table keep
#: the current milestone (data_order_cancelled, data_delivery_*, delivery_exception).
_MILESTONE_OF_CODE: Final[dict[str, str]] = {
    "transit_handover": "in_transit",
    "transit_origin_country_departure": "in_transit",
    "destination_arrival": "in_transit",
    "customs_received": "in_transit",
    "customs_exception": "in_transit",
    "customs_cleared": "in_transit",
    "customs_rejected": "exception",
    "delivery_out_for_delivery": "out_for_delivery",
    "delivery_attempted": "failed_attempt",
    "delivery_available_for_pickup": "available_for_pickup",
    "delivery_refused": "exception",
    "delivery_delivered": "delivered",
    "exception_return": "exception",
    "exception_lost": "exception",
    "exception_discarded": "exception",
}

_EARLY: Final = frozenset({"pending", "info_received"})

#: Milestones after which a shipment's journey is over (tracking may stop after a grace period).
FINAL_MILESTONES: Final = frozenset({"delivered", "exception"})


_CATEGORY_OF: Final[dict[str, str]] = {code: code.split("_", 1)[0] for code in STATUS_CODES}


def category_of(status_code: str | None) -> str | None:
    """The category of a status code (its prefix), or None for a non-significant event."""
    return _CATEGORY_OF.get(status_code)  # type: ignore[arg-type]


def is_status_code(value: object) -> bool:
    return isinstance(value, str) and value in STATUS_CODES


def implied_milestone(status_code: str | None) -> str:
    """The milestone an event implies by itself, without the shipment's history.

    As ``next_milestone`` from an in-transit shipment, except that the codes which keep the
    current milestone get the one they occur in: ``data_*`` → info_received,
    ``delivery_exception`` (and a scan without a code) → in_transit.
    """
    if status_code is None:
        return "in_transit"
    if status_code.startswith("data_"):
        return "info_received"
    return _MILESTONE_OF_CODE.get(status_code, "in_transit")


def next_milestone(current: str, status_code: str | None) -> str:
    """The shipment milestone after an event with ``status_code``, given the ``current`` one.

    A scan without a code (a physical movement such as "departed sorting centre") means the
    parcel is moving, so it lifts a pending or info-received shipment to in_transit and leaves
    any later milestone alone. ``data_order_created`` only lifts a pending shipment.
    """
    if status_code is None:
        return "in_transit" if current in _EARLY else current
    if status_code == "data_order_created":
        return "info_received" if current == "pending" else current
    return _MILESTONE_OF_CODE.get(status_code, current)

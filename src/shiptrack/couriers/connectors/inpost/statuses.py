"""InPost ShipX status names → Ship24 (plain tables, no logic).

``STATUS_NAMES`` covers every name of InPost's own status list, ``GET /v1/statuses?lang=en_GB``
(53 names; the live answer of 2026-10-10 as stored in ``evelumo/hanza``
``packages/connectors/inpost/src/fixtures/statuses.json`` @f1433262, copied to
``shared/reference/apis/specs/inpost/statuses.en_GB.json``); each name maps to its Ship24
code and InPost's English title (the event's text). ``None`` marks a status that says nothing
Ship24 has a code for (kept as an event with no status code). A name outside the table goes
to the status normaliser with the name as its text (``other`` and ``missing`` too).
"""

from __future__ import annotations

from typing import Final

STATUS_NAMES: Final[dict[str, tuple[str | None, str]]] = {
    "created": ("data_order_created", "Parcel created."),
    "offers_prepared": (None, "Offers are prepared."),
    "offer_selected": (None, "Offer selected."),
    "confirmed": ("data_order_created", "Prepared by the Sender."),
    "dispatched_by_sender": ("transit_handover", "Parcel shipped at the parcel machine."),
    "dispatched_by_sender_to_pok": ("transit_handover", "Shipped at the Customer Service Point."),
    "collected_from_sender": ("transit_handover", "Picked up from the client."),
    "taken_by_courier": ("transit_handover", "Picked up from Sender."),
    "taken_by_courier_from_pok": (None, "On the way to the InPost shipping branch."),
    "adopted_at_source_branch": (None, "Parcel in the warehouse."),
    "sent_from_source_branch": (None, "On the road."),
    "adopted_at_sorting_center": (None, "Parcel waiting for transferring."),
    "sent_from_sorting_center": (None, "Sent from the Sorting Facility."),
    "adopted_at_target_branch": (None, "The parcel is in town."),
    "readdressed": ("data_delivery_decided", "Rerouted to another address."),
    "redirect_to_box": ("data_delivery_decided", "Rerouted to parcel machine."),
    "canceled_redirect_to_box": (None, "Rerouting cancelled."),
    "delay_in_delivery": (None, "Possible delay in delivery."),
    "stack_in_customer_service_point": (None, "Parcel stored at Parcel Service Point."),
    "stack_in_box_machine": (None, "Parcel stored in temporary parcel machine"),
    "unstack_from_customer_service_point": (
        None,
        "On the way to the parcel machine of your choice.",
    ),
    "unstack_from_box_machine": (
        "delivery_exception",
        "The deadline for collecting the stored parcel has passed",
    ),
    "out_for_delivery": ("delivery_out_for_delivery", "Handed over for delivery."),
    "out_for_delivery_to_address": ("delivery_out_for_delivery", "In delivery."),
    "ready_to_pickup": (
        "delivery_available_for_pickup",
        "Placed in the (collection) parcel machine.",
    ),
    "ready_to_pickup_from_pok": (
        "delivery_available_for_pickup",
        "It's waiting to be collected at the Parcel Service Point.",
    ),
    "ready_to_pickup_from_pok_registered": (
        "delivery_available_for_pickup",
        "It's waiting to be collected at the Customer Service Point.",
    ),
    "ready_to_pickup_from_branch": (
        "delivery_available_for_pickup",
        "Parcel not collected - waiting in the Branch.",
    ),
    "pickup_reminder_sent": ("delivery_available_for_pickup", "Reminder of a pending parcel."),
    "avizo": ("delivery_available_for_pickup", "Back to the branch."),
    "courier_avizo_in_customer_service_point": (
        "delivery_available_for_pickup",
        "Awaiting collection.",
    ),
    "pickup_reminder_sent_address": ("delivery_attempted", "In delivery."),
    "undelivered": ("delivery_exception", "Transfer of undeliverable parcels to the warehouse."),
    "undelivered_wrong_address": ("delivery_attempted", "No delivery possible."),
    "undelivered_incomplete_address": ("delivery_attempted", "No delivery possible."),
    "undelivered_unknown_receiver": ("delivery_attempted", "No delivery possible."),
    "undelivered_cod_cash_receiver": ("delivery_attempted", "No delivery possible."),
    "undelivered_no_mailbox": ("delivery_attempted", "No delivery possible."),
    "undelivered_not_live_address": ("delivery_attempted", "No delivery possible."),
    "undelivered_lack_of_access_letterbox": ("exception_return", "No delivery possible."),
    "rejected_by_receiver": ("delivery_refused", "Parcel rejection."),
    "pickup_time_expired": ("delivery_exception", "The deadline for collecting has passed."),
    "stack_parcel_pickup_time_expired": (
        "delivery_exception",
        "The deadline for collecting the stored parcel has passed.",
    ),
    "stack_parcel_in_box_machine_pickup_time_expired": (
        "delivery_exception",
        "The deadline for collecting the stored parcel has passed",
    ),
    "taken_by_courier_from_customer_service_point": ("exception_return", "Returned to sender."),
    "claimed": ("delivery_exception", "Complained in Parcel Machine."),
    "oversized": ("delivery_exception", "Oversize parcel."),
    "delivered": ("delivery_delivered", "Delivered."),
    "return_pickup_confirmation_to_sender": (
        "exception_return",
        "Return documents have been prepared.",
    ),
    "returned_to_sender": ("exception_return", "Return to sender."),
    "canceled": ("data_order_cancelled", "The label was cancelled."),
}

#: Names InPost's list carries without a meaning: read by the status normaliser.
UNMAPPED_NAMES: Final[dict[str, str]] = {
    "other": "Other status.",
    "missing": "Status missing.",
}

#: The Ship24 courier code of ShipX PL (InPost's other countries run their own ShipX hosts).
COURIER_CODE: Final = "inpost-pl"

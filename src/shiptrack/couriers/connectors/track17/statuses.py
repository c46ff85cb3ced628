"""17TRACK's statuses → Ship24's codes (data).

17TRACK documents 9 main statuses and 30 sub-statuses (help centre "Understanding Tracking
Status"; reference card ``apis/17track.md`` §6), and 9 milestone key stages (§5). An event
carries its ``sub_status`` and ``stage``; the sub-status decides, the stage when there is no
sub-status. A generic ``_Other`` sub-status of a stage with no Ship24 code (in transit, not
found, expired) is an informational scan (None). Codes not in these tables (17TRACK adds
some, e.g. ``InTransit_TransportArrived``) go to the status normaliser with the event's text.
"""

from __future__ import annotations

from typing import Final

#: Sub-status → Ship24 status code (None: a scan that says nothing Ship24 has a code for).
SUB_STATUSES: Final[dict[str, str | None]] = {
    "NotFound_Other": None,
    "NotFound_InvalidCode": None,
    "InfoReceived": "data_order_created",
    "InTransit_PickedUp": "transit_handover",
    "InTransit_Other": None,
    "InTransit_Departure": "transit_origin_country_departure",
    "InTransit_Arrival": "destination_arrival",
    "InTransit_CustomsProcessing": "customs_received",
    "InTransit_CustomsReleased": "customs_cleared",
    "InTransit_CustomsRequiringInformation": "customs_exception",
    "Expired_Other": None,
    "AvailableForPickup_Other": "delivery_available_for_pickup",
    "OutForDelivery_Other": "delivery_out_for_delivery",
    "DeliveryFailure_Other": "delivery_attempted",
    "DeliveryFailure_NoBody": "delivery_attempted",
    "DeliveryFailure_Security": "delivery_exception",
    "DeliveryFailure_Rejected": "delivery_refused",
    "DeliveryFailure_InvalidAddress": "delivery_exception",
    "Delivered_Other": "delivery_delivered",
    "Exception_Other": "delivery_exception",
    "Exception_Returning": "exception_return",
    "Exception_Returned": "exception_return",
    "Exception_NoBody": "delivery_exception",
    "Exception_Security": "delivery_exception",
    "Exception_Damage": "delivery_exception",
    "Exception_Rejected": "delivery_refused",
    "Exception_Delayed": "delivery_exception",
    "Exception_Lost": "exception_lost",
    "Exception_Destroyed": "exception_discarded",
    "Exception_Cancel": "data_order_cancelled",
}

#: Milestone key stage (``event.stage``, ``milestone[].key_stage``) → Ship24 status code.
STAGES: Final[dict[str, str | None]] = {
    "InfoReceived": "data_order_created",
    "PickedUp": "transit_handover",
    "Departure": "transit_origin_country_departure",
    "Arrival": "destination_arrival",
    "AvailableForPickup": "delivery_available_for_pickup",
    "OutForDelivery": "delivery_out_for_delivery",
    "Delivered": "delivery_delivered",
    "Returning": "exception_return",
    "Returned": "exception_return",
}

#: The nine main statuses (``latest_status.status``) and the sub-statuses of each.
MAIN_STATUSES: Final[dict[str, tuple[str, ...]]] = {
    main: tuple(s for s in SUB_STATUSES if s == main or s.startswith(main + "_"))
    for main in (
        "NotFound",
        "InfoReceived",
        "InTransit",
        "Expired",
        "AvailableForPickup",
        "OutForDelivery",
        "DeliveryFailure",
        "Delivered",
        "Exception",
    )
}

#: Both tables as one, for the normaliser's ``known`` test (sub-statuses and stages do not
#: share a name except ``InfoReceived``, which means the same in both).
EVENT_CODES: Final[dict[str, str | None]] = {**STAGES, **SUB_STATUSES}

#: Ship24 code → the sub-status the fake sends for it (the first the table maps to it, unless
#: named here); None → ``InTransit_Other``.
PREFERRED_SUB_STATUS: Final[dict[str | None, str]] = {
    None: "InTransit_Other",
    "delivery_attempted": "DeliveryFailure_Other",
    "delivery_exception": "Exception_Other",
    "delivery_refused": "DeliveryFailure_Rejected",
    "exception_return": "Exception_Returning",
}

#: Error codes of the answers' ``rejected[].error.code`` the connector acts on (help centre
#: "Error Codes and Troubleshooting").
ALREADY_REGISTERED = -18019901
NOT_REGISTERED = -18019902
NO_TRACKING_INFO = -18019909
DAILY_LIMIT = -18019907
QUOTA_EXHAUSTED = -18019908

#: Ship24 courier code → 17TRACK carrier key, for the keys the reference card names; any
#: other courier is left to 17TRACK's detection.
CARRIER_KEYS: Final[dict[str, int]] = {"cn-post": 3011, "ups": 100002, "br-post": 2151}

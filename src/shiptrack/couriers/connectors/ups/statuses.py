"""UPS Track API activity statuses → Ship24 status codes.

Each ``activity[].status`` carries three codes:

- ``statusCode``: the three-digit "activity package detail status code" (UPS Track API
  appendix, "see API Codes"), the finest documented vocabulary: ``003`` order processed,
  ``011`` delivered, ``021`` on vehicle for delivery... (list as published by UPS and reproduced
  identically in two independent public clients);
- ``type``: the broad status type, ``M`` manifest/billing information received, ``MV`` voided,
  ``P`` pickup, ``I`` in transit, ``O`` out for delivery, ``D`` delivered, ``X`` exception,
  ``RS`` returned to shipper, and for UPS Freight ``DO``/``DD`` delivered to the origin or
  destination CFS, ``W`` warehousing, ``NA`` not available;
- ``code``: a two-letter scan code (``MP``, ``OR``, ``AR``, ``DP``, ``OT``, ``FS``...), kept as
  the raw code only when the other two are missing.

The connector looks ``statusCode`` up first and falls back to ``type`` when the status code is
missing, unknown, or non-significant; ``None`` marks non-significant scans.
"""

from __future__ import annotations

from typing import Final

#: Three-digit activity status codes.
STATUS_CODES: Final[dict[str, str | None]] = {
    "000": None,  # Status Not Available
    "003": "data_order_created",  # Order Processed: Ready for UPS
    "005": None,  # In Transit
    "006": "delivery_out_for_delivery",  # On Vehicle for Delivery
    "007": "data_order_cancelled",  # Shipment Information Voided
    "010": None,  # In Transit: On Time
    "011": "delivery_delivered",  # Delivered
    "012": "customs_received",  # Clearance in Progress
    "013": "delivery_exception",  # Exception
    "014": "customs_cleared",  # Clearance Completed
    "016": "delivery_exception",  # Held in Warehouse
    "017": "delivery_available_for_pickup",  # Held for Customer Pickup
    "018": "data_delivery_decided",  # Delivery Change Requested: Hold for Pickup
    "019": "data_delivery_decided",  # Held for Future Delivery
    "020": "data_delivery_decided",  # Held for Future Delivery Requested
    "021": "delivery_out_for_delivery",  # On Vehicle for Delivery Today
    "022": "delivery_attempted",  # First Attempt Made
    "023": "delivery_attempted",  # Second Attempt Made
    "024": "delivery_attempted",  # Final Attempt Made
    "025": None,  # Transferred to Local Post Office for Delivery (a hand-over, not a state)
    "026": "delivery_delivered",  # Delivered by Local Post Office
    "027": "data_delivery_decided",  # Delivery Address Change Requested
    "028": "data_delivery_decided",  # Delivery Address Changed
    "029": "delivery_exception",  # Exception: Action Required
    "030": "delivery_exception",  # Local Post Office Exception
    "032": "delivery_exception",  # Adverse Weather May Cause Delay
    "033": "exception_return",  # Return to Sender Requested
    "034": "exception_return",  # Returned to Sender
    "035": "exception_return",  # Returning to Sender
    "036": "exception_return",  # Returning to Sender: In Transit
    "037": "exception_return",  # Returning to Sender: On Vehicle for Delivery
    "038": "transit_handover",  # Picked Up
    "039": None,  # In Transit by Post Office
    "040": "delivery_available_for_pickup",  # Delivered to UPS Access Point, Awaiting Pickup
    "041": None,  # Service Upgrade Requested
    "042": None,  # Service Upgraded
    "043": None,  # Voided Pickup (a pickup request, not the shipment)
    "044": None,  # In Transit to UPS
    "045": "data_order_created",  # Order Processed: In Transit to UPS
    "046": "delivery_exception",  # Delay
    "047": "delivery_exception",  # Delay
    "048": "delivery_exception",  # Delay
    "049": "delivery_exception",  # Delay: Action Required
    "050": "delivery_exception",  # Address Information Required
    "051": "delivery_exception",  # Delay: Emergency Situation or Severe Weather
    "052": "delivery_exception",  # Delay: Severe Weather
    "053": "delivery_exception",  # Delay: Severe Weather, Recovery in Progress
    "054": "data_delivery_decided",  # Delivery Change Requested
    "055": "data_delivery_decided",  # Rescheduled Delivery
    "056": None,  # Service Upgrade Requested
    "057": None,  # In Transit to a UPS Access Point
    "058": "customs_exception",  # Clearance Information Required
    "059": "delivery_exception",  # Damage Reported
    "060": "delivery_attempted",  # Delivery Attempted
    "061": "delivery_attempted",  # Delivery Attempted: Adult Signature Required
    "062": "delivery_attempted",  # Delivery Attempted: Funds Required
    "063": "data_delivery_decided",  # Delivery Change Completed
    "064": "delivery_refused",  # Delivery Refused
    "065": None,  # Pickup Attempted
    "066": "delivery_attempted",  # Post Office Delivery Attempted
    "067": "exception_return",  # Returned to Sender by Post Office
    "068": "exception_lost",  # Sent to Lost and Found
    "069": "exception_return",  # Package Not Claimed (returned after the hold period)
    # Customs Clearance in Progress: "The package is at the clearing agency awaiting final
    # release" (a real Track API answer, type X; wantable/omniship spec/mock_responses.rb
    # ``track_ups_left_not_arrived``). A hold in customs, not a delivery exception.
    "092": "customs_received",
}

#: Broad status types, used when ``statusCode`` says nothing.
STATUS_TYPES: Final[dict[str, str | None]] = {
    "M": "data_order_created",  # Billing Information Received (label created)
    "MV": "data_order_cancelled",  # Billing Information Voided
    "P": "transit_handover",  # Pickup
    "I": None,  # In Transit
    "O": "delivery_out_for_delivery",  # Out for Delivery
    "D": "delivery_delivered",  # Delivered
    "X": "delivery_exception",  # Exception
    "RS": "exception_return",  # Returned to Shipper
    "DO": None,  # Delivered Origin CFS (UPS Freight)
    "DD": "delivery_delivered",  # Delivered Destination CFS (UPS Freight)
    "W": None,  # Warehousing (UPS Freight)
    "NA": None,  # Not Available
}

#: Codes that are deliberately non-significant (the contract test checks these lists).
INFORMATIONAL_STATUS_CODES: Final = frozenset(
    code for code, status in STATUS_CODES.items() if status is None
)
INFORMATIONAL_TYPES: Final = frozenset(
    code for code, status in STATUS_TYPES.items() if status is None
)


def status_code_for(status_code: str | None, status_type: str | None) -> str | None:
    """The Ship24 status code of a UPS activity (see the module docstring)."""
    found = STATUS_CODES.get(status_code.strip()) if status_code else None
    if found is not None:
        return found
    return STATUS_TYPES.get(status_type.strip().upper()) if status_type else None

"""USPS scan event codes (``trackingEvents[].eventCode``) → Ship24 status codes.

Sources: USPS Publication 199, Appendix G-4 "USPS Domestic Tracking Scan Events" (the lookup
table the Tracking v3 OpenAPI points ``eventCode`` at), as reproduced in the public
``USPS::WebTools::Tracking::Codes`` tables; the codes seen in a real v3 answer (karrio's USPS
test fixture: ``GX``, ``03``, ``SF``, ``10``, ``T1``, ``TL``, ``A1``, ``07``, ``OF``, ``01``); and
for international items the UPU EMSEVT event codes, which Pub 199 Appendix G-5 follows
(assumed: no captured v3 answer for an international item was available).

``None`` marks a scan that moves the parcel without changing its state (arrivals, departures,
sorting): the engine keeps them as non-significant events. A code missing from the table is
treated the same way.
"""

from __future__ import annotations

from typing import Final

STATUS_CODES: Final[dict[str, str | None]] = {
    # --- pre-shipment ------------------------------------------------------------------------
    "MA": "data_order_created",  # Pre-Shipment Info Sent to USPS (manifest acknowledgement)
    "GX": "data_order_created",  # Shipping Label Created, USPS Awaiting Item
    # --- acceptance ----------------------------------------------------------------------------
    "03": "transit_handover",  # Accept or Pickup / USPS in possession of item
    "TM": "transit_handover",  # Shipment Acceptance (truck manifest)
    "PA": "transit_handover",  # Shipment Acceptance (passive acceptance)
    "80": "transit_handover",  # Picked Up by Shipping Partner
    # --- in the network ------------------------------------------------------------------------
    "SF": None,  # Departed Post Office
    "10": None,  # Processed / Arrived at USPS Regional (Origin) Facility
    "A1": None,  # Arrived at USPS Regional Facility
    "T1": None,  # Departed USPS Regional Facility
    "TL": None,  # In Transit to Next Facility
    "EF": None,  # Departed Sort Facility
    "19": None,  # DC eVS Arrive
    "41": None,  # Received at Opening Unit
    "42": None,  # USPS Handoff to Shipping Partner
    "81": None,  # Arrived Shipping Partner Facility
    "82": None,  # Departed Shipping Partner Facility
    "07": None,  # Arrival at Unit (Arrived at Post Office)
    "PC": None,  # Sorting / Processing Complete
    "06": None,  # Forwarded
    "08": None,  # Missent (re-routed, still moving)
    "15": None,  # Mis-shipped
    "DX": None,  # Delivery Status Not Updated
    # --- delivery ------------------------------------------------------------------------------
    "OF": "delivery_out_for_delivery",  # Out for Delivery
    "01": "delivery_delivered",  # Delivered
    "17": "delivery_delivered",  # Picked Up By Agent
    "43": "delivery_delivered",  # Picked Up (at the Post Office)
    "14": "delivery_available_for_pickup",  # Arrival at Pickup Point
    "16": "delivery_available_for_pickup",  # Available for Pickup
    "02": "delivery_attempted",  # Attempted / Notice Left
    "52": "delivery_attempted",  # Notice Left
    "53": "delivery_attempted",  # Receptacle Blocked
    "54": "delivery_attempted",  # Receptacle Full / Item Oversized
    "55": "delivery_attempted",  # No Secure Location Available
    "56": "delivery_attempted",  # No Authorized Recipient Available
    "30": "delivery_attempted",  # Delivery Attempted - No Access to Delivery Location
    "51": "delivery_attempted",  # Business Closed
    "71": "delivery_exception",  # Rescheduled to Next Delivery Day
    "04": "delivery_refused",  # Refused
    # --- undeliverable, returns ------------------------------------------------------------------
    "05": "exception_return",  # Undeliverable as Addressed
    "09": "exception_return",  # Return to Sender
    "21": "exception_return",  # Return to Sender: No Such Number
    "22": "exception_return",  # Return to Sender: Insufficient Address
    "23": "exception_return",  # Return to Sender: Moved, Left No Address
    "24": "exception_return",  # Return to Sender: Forward Expired
    "25": "exception_return",  # Return to Sender: Addressee Unknown
    "26": "exception_return",  # Return to Sender: Vacant
    "27": "exception_return",  # Return to Sender: Unclaimed
    "28": "exception_return",  # Return to Sender: Deceased
    "29": "exception_return",  # Return to Sender: Other
    "31": "exception_return",  # Return to Sender: Not Picked Up
    "44": "exception_return",  # Customer Recall (the sender asked for it back)
    "11": "exception_discarded",  # Dead Letter (sent to the Mail Recovery Center)
    # --- international (UPU EMSEVT codes, Pub 199 Appendix G-5) --------------------------------
    "EMA": "transit_handover",  # Posting / collection
    "EMB": None,  # Arrival at outward office of exchange
    "EMC": "transit_origin_country_departure",  # Departure from outward office of exchange
    "EMJ": None,  # Arrival at transit office of exchange
    "EMK": None,  # Departure from transit office of exchange
    "EMD": "destination_arrival",  # Arrival at inward office of exchange
    "EDA": None,  # Held at inward office of exchange
    "EDB": "customs_received",  # Item presented to import customs
    "EME": "customs_received",  # Handed over to customs
    "EDC": "customs_cleared",  # Item returned from customs
    "EMF": None,  # Departure from inward office of exchange
    "EDD": None,  # Item into sorting centre
    "EDE": None,  # Item out of sorting centre
    "EMG": None,  # Arrival at delivery office
    "EDF": None,  # Item on hold at delivery office
    "EDG": "delivery_out_for_delivery",  # Item out for delivery
    "EDH": "delivery_available_for_pickup",  # Arrival at collection point for pick-up
    "EMH": "delivery_attempted",  # Attempted / unsuccessful delivery
    "EMI": "delivery_delivered",  # Final delivery
    "EXA": None,  # Item presented to export customs
    "EXB": "customs_exception",  # Item held by export customs
    "EXC": None,  # Item returned from export customs
    "EXD": None,  # Item held at outward office of exchange
    "EXX": "exception_return",  # Export cancelled (item returned to the sender)
}

#: Codes that are deliberately non-significant (the contract test checks this list).
INFORMATIONAL: Final = frozenset(code for code, status in STATUS_CODES.items() if status is None)


def status_code_for(event_code: str | None) -> str | None:
    """The Ship24 status code of a USPS scan, None for non-significant or unknown scans."""
    if not event_code:
        return None
    return STATUS_CODES.get(event_code.strip().upper())

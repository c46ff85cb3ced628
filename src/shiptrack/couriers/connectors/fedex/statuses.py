"""FedEx Track API scan event types (``scanEvents[].eventType``) → Ship24 status codes.

Source: FedEx's tracking status code list ("TrackStatusDetail"/event type codes, the same two
letter codes in ``scanEvents[].eventType``, ``derivedStatusCode`` and
``latestStatusDetail.code``), as published by FedEx and reproduced in several public clients.
``None`` marks non-significant scans (movements between facilities, flights, return-label
e-mails...). Two codes are ambiguous in FedEx's own list: ``EA`` (Enroute to Airport / Export
Approved) and ``CA`` (Shipment Cancelled); both are mapped by their scan-event meaning.

A ``DE`` (delivery exception) scan is refined by its ``exceptionCode`` ("DEX" codes printed on
FedEx door tags): an unsuccessful attempt or a refusal is worth its own Ship24 code.
"""

from __future__ import annotations

from typing import Final

EVENT_TYPES: Final[dict[str, str | None]] = {
    # --- shipment data -------------------------------------------------------------------------
    "OC": "data_order_created",  # Order Created (label created)
    "CA": "data_order_cancelled",  # Shipment Cancelled
    # --- pickup --------------------------------------------------------------------------------
    "PU": "transit_handover",  # Picked Up
    "PX": "transit_handover",  # Picked up (see Details)
    "EP": None,  # Enroute to Pickup
    "AP": None,  # At Pickup
    "DS": None,  # Vehicle Dispatched
    "DR": None,  # Vehicle furnished but not used
    "PD": None,  # Pickup Delay (before hand-over)
    # --- moving --------------------------------------------------------------------------------
    "AR": None,  # Arrived at
    "AF": None,  # At local FedEx facility
    "OF": None,  # At FedEx origin facility
    "LO": None,  # Left Origin
    "DP": None,  # Departed
    "IT": None,  # In Transit
    "IX": None,  # In transit (see Details)
    "IP": None,  # In transit
    "SF": None,  # At Sort Facility
    "FD": None,  # At FedEx Destination
    "AA": None,  # At Airport
    "EA": None,  # Enroute to Airport
    "EO": None,  # Enroute to Origin Airport
    "PF": None,  # Plane in Flight
    "PL": None,  # Plane Landed
    "PM": None,  # In Progress
    "TR": None,  # Transfer
    "SP": None,  # Split Status
    "AO": None,  # Shipment arriving On-time
    "AE": None,  # Shipment arriving early
    "AS": None,  # Address corrected
    "CH": None,  # Location Changed
    "AC": None,  # At Canada Post facility
    "AX": None,  # At USPS facility
    "OX": None,  # Shipment information sent to USPS (hand-over; linked number follows)
    # --- customs -------------------------------------------------------------------------------
    "CP": "customs_received",  # Clearance in Progress
    "CD": "customs_exception",  # Clearance Delay
    "CC": "customs_cleared",  # Cleared Customs / International shipment release
    # --- delivery ------------------------------------------------------------------------------
    "OD": "delivery_out_for_delivery",  # Out for Delivery
    "ED": "delivery_out_for_delivery",  # Enroute to Delivery
    "AD": "delivery_out_for_delivery",  # At Delivery
    "DL": "delivery_delivered",  # Delivered
    "DO": "delivery_delivered",  # Delivered (at Original Destination)
    "HL": "delivery_available_for_pickup",  # Hold at Location
    "HP": "delivery_available_for_pickup",  # Ready for recipient pickup
    "HA": "data_delivery_decided",  # Hold at location request accepted
    "RR": "data_delivery_decided",  # CDO requested (custom delivery option)
    "RM": "data_delivery_decided",  # CDO Modified
    "RC": None,  # CDO Cancelled
    "DE": "delivery_exception",  # Delivery Exception (refined by exceptionCode)
    "SE": "delivery_exception",  # Shipment Exception
    "DD": "delivery_exception",  # Delivery Delay
    "DY": "delivery_exception",  # Delay
    # --- returns -------------------------------------------------------------------------------
    "RS": "exception_return",  # Return to Shipper
    "RP": None,  # Return label link emailed to return sender
    "LP": None,  # Return label link cancelled by shipment originator
    "RG": None,  # Return label link expiring soon
    "RD": None,  # Return label link expired
}

#: ``DE`` scans by ``exceptionCode``; other codes keep delivery_exception. The codes are
#: strings, not numbers: FedEx Express "DEX" codes have two digits (``07`` refused, ``08``
#: recipient not in), FedEx Ground codes three, and they differ: Ground ``007`` is "Customer
#: not available or business closed", an attempt, where Express ``07`` is a refusal. Sources:
#: FedEx Developer Portal, API reference, "Mock Tracking Numbers for FedEx Express and FedEx
#: Ground" (developer.fedex.com/api/en-us/guides/api-reference.html: "Customer not available or
#: business closed (Delivery Exception 007)", "Local delivery restriction (Delivery Exception
#: 083)", "Incorrect address (Delivery Exception 03)"), and the FedEx sandbox answer for its
#: number 377101283611590 (``exceptionCode`` "007", ``ancillaryDetails``: "Delivery will be
#: re-attempted the next business day").
DELIVERY_EXCEPTION_CODES: Final[dict[str, str]] = {
    "07": "delivery_refused",  # Express DEX 07: refused by recipient
    "08": "delivery_attempted",  # Express DEX 08: recipient not in / not available
    "15": "delivery_attempted",  # Express DEX 15: business closed
    "17": "data_delivery_decided",  # Express DEX 17: customer requested a future delivery date
    "007": "delivery_attempted",  # Ground 007: customer not available or business closed
}

#: Codes that are deliberately non-significant (the contract test checks this list).
INFORMATIONAL: Final = frozenset(code for code, status in EVENT_TYPES.items() if status is None)


def status_code_for(event_type: str | None, exception_code: str | None = None) -> str | None:
    """The Ship24 status code of a FedEx scan event, None for non-significant or unknown ones."""
    if not event_type:
        return None
    code = event_type.strip().upper()
    if code == "DE" and exception_code:
        # A one-digit code is an Express code written without its leading zero ("8" = "08");
        # longer codes are looked up as written ("007" is not "07").
        refined = DELIVERY_EXCEPTION_CODES.get(exception_code.strip().zfill(2))
        if refined is not None:
            return refined
    return EVENT_TYPES.get(code)

"""Purolator TrackingService vocabulary → Ship24 (plain tables, no logic).

Purolator publishes no status code list: a scan carries only its ``ScanType`` (the typed
scans of Purolator's ``TrackingService.xsd``, namespace ``http://purolator.com/pws/datatypes/v1``:
``DeliveryScan``, ``OnDeliveryScan``, ``UndeliverableScan``, ``ProofOfPickUpScan``,
``InternationalOutboundScan``, and ``Other``) and a free-text ``Description`` ("Arrived at
sort facility", "Attempted delivery - customer closed"…, the E-Ship Online help page
``trackingdetails_F.htm``; see ``shared/reference/apis/purolator.md`` §5).

``SCAN_TYPES`` maps the types whose meaning is one Ship24 code. ``Undeliverable`` covers
attempts, refusals and address problems alike and ``Other`` everything else: both are left to
the status normaliser, which reads the description (``TEXT_DECIDES``).
"""

from __future__ import annotations

from typing import Final

SCAN_TYPES: Final[dict[str, str | None]] = {
    "Delivery": "delivery_delivered",
    "OnDelivery": "delivery_out_for_delivery",
    "ProofOfPickUp": "transit_handover",
    "InternationalOutbound": "transit_origin_country_departure",
}

#: Scan types whose description decides (they are not in ``SCAN_TYPES``).
TEXT_DECIDES: Final = frozenset({"Undeliverable", "Other"})

#: The description Purolator gives a scan that names the parcel's new PIN (a linked number).
NEW_PIN_TEXT: Final = "new tracking number assigned"

#: Words of an error description that mean "this PIN is unknown".
NOT_FOUND_WORDS: Final = ("not found", "invalid pin", "no tracking", "no information")

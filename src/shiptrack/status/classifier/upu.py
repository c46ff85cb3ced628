"""UPU EMSEVT tracking event codes (UPU Standard M33 / EDI messaging) → Ship24 statusCode.

Postal operators worldwide put these three-letter codes on international items, so a code
from this list means the same at every post. ``None`` marks an informational scan.
"""

from __future__ import annotations

from typing import Final

UPU_EVENT_CODES: Final[dict[str, str | None]] = {
    "EMA": "transit_handover",  # Posting / collection
    "EMB": None,  # Arrival at outward office of exchange
    "EMC": "transit_origin_country_departure",  # Departure from outward office of exchange
    "EMD": "destination_arrival",  # Arrival at inward office of exchange
    "EME": "customs_received",  # Handed over to customs
    "EMF": None,  # Departure from inward office of exchange
    "EMG": None,  # Arrival at delivery office
    "EMH": "delivery_attempted",  # Attempted / unsuccessful delivery
    "EMI": "delivery_delivered",  # Final delivery
    "EMJ": None,  # Arrival at transit office of exchange
    "EMK": None,  # Departure from transit office of exchange
    "EDA": None,  # Held at inward office of exchange
    "EDB": "customs_received",  # Item presented to import customs
    "EDC": "customs_cleared",  # Item returned from customs
    "EDD": None,  # Item into sorting centre
    "EDE": None,  # Item out of sorting centre
    "EDF": None,  # Item on hold at delivery office
    "EDG": "delivery_out_for_delivery",  # Item out for delivery
    "EDH": "delivery_available_for_pickup",  # Arrival at collection point for pick-up
    "EXA": None,  # Item presented to export customs
    "EXB": "customs_exception",  # Item held by export customs
    "EXC": None,  # Item returned from export customs
    "EXD": None,  # Item held at outward office of exchange
    "EXX": "exception_return",  # Export cancelled
}

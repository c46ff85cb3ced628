"""Turns a parsed script (legs of steps) into planned events: times, places, texts.

Places follow the parcel: collected at the origin's pickup place, scans at its hub, departure
from its gateway; arrival and customs at the destination's gateway, scans at its hub, delivery
from its station. A hand-over leg happens in its postal operator's country. Data events
(``OC``, ``DP``…) have no place, as couriers usually report them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from shiptrack.couriers.sandbox.model import (
    EtaWindow,
    Leg,
    PlannedEvent,
    ScenarioError,
    TimeForm,
)
from shiptrack.couriers.sandbox.places import COUNTRIES, COURIER_NAMES, Country, Place

#: Two-letter event steps and the status code each one reports (SC: a scan without code).
EVENT_CODES: dict[str, str | None] = {
    "OC": "data_order_created",
    "OX": "data_order_cancelled",
    "DP": "data_delivery_proposed",
    "DD": "data_delivery_decided",
    "HO": "transit_handover",
    "DE": "transit_origin_country_departure",
    "AR": "destination_arrival",
    "CR": "customs_received",
    "CE": "customs_exception",
    "CJ": "customs_rejected",
    "CC": "customs_cleared",
    "OF": "delivery_out_for_delivery",
    "AT": "delivery_attempted",
    "AP": "delivery_available_for_pickup",
    "DX": "delivery_exception",
    "RF": "delivery_refused",
    "DL": "delivery_delivered",
    "RT": "exception_return",
    "LO": "exception_lost",
    "DS": "exception_discarded",
    "SC": None,
}

_TEXTS: dict[str, str] = {
    "data_order_created": "Shipment information received",
    "data_order_cancelled": "Shipment cancelled by the sender",
    "data_delivery_proposed": "Delivery options sent to the recipient",
    "data_delivery_decided": "Delivery date confirmed by the recipient",
    "transit_handover": "Picked up from the sender",
    "transit_origin_country_departure": "Departed origin country",
    "destination_arrival": "Arrived in destination country",
    "customs_received": "Presented to customs",
    "customs_exception": "Held by customs: documents required",
    "customs_rejected": "Rejected by customs",
    "customs_cleared": "Cleared by customs",
    "delivery_out_for_delivery": "Out for delivery",
    "delivery_attempted": "Delivery attempted: nobody at the address",
    "delivery_available_for_pickup": "Ready for collection at the pickup point",
    "delivery_exception": "Delivery delayed: address incomplete",
    "delivery_refused": "Refused by the recipient",
    "delivery_delivered": "Delivered",
    "exception_return": "Undeliverable: returning to the sender",
    "exception_lost": "Shipment could not be found and is declared lost",
    "exception_discarded": "Shipment destroyed",
}
_SCAN_TEXTS = ("Arrived at sorting facility", "Departed sorting facility")
_ARRIVAL_CODES = frozenset(
    {"destination_arrival", "customs_received", "customs_exception", "customs_rejected",
     "customs_cleared"}
)


_FIRST_LEG = Leg("sandbox", "Sandbox Express")


@dataclass(slots=True)
class Modifiers:
    copies: int = 1
    late_by: int = 0
    time_form: TimeForm = "local"


#: A parsed step: seconds to wait, the NOW marker, or an event (its two letters, modifiers).
Step = int | Literal["NOW"] | tuple[str, Modifiers]


@dataclass(slots=True)
class _Route:
    """Where the parcel is: the state that picks each event's place."""

    origin: Country
    destination: Country
    arrived: bool = False
    out: bool = False
    last: Place | None = None
    scans: int = 0

    def place(self, code: str | None, here: Country | None) -> Place | None:
        if code is not None and code.startswith("data_"):
            return None
        if here is not None or code in _ARRIVAL_CODES:
            self.arrived = True
        if code is not None and code.startswith("delivery_"):
            self.arrived = self.out = True
        country = here or (self.destination if self.arrived else self.origin)
        if code == "transit_handover" and not self.arrived:
            place = country.pickup
        elif code == "transit_origin_country_departure" or code in _ARRIVAL_CODES:
            place = country.gateway
        elif self.out:
            place = country.station
        elif code is not None and code.startswith("exception_"):
            place = self.last or country.hub
        else:
            place = country.hub
        self.last = place
        return place

    def offset(self, here: Country | None) -> dt.timedelta:
        return (here or (self.destination if self.arrived else self.origin)).utc_offset


def _text(code: str | None, leg: Leg, leg_index: int, route: _Route) -> str:
    if code is None:
        route.scans += 1
        return _SCAN_TEXTS[(route.scans - 1) % len(_SCAN_TEXTS)]
    if code == "transit_handover" and leg_index > 0:
        return f"Accepted by {COURIER_NAMES.get(leg.courier_code, leg.courier_code)}"
    return _TEXTS[code]


def plan(
    legs_steps: Sequence[tuple[str | None, Sequence[Step]]],
    *,
    gap: int,
    origin: str,
    destination: str,
) -> tuple[tuple[Leg, ...], tuple[PlannedEvent, ...], EtaWindow | None]:
    """Legs, chronological events and an ETA window (around the last delivery, if any).

    ``legs_steps`` holds, per leg, the hand-over country (None for the first leg) and its steps.
    Times are seconds after the script's start until a ``NOW`` marker moves the start there.
    """
    route = _Route(COUNTRIES[origin], COUNTRIES[destination])
    legs: list[Leg] = []
    events: list[PlannedEvent] = []
    clock, now_at, gap_pending = 0, None, False
    for leg_index, (country_code, steps) in enumerate(legs_steps):
        here = COUNTRIES[country_code] if country_code else None
        leg = Leg(here.post_courier, here.post_service) if here else _FIRST_LEG
        legs.append(leg)
        if not any(isinstance(step, tuple) for step in steps):
            where = f"hand-over '/{country_code}'" if country_code else "the first leg"
            raise ScenarioError(f"{where} has no events")
        for step in steps:
            if isinstance(step, int):
                clock, gap_pending = clock + step, False
            elif step == "NOW":
                if now_at is not None:
                    raise ScenarioError("NOW appears twice")
                now_at = clock
            else:
                token, mods = step
                clock += gap if gap_pending else 0
                gap_pending = True
                code = EVENT_CODES[token]
                place = route.place(code, here)
                events.append(
                    PlannedEvent(
                        leg=leg_index,
                        at=dt.timedelta(seconds=clock),
                        status_code=code,
                        status=_text(code, leg, leg_index, route),
                        location=place.name if place else None,
                        utc_offset=place.utc_offset if place else route.offset(here),
                        carrier_status_code=token,
                        late_by=dt.timedelta(seconds=mods.late_by),
                        time_form=mods.time_form,
                        copies=mods.copies,
                    )
                )
    shift = dt.timedelta(seconds=now_at or 0)
    planned = tuple(replace(e, at=e.at - shift) for e in events)
    return tuple(legs), planned, _eta(planned)


def _eta(events: Sequence[PlannedEvent]) -> EtaWindow | None:
    """A courier's usual promise: a window from 3 h before to 1 h after the actual delivery."""
    delivered = [e for e in events if e.status_code == "delivery_delivered"]
    if not delivered:
        return None
    at, offset = delivered[-1].at, delivered[-1].utc_offset
    return EtaWindow(at - dt.timedelta(hours=3), at + dt.timedelta(hours=1), offset)

"""Ship24's sample numbers ``SHIP24_SAMPLE_<MILESTONE>_<ddd>``: eight journeys that already
happened, each ending at its milestone.

Each journey is written as a courier would report it: local wall clocks of the places (days are
relative: the journey moves in time as a whole so that it ends shortly before tracking
started), raw texts in the courier's language, significant scans with a status code and
non-significant ones without. Three journeys are handed over to a postal
operator with its own tracking number (``<sample number>.2``). Every ``ddd`` gives the same
journey, as on Ship24.
"""

from __future__ import annotations

import datetime as dt

from shiptrack.couriers.sandbox.model import EtaWindow, Leg, PlannedEvent, Scenario
from shiptrack.couriers.sandbox.places import Place


def _place(name: str, country: str, hours: float) -> Place:
    return Place(name, country, dt.timedelta(hours=hours))


AUSTIN = _place("AUSTIN, TX, US", "US", -6)
SEATTLE = _place("SEATTLE, WA, US", "US", -8)
SHENZHEN = _place("SHENZHEN, GUANGDONG, CN", "CN", 8)
SHANGHAI = _place("SHANGHAI PUDONG, CN", "CN", 8)
LOS_ANGELES = _place("LOS ANGELES, CA, US", "US", -8)
PHOENIX = _place("PHOENIX, AZ, US", "US", -7)
DALLAS = _place("DALLAS, TX, US", "US", -6)
AMSTERDAM = _place("AMSTERDAM, NL", "NL", 1)
NIEUWEGEIN = _place("NIEUWEGEIN, NL", "NL", 1)
BAD_HERSFELD = _place("Bad Hersfeld", "DE", 1)
BOERNICKE = _place("Börnicke", "DE", 1)
BERLIN = _place("Berlin", "DE", 1)
PORTLAND = _place("PORTLAND, OR, US", "US", -8)
SALT_LAKE = _place("SALT LAKE CITY, UT, US", "US", -7)
DENVER = _place("DENVER, CO, US", "US", -7)
HAMBURG = _place("HAMBURG, DE", "DE", 1)
COVENTRY = _place("COVENTRY, GB", "GB", 0)
SWINDON_MC = _place("SWINDON MAIL CENTRE", "GB", 0)
SWINDON_DO = _place("SWINDON DELIVERY OFFICE", "GB", 0)
SWINDON_CSP = _place("SWINDON CUSTOMER SERVICE POINT", "GB", 0)
USPS_LA = _place("LOS ANGELES, CA 90052", "US", -8)
USPS_CHICAGO = _place("CHICAGO IL NETWORK DISTRIBUTION CENTER", "US", -6)
USPS_NEW_YORK = _place("NEW YORK NY DISTRIBUTION CENTER", "US", -5)
BROOKLYN = _place("BROOKLYN, NY 11201", "US", -5)
NEW_YORK = _place("NEW YORK, NY, US", "US", -5)
JAMAICA = _place("JAMAICA, NY, US", "US", -5)
FRANKFURT = _place("FRANKFURT AM MAIN, DE", "DE", 1)

#: (day, local "HH:MM", place or None for a data event, statusCode, raw text, courier's code)
Row = tuple[int, str, Place | None, str | None, str, str | None]


def _after_midnight(day: int, hhmm: str) -> dt.timedelta:
    hours, minutes = hhmm.split(":")
    return dt.timedelta(days=day, hours=int(hours), minutes=int(minutes))


def _leg(index: int, home: Place, rows: list[Row]) -> list[PlannedEvent]:
    """Events of one leg; a data event without a place takes the wall clock of ``home``."""
    events = []
    for day, hhmm, place, code, text, carrier_code in rows:
        offset = (place or home).utc_offset
        events.append(
            PlannedEvent(
                leg=index,
                at=_after_midnight(day, hhmm) - offset,
                status_code=code,
                status=text,
                location=place.name if place else None,
                utc_offset=offset,
                carrier_status_code=carrier_code,
            )
        )
    return events


def _eta(day: int, start: str, end: str, place: Place) -> EtaWindow:
    return EtaWindow(
        _after_midnight(day, start) - place.utc_offset,
        _after_midnight(day, end) - place.utc_offset,
        place.utc_offset,
    )


SANDBOX = "sandbox"

# The same first leg (China to Los Angeles) serves the in-transit and delivered journeys.
_CN_US_EXPORT: list[Row] = [
    (-4, "10:21", SHENZHEN, "data_order_created", "Shipment information received", "OC"),
    (-4, "18:47", SHENZHEN, "transit_handover", "Picked up from the shipper", "PU"),
    (-3, "02:15", SHENZHEN, None, "Departed sorting centre", "DP"),
    (-3, "13:30", SHANGHAI, None, "Arrived at export hub", "AH"),
    (-2, "09:05", SHANGHAI, "transit_origin_country_departure",
     "Export clearance completed, departed origin country (flight CK233)", "EX"),
    (-2, "16:40", LOS_ANGELES, "destination_arrival", "Arrived in destination country", "IM"),
    (-2, "18:02", LOS_ANGELES, "customs_received", "Presented to customs", "CR"),
    (-1, "07:55", LOS_ANGELES, "customs_cleared", "Released by customs", "CC"),
]

SAMPLES: dict[str, Scenario] = {
    "pending": Scenario(legs=(Leg(SANDBOX),), events=(), anchor="history"),
    "info_received": Scenario(
        legs=(Leg(SANDBOX, "Sandbox Ground"),),
        events=tuple(_leg(0, AUSTIN, [
            (-1, "16:42", AUSTIN, "data_order_created",
             "Shipment information received: label created by the shipper", "OC"),
            (0, "08:05", None, "data_delivery_proposed",
             "Delivery options sent to the recipient by e-mail", "DO"),
            (0, "08:31", None, "data_delivery_decided",
             "Recipient chose delivery to a safe place", "DS"),
        ])),
        anchor="history", origin_country_code="US", destination_country_code="US",
        eta=_eta(4, "10:00", "18:00", SEATTLE),
    ),
    "in_transit": Scenario(
        legs=(Leg(SANDBOX, "Sandbox International Priority"),),
        events=tuple(_leg(0, SHENZHEN, [
            *_CN_US_EXPORT,
            (-1, "11:30", LOS_ANGELES, None, "Departed import facility", "DF"),
            (0, "04:12", PHOENIX, None, "Arrived at sorting facility", "AF"),
        ])),
        anchor="history", origin_country_code="CN", destination_country_code="US",
        eta=_eta(2, "10:00", "18:00", DALLAS),
    ),
    "out_for_delivery": Scenario(
        legs=(Leg(SANDBOX, "Sandbox Europe Road"), Leg("de-post", "DHL Paket")),
        events=(
            *_leg(0, AMSTERDAM, [
                (-2, "14:02", AMSTERDAM, "data_order_created", "Shipment data received", "OC"),
                (-2, "17:45", AMSTERDAM, "transit_handover",
                 "Parcel collected from the sender", "PU"),
                (-2, "21:10", NIEUWEGEIN, None, "Processed at sorting hub", "SH"),
                (-1, "05:50", NIEUWEGEIN, None,
                 "Handed over to Deutsche Post DHL for delivery, tracking number {leg_number}",
                 "HP"),
            ]),
            *_leg(1, BAD_HERSFELD, [
                (-1, "10:14", BAD_HERSFELD, "destination_arrival",
                 "Die Sendung ist in Deutschland angekommen.", None),
                (-1, "10:52", BAD_HERSFELD, None,
                 "Die Sendung wurde im Start-Paketzentrum bearbeitet.", None),
                (-1, "23:06", BOERNICKE, None,
                 "Die Sendung wurde im Ziel-Paketzentrum bearbeitet.", None),
                (0, "07:31", BERLIN, "delivery_out_for_delivery",
                 "Die Sendung wurde in das Zustellfahrzeug geladen.", None),
            ]),
        ),
        anchor="history", origin_country_code="NL", destination_country_code="DE",
        eta=_eta(0, "10:00", "14:00", BERLIN),
        recipient_post_code="10115", recipient_city="BERLIN",
    ),
    "failed_attempt": Scenario(
        legs=(Leg(SANDBOX, "Sandbox Ground"),),
        events=tuple(_leg(0, PORTLAND, [
            (-3, "16:20", PORTLAND, "data_order_created", "Shipment information received", "OC"),
            (-3, "18:55", PORTLAND, "transit_handover", "Picked up", "PU"),
            (-3, "23:40", PORTLAND, None, "Departed origin facility", "DF"),
            (-2, "14:10", SALT_LAKE, None, "Arrived at hub", "AH"),
            (-2, "19:30", SALT_LAKE, None, "Departed hub", "DH"),
            (-1, "06:05", DENVER, None, "Arrived at delivery station", "AS"),
            (-1, "08:12", DENVER, "delivery_out_for_delivery", "Out for delivery", "OD"),
            (-1, "15:47", DENVER, "delivery_attempted",
             "Delivery attempted: recipient not available. A notice was left; we will try "
             "again next business day.", "NA"),
            (-1, "16:02", DENVER, "data_delivery_decided",
             "Delivery rescheduled for the next business day", "RS"),
        ])),
        anchor="history", origin_country_code="US", destination_country_code="US",
        eta=_eta(0, "09:00", "17:00", DENVER),
        recipient_post_code="80202", recipient_city="DENVER",
    ),
    "available_for_pickup": Scenario(
        legs=(Leg(SANDBOX, "Sandbox International Standard"),
              Leg("gb-post", "Royal Mail Tracked 48")),
        events=(
            *_leg(0, HAMBURG, [
                (-4, "08:40", HAMBURG, "data_order_created",
                 "Shipment information received", "OC"),
                (-4, "15:05", HAMBURG, "transit_handover", "Collected from the sender", "PU"),
                (-4, "19:30", HAMBURG, None, "Departed origin facility", "DF"),
                (-3, "03:50", HAMBURG, "transit_origin_country_departure",
                 "Departed origin country", "EX"),
                (-3, "09:35", COVENTRY, "destination_arrival",
                 "Arrived in destination country", "IM"),
                (-3, "09:50", COVENTRY, "customs_received", "Held by customs for clearance", "CR"),
                (-3, "16:20", COVENTRY, "customs_cleared", "Cleared by customs", "CC"),
                (-3, "18:05", COVENTRY, None,
                 "Handed over to Royal Mail, tracking number {leg_number}", "HP"),
            ]),
            *_leg(1, SWINDON_MC, [
                (-2, "06:40", SWINDON_MC, None, "Item received at Swindon Mail Centre", None),
                (-2, "08:15", SWINDON_DO, "delivery_out_for_delivery",
                 "Your item is out for delivery", None),
                (-2, "13:40", SWINDON_DO, "delivery_attempted",
                 "Sorry, we missed you. We tried to deliver your item but no one was in", None),
                (-1, "09:00", SWINDON_CSP, "delivery_available_for_pickup",
                 "Your item is ready for collection at Swindon Customer Service Point", None),
            ]),
        ),
        anchor="history", origin_country_code="DE", destination_country_code="GB",
        recipient_post_code="SN1 1AA", recipient_city="SWINDON",
    ),
    "delivered": Scenario(
        legs=(Leg(SANDBOX, "Sandbox International Priority"),
              Leg("us-post", "USPS Ground Advantage")),
        events=(
            *_leg(0, SHENZHEN, [
                *_CN_US_EXPORT,
                (-1, "12:26", LOS_ANGELES, None,
                 "Handed over to USPS for final delivery, tracking number {leg_number}", "HP"),
            ]),
            *_leg(1, USPS_LA, [
                (-1, "14:51", USPS_LA, "transit_handover",
                 "Accepted at USPS Regional Facility", "03"),
                (0, "03:27", USPS_CHICAGO, None, "In Transit to Next Facility", "NT"),
                (1, "21:40", USPS_NEW_YORK, None,
                 "Arrived at USPS Regional Destination Facility", "10"),
                (2, "05:58", BROOKLYN, None, "Arrived at Post Office", "07"),
                (2, "07:10", BROOKLYN, "delivery_out_for_delivery", "Out for Delivery", "OF"),
                (2, "13:22", BROOKLYN, "delivery_delivered",
                 "Delivered, Left with Individual", "01"),
            ]),
        ),
        anchor="history", origin_country_code="CN", destination_country_code="US",
        eta=_eta(2, "09:00", "20:00", BROOKLYN),
        signed_by="M RIVERA", recipient_post_code="11201", recipient_city="BROOKLYN",
    ),
    "exception": Scenario(
        legs=(Leg(SANDBOX, "Sandbox International Economy"),),
        events=tuple(_leg(0, NEW_YORK, [
            (-7, "10:15", NEW_YORK, "data_order_created", "Shipment information received", "OC"),
            (-7, "16:40", NEW_YORK, "transit_handover", "Picked up", "PU"),
            (-7, "22:05", JAMAICA, None, "Departed origin facility", "DF"),
            (-6, "19:30", JAMAICA, "transit_origin_country_departure",
             "Departed origin country", "EX"),
            (-5, "09:45", FRANKFURT, "destination_arrival", "Arrived in destination country", "IM"),
            (-5, "10:20", FRANKFURT, "customs_received", "Presented to customs", "CR"),
            (-5, "15:05", FRANKFURT, "customs_exception",
             "Clearance delayed: a commercial invoice is required", "CH"),
            (-4, "09:00", FRANKFURT, None,
             "Recipient contacted for the missing documents", "RC"),
            (-1, "11:30", FRANKFURT, "exception_return",
             "Documents not received in time: the shipment is being returned to the sender",
             "RT"),
        ])),
        anchor="history", origin_country_code="US", destination_country_code="DE",
    ),
}

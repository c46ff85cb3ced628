"""Where sandbox events happen: places with their fixed UTC offsets, per country.

Offsets are fixed (the November values, no daylight saving) so that a journey's local times
are the same on every machine whatever its time-zone database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    """A location as a courier prints it, and the wall clock there."""

    name: str
    country: str
    utc_offset: dt.timedelta


@dataclass(frozen=True, slots=True)
class Country:
    """The places a scripted journey passes through in one country, and its postal operator."""

    code: str
    #: Where a parcel is collected, a sorting hub, the international gateway, the last-mile
    #: delivery station (also where parcels wait for pickup).
    pickup: Place
    hub: Place
    gateway: Place
    station: Place
    #: Ship24 courier code and product name of the country's postal operator (hand-over legs).
    post_courier: str
    post_service: str

    @property
    def utc_offset(self) -> dt.timedelta:
        return self.pickup.utc_offset


def _h(hours: float) -> dt.timedelta:
    return dt.timedelta(hours=hours)


def _country(
    code: str, hours: float, names: tuple[str, str, str, str], courier: str, service: str
) -> Country:
    offset = _h(hours)
    pickup, hub, gateway, station = (Place(name, code, offset) for name in names)
    return Country(code, pickup, hub, gateway, station, courier, service)


#: Countries a script may name (route option ``CN2US``, hand-over leg ``/GB``). US places are
#: all on Eastern time so that a domestic journey's wall clocks never run backwards.
COUNTRIES: dict[str, Country] = {
    c.code: c
    for c in (
        _country(
            "US", -5,
            ("ATLANTA, GA, US", "CHARLOTTE, NC, US", "JAMAICA, NY, US", "BROOKLYN, NY, US"),
            "us-post", "USPS Ground Advantage",
        ),
        _country(
            "CA", -5,
            ("OTTAWA, ON, CA", "MISSISSAUGA, ON, CA", "TORONTO, ON, CA", "TORONTO EAST, ON, CA"),
            "ca-post", "Expedited Parcel",
        ),
        _country(
            "GB", 0,
            ("MANCHESTER, GB", "COVENTRY HUB, GB", "HEATHROW, GB", "LONDON E1 DELIVERY OFFICE, GB"),
            "gb-post", "Royal Mail Tracked 48",
        ),
        _country(
            "DE", 1,
            ("MÜNCHEN, DE", "LEIPZIG, DE", "FRANKFURT AM MAIN, DE", "BERLIN, DE"),
            "de-post", "DHL Paket",
        ),
        _country(
            "FR", 1,
            ("LYON, FR", "CHILLY-MAZARIN, FR", "ROISSY CHARLES DE GAULLE, FR", "PARIS 11, FR"),
            "fr-post", "Colissimo",
        ),
        _country(
            "NL", 1,
            ("UTRECHT, NL", "NIEUWEGEIN, NL", "AMSTERDAM SCHIPHOL, NL", "AMSTERDAM, NL"),
            "nl-post", "PostNL Pakket",
        ),
        _country(
            "CN", 8,
            ("SHENZHEN, GUANGDONG, CN", "GUANGZHOU, CN", "SHANGHAI PUDONG, CN", "SHANGHAI, CN"),
            "cn-post", "ePacket",
        ),
        _country(
            "JP", 9,
            ("OSAKA, JP", "NAGOYA, JP", "NARITA, JP", "TOKYO SHINJUKU, JP"),
            "jp-post", "Yu-Pack",
        ),
        _country(
            "AU", 11,
            ("MELBOURNE, VIC, AU", "SYDNEY PARCEL FACILITY, AU", "SYDNEY AIRPORT, AU",
             "SURRY HILLS, NSW, AU"),
            "au-post", "Parcel Post",
        ),
    )
}

#: Courier names used in hand-over texts.
COURIER_NAMES: dict[str, str] = {
    "sandbox": "Sandbox Express",
    "us-post": "USPS",
    "ca-post": "Canada Post",
    "gb-post": "Royal Mail",
    "de-post": "Deutsche Post",
    "fr-post": "La Poste",
    "nl-post": "PostNL",
    "cn-post": "China Post",
    "jp-post": "Japan Post",
    "au-post": "Australia Post",
}

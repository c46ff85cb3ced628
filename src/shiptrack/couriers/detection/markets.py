"""Countries where a detectable courier delivers domestically, for country hints.

Ship24's catalogue gives many carriers no country (``purolator``, ``fedex``, ``gls`` have
``countryCode: null``), yet a destination in Canada makes a 12-digit Purolator PIN likelier than
a FedEx Express number. This table names the carriers' home markets; couriers missing here fall
back to the catalogue's ``countryCode``.
"""

from __future__ import annotations

from shiptrack.couriers.catalogue import get_courier

MARKETS: dict[str, frozenset[str]] = {
    "ups": frozenset({"US"}),
    "fedex": frozenset({"US"}),
    "amazon": frozenset({"US"}),
    "ontrac": frozenset({"US"}),
    "lasership": frozenset({"US"}),
    "speedee": frozenset({"US"}),
    "old-dominion": frozenset({"US"}),
    "cdl-last-mile": frozenset({"US"}),
    "ups-mail-innovations": frozenset({"US"}),
    "purolator": frozenset({"CA"}),
    "canpar": frozenset({"CA"}),
    "dhl": frozenset({"DE"}),
    "dhl-express": frozenset(),
    "dhl-global-mail": frozenset({"US"}),
    "dpd": frozenset({"DE", "FR", "GB", "NL", "BE", "PL", "AT", "IE", "CZ", "LU"}),
    "gls": frozenset({"DE", "AT", "BE", "DK", "ES", "FR", "IT", "NL", "PL", "PT", "CZ", "HU"}),
    "hermes": frozenset({"DE"}),
    "yodel": frozenset({"GB"}),
    "parcel-force": frozenset({"GB"}),
    "yun-express": frozenset({"CN"}),
    "cainiao": frozenset({"CN"}),
    "sf-express": frozenset({"CN", "HK"}),
    "4px": frozenset({"CN"}),
    "jt-express": frozenset({"CN", "ID", "MY", "PH", "TH", "VN", "SG"}),
}


def markets(courier_code: str) -> frozenset[str]:
    found = MARKETS.get(courier_code)
    if found is not None:
        return found
    courier = get_courier(courier_code)
    if courier is None or courier.country_code is None:
        return frozenset()
    return frozenset({courier.country_code})

"""Contract: every carrier code in the USPS, UPS and FedEx tables maps to a Ship24 status code.

A code maps either to one of the twenty Ship24 status codes (``taxonomy.STATUS_CODES``) or to
None, and the None (non-significant) codes are listed here explicitly, so that moving a code
in or out of the informational set is a visible, reviewed change.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType

import aiohttp
import pytest

from shiptrack.couriers.connectors import fedex as fedex_package
from shiptrack.couriers.connectors import ups as ups_package
from shiptrack.couriers.connectors import usps as usps_package
from shiptrack.couriers.connectors.fakesource import carrier_code_for, serve
from shiptrack.couriers.connectors.fedex import fake as fedex_fake
from shiptrack.couriers.connectors.fedex import statuses as fedex
from shiptrack.couriers.connectors.protocol import CourierEvent, TrackingResult
from shiptrack.couriers.connectors.ups import fake as ups_fake
from shiptrack.couriers.connectors.ups import statuses as ups
from shiptrack.couriers.connectors.usps import fake as usps_fake
from shiptrack.couriers.connectors.usps import statuses as usps
from shiptrack.status.taxonomy import STATUS_CODES

TABLES: dict[str, Mapping[str, str | None]] = {
    "usps": usps.STATUS_CODES,
    "ups-status-codes": ups.STATUS_CODES,
    "ups-status-types": ups.STATUS_TYPES,
    "fedex": fedex.EVENT_TYPES,
    "fedex-dex": fedex.DELIVERY_EXCEPTION_CODES,
}

INFORMATIONAL: dict[str, set[str]] = {
    "usps": {
        "SF", "10", "A1", "T1", "TL", "EF", "19", "41", "42", "81", "82", "07", "PC", "06",
        "08", "15", "DX", "EMB", "EMJ", "EMK", "EDA", "EMF", "EDD", "EDE", "EMG", "EDF", "EXA",
        "EXC", "EXD",
    },
    "ups-status-codes": {
        "000", "005", "010", "025", "039", "041", "042", "043", "044", "056", "057", "065",
    },
    "ups-status-types": {"I", "DO", "W", "NA"},
    "fedex": {
        "EP", "AP", "DS", "DR", "PD", "AR", "AF", "OF", "LO", "DP", "IT", "IX", "IP", "SF", "FD",
        "AA", "EA", "EO", "PF", "PL", "PM", "TR", "SP", "AO", "AE", "AS", "CH", "AC", "AX", "OX",
        "RC", "RP", "LP", "RG", "RD",
    },
    "fedex-dex": set(),
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_code_maps_to_a_ship24_status_code_or_is_listed(name: str) -> None:
    table = TABLES[name]
    assert table, f"{name} table is empty"
    for carrier_code, status_code in table.items():
        assert carrier_code == carrier_code.strip().upper(), carrier_code
        if status_code is None:
            assert carrier_code in INFORMATIONAL[name], f"{name}: {carrier_code} is unlisted None"
        else:
            assert status_code in STATUS_CODES, f"{name}: {carrier_code} → {status_code}"
    informational = {code for code, status in table.items() if status is None}
    assert informational == INFORMATIONAL[name]


def test_informational_constants_match() -> None:
    assert usps.INFORMATIONAL == INFORMATIONAL["usps"]
    assert ups.INFORMATIONAL_STATUS_CODES == INFORMATIONAL["ups-status-codes"]
    assert ups.INFORMATIONAL_TYPES == INFORMATIONAL["ups-status-types"]
    assert fedex.INFORMATIONAL == INFORMATIONAL["fedex"]


def test_each_table_covers_the_journey_milestones() -> None:
    essentials = {
        "data_order_created", "transit_handover", "delivery_out_for_delivery",
        "delivery_delivered", "delivery_attempted", "delivery_available_for_pickup",
        "exception_return",
    }
    for name in ("usps", "ups-status-codes", "fedex"):
        mapped = set(TABLES[name].values())
        if name == "fedex":
            mapped |= set(fedex.DELIVERY_EXCEPTION_CODES.values())
        assert essentials <= mapped, f"{name} lacks {essentials - mapped}"


@pytest.mark.parametrize(
    ("table", "preferred"),
    [
        (usps.STATUS_CODES, usps_fake.PREFERRED_CODES),
        (ups.STATUS_CODES, ups_fake.PREFERRED_CODES),
        (fedex.EVENT_TYPES, fedex_fake.PREFERRED_CODES),
    ],
)
def test_fakes_pick_codes_that_round_trip(
    table: Mapping[str, str | None], preferred: Mapping[str | None, str]
) -> None:
    for status_code, carrier_code in preferred.items():
        assert table[carrier_code] == status_code
    # Every Ship24 code the table can express comes back from the fake's choice.
    for status_code in set(table.values()):
        event = CourierEvent("X", "2025-01-01", "scan", status_code)
        assert table[carrier_code_for(event, table, preferred)] == status_code
    # A code the carrier cannot express is a KeyError, or with degrade a non-significant scan.
    for status_code in set(STATUS_CODES) - set(table.values()):
        event = CourierEvent("X", "2025-01-01", "scan", status_code)
        with pytest.raises(KeyError):
            carrier_code_for(event, table, preferred)
        assert table[carrier_code_for(event, table, preferred, degrade=True)] is None


def test_lookup_helpers() -> None:
    assert usps.status_code_for(" of ") == "delivery_out_for_delivery"
    assert usps.status_code_for("ZZ") is None
    assert usps.status_code_for(None) is None
    assert ups.status_code_for("011", "D") == "delivery_delivered"
    assert ups.status_code_for("005", "X") == "delivery_exception"  # type says more
    assert ups.status_code_for(None, "m") == "data_order_created"
    assert ups.status_code_for("999", None) is None
    assert fedex.status_code_for("de", "8") == "delivery_attempted"
    assert fedex.status_code_for("DE", "03") == "delivery_exception"
    assert fedex.status_code_for("DL", "07") == "delivery_delivered"
    assert fedex.status_code_for(None) is None


# --- one journey, played through every carrier's fake and connector --------------------------

JOURNEY_CODES: list[tuple[str, str, str | None, str | None]] = [
    # (occurrence, raw text, Ship24 code, location)
    ("2025-03-03T16:02:00-05:00", "Label created", "data_order_created",
     "ASHEVILLE, NC 28801, US"),
    ("2025-03-04T10:17:00-05:00", "Picked up", "transit_handover", "ASHEVILLE, NC 28801, US"),
    ("2025-03-05", "Departed facility", None, "GREENSBORO, NC, US"),
    ("2025-03-06T03:10:00Z", "In transit", None, None),
    ("2025-03-06T09:00:00", "Clearance in progress", "customs_received", "CHICAGO, IL, US"),
    ("2025-03-07T07:05:00-08:00", "Out for delivery", "delivery_out_for_delivery",
     "PORTLAND, OR 97214, US"),
    ("2025-03-07T12:00:00-08:00", "Attempted", "delivery_attempted", "PORTLAND, OR 97214, US"),
    ("2025-03-08T09:00:00-08:00", "Available for pickup", "delivery_available_for_pickup",
     "PORTLAND, OR 97214, US"),
    ("2025-03-09T14:41:00-08:00", "Delivered", "delivery_delivered", "PORTLAND, OR 97214, US"),
]


def _same_journey(number: str, courier: str, source: str) -> TrackingResult:
    events = [CourierEvent(number, when, text, code, where, courier, source)
              for when, text, code, where in JOURNEY_CODES]
    return TrackingResult(
        number, courier, source, events, origin_country_code="US", destination_country_code="US",
        estimated_delivery="2025-03-07T14:30:00", estimated_delivery_from="2025-03-07T10:30:00",
        estimated_delivery_to="2025-03-07T14:30:00", service="Ground", signed_by="OKAFOR",
        recipient_post_code="97214", recipient_city="PORTLAND",
    )


CARRIERS: dict[str, tuple[ModuleType, type, ModuleType, str, str, str]] = {
    "usps": (usps_package, usps_package.UspsSettings, usps_fake, "9400111206213300000014",
             "us-post", "usps-tracking"),
    "ups": (ups_package, ups_package.UpsSettings, ups_fake, "1Z5R89390357567127", "ups",
            "ups-tracking"),
    "fedex": (fedex_package, fedex_package.FedexSettings, fedex_fake, "794843185271", "fedex",
              "fedex-tracking"),
}


@pytest.mark.parametrize("carrier", sorted(CARRIERS))
async def test_the_same_journey_through_every_connector(carrier: str) -> None:
    """Fakes are fed the same journey; every real connector reads it back unchanged."""
    package, settings_class, fake, number, courier, source = CARRIERS[carrier]
    journey = _same_journey(number, courier, source)
    app = fake.create_app({number: journey}.get, client_id="id", client_secret="secret")
    async with serve(app) as url, aiohttp.ClientSession() as session:
        settings = settings_class(client_id="id", client_secret="secret", base_url=url)
        connector = package.build(settings, session)
        assert connector is not None
        result = (await connector.track([number], {}))[number]
    assert isinstance(result, TrackingResult)
    seen = [(e.occurrence_datetime, e.status, e.status_code, e.location) for e in result.events]
    assert seen == JOURNEY_CODES
    assert (result.courier_code, result.source_code) == (courier, source)
    assert all((e.courier_code, e.source_code) == (courier, source) for e in result.events)
    assert result.estimated_delivery == "2025-03-07T14:30:00"
    assert result.estimated_delivery_from == "2025-03-07T10:30:00"
    assert result.estimated_delivery_to == "2025-03-07T14:30:00"
    assert result.signed_by == "OKAFOR"
    assert result.service == "Ground"
    assert (result.origin_country_code, result.destination_country_code) == ("US", "US")
    assert (result.recipient_post_code, result.recipient_city) == ("97214", "PORTLAND")

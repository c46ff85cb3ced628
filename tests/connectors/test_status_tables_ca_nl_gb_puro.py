"""Contract: the Canada Post, PostNL, Royal Mail and Purolator tables map every carrier code
to a real Ship24 status code (or explicitly to None), hold every code their source lists, and
leave to the status normaliser exactly what their docstrings say.

Sources: PostNL's Track & Trace code tables (``fixtures/postnl/tt-*.csv``, see its
``SOURCES.md``); Royal Mail's event table as summarised in ``shared/reference/apis/royalmail.md``
§5; karrio's grouping of Canada Post codes and the codes seen in Canada Post's answers
(``canadapost/statuses.py``); the scan subtypes of Purolator's ``TrackingService.xsd``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shiptrack.couriers.connectors.canadapost import statuses as canadapost
from shiptrack.couriers.connectors.postnl import statuses as postnl
from shiptrack.couriers.connectors.purolator import statuses as purolator
from shiptrack.couriers.connectors.royalmail import statuses as royalmail
from shiptrack.status.taxonomy import STATUS_CODES

POSTNL = Path(__file__).resolve().parent / "fixtures" / "postnl"

TABLES = {
    "canadapost.EVENT_CODES": canadapost.EVENT_CODES,
    "postnl.EVENT_CODES": postnl.EVENT_CODES,
    "postnl.STATUS_CODES": postnl.STATUS_CODES,
    "royalmail.EVENT_CODES": royalmail.EVENT_CODES,
    "royalmail.GROUP_STATUS": royalmail.GROUP_STATUS,
    "purolator.SCAN_TYPES": purolator.SCAN_TYPES,
}


@pytest.mark.parametrize(
    ("table", "carrier_code", "status_code"),
    [(name, key, value) for name, table in TABLES.items() for key, value in table.items()],
)
def test_every_carrier_code_maps_to_a_ship24_code_or_none(
    table: str, carrier_code: str, status_code: str | None
) -> None:
    assert status_code is None or status_code in STATUS_CODES, (table, carrier_code)


def _rows(name: str) -> list[list[str]]:
    with (POSTNL / name).open(newline="") as handle:
        return list(csv.reader(handle))[1:]


def test_postnl_tables_hold_every_published_code() -> None:
    events = _rows("tt-event-codes.csv")
    assert len(events) == 288
    assert set(postnl.EVENT_TABLE) == {row[0] for row in events}  # J23 is listed twice
    first_option = {}
    for code, _nl, _en, option in events:
        first_option.setdefault(code, option[:2])
    assert {code: row[0] for code, row in postnl.EVENT_TABLE.items()} == first_option
    assert set(postnl.STATUS_CODES) == {row[0] for row in _rows("tt-status-codes.csv")}


@pytest.mark.parametrize(
    ("option", "allowed"),
    [
        ("11", {"delivery_delivered", "delivery_available_for_pickup", "exception_return", None}),
        ("12", {"delivery_available_for_pickup"}),
        ("02", {"transit_handover"}),
        ("01", {"data_order_created", None}),
    ],
)
def test_postnl_events_stay_within_their_status_option(option: str, allowed: set) -> None:
    """Where the option says one thing, its events say it too (text overrides aside)."""
    mapped = {status for opt, status in postnl.EVENT_TABLE.values() if opt == option}
    assert mapped <= allowed


def test_postnl_events_the_text_narrows() -> None:
    assert postnl.EVENT_CODES["Y03"] == "delivery_refused"  # Shipment refused by addressee
    assert postnl.EVENT_CODES["H20"] == "exception_return"  # Shipment returned to sender
    assert postnl.EVENT_CODES["Y02"] == "delivery_attempted"  # We missed you
    assert postnl.EVENT_CODES["K92"] == "exception_discarded"  # Shipment destroyed
    assert postnl.EVENT_CODES["X04"] == "customs_cleared"
    assert postnl.EVENT_CODES["J01"] is None  # sorted


def test_royal_mail_table_is_its_groups() -> None:
    codes = [code for group in royalmail.GROUP_CODES.values() for code in group]
    assert len(codes) == len(set(codes)) == len(royalmail.EVENT_CODES)
    assert set(royalmail.GROUP_CODES) == set(royalmail.GROUP_STATUS)
    assert all(code.startswith("EV") and len(code) == 5 for code in codes)
    for group, members in royalmail.GROUP_CODES.items():
        for code in members:
            expected = royalmail.OVERRIDES.get(code, royalmail.GROUP_STATUS[group])
            assert royalmail.EVENT_CODES[code] == expected
    # Spreadsheet artefacts of the source table are left to the normaliser.
    assert not {"EVJLV", "EVNLG", "EVNRC"} & set(royalmail.EVENT_CODES)


def test_canada_post_table() -> None:
    assert all(not code.startswith("0") for code in canadapost.EVENT_CODES)
    assert not set(canadapost.EVENT_CODES) & canadapost.TEXT_DECIDES
    # A described code wins over karrio's group (1479 is "ready for pickup" there).
    assert canadapost.EVENT_CODES["1479"] == "delivery_attempted"
    assert canadapost.EVENT_CODES["1496"] == "delivery_delivered"
    assert "1416" in canadapost.TEXT_DECIDES  # karrio's vague "delivery failed"
    assert set(canadapost.TIME_ZONES.values()) >= {"-05:00", "-08:00", "-03:30"}


def test_purolator_scan_types_are_the_schemas() -> None:
    subtypes = {"Delivery", "OnDelivery", "Undeliverable", "ProofOfPickUp", "InternationalOutbound"}
    assert set(purolator.SCAN_TYPES) | purolator.TEXT_DECIDES == subtypes | {"Other"}
    assert not set(purolator.SCAN_TYPES) & purolator.TEXT_DECIDES

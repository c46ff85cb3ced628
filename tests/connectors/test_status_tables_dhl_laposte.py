"""Contract: every carrier code in the DHL and La Poste tables maps to a real Ship24 status code
(or explicitly to None for an informational scan), and every courier code they produce is one
the connector declares."""

from __future__ import annotations

import pytest

from shiptrack.couriers.connectors.dhl import client as dhl_client
from shiptrack.couriers.connectors.dhl import statuses as dhl
from shiptrack.couriers.connectors.laposte import client as laposte_client
from shiptrack.couriers.connectors.laposte import statuses as laposte
from shiptrack.status.taxonomy import STATUS_CODES

#: DHL Unified ``statusCode`` enum, as documented.
DHL_STATUS_ENUM = {"pre-transit", "transit", "delivered", "failure", "unknown"}
#: La Poste Suivi v2 event codes, as documented.
LAPOSTE_EVENT_CODES = {
    "DR1", "PC1", "PC2", "ET1", "ET2", "ET3", "ET4", "EP1", "DO1", "DO2", "DO3", "PB1", "PB2",
    "MD2", "ND1", "AG1", "RE1", "DI1", "DI2",
}

TABLES = {
    "dhl.STATUS_CODES": dhl.STATUS_CODES,
    "dhl.EXPRESS_EVENT_CODES": dhl.EXPRESS_EVENT_CODES,
    "dhl.DESCRIPTION_RULES": {rule.pattern: code for rule, code in dhl.DESCRIPTION_RULES},
    "laposte.EVENT_CODES": laposte.EVENT_CODES,
}


@pytest.mark.parametrize(
    ("table", "carrier_code", "status_code"),
    [(name, key, value) for name, table in TABLES.items() for key, value in table.items()],
)
def test_every_carrier_code_maps_to_a_ship24_code_or_none(
    table: str, carrier_code: str, status_code: str | None
) -> None:
    assert status_code is None or status_code in STATUS_CODES, (table, carrier_code)


def test_dhl_status_enum_is_complete() -> None:
    assert set(dhl.STATUS_CODES) == DHL_STATUS_ENUM


def test_laposte_event_codes_are_complete() -> None:
    assert set(laposte.EVENT_CODES) == LAPOSTE_EVENT_CODES


def test_express_codes_look_like_checkpoint_codes() -> None:
    assert all(code.isupper() and len(code) == 2 for code in dhl.EXPRESS_EVENT_CODES)


def test_dhl_courier_codes_are_declared() -> None:
    produced = set(dhl.SERVICE_COURIER_CODES.values()) | set(dhl.COURIER_SERVICE_HINTS)
    assert produced <= dhl_client.COURIER_CODES
    assert set(dhl.COURIER_SERVICE_HINTS.values()) <= set(dhl.SERVICE_COURIER_CODES)


def test_laposte_courier_codes_are_declared() -> None:
    produced = set(laposte.HOLDER_COURIER_CODES.values()) | {laposte.DEFAULT_COURIER_CODE}
    produced |= {code for _, code in laposte.PRODUCT_COURIER_CODES}
    assert produced <= laposte_client.COURIER_CODES


def test_linked_number_courier_codes_are_slugs() -> None:
    codes = set(dhl.DESTINATION_PROVIDER_COURIER_CODES.values())
    codes |= {code for _, code in laposte.PARTNER_COURIER_CODES}
    assert all(code == code.lower() and " " not in code for code in codes)


def test_every_ship24_code_a_dhl_journey_needs_has_a_route() -> None:
    """Each Ship24 status code is reachable from DHL data (a code, a phrase or the enum)."""
    reachable = set(dhl.STATUS_CODES.values()) | set(dhl.EXPRESS_EVENT_CODES.values())
    reachable |= {code for _, code in dhl.DESCRIPTION_RULES}
    missing = set(STATUS_CODES) - reachable
    assert missing <= {"data_order_cancelled", "data_delivery_proposed", "customs_rejected"}

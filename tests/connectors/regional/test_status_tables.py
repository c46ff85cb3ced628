"""Contract: every code of the InPost, Bring, PostNord and Australia Post tables maps to a real
Ship24 status code (or explicitly to None), each table is complete against the carrier's own
published list, and every courier code a connector produces is one it declares."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shiptrack.couriers.catalogue import is_known
from shiptrack.couriers.connectors.auspost import client as auspost_client
from shiptrack.couriers.connectors.auspost import statuses as auspost
from shiptrack.couriers.connectors.bring import client as bring_client
from shiptrack.couriers.connectors.bring import statuses as bring
from shiptrack.couriers.connectors.inpost import client as inpost_client
from shiptrack.couriers.connectors.inpost import statuses as inpost
from shiptrack.couriers.connectors.postnord import client as postnord_client
from shiptrack.couriers.connectors.postnord import statuses as postnord
from shiptrack.status.taxonomy import STATUS_CODES

#: InPost's live ``GET /v1/statuses?lang=en_GB`` answer (see inpost/statuses.py).
INPOST_STATUSES = Path(__file__).resolve().parents[1] / "fixtures/inpost/statuses.en_GB.json"
#: Bring's published ``eventSet[].status`` list (developer site, tracking/index.md), and the
#: two statuses it removed on 2022-06-23.
BRING_STATUSES = {
    "PRE_NOTIFIED", "HANDED_IN", "COLLECTED", "IN_TRANSIT", "TERMINAL", "INTERNATIONAL",
    "CUSTOMS", "TRANSPORT_TO_RECIPIENT", "NOTIFICATION_SENT", "READY_FOR_PICKUP",
    "ATTEMPTED_DELIVERY", "DELIVERY_ORDERED", "DELIVERY_CHANGED", "DELIVERY_CANCELLED",
    "DEVIATION", "RETURN", "DELIVERED", "DELIVERED_SENDER", "UNKNOWN",
    "ARRIVED_COLLECTION", "ARRIVED_DELIVERY",
}  # fmt: skip
#: PostNord v7 OpenAPI: ``ItemStatus`` enum, plus the shipment-only ``SPLIT``.
POSTNORD_ITEM_STATUSES = {
    "CREATED", "INFORMED", "EN_ROUTE", "DELAYED", "EXPECTED_DELAY", "AVAILABLE_FOR_DELIVERY",
    "AVAILABLE_FOR_DELIVERY_PAR_LOC", "DELIVERED", "DELIVERY_IMPOSSIBLE", "DELIVERY_REFUSED",
    "RETURNED", "STOPPED", "OTHER", "SPLIT",
}  # fmt: skip
#: Australia Post article ``status`` values seen in its answers or listed by karrio.
AUSPOST_STATUSES = {
    "In transit", "Delivered", "Delivered in Full", "Awaiting collection", "Ready for Pickup",
    "On Board for Delivery", "Possible delay", "Held by courier", "To be Re-Delivered",
    "Unsuccessful Delivery", "Cannot be delivered", "Article damaged", "Cancelled", "Unknown",
}  # fmt: skip

TABLES: dict[str, dict[str, str | None]] = {
    "inpost.STATUS_NAMES": {name: code for name, (code, _) in inpost.STATUS_NAMES.items()},
    "bring.EVENT_STATUSES": bring.EVENT_STATUSES,
    "postnord.EVENT_CODES": postnord.EVENT_CODES,
    "postnord.ITEM_STATUSES": postnord.ITEM_STATUSES,
    "auspost.ITEM_STATUSES": auspost.ITEM_STATUSES,
    "auspost.DESCRIPTION_PHRASES": dict(auspost.DESCRIPTION_PHRASES),
}


@pytest.mark.parametrize(
    ("table", "carrier_code", "status_code"),
    [(name, key, value) for name, table in TABLES.items() for key, value in table.items()],
)
def test_every_carrier_code_maps_to_a_ship24_code_or_none(
    table: str, carrier_code: str, status_code: str | None
) -> None:
    assert status_code is None or status_code in STATUS_CODES, (table, carrier_code)


def test_inpost_covers_every_published_status_name() -> None:
    published = {
        item["name"]: item["title"] for item in json.loads(INPOST_STATUSES.read_text())["items"]
    }
    assert len(published) == 53
    assert set(inpost.STATUS_NAMES) | set(inpost.UNMAPPED_NAMES) == set(published)
    assert not set(inpost.STATUS_NAMES) & set(inpost.UNMAPPED_NAMES)
    for name, (_, title) in inpost.STATUS_NAMES.items():
        assert title == published[name], name


def test_bring_statuses_are_complete() -> None:
    assert set(bring.EVENT_STATUSES) == BRING_STATUSES
    assert bring.READ_TEXT_FIRST <= set(bring.EVENT_STATUSES)


def test_postnord_statuses_are_complete() -> None:
    assert set(postnord.ITEM_STATUSES) == POSTNORD_ITEM_STATUSES
    assert postnord.READ_TEXT_FIRST <= set(postnord.ITEM_STATUSES)


def test_auspost_statuses_are_complete() -> None:
    assert set(auspost.ITEM_STATUSES) == AUSPOST_STATUSES
    phrases = [phrase for phrase, _ in auspost.DESCRIPTION_PHRASES]
    assert all(phrase == phrase.lower().strip() for phrase in phrases)
    # No phrase hides a longer one listed after it.
    for i, phrase in enumerate(phrases):
        assert not any(later.startswith(phrase) for later in phrases[i + 1 :]), phrase


def test_courier_codes_are_declared_and_in_ship24s_catalogue() -> None:
    declared = {
        "inpost": inpost_client.InPostConnector.courier_codes,
        "bring": bring_client.COURIER_CODES,
        "postnord": postnord_client.COURIER_CODES,
        "auspost": auspost_client.AusPostConnector.courier_codes,
    }
    assert inpost.COURIER_CODE in declared["inpost"]
    assert (
        set(bring.BRAND_COURIER_CODES.values()) | {bring.DEFAULT_COURIER_CODE} <= declared["bring"]
    )
    produced = set(postnord.COUNTRY_COURIER_CODES.values()) | {postnord.DEFAULT_COURIER_CODE}
    assert produced <= declared["postnord"]
    assert auspost.COURIER_CODE in declared["auspost"]
    for name, codes in declared.items():
        assert all(is_known(code) for code in codes), name
